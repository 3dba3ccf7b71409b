import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { expectProblem } from '../helpers/problem';

describe('one error envelope', () => {
  it('unknown routes are 404 problem+json with the request id', async () => {
    const response = await exports.default.fetch('http://api.test/v1/nope', { headers: { 'x-request-id': 'req-1' } });
    const body = await expectProblem(response, 404, 'ROUTE_NOT_FOUND');
    expect(body.request_id).toBe('req-1');
  });

  it('an oversized body is 413 problem+json', async () => {
    const response = await exports.default.fetch('http://api.test/health', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(1024 * 1024 + 1),
    });
    await expectProblem(response, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('serves the OpenAPI 3.1 document and the reference page', async () => {
    const doc = (await (await exports.default.fetch('http://api.test/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/health');
    const page = await exports.default.fetch('http://api.test/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
  });
});
