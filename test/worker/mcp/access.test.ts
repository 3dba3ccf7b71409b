import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, json } from '../../helpers/api';
import { asSystem } from '../../helpers/db';
import { apiKeyTokenAs, tokenAs, useTenantFixtures, type FixtureIds } from '../../helpers/fixtures';
import { forgedTokens, identityProviderToken } from '../../helpers/forged-tokens';
import { callTool, mcpClient } from '../../helpers/mcp';
import { readmeSection } from '../../helpers/readme';
import { expectProblem } from '../../helpers/problem';
import { countRoundTrips } from '../../helpers/round-trips';
import { dataDigest } from '../../helpers/rows';
import { systemToken, tokenFor } from '../../helpers/tokens';
import { ROLE_MATRIX } from '../security/role-matrix';

const { create: fixture, member: addMember } = useTenantFixtures('mcp-access');
let ids: FixtureIds;
beforeAll(async () => {
  ids = await fixture('a');
});

const METADATA_URL = 'http://api.test/.well-known/oauth-protected-resource/mcp';
const ACCEPT = { accept: 'application/json, text/event-stream' };
const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};
const rpc = (method: string, params: Record<string, unknown> = {}) => ({ jsonrpc: '2.0', id: 2, method, params });

/** The tools a role may call by the reviewed role matrix (not by the server's own tables). */
function expectedTools(listed: { name: string; _meta?: Record<string, unknown> }[], role: string) {
  return listed.filter((t) => {
    const roles = ROLE_MATRIX[t._meta!.operation as string];
    return Array.isArray(roles) && roles.includes(role as never);
  });
}

describe('MCP: initialize and tools/list', () => {
  it('initialize costs no database work and names the server and its capabilities', async () => {
    const token = await tokenAs(ids, 'viewer');
    const { result, roundTrips } = await countRoundTrips(() => mcpClient(token));
    expect(roundTrips).toBe(0);
    expect(result.getServerVersion()).toMatchObject({ name: 'edge-data-api' });
    expect(result.getServerCapabilities()).toMatchObject({ tools: {}, resources: {} });
    await result.close();
  });

  it('lists exactly the tools the caller’s role may call, by the role matrix, in one round trip', async () => {
    const all = (await (await mcpClient(await tokenAs(ids, 'owner'))).listTools()).tools;
    expect(all.length).toBeGreaterThanOrEqual(19);
    for (const tool of all) {
      expect(tool.inputSchema.type).toBe('object');
      expect(ROLE_MATRIX[tool._meta!.operation as string], tool.name).toBeDefined();
    }
    for (const role of ['owner', 'admin', 'editor', 'viewer'] as const) {
      const client = await mcpClient(await tokenAs(ids, role));
      const { result, roundTrips } = await countRoundTrips(() => client.listTools());
      expect(roundTrips, role).toBe(1);
      expect(result.tools.map((t) => t.name).sort(), role).toEqual(expectedTools(all, role).map((t) => t.name).sort());
    }
    const service = await mcpClient(await apiKeyTokenAs(ids, 'service'));
    const serviceTools = (await service.listTools()).tools.map((t) => t.name).sort();
    expect(serviceTools).toEqual(expectedTools(all, 'service').map((t) => t.name).sort());
    expect(serviceTools).toContain('ingest_posts');
    expect(serviceTools).not.toContain('approve_reply');

    // A viewer sees no write tool at all.
    const viewerTools = (await (await mcpClient(await tokenAs(ids, 'viewer'))).listTools()).tools;
    expect(viewerTools.length).toBeGreaterThan(0);
    for (const tool of viewerTools) expect(tool.annotations?.readOnlyHint, tool.name).toBe(true);
  });

  it('the README’s tool table is what the server lists, with the roles of the README’s route table', async () => {
    const owner = (await (await mcpClient(await tokenAs(ids, 'owner'))).listTools()).tools;
    const service = (await (await mcpClient(await apiKeyTokenAs(ids, 'service'))).listTools()).tools;
    const listed = new Map([...owner, ...service].map((t) => [t.name, t._meta!.operation as string]));
    const rows = [...readmeSection('MCP').matchAll(/^\| `(\w+)` \| `([A-Z]+ \S+)` \| ([^|]+) \|/gm)];
    expect(new Map(rows.map((r) => [r[1]!, r[2]!]))).toEqual(listed);
    const routeTable = readmeSection('Authentication and roles');
    for (const [, name, operation, roles] of rows) {
      const route = new RegExp(`^\\| \`${operation!.replace(/[{}]/g, '\\$&')}\` \\| ([^|]+) \\|`, 'm').exec(routeTable);
      expect(route?.[1]?.trim(), name).toBe(roles!.trim());
    }
  });

  it('a member demoted since the token was issued sees and may call only what the current role allows', async () => {
    const member = await addMember(ids, 'editor');
    const token = await tokenFor({ clientId: ids.clients, userId: member.userId, role: 'editor' });
    const client = await mcpClient(token);
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('queue_run');

    await asSystem(sql`update memberships set role = 'viewer' where id = ${member.membershipId}`);
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).not.toContain('queue_run');
    expect(names).toContain('reply_queue');
    const before = await dataDigest(ids.clients);
    const { result, roundTrips } = await countRoundTrips(() => callTool(client, 'queue_run', { skill: 'fixture-skill', user_message: 'x' }));
    expect(result).toMatchObject({ isError: true, body: { status: 403, code: 'FORBIDDEN' } });
    expect(roundTrips).toBe(1);
    expect(await dataDigest(ids.clients)).toEqual(before);
  });

  it('a removed member: tools/list is refused with NOT_A_MEMBER, a tool call too, nothing written', async () => {
    const member = await addMember(ids, 'editor');
    const client = await mcpClient(await tokenFor({ clientId: ids.clients, userId: member.userId, role: 'editor' }));
    await asSystem(sql`delete from memberships where id = ${member.membershipId}`);
    const refused = await client.listTools().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(McpError);
    expect((refused as McpError).data).toMatchObject({ problem: { status: 403, code: 'NOT_A_MEMBER' } });
    const before = await dataDigest(ids.clients);
    expect(await callTool(client, 'queue_run', { skill: 'fixture-skill', user_message: 'x' })).toMatchObject({
      isError: true,
      body: { status: 403, code: 'NOT_A_MEMBER' },
    });
    expect(await dataDigest(ids.clients)).toEqual(before);
  });

  it('a viewer’s call of a write tool it was not shown: FORBIDDEN, no database work, nothing written', async () => {
    const client = await mcpClient(await tokenAs(ids, 'viewer'));
    const before = await dataDigest(ids.clients);
    const { result, roundTrips } = await countRoundTrips(() => callTool(client, 'approve_reply', { id: ids.replies }));
    expect(result).toMatchObject({ isError: true, body: { status: 403, code: 'FORBIDDEN' } });
    expect(roundTrips).toBe(0);
    expect(await dataDigest(ids.clients)).toEqual(before);
  });

  it('an unknown tool is a JSON-RPC invalid-params error', async () => {
    const client = await mcpClient(await tokenAs(ids, 'owner'));
    await expect(client.callTool({ name: 'drop_tables', arguments: {} })).rejects.toMatchObject({ code: -32602 });
  });
});

describe('MCP: credentials', () => {
  it('no token: 401 naming the protected resource metadata (RFC 9728), no database work', async () => {
    const { result, roundTrips } = await countRoundTrips(() => call('POST', '/mcp', { body: initialize, headers: ACCEPT }));
    await expectProblem(result, 401, 'MISSING_TOKEN');
    expect(result.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${METADATA_URL}"`);
    expect(roundTrips).toBe(0);
  });

  it('every forged, bent or expired token: 401 with the metadata, no database work', async () => {
    const forged = await forgedTokens({ sub: ids.users, client_id: ids.clients, role: 'owner' });
    for (const [name, token] of Object.entries(forged)) {
      const { result, roundTrips } = await countRoundTrips(() => call('POST', '/mcp', { token, body: initialize, headers: ACCEPT }));
      expect(result.status, name).toBe(401);
      expect(result.headers.get('www-authenticate'), name).toContain(`resource_metadata="${METADATA_URL}"`);
      expect(roundTrips, name).toBe(0);
    }
  });

  it('a token of the identity provider works like the API’s own', async () => {
    const client = await mcpClient(await identityProviderToken({ sub: ids.users, client_id: ids.clients, role: 'viewer' }));
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
  });

  it('a system token is refused (MCP serves one client’s data): 403', async () => {
    await expectProblem(await call('POST', '/mcp', { token: await systemToken(), body: initialize, headers: ACCEPT }), 403, 'FORBIDDEN');
  });

  it('an API key revoked after its token was minted: the next call answers HTTP 401, nothing written', async () => {
    const token = await apiKeyTokenAs(ids, 'editor');
    const client = await mcpClient(token);
    await asSystem(sql`update api_keys set revoked_at = now() where client_id = ${ids.clients} and role = 'editor'`);
    const before = await dataDigest(ids.clients);
    const response = await call('POST', '/mcp', {
      token,
      body: rpc('tools/call', { name: 'queue_run', arguments: { skill: 'fixture-skill', user_message: 'x' } }),
      headers: { ...ACCEPT, 'mcp-protocol-version': '2025-06-18' },
    });
    await expectProblem(response, 401, 'INVALID_TOKEN');
    expect(response.headers.get('www-authenticate')).toContain(`resource_metadata="${METADATA_URL}"`);
    await expect(client.listTools()).rejects.toThrow();
    expect(await dataDigest(ids.clients)).toEqual(before);
  });

  it('serves the protected resource metadata at both well-known paths', async () => {
    for (const path of ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp']) {
      const response = await call('GET', path);
      expect(response.status).toBe(200);
      expect(await json(response)).toEqual({
        resource: 'http://api.test/mcp',
        authorization_servers: ['http://api.test'],
        bearer_methods_supported: ['header'],
        resource_name: 'Edge Data API (MCP)',
        resource_documentation: 'http://api.test/docs',
      });
    }
  });
});

describe('MCP: the transport', () => {
  it('stateless: GET and DELETE are 405 with Allow: POST; malformed JSON-RPC is a JSON-RPC error; no database work', async () => {
    const token = await tokenAs(ids, 'owner');
    const { roundTrips } = await countRoundTrips(async () => {
      for (const method of ['GET', 'DELETE']) {
        const response = await call(method, '/mcp', { token, headers: ACCEPT });
        await expectProblem(response, 405, 'METHOD_NOT_ALLOWED');
        expect(response.headers.get('allow')).toBe('POST');
      }
      const malformed = await call('POST', '/mcp', { token, rawBody: '{"jsonrpc":', headers: ACCEPT });
      expect(malformed.status).toBe(400);
      expect(await json(malformed)).toMatchObject({ jsonrpc: '2.0', error: { code: -32700 } });
      const notRpc = await call('POST', '/mcp', { token, body: { hello: 'world' }, headers: ACCEPT });
      expect(notRpc.status).toBe(400);
      expect(await json(notRpc)).toMatchObject({ jsonrpc: '2.0', error: { code: -32700 } });
    });
    expect(roundTrips).toBe(0);
  });

  it('a raw JSON-RPC tools/call without a session works (no session affinity)', async () => {
    const response = await call('POST', '/mcp', {
      token: await tokenAs(ids, 'viewer'),
      body: rpc('tools/call', { name: 'get_default_brand_kit', arguments: {} }),
      headers: { ...ACCEPT, 'mcp-protocol-version': '2025-06-18' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('mcp-session-id')).toBeNull();
    const body = await json<{ result: { structuredContent: { id: string } } }>(response);
    expect(body.result.structuredContent.id).toBe(ids.brand_kits);
  });
});

describe('MCP: resources', () => {
  it('lists the default brand kit and this client’s knowledge bases, reads them; another client’s base is not found', async () => {
    const b = await fixture('b');
    const client = await mcpClient(await tokenAs(ids, 'viewer'));
    const { result: listed, roundTrips } = await countRoundTrips(() => client.listResources());
    expect(roundTrips).toBe(1);
    const uris = listed.resources.map((r) => r.uri);
    expect(uris).toEqual(['edge-data-api://brand-kits/default', `edge-data-api://knowledge-bases/${ids.knowledge_bases}`]);

    const kit = await client.readResource({ uri: 'edge-data-api://brand-kits/default' });
    expect(JSON.parse((kit.contents[0] as { text: string }).text)).toMatchObject({ id: ids.brand_kits, is_default: true });
    const base = await client.readResource({ uri: `edge-data-api://knowledge-bases/${ids.knowledge_bases}` });
    expect(JSON.parse((base.contents[0] as { text: string }).text)).toMatchObject({ id: ids.knowledge_bases });

    for (const uri of [`edge-data-api://knowledge-bases/${b.knowledge_bases}`, 'edge-data-api://knowledge-bases/nope', 'edge-data-api://secrets']) {
      await expect(client.readResource({ uri }), uri).rejects.toMatchObject({ code: -32002 });
    }
    const templates = await client.listResourceTemplates();
    expect(templates.resourceTemplates.map((t) => t.uriTemplate)).toEqual(['edge-data-api://knowledge-bases/{id}']);
  });
});
