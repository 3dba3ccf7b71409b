import { exports } from 'cloudflare:workers';
import { sql, type SQL } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { fromDatabaseError } from '../../src/db/errors';
import { asSystem } from '../helpers/db';
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

describe('data exceptions from Postgres', () => {
  // Each statement fails in Postgres with a data exception (SQLSTATE class 22) or a size limit (54000).
  const failures: [string, SQL][] = [
    ['22009', sql`select '2026-01-01T00:00:00+23:59'::timestamptz`],
    ['22008', sql`select '10000-01-01T00:00:00Z'::timestamptz + interval '300000 years'`],
    ['22007', sql`select 'the day after tomorrow'::timestamptz`],
    ['22003', sql`select sum(v) from (values (1.7e308::float8), (1.7e308::float8)) t(v)`],
    ['22012', sql`select 1 / 0`],
    ['22P02', sql`select 'nope'::uuid`],
    ['22023', sql`select jsonb_build_object('odd')`],
    ['54000', sql`select array_fill(1, array[-1])`],
  ];

  it.each(failures)('SQLSTATE %s maps to a 422 problem, never a 500', async (code, statement) => {
    let failure: unknown;
    try {
      await asSystem(statement);
    } catch (error) {
      failure = error;
    }
    expect((failure as { code?: string }).code).toBe(code);
    const mapped = fromDatabaseError(failure);
    expect(mapped?.status).toBe(422);
    expect(mapped?.code).toBe('CONSTRAINT_VIOLATION');
  });
});
