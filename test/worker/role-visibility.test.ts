import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { EMBEDDED_READERS } from '../../src/lib/visibility';
import { call, json } from '../helpers/api';
import { asSystem } from '../helpers/db';
import { apiKeyTokenAs, tokenAs, useTenantFixtures, type FixtureIds } from '../helpers/fixtures';
import { expectProblem } from '../helpers/problem';
import { countOf } from '../helpers/rows';
import { documentedRoutes, ROUTES } from './security/routes';

/**
 * A machine client (`service`) reads posts, replies and runs, never brand kits, competitors or
 * members: it must not learn them from another route's response or error either. The secrets are
 * unique markers, so finding one anywhere in a response is a leak.
 */
const { create: fixture, run } = useTenantFixtures('vis');
const letters = run.replace(/[^a-z]/g, '') + 'q';
const secret = {
  claim: `zyx${letters}claim`, // a prohibited claim (whole word)
  competitor: `Rival ${run} Secret Labs`,
  mechanism: `mechanism-${run}`,
  keyword: `keyword-${run}`,
  voice: `voice-${run}`,
};
const SIGNATURE = `—Vis ${run}`;
let a: FixtureIds;
let email: string;

beforeAll(async () => {
  a = await fixture('a');
  await asSystem(
    sql`update brand_kits set reply_signature = ${SIGNATURE}, prohibited_claims = ${`{cure,${secret.claim}}`}::text[],
               tone = ${JSON.stringify({ voice: secret.voice, personality: [], do_list: [], dont_list: [] })}::jsonb
        where id = ${a.brand_kits}`,
    sql`update competitors set name = ${secret.competitor}, primary_mechanism = ${secret.mechanism}, brand_keywords = ${`{${secret.keyword}}`}::text[]
        where id = ${a.competitors}`,
  );
  const [rows] = await asSystem(sql`select email from users where id = ${a.users}`);
  email = rows![0]!.email as string;
});

const draft = async (token: string, content: string) => call('POST', `/v1/decisions/${a.decisions}/replies`, { token, body: { content, utm_code: 'probe_1' } });

describe('a refused draft tells a service client which kind of rule it broke, never the rule', () => {
  it('names no claim, however many the attacker probes at once, and stores nothing', async () => {
    const service = await apiKeyTokenAs(a, 'service');
    const before = await countOf('replies', a);
    const probe = `Does it cure? Is it ${secret.claim}? Is it gentle, natural, tested? ${SIGNATURE}`;
    const response = await draft(service, probe);
    const text = await response.clone().text();
    const problem = await expectProblem(response, 422, 'BRAND_RULES_VIOLATED');
    expect(problem.errors).toEqual([{ path: 'body.content', message: 'Reply contains a claim the brand kit prohibits' }]);
    for (const word of ['cure', secret.claim, 'gentle', 'natural', 'tested']) expect(text).not.toContain(word);
    expect(await countOf('replies', a)).toBe(before);
  });

  it('does not quote the signature it is missing', async () => {
    const response = await draft(await apiKeyTokenAs(a, 'service'), `Try a steady bedtime, and ${secret.claim} too.`);
    const text = await response.clone().text();
    const problem = await expectProblem(response, 422, 'BRAND_RULES_VIOLATED');
    expect(problem.errors).toEqual([
      { path: 'body.content', message: "Reply must include the brand kit's reply signature" },
      { path: 'body.content', message: 'Reply contains a claim the brand kit prohibits' },
    ]);
    expect(text).not.toContain(SIGNATURE);
    expect(text).not.toContain(secret.claim);
  });

  it('an editor (who may read the brand kit) still gets the signature and each claim', async () => {
    const editor = await tokenAs(a, 'editor');
    const named = await expectProblem(await draft(editor, `Does it cure? Is it ${secret.claim}?`), 422, 'BRAND_RULES_VIOLATED');
    expect(named.errors).toEqual([
      { path: 'body.content', message: `Reply must include signature "${SIGNATURE}"` },
      { path: 'body.content', message: 'Reply contains the prohibited claim "cure"' },
      { path: 'body.content', message: `Reply contains the prohibited claim "${secret.claim}"` },
    ]);
  });
});

describe('a post read by a service client carries its competitive mentions without competitor names', () => {
  it('service: the mention with its competitor id, an empty name, and no other competitor detail', async () => {
    const response = await call('GET', `/v1/posts/${a.posts}`, { token: await apiKeyTokenAs(a, 'service') });
    expect(response.status).toBe(200);
    const text = await response.clone().text();
    const post = await json<{ competitive_mentions: Record<string, unknown>[] }>(response);
    expect(post.competitive_mentions).toEqual([
      expect.objectContaining({ id: a.competitive_mentions, competitor_id: a.competitors, competitor_name: null, sentiment: 'neutral' }),
    ]);
    for (const value of [secret.competitor, secret.mechanism, secret.keyword]) expect(text).not.toContain(value);
  });

  it.each(['viewer', 'editor', 'owner'] as const)('%s: the competitor is named', async (role) => {
    const post = await json<{ competitive_mentions: Record<string, unknown>[] }>(
      await call('GET', `/v1/posts/${a.posts}`, { token: await tokenAs(a, role) }),
    );
    expect(post.competitive_mentions).toEqual([expect.objectContaining({ competitor_id: a.competitors, competitor_name: secret.competitor })]);
  });
});

describe('every route open to service', () => {
  const document = createApp().getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'suite', version: '0' } }) as unknown as {
    paths: Record<string, Record<string, Record<string, unknown>>>;
  };
  const serviceRoutes = documentedRoutes(document).filter((r) => r.roles?.includes('service'));

  it('answers a service client without brand kit rules, competitor details or member emails, success or failure', async () => {
    const service = await apiKeyTokenAs(a, 'service');
    const secrets = [secret.claim, secret.competitor, secret.mechanism, secret.keyword, secret.voice, email];
    let succeeded = 0;
    for (const route of serviceRoutes) {
      const spec = ROUTES[route.key];
      expect(spec, `${route.key} has no request in the attack suite's route table`).toBeDefined();
      const request = await spec!.valid(a);
      const response = await call(route.method, request.path, { token: service, body: request.body });
      if (response.ok) succeeded++;
      const text = await response.text();
      for (const value of secrets) expect(text, `${route.key} answered ${response.status} with "${value}"`).not.toContain(value);
    }
    expect(serviceRoutes.length).toBeGreaterThan(40);
    expect(succeeded).toBeGreaterThan(serviceRoutes.length * 0.9);
  });

  it('hides exactly what the resource’s own read route refuses: the readers agree with its x-roles', () => {
    for (const [name, { route, roles }] of Object.entries(EMBEDDED_READERS)) {
      const [method, path] = route.split(' ') as [string, string];
      expect(document.paths[path]?.[method.toLowerCase()]?.['x-roles'], name).toEqual([...roles]);
      expect(roles, name).not.toContain('service');
    }
  });
});
