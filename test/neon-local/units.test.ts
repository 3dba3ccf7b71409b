import { describe, expect, it } from 'vitest';
import { Mutex } from '../../scripts/neon-local/mutex.js';
import { parseCommandTag } from '../../scripts/neon-local/pglite-backend.js';
import { ProtocolError, parseSqlRequest } from '../../scripts/neon-local/protocol.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Mutex', () => {
  // PGlite's execProtocol never yields to the event loop, so HTTP-level tests cannot
  // provoke interleaving on their own; this checks the lock itself with real yields.
  it('runs work one at a time, in order, and survives failures', async () => {
    const mutex = new Mutex();
    const log: string[] = [];
    const job = (name: string, fail = false) =>
      mutex.run(async () => {
        log.push(`${name}:start`);
        await tick(5);
        log.push(`${name}:end`);
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([job('a'), job('b', true), job('c')]);
    expect(log).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});

describe('parseCommandTag (as Neon parse_command_tag)', () => {
  it.each([
    ['SELECT 3', 'SELECT', 3],
    ['INSERT 0 2', 'INSERT', 2],
    ['UPDATE 0', 'UPDATE', 0],
    ['DELETE 7', 'DELETE', 7],
    ['CREATE TABLE', 'CREATE', null],
    ['BEGIN', 'BEGIN', null],
    ['', '', null],
  ])('%j', (tag, command, rowCount) => {
    expect(parseCommandTag(tag)).toEqual({ command, rowCount });
  });
});

describe('parseSqlRequest', () => {
  it('reads headers like Neon: booleans only when exactly "true"', () => {
    const request = parseSqlRequest(
      { 'neon-array-mode': 'TRUE', 'neon-batch-read-only': 'true', 'neon-batch-deferrable': 'yes' },
      JSON.stringify({ queries: [{ query: 'SELECT 1' }] }),
    );
    expect(request).toMatchObject({
      kind: 'batch',
      arrayMode: false,
      transaction: { readOnly: true, deferrable: false },
      statements: [{ query: 'SELECT 1', params: [] }],
    });
  });

  it('rejects malformed bodies with ProtocolError', () => {
    expect(() => parseSqlRequest({}, '[]')).toThrow(ProtocolError);
    expect(() => parseSqlRequest({}, '{"query": 1}')).toThrow(ProtocolError);
    expect(() => parseSqlRequest({}, '{"queries": {}}')).toThrow(ProtocolError);
  });
});
