import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/principal';
import { call, json } from '../helpers/api';
import { asSystem } from '../helpers/db';
import { tokenAs, useTenantFixtures, type FixtureIds, type Page } from '../helpers/fixtures';
import { expectProblem } from '../helpers/problem';
import { countRoundTrips } from '../helpers/round-trips';

interface BrandKit {
  id: string;
  client_id: string;
  name: string;
  description: string | null;
  tone: { voice: string; personality: string[]; do_list: string[]; dont_list: string[]; example_phrases?: string[] };
  colors: Record<string, string>;
  logo_refs: unknown[];
  fonts: Record<string, string> | null;
  reply_signature: string | null;
  prohibited_claims: string[];
  is_default: boolean;
  is_active: boolean;
  created_at: string;
  updated_at: string;
}

const { create: fixture } = useTenantFixtures('bk');

const tone = { voice: 'professional', personality: ['precise', 'calm'], do_list: ['cite sources'], dont_list: ['overpromise'] };
const minimalKit = (name: string) => ({ name, tone, colors: { primary: '#0A0B0C' } });
const fullKit = {
  name: '  Vita  ',
  description: 'Wellness voice',
  tone: { ...tone, voice: 'friendly', example_phrases: ['Happy to help!'] },
  colors: { primary: '#112233', secondary: '#445566', accent: '#778899', background: '#ffffff', text: '#000000' },
  logo_refs: [{ type: 'primary', url: 'https://cdn.example.test/logo.svg', format: 'svg', dimensions: { width: 120, height: 40 } }],
  fonts: { heading: 'Inter', body: 'Source Serif' },
  reply_signature: '—Antone (Vita)',
  prohibited_claims: ['cure', 'clinically proven'],
  is_active: true,
};

async function createKit(ids: FixtureIds, body: Record<string, unknown>, as: Role = 'editor'): Promise<BrandKit> {
  const response = await call('POST', '/v1/brand-kits', { token: await tokenAs(ids, as), body });
  expect(response.status).toBe(201);
  return json<BrandKit>(response);
}

async function defaults(ids: FixtureIds): Promise<string[]> {
  const [rows] = await asSystem(sql`select id from brand_kits where client_id = ${ids.clients} and is_default order by id`);
  return rows!.map((r) => r.id as string);
}

describe('brand kits: create', () => {
  it('an editor creates a kit (201, snake_case fields, stored as sent) in one round trip', async () => {
    const ids = await fixture('create');
    const { result: response, roundTrips } = await countRoundTrips(async () =>
      call('POST', '/v1/brand-kits', { token: await tokenAs(ids, 'editor'), body: fullKit }),
    );
    expect(response.status).toBe(201);
    expect(roundTrips).toBe(1);
    const kit = await json<BrandKit>(response);
    expect(kit).toEqual({
      id: expect.any(String),
      client_id: ids.clients,
      name: 'Vita',
      description: 'Wellness voice',
      tone: fullKit.tone,
      colors: fullKit.colors,
      logo_refs: fullKit.logo_refs,
      fonts: fullKit.fonts,
      reply_signature: '—Antone (Vita)',
      prohibited_claims: ['cure', 'clinically proven'],
      is_default: false,
      is_active: true,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(Object.keys(kit).every((k) => k === k.toLowerCase())).toBe(true);

    const [rows] = await asSystem(
      sql`select client_id, name, tone, colors, logo_refs, fonts, reply_signature, prohibited_claims, is_default from brand_kits where id = ${kit.id}`,
    );
    expect(rows).toEqual([
      {
        client_id: ids.clients,
        name: 'Vita',
        tone: fullKit.tone,
        colors: fullKit.colors,
        logo_refs: fullKit.logo_refs,
        fonts: fullKit.fonts,
        reply_signature: '—Antone (Vita)',
        prohibited_claims: ['cure', 'clinically proven'],
        is_default: false,
      },
    ]);
    // Creating a non-default kit leaves the fixture's default alone.
    expect(await defaults(ids)).toEqual([ids.brand_kits]);

    const minimal = await createKit(ids, minimalKit('Minimal'));
    expect(minimal).toMatchObject({ description: null, logo_refs: [], fonts: null, reply_signature: null, prohibited_claims: [], is_default: false, is_active: true });
  });

  it('create with is_default true moves the default (exactly one afterwards)', async () => {
    const ids = await fixture('create-default');
    const { result, roundTrips } = await countRoundTrips(async () =>
      call('POST', '/v1/brand-kits', { token: await tokenAs(ids, 'editor'), body: { ...minimalKit('New default'), is_default: true } }),
    );
    expect(result.status).toBe(201);
    expect(roundTrips).toBe(1);
    const kit = await json<BrandKit>(result);
    expect(kit.is_default).toBe(true);
    expect(await defaults(ids)).toEqual([kit.id]);

    const third = await createKit(ids, { ...minimalKit('Third'), is_default: true });
    expect(await defaults(ids)).toEqual([third.id]);
    const notDefault = await createKit(ids, { ...minimalKit('Fourth'), is_default: false });
    expect(notDefault.is_default).toBe(false);
    expect(await defaults(ids)).toEqual([third.id]);
  });

  it('a default creation that fails in the database changes nothing (the unset and the insert are one transaction)', async () => {
    const ids = await fixture('create-default-fail');
    // Passes validation but the insert fails in Postgres (a NUL character, see the test below),
    // after the statement that unsets the current default has already run in the same batch.
    const response = await call('POST', '/v1/brand-kits', {
      token: await tokenAs(ids, 'editor'),
      body: { ...minimalKit('Broken\u0000name'), is_default: true },
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await defaults(ids)).toEqual([ids.brand_kits]);
    const [count] = await asSystem(sql`select count(*)::int as n from brand_kits where client_id = ${ids.clients}`);
    expect(count![0]!.n).toBe(1);
  });

  // Postgres refuses NUL in text (22021) and \u0000 in jsonb (22P05); both are the client's bad
  // input (422), for every string field of the API.
  it('a NUL character in a string field is a client error (4xx), not a 500', async () => {
    const ids = await fixture('nul');
    const editor = await tokenAs(ids, 'editor');
    const bodies = [
      minimalKit('a\u0000b'),
      { ...minimalKit('ok'), tone: { ...tone, personality: ['a\u0000b'] } },
      { ...minimalKit('ok'), prohibited_claims: ['a\u0000b'] },
    ];
    for (const body of bodies) {
      const response = await call('POST', '/v1/brand-kits', { token: editor, body });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
    }
  });

  it('a viewer or service token cannot create (403); a viewer can read', async () => {
    const ids = await fixture('viewer');
    for (const role of ['viewer', 'service'] as const) {
      const { result, roundTrips } = await countRoundTrips(async () =>
        call('POST', '/v1/brand-kits', { token: await tokenAs(ids, role), body: minimalKit('Nope') }),
      );
      await expectProblem(result, 403, 'FORBIDDEN');
      expect(roundTrips).toBe(0);
    }
    const viewer = await tokenAs(ids, 'viewer');
    expect((await call('GET', '/v1/brand-kits', { token: viewer })).status).toBe(200);
    expect((await call('GET', `/v1/brand-kits/${ids.brand_kits}`, { token: viewer })).status).toBe(200);
    await expectProblem(await call('PATCH', `/v1/brand-kits/${ids.brand_kits}`, { token: viewer, body: { name: 'x' } }), 403, 'FORBIDDEN');
    await expectProblem(await call('DELETE', `/v1/brand-kits/${ids.brand_kits}`, { token: viewer }), 403, 'FORBIDDEN');
    await expectProblem(await call('POST', `/v1/brand-kits/${ids.brand_kits}/default`, { token: viewer }), 403, 'FORBIDDEN');
    await expectProblem(await call('GET', '/v1/brand-kits', { token: await tokenAs(ids, 'service') }), 403, 'FORBIDDEN');
    const [count] = await asSystem(sql`select count(*)::int as n from brand_kits where client_id = ${ids.clients}`);
    expect(count![0]!.n).toBe(1);
  });
});

describe('brand kits: validation', () => {
  it('refuses invalid bodies with 422 and a field path, without a round trip', async () => {
    const ids = await fixture('validation');
    const editor = await tokenAs(ids, 'editor');
    const cases: { body: Record<string, unknown>; path: RegExp }[] = [
      { body: { ...minimalKit('c'), colors: { primary: '#12' } }, path: /^body\.colors\.primary$/ },
      { body: { ...minimalKit('c'), colors: { primary: '#112233', accent: 'red' } }, path: /^body\.colors\.accent$/ },
      { body: { ...minimalKit('c'), colors: { primary: '#112233', glow: '#112233' } }, path: /^body\.colors/ },
      { body: { ...minimalKit('c'), tone: { ...tone, voice: 'sarcastic' } }, path: /^body\.tone\.voice$/ },
      { body: { ...minimalKit('c'), tone: { ...tone, mood: 'sunny' } }, path: /^body\.tone/ },
      { body: { ...minimalKit('c'), tone: { voice: 'casual' } }, path: /^body\.tone\./ },
      { body: { ...minimalKit('c'), prohibited_claims: Array.from({ length: 101 }, (_, i) => `claim ${i}`) }, path: /^body\.prohibited_claims/ },
      { body: { ...minimalKit('c'), prohibited_claims: ['   '] }, path: /^body\.prohibited_claims\.0$/ },
      { body: { ...minimalKit('c'), logo_refs: [{ type: 'primary', url: 'not a url', format: 'svg' }] }, path: /^body\.logo_refs\.0\.url$/ },
      { body: { ...minimalKit('c'), fonts: { heading: 'Inter', weight: 700 } }, path: /^body\.fonts/ },
      { body: { ...minimalKit('c'), is_default: 'yes' }, path: /^body\.is_default$/ },
      { body: { ...minimalKit('c'), client_id: crypto.randomUUID() }, path: /^body/ },
      { body: { tone, colors: { primary: '#112233' } }, path: /^body\.name$/ },
      { body: { name: 'no tone', colors: { primary: '#112233' } }, path: /^body\.tone$/ },
    ];
    for (const { body, path } of cases) {
      const { result, roundTrips } = await countRoundTrips(() => call('POST', '/v1/brand-kits', { token: editor, body }));
      const problem = await expectProblem(result, 422, 'VALIDATION_FAILED');
      const errors = problem.errors as { path: string; message: string }[];
      expect(errors.length, JSON.stringify(body)).toBeGreaterThan(0);
      expect(errors.some((e) => path.test(e.path)), `${JSON.stringify(errors)} should match ${path}`).toBe(true);
      expect(roundTrips).toBe(0);
    }
    const colors = await expectProblem(
      await call('POST', '/v1/brand-kits', { token: editor, body: { ...minimalKit('c'), colors: { primary: '#12' } } }),
      422,
    );
    expect((colors.errors as { path: string }[]).map((e) => e.path).join(' ')).toContain('colors');

    // The limits themselves are accepted.
    const hundred = await createKit(ids, { ...minimalKit('100 claims'), prohibited_claims: Array.from({ length: 100 }, (_, i) => `claim ${i}`) });
    expect(hundred.prohibited_claims).toHaveLength(100);

    // Malformed JSON is a client error too.
    const raw = await call('POST', '/v1/brand-kits', { token: editor, rawBody: '{"name": ' });
    expect(raw.status).toBeGreaterThanOrEqual(400);
    expect(raw.status).toBeLessThan(500);

    const [count] = await asSystem(sql`select count(*)::int as n from brand_kits where client_id = ${ids.clients}`);
    expect(count![0]!.n).toBe(2);
  });

  it('PATCH validates the same way and refuses is_default (use POST /{id}/default)', async () => {
    const ids = await fixture('patch-validation');
    const editor = await tokenAs(ids, 'editor');
    const path = `/v1/brand-kits/${ids.brand_kits}`;
    const bad = await expectProblem(await call('PATCH', path, { token: editor, body: { colors: { primary: '#12' } } }), 422, 'VALIDATION_FAILED');
    expect((bad.errors as { path: string }[]).some((e) => e.path.includes('colors'))).toBe(true);
    await expectProblem(await call('PATCH', path, { token: editor, body: { tone: { ...tone, voice: 'loud' } } }), 422, 'VALIDATION_FAILED');
    await expectProblem(await call('PATCH', path, { token: editor, body: { tone: { ...tone, extra: true } } }), 422, 'VALIDATION_FAILED');
    await expectProblem(await call('PATCH', path, { token: editor, body: { is_default: false } }), 422, 'VALIDATION_FAILED');
    await expectProblem(await call('PATCH', path, { token: editor, body: { name: null } }), 422, 'VALIDATION_FAILED');
    const [rows] = await asSystem(sql`select name, is_default, colors from brand_kits where id = ${ids.brand_kits}`);
    expect(rows).toEqual([{ name: 'Default', is_default: true, colors: { primary: '#112233' } }]);
  });
});

describe('brand kits: default', () => {
  it('POST /{id}/default switches atomically in one round trip: exactly one default, the previous one unset', async () => {
    const ids = await fixture('switch');
    const next = await createKit(ids, minimalKit('Next'));
    const editor = await tokenAs(ids, 'editor');
    const { result, roundTrips } = await countRoundTrips(() => call('POST', `/v1/brand-kits/${next.id}/default`, { token: editor }));
    expect(result.status).toBe(200);
    expect(roundTrips).toBe(1);
    expect(await json(result)).toMatchObject({ id: next.id, is_default: true, name: 'Next' });
    expect(await defaults(ids)).toEqual([next.id]);
    const previous = await json<BrandKit>(await call('GET', `/v1/brand-kits/${ids.brand_kits}`, { token: editor }));
    expect(previous.is_default).toBe(false);

    // Making the current default the default again is a no-op that succeeds.
    const again = await call('POST', `/v1/brand-kits/${next.id}/default`, { token: editor });
    expect(again.status).toBe(200);
    expect(await defaults(ids)).toEqual([next.id]);

    // And back.
    expect((await call('POST', `/v1/brand-kits/${ids.brand_kits}/default`, { token: editor })).status).toBe(200);
    expect(await defaults(ids)).toEqual([ids.brand_kits]);
  });

  it('POST /{other tenant’s id}/default is 404 and nothing is half-done on either side', async () => {
    const a = await fixture('default-a');
    const b = await fixture('default-b');
    const bOther = await createKit(b, minimalKit('B other'));
    const editor = await tokenAs(a, 'editor');

    const { result, roundTrips } = await countRoundTrips(() => call('POST', `/v1/brand-kits/${bOther.id}/default`, { token: editor }));
    await expectProblem(result, 404, 'BRAND_KIT_NOT_FOUND');
    expect(roundTrips).toBe(1);
    expect(await defaults(a)).toEqual([a.brand_kits]);
    expect(await defaults(b)).toEqual([b.brand_kits]);

    await expectProblem(await call('POST', `/v1/brand-kits/${b.brand_kits}/default`, { token: editor }), 404, 'BRAND_KIT_NOT_FOUND');
    await expectProblem(await call('POST', `/v1/brand-kits/${crypto.randomUUID()}/default`, { token: editor }), 404, 'BRAND_KIT_NOT_FOUND');
    await expectProblem(await call('POST', '/v1/brand-kits/not-a-uuid/default', { token: editor }), 400, 'INVALID_REQUEST');
    expect(await defaults(a)).toEqual([a.brand_kits]);
    expect(await defaults(b)).toEqual([b.brand_kits]);
    const current = await json<BrandKit>(await call('GET', `/v1/brand-kits/${a.brand_kits}`, { token: editor }));
    expect(current.is_default).toBe(true);
  });
  it('GET /default is the client’s default kit, in one round trip; none for another tenant’s, 404 when the client has none', async () => {
    const a = await fixture('get-default-a');
    const b = await fixture('get-default-b');
    const viewer = await tokenAs(a, 'viewer');
    const { result, roundTrips } = await countRoundTrips(() => call('GET', '/v1/brand-kits/default', { token: viewer }));
    expect(result.status).toBe(200);
    expect(roundTrips).toBe(1);
    expect(await json(result)).toMatchObject({ id: a.brand_kits, client_id: a.clients, is_default: true });

    const next = await createKit(b, minimalKit('B next'));
    expect((await call('POST', `/v1/brand-kits/${next.id}/default`, { token: await tokenAs(b, 'editor') })).status).toBe(200);
    expect(await json(await call('GET', '/v1/brand-kits/default', { token: await tokenAs(b, 'viewer') }))).toMatchObject({ id: next.id });
    expect(await json(await call('GET', '/v1/brand-kits/default', { token: viewer }))).toMatchObject({ id: a.brand_kits });

    await asSystem(sql`update brand_kits set is_default = false where client_id = ${a.clients}`);
    await expectProblem(await call('GET', '/v1/brand-kits/default', { token: viewer }), 404, 'NO_DEFAULT_BRAND_KIT');
  });
});

describe('brand kits: read, update, delete', () => {
  it('PATCH updates only the given fields in one round trip; others stay as they were', async () => {
    const ids = await fixture('patch');
    const kit = await createKit(ids, fullKit);
    const editor = await tokenAs(ids, 'editor');
    const newTone = { voice: 'playful', personality: ['cheeky'], do_list: [], dont_list: ['jargon'] };
    const { result, roundTrips } = await countRoundTrips(() =>
      call('PATCH', `/v1/brand-kits/${kit.id}`, { token: editor, body: { name: 'Vita 2', tone: newTone, description: null } }),
    );
    expect(result.status).toBe(200);
    expect(roundTrips).toBe(1);
    const updated = await json<BrandKit>(result);
    const { updated_at: _before, ...unchanged } = kit;
    expect(updated).toEqual({ ...unchanged, name: 'Vita 2', tone: newTone, description: null, updated_at: expect.any(String) });
    expect(Date.parse(updated.updated_at)).toBeGreaterThanOrEqual(Date.parse(kit.updated_at));

    const [rows] = await asSystem(
      sql`select name, description, tone, colors, logo_refs, fonts, reply_signature, prohibited_claims, is_default, is_active from brand_kits where id = ${kit.id}`,
    );
    expect(rows).toEqual([
      {
        name: 'Vita 2',
        description: null,
        tone: newTone,
        colors: fullKit.colors,
        logo_refs: fullKit.logo_refs,
        fonts: fullKit.fonts,
        reply_signature: fullKit.reply_signature,
        prohibited_claims: fullKit.prohibited_claims,
        is_default: false,
        is_active: true,
      },
    ]);

    // Nested objects are replaced as a whole, not merged.
    const colors = await json<BrandKit>(
      await call('PATCH', `/v1/brand-kits/${kit.id}`, { token: editor, body: { colors: { primary: '#FEDCBA' }, is_active: false } }),
    );
    expect(colors.colors).toEqual({ primary: '#FEDCBA' });
    expect(colors).toMatchObject({ is_active: false, name: 'Vita 2', prohibited_claims: fullKit.prohibited_claims });

    // A PATCH of another tenant's kit or an unknown id is 404 and changes nothing.
    const other = await fixture('patch-other');
    await expectProblem(await call('PATCH', `/v1/brand-kits/${other.brand_kits}`, { token: editor, body: { name: 'Hijack' } }), 404, 'BRAND_KIT_NOT_FOUND');
    await expectProblem(await call('PATCH', `/v1/brand-kits/${crypto.randomUUID()}`, { token: editor, body: {} }), 404, 'BRAND_KIT_NOT_FOUND');
    const [theirs] = await asSystem(sql`select name from brand_kits where id = ${other.brand_kits}`);
    expect(theirs).toEqual([{ name: 'Default' }]);
  });

  it('PATCH {} returns the kit unchanged in one round trip', async () => {
    const ids = await fixture('patch-empty');
    const editor = await tokenAs(ids, 'editor');
    const before = await json<BrandKit>(await call('GET', `/v1/brand-kits/${ids.brand_kits}`, { token: editor }));
    const { result, roundTrips } = await countRoundTrips(() => call('PATCH', `/v1/brand-kits/${ids.brand_kits}`, { token: editor, body: {} }));
    expect(result.status).toBe(200);
    expect(roundTrips).toBe(1);
    const after = await json<BrandKit>(result);
    const { updated_at: _a, ...beforeRest } = before;
    const { updated_at: _b, ...afterRest } = after;
    expect(afterRest).toEqual(beforeRest);
    // Nothing was audited as changed.
    const [audit] = await asSystem(
      sql`select count(*)::int as n from audit_logs where entity_type = 'brand_kits' and entity_id = ${ids.brand_kits} and action = 'update'`,
    );
    expect(audit![0]!.n).toBe(0);
  });

  // An empty PATCH only reads the kit back: no update, so the timestamp trigger does not fire.
  it('PATCH {} leaves updated_at as it was', async () => {
    const ids = await fixture('patch-empty-ts');
    const editor = await tokenAs(ids, 'editor');
    const before = await json<BrandKit>(await call('GET', `/v1/brand-kits/${ids.brand_kits}`, { token: editor }));
    const after = await json<BrandKit>(await call('PATCH', `/v1/brand-kits/${ids.brand_kits}`, { token: editor, body: {} }));
    expect(after).toEqual(before);
  });

  it('GET returns the kit (one round trip); a random uuid or another tenant’s kit is 404; a bad id is 400', async () => {
    const ids = await fixture('get');
    const other = await fixture('get-other');
    const viewer = await tokenAs(ids, 'viewer');
    const { result, roundTrips } = await countRoundTrips(() => call('GET', `/v1/brand-kits/${ids.brand_kits}`, { token: viewer }));
    expect(result.status).toBe(200);
    expect(roundTrips).toBe(1);
    expect(await json(result)).toMatchObject({
      id: ids.brand_kits,
      client_id: ids.clients,
      name: 'Default',
      is_default: true,
      colors: { primary: '#112233' },
      prohibited_claims: ['cure'],
    });
    await expectProblem(await call('GET', `/v1/brand-kits/${crypto.randomUUID()}`, { token: viewer }), 404, 'BRAND_KIT_NOT_FOUND');
    await expectProblem(await call('GET', `/v1/brand-kits/${other.brand_kits}`, { token: viewer }), 404, 'BRAND_KIT_NOT_FOUND');
    await expectProblem(await call('GET', '/v1/brand-kits/123', { token: viewer }), 400, 'INVALID_REQUEST');
  });

  it('DELETE is 204 in one round trip, then GET and a second DELETE are 404', async () => {
    const ids = await fixture('delete');
    const kit = await createKit(ids, minimalKit('Doomed'));
    const editor = await tokenAs(ids, 'editor');
    const { result, roundTrips } = await countRoundTrips(() => call('DELETE', `/v1/brand-kits/${kit.id}`, { token: editor }));
    expect(result.status).toBe(204);
    expect(await result.text()).toBe('');
    expect(roundTrips).toBe(1);
    const [rows] = await asSystem(sql`select id from brand_kits where id = ${kit.id}`);
    expect(rows).toEqual([]);
    await expectProblem(await call('GET', `/v1/brand-kits/${kit.id}`, { token: editor }), 404, 'BRAND_KIT_NOT_FOUND');
    await expectProblem(await call('DELETE', `/v1/brand-kits/${kit.id}`, { token: editor }), 404, 'BRAND_KIT_NOT_FOUND');

    // Another tenant's kit cannot be deleted.
    const other = await fixture('delete-other');
    await expectProblem(await call('DELETE', `/v1/brand-kits/${other.brand_kits}`, { token: editor }), 404, 'BRAND_KIT_NOT_FOUND');
    const [theirs] = await asSystem(sql`select id from brand_kits where id = ${other.brand_kits}`);
    expect(theirs).toHaveLength(1);
  });
});

describe('brand kits: list', () => {
  it('pages with limit=1: next_cursor, every kit exactly once, newest first, one round trip per page', async () => {
    const ids = await fixture('list');
    const other = await fixture('list-other');
    const created = [await createKit(ids, minimalKit('One')), await createKit(ids, minimalKit('Two')), await createKit(ids, minimalKit('Three'))];
    const viewer = await tokenAs(ids, 'viewer');

    const all = await json<Page<BrandKit>>(await call('GET', '/v1/brand-kits', { token: viewer }));
    const expected = [...created.map((k) => k.id).reverse(), ids.brand_kits];
    expect(all.data.map((k) => k.id)).toEqual(expected);
    expect(all.next_cursor).toBeNull();
    expect(all.data.map((k) => k.id)).not.toContain(other.brand_kits);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=1&cursor=${encodeURIComponent(cursor)}` : '?limit=1';
      const { result, roundTrips } = await countRoundTrips(() => call('GET', `/v1/brand-kits${query}`, { token: viewer }));
      expect(result.status).toBe(200);
      expect(roundTrips).toBe(1);
      const page = await json<Page<BrandKit>>(result);
      expect(page.data).toHaveLength(1);
      seen.push(page.data[0]!.id);
      cursor = page.next_cursor;
      pages += 1;
      if (pages < expected.length) expect(cursor).toEqual(expect.any(String));
    } while (cursor && pages < 10);
    expect(seen).toEqual(expected);
    expect(new Set(seen).size).toBe(seen.length);
    expect(cursor).toBeNull();

    await expectProblem(await call('GET', '/v1/brand-kits?cursor=bogus', { token: viewer }), 400, 'INVALID_CURSOR');
    await expectProblem(await call('GET', '/v1/brand-kits?limit=abc', { token: viewer }), 400, 'INVALID_REQUEST');
  });

  // Regression (see members.test.ts): kits created in one transaction share one created_at, and
  // the cursor must not skip the ones after the first page.
  it('pages with limit=1 through kits created in one transaction (same created_at)', async () => {
    const ids = await fixture('list-same-ts');
    const kitIds = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    await asSystem(
      ...kitIds.map(
        (id) =>
          sql`insert into brand_kits (id, client_id, name, tone, colors) values (${id}, ${ids.clients}, 'Bulk', ${JSON.stringify(tone)}::jsonb, '{"primary":"#000000"}'::jsonb)`,
      ),
    );
    const viewer = await tokenAs(ids, 'viewer');
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=1&cursor=${cursor}` : '?limit=1';
      const page = await json<Page<BrandKit>>(await call('GET', `/v1/brand-kits${query}`, { token: viewer }));
      seen.push(...page.data.map((k) => k.id));
      cursor = page.next_cursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen).toHaveLength(4);
    expect(new Set(seen)).toEqual(new Set([ids.brand_kits, ...kitIds]));
    const all = await json<Page<BrandKit>>(await call('GET', '/v1/brand-kits', { token: viewer }));
    expect(seen).toEqual(all.data.map((k) => k.id));
  });
});

describe('brand kits: URLs', () => {
  it('a logo URL must be http(s): javascript:, data:, file: and the like are 422 on create and update', async () => {
    const ids = await fixture('urls');
    const editor = await tokenAs(ids, 'editor');
    const logo = (url: string) => ({ logo_refs: [{ type: 'primary', url, format: 'svg' }] });
    for (const url of ['javascript:alert(1)', 'JAVASCRIPT:alert(document.cookie)', 'data:image/svg+xml;base64,PHN2Zz4=', 'file:///etc/passwd', 'ftp://cdn.example.test/logo.svg', 'vbscript:msgbox', 'http://']) {
      for (const [method, path, body] of [
        ['POST', '/v1/brand-kits', { ...minimalKit('js'), ...logo(url) }],
        ['PATCH', `/v1/brand-kits/${ids.brand_kits}`, logo(url)],
      ] as const) {
        const problem = await expectProblem(await call(method, path, { token: editor, body }), 422, 'VALIDATION_FAILED');
        expect(problem.errors, `${method} ${url}`).toEqual([expect.objectContaining({ path: 'body.logo_refs.0.url' })]);
      }
    }
    const kit = await createKit(ids, { ...minimalKit('http'), ...logo('http://cdn.example.test/logo.svg') });
    expect(kit.logo_refs).toEqual([{ type: 'primary', url: 'http://cdn.example.test/logo.svg', format: 'svg' }]);
    const [rows] = await asSystem(sql`select logo_refs from brand_kits where id = ${ids.brand_kits}`);
    expect(rows![0]!.logo_refs).toEqual([]);
  });
});
