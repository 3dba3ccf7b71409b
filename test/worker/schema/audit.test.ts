import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a Vite raw import: 0002's audit function is read from the migration itself
import migration0002 from '../../../drizzle/0002_tenancy_security.sql?raw';
import type { TenantContext } from '../../../src/db/context';
import { EMBEDDING_DIMENSIONS } from '../../../src/db/schema';
import { distinctAuthors, upsertAuthorsCte, type AuthorInput } from '../../../src/engagement/authors.queries';
import { ingestPosts } from '../../../src/engagement/posts.queries';
import { asSystem, asTenant, testDb } from '../../helpers/db';
import { createTenantFixture, deleteTenantFixture, type FixtureIds } from '../../helpers/tenant-fixture';
import { hex64, tag, uuid, violation } from './support';

// The audit trail written by app_private.audit_capture (statement-level triggers, same transaction
// as the change) and the updated_at trigger. Writes go through the tenant role with app.user_id
// set, as a request does; every test works on rows it creates itself.

const INSUFFICIENT_PRIVILEGE = '42501';

interface AuditRow {
  client_id: string;
  entity_type: string;
  entity_id: string;
  action: string;
  actor_id: string | null;
  changed_columns: string[];
  details: Record<string, unknown>;
}

let a: FixtureIds;
let b: FixtureIds;
const ctx = (ids: FixtureIds): TenantContext => ({ clientId: ids.clients, userId: ids.users, role: 'owner' });
const embedding = (seed: number) => `[${Array.from({ length: EMBEDDING_DIMENSIONS }, (_, i) => (Math.sin(seed + i) / 10).toFixed(4)).join(',')}]`;

beforeAll(async () => {
  a = await createTenantFixture(`audit-a-${tag()}`);
  b = await createTenantFixture(`audit-b-${tag()}`);
});
afterAll(async () => {
  await deleteTenantFixture(a);
  await deleteTenantFixture(b);
});

/** Audit rows of some entities, read on the system path. */
async function auditOf(...entityIds: string[]): Promise<AuditRow[]> {
  const [rows] = await asSystem(sql`
    select client_id, entity_type, entity_id, action::text as action, actor_id, changed_columns, details
    from audit_logs where entity_id in ${entityIds.length > 0 ? sql`(${sql.join(entityIds.map((e) => sql`${e}`), sql`, `)})` : sql`(null)`}
    order by created_at, action`);
  return rows as unknown as AuditRow[];
}

const byAction = (rows: AuditRow[], action: string) => rows.filter((r) => r.action === action);

const insertCompetitor = (clientId: string, competitorId: string, name: string) =>
  sql`insert into competitors (id, client_id, name, category, brand_keywords) values (${competitorId}, ${clientId}, ${name}, 'direct', '{alpha}')`;

describe('audit rows for tenant writes', () => {
  it('an INSERT writes one insert row with the entity, the actor and the new values', async () => {
    const id = uuid();
    const name = `Audited ${tag()}`;
    await asTenant(ctx(a), insertCompetitor(a.clients, id, name));

    const rows = await auditOf(id);
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row).toMatchObject({ client_id: a.clients, entity_type: 'competitors', entity_id: id, action: 'insert', actor_id: a.users });
    expect(row!.details).toMatchObject({ id, client_id: a.clients, name, category: 'direct', brand_keywords: ['alpha'] });
    expect(row!.details).not.toHaveProperty('created_at');
    expect(row!.details).not.toHaveProperty('updated_at');
    expect(row!.changed_columns).toEqual(expect.arrayContaining(['brand_keywords', 'category', 'client_id', 'id', 'name']));
    expect(row!.changed_columns).not.toContain('updated_at');
  });

  it('an UPDATE writes one update row listing exactly the changed columns, with old and new values', async () => {
    const id = uuid();
    const name = `Before ${tag()}`;
    await asTenant(ctx(a), insertCompetitor(a.clients, id, name));
    await asTenant(ctx(a), sql`update competitors set name = ${`${name} (renamed)`}, category = 'indirect', primary_mechanism = null where id = ${id}`);

    const updates = byAction(await auditOf(id), 'update');
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ client_id: a.clients, entity_type: 'competitors', entity_id: id, actor_id: a.users });
    // primary_mechanism was NULL and stays NULL: not a change. updated_at moved but is not listed.
    expect(updates[0]!.changed_columns).toEqual(['category', 'name']);
    expect(updates[0]!.details).toEqual({
      category: { old: 'direct', new: 'indirect' },
      name: { old: name, new: `${name} (renamed)` },
    });
  });

  it('a DELETE writes one delete row with the old values', async () => {
    const id = uuid();
    const name = `Doomed ${tag()}`;
    await asTenant(ctx(a), insertCompetitor(a.clients, id, name));
    const [deleted] = await asTenant(ctx(a), sql`delete from competitors where id = ${id} returning id`);
    expect(deleted).toHaveLength(1);

    const deletes = byAction(await auditOf(id), 'delete');
    expect(deletes).toHaveLength(1);
    expect(deletes[0]).toMatchObject({ client_id: a.clients, entity_type: 'competitors', entity_id: id, actor_id: a.users, changed_columns: [] });
    expect(deletes[0]!.details).toMatchObject({ id, name, category: 'direct' });
    expect(deletes[0]!.details).not.toHaveProperty('updated_at');
  });

  it('a bulk INSERT of 50 rows in one statement writes 50 insert rows (and bulk UPDATE/DELETE 50 each)', async () => {
    const prefix = `bulk-${tag()}`;
    const [inserted] = await asTenant(
      ctx(a),
      sql`insert into competitors (client_id, name, category)
          select ${a.clients}, ${prefix} || '-' || g, 'substitute' from generate_series(1, 50) as g
          returning id`,
    );
    const ids = inserted!.map((r) => r.id as string);
    expect(ids).toHaveLength(50);
    expect(byAction(await auditOf(...ids), 'insert').map((r) => r.entity_id).sort()).toEqual([...ids].sort());

    await asTenant(ctx(a), sql`update competitors set category = 'indirect' where name like ${`${prefix}-%`}`);
    await asTenant(ctx(a), sql`delete from competitors where name like ${`${prefix}-%`}`);
    const rows = await auditOf(...ids);
    expect({ update: byAction(rows, 'update').length, delete: byAction(rows, 'delete').length }).toEqual({ update: 50, delete: 50 });
    expect(new Set(byAction(rows, 'update').map((r) => r.entity_id)).size).toBe(50);
  });

  it('an UPDATE that changes nothing but updated_at writes no audit row', async () => {
    const id = uuid();
    await asTenant(ctx(a), insertCompetitor(a.clients, id, `Idle ${tag()}`));
    const [touched, same] = await asTenant(
      ctx(a),
      sql`update competitors set updated_at = now() where id = ${id} returning id`,
      sql`update competitors set name = name, category = category where id = ${id} returning id`,
    );
    expect([touched!.length, same!.length]).toEqual([1, 1]);
    expect(byAction(await auditOf(id), 'update')).toEqual([]);
  });

  it('system work (no app.user_id) is audited with a NULL actor', async () => {
    const id = uuid();
    await asSystem(insertCompetitor(a.clients, id, `System ${tag()}`));
    expect(await auditOf(id)).toMatchObject([{ action: 'insert', actor_id: null, client_id: a.clients }]);
  });
});

describe('updated_at is maintained by the database', () => {
  it('moves when another column changes, and overrides a caller-supplied value', async () => {
    const id = uuid();
    await asTenant(ctx(a), insertCompetitor(a.clients, id, `Clock ${tag()}`));
    const [moved] = await asTenant(
      ctx(a),
      sql`update competitors set primary_mechanism = 'magnesium' where id = ${id}
          returning updated_at > created_at as moved, updated_at = date_trunc('milliseconds', now()) as is_now`,
    );
    expect(moved).toEqual([{ moved: true, is_now: true }]);

    const [forged] = await asTenant(
      ctx(a),
      sql`update competitors set updated_at = '2000-01-01T00:00:00Z', price_point = 'budget' where id = ${id}
          returning updated_at = '2000-01-01T00:00:00Z'::timestamptz as kept_callers, updated_at = date_trunc('milliseconds', now()) as is_now`,
    );
    expect(forged).toEqual([{ kept_callers: false, is_now: true }]);
  });

  // Timestamps belong to the database (0004): created_at/updated_at are now() on INSERT,
  // created_at is kept and updated_at moved on UPDATE, whatever the caller sends.
  it('callers cannot backdate the timestamps (created_at/updated_at on INSERT, created_at on UPDATE)', async () => {
    const id = uuid();
    const [inserted] = await asTenant(
      ctx(a),
      sql`insert into competitors (id, client_id, name, category, created_at, updated_at)
          values (${id}, ${a.clients}, ${`Backdated ${tag()}`}, 'direct', '2000-01-01T00:00:00Z', '2000-01-01T00:00:00Z')
          returning created_at = date_trunc('milliseconds', now()) as created_now, updated_at = date_trunc('milliseconds', now()) as updated_now`,
    );
    const [updated] = await asTenant(
      ctx(a),
      sql`update competitors set created_at = '2000-01-01T00:00:00Z' where id = ${id}
          returning created_at <> '2000-01-01T00:00:00Z'::timestamptz as created_kept`,
    );
    expect({ ...inserted![0], ...updated![0] }).toEqual({ created_now: true, updated_now: true, created_kept: true });
  });
});

describe('hidden columns', () => {
  it('api_keys: key_hash never appears in details (insert, update, delete), only in changed_columns', async () => {
    const id = uuid();
    const first = hex64();
    const second = hex64();
    const third = hex64();
    await asTenant(
      ctx(a),
      sql`insert into api_keys (id, client_id, name, prefix, key_hash, role) values (${id}, ${a.clients}, 'audited key', 'eda_aud', ${first}, 'viewer')`,
    );
    await asTenant(ctx(a), sql`update api_keys set key_hash = ${second}, name = 'renamed key' where id = ${id}`);
    await asTenant(ctx(a), sql`update api_keys set key_hash = ${third} where id = ${id}`);
    await asTenant(ctx(a), sql`delete from api_keys where id = ${id}`);

    const rows = await auditOf(id);
    expect(rows.map((r) => r.action).sort()).toEqual(['delete', 'insert', 'update', 'update']);
    for (const row of rows) {
      expect(row.details).not.toHaveProperty('key_hash');
      const text = JSON.stringify(row.details);
      for (const hash of [first, second, third]) expect(text).not.toContain(hash);
    }
    const updates = byAction(rows, 'update');
    const rename = updates.find((r) => r.changed_columns.includes('name'))!;
    expect(rename.changed_columns).toEqual(['key_hash', 'name']);
    expect(rename.details).toEqual({ name: { old: 'audited key', new: 'renamed key' } });
    // A rotation that changes only the hash is still recorded, with nothing to show.
    const rotation = updates.find((r) => !r.changed_columns.includes('name'))!;
    expect({ changed: rotation.changed_columns, details: rotation.details }).toEqual({ changed: ['key_hash'], details: {} });
  });

  it('knowledge_chunks: embedding, search_vector and content stay out of details but are listed when they change', async () => {
    const id = uuid();
    await asTenant(
      ctx(a),
      sql`insert into knowledge_chunks (id, client_id, knowledge_base_id, content, embedding, chunk_index, token_count)
          values (${id}, ${a.clients}, ${a.knowledge_bases}, 'Secret sauce recipe', ${embedding(1)}, 42, 3)`,
    );
    await asTenant(
      ctx(a),
      sql`update knowledge_chunks set content = 'Another secret text', embedding = ${embedding(2)}, token_count = 4 where id = ${id}`,
    );

    const rows = await auditOf(id);
    const [insert] = byAction(rows, 'insert');
    const [update] = byAction(rows, 'update');
    for (const row of [insert!, update!]) {
      for (const hidden of ['embedding', 'search_vector', 'content']) expect(row.details).not.toHaveProperty(hidden);
      expect(JSON.stringify(row.details)).not.toContain('secret');
    }
    expect(insert!.details).toMatchObject({ id, chunk_index: 42, token_count: 3 });
    expect(update!.changed_columns).toEqual(['content', 'embedding', 'search_vector', 'token_count']);
    expect(update!.details).toEqual({ token_count: { old: 3, new: 4 } });
  });
});

describe('the tenant role and the audit table', () => {
  it('cannot INSERT, UPDATE, DELETE or TRUNCATE audit_logs (42501)', async () => {
    const attempts = [
      sql`insert into audit_logs (client_id, entity_type, entity_id, action) values (${a.clients}, 'competitors', ${uuid()}, 'insert')`,
      sql`update audit_logs set action = 'delete' where client_id = ${a.clients}`,
      sql`delete from audit_logs where client_id = ${a.clients}`,
      sql`truncate audit_logs`,
    ];
    const states = [];
    for (const attempt of attempts) states.push((await violation(asTenant(ctx(a), attempt)))?.code);
    expect(states).toEqual(attempts.map(() => INSUFFICIENT_PRIVILEGE));
  });

  it('reads its own client’s audit rows only', async () => {
    const ownId = uuid();
    const otherId = uuid();
    await asTenant(ctx(a), insertCompetitor(a.clients, ownId, `Mine ${tag()}`));
    await asTenant(ctx(b), insertCompetitor(b.clients, otherId, `Theirs ${tag()}`));

    const [own, other, foreign] = await asTenant(
      ctx(a),
      sql`select count(*)::int as n from audit_logs where entity_id = ${ownId}`,
      sql`select count(*)::int as n from audit_logs where entity_id = ${otherId}`,
      sql`select count(*)::int as n from audit_logs where client_id <> ${a.clients}`,
    );
    expect({ own: own![0]!.n, other: other![0]!.n, foreign: foreign![0]!.n }).toEqual({ own: 1, other: 0, foreign: 0 });
    // B's row does exist.
    expect(await auditOf(otherId)).toHaveLength(1);
  });
});

describe('the audit row shares the change’s transaction', () => {
  it('a batch whose last statement fails leaves neither the change nor its audit row', async () => {
    const id = uuid();
    const failed = await violation(asTenant(ctx(a), insertCompetitor(a.clients, id, `Rolled back ${tag()}`), sql`select 1 / 0`));
    expect(failed?.code).toBe('22012');
    const [rows] = await asSystem(sql`select count(*)::int as n from competitors where id = ${id}`);
    expect(rows![0]!.n).toBe(0);
    expect(await auditOf(id)).toEqual([]);

    // The same batch without the failure keeps both.
    await asTenant(ctx(a), insertCompetitor(a.clients, id, `Kept ${tag()}`), sql`select 1`);
    expect(await auditOf(id)).toHaveLength(1);
  });
});

// 0011 rewrote the audit trigger function of 0002 (and the author upsert changed with it) for speed;
// the audit trail must not change. 0002's function is installed beside the current one, under
// another name, on the same tables: every statement is then audited by both, in the same
// transaction, and 0002's rows (entity_type marked `0002:`) must equal the current ones field by
// field. The known-author upsert is also compared end to end: 0002's function auditing the upsert
// as it was before issue 10 (a frozen copy below) against the current function auditing the
// current upsert, on two identical sets of authors.

const MARK = '0002:';

/** 0002's audit_capture, renamed, its rows marked in entity_type. */
function originalAuditFunction(): string {
  const match = /CREATE OR REPLACE FUNCTION app_private\.audit_capture\(\)[\s\S]*?\n\$\$;/.exec(migration0002 as string);
  if (!match) throw new Error('audit_capture not found in drizzle/0002_tenancy_security.sql');
  const marked = match[0].replaceAll('TG_TABLE_NAME', `'${MARK}' || TG_TABLE_NAME`);
  expect(marked.split(MARK).length - 1).toBe(3); // insert, update and delete
  return marked.replace('app_private.audit_capture()', 'app_private.audit_capture_0002()');
}

/**
 * Owner statements (run after `reset role`) that attach 0002's function beside every audit trigger:
 * same table, events, transition tables and hidden-column arguments.
 */
const installOriginal = (): SQL[] => [
  sql.raw(originalAuditFunction()),
  sql.raw('ALTER FUNCTION app_private.audit_capture_0002() OWNER TO app_audit_writer'),
  sql.raw(`DO $$
    DECLARE t record;
    BEGIN
      FOR t IN SELECT tgname, pg_get_triggerdef(oid) AS def FROM pg_trigger
               WHERE tgfoid = 'app_private.audit_capture()'::regprocedure LOOP
        EXECUTE replace(replace(t.def, 'TRIGGER ' || t.tgname || ' ', 'TRIGGER ' || t.tgname || '_0002 '),
                        'app_private.audit_capture(', 'app_private.audit_capture_0002(');
      END LOOP;
    END $$`),
];
const removeOriginal = sql.raw('DROP FUNCTION app_private.audit_capture_0002() CASCADE');

/** The author upsert before issue 10, frozen: per conflicting row, a scan of the batch for what was sent. */
function originalUpsertAuthorsCte(clientId: string, platform: string, authors: AuthorInput[]): SQL {
  const input = JSON.stringify(distinctAuthors(authors));
  const sent = (column: string) => sql.raw(`(select i.${column} from author_input i where i.platform_id = excluded.platform_id)`);
  return sql`
    author_input as (
      select * from jsonb_to_recordset(${input}::jsonb)
        as i(platform_id text, handle text, display_name text, follower_count int, is_verified boolean)
    ),
    upserted_authors as (
      insert into authors as a (client_id, platform, platform_id, handle, display_name, follower_count, is_verified)
      select ${clientId}::uuid, ${platform}::platform, i.platform_id, i.handle, i.display_name,
             coalesce(i.follower_count, 0), coalesce(i.is_verified, false)
      from author_input i
      on conflict (client_id, platform, platform_id) do update set
        handle = excluded.handle,
        display_name = coalesce(${sent('display_name')}, a.display_name),
        follower_count = coalesce(${sent('follower_count')}, a.follower_count),
        is_verified = coalesce(${sent('is_verified')}, a.is_verified),
        last_seen_at = greatest(a.last_seen_at, now())
      returning a.id, a.platform_id, (a.xmax = 0) as inserted
    )`;
}

type Upsert = typeof upsertAuthorsCte;
const upsert = (cte: Upsert, clientId: string, authors: AuthorInput[]) =>
  sql`with ${cte(clientId, 'twitter', authors)} select id, platform_id, inserted from upserted_authors`;

/** Authors as first seen, under a platform-id prefix (one set per upsert version). */
const known = (prefix: string): AuthorInput[] => [
  { platform_id: `${prefix}1`, handle: 'k_one', display_name: 'K One', follower_count: 10, is_verified: false },
  { platform_id: `${prefix}2`, handle: 'k_two', display_name: 'K Two', follower_count: 20, is_verified: true },
  { platform_id: `${prefix}3`, handle: 'k_three', follower_count: 30 },
  { platform_id: `${prefix}4`, handle: 'k_four', display_name: 'K Four' },
];

/** A crawler's later batch: renames, fields sent or not, unchanged authors, a repeat, new authors. */
const seenAgain = (prefix: string): AuthorInput[] => [
  { platform_id: `${prefix}1`, handle: 'k_one_first_of_two', follower_count: 99 },
  { platform_id: `${prefix}2`, handle: 'k_two', display_name: 'K Two (renamed)', is_verified: false },
  { platform_id: `${prefix}3`, handle: 'k_three', follower_count: 30 },
  { platform_id: `${prefix}4`, handle: 'k_four', display_name: 'K Four', follower_count: 0, is_verified: false },
  { platform_id: `${prefix}5`, handle: 'n_five' },
  { platform_id: `${prefix}6`, handle: 'n_six', display_name: 'N Six', follower_count: 6, is_verified: true },
  { platform_id: `${prefix}1`, handle: 'k_one_renamed', follower_count: 11 },
];

const selectAuditOfThisTransaction = (clientId: string) => sql`
  select client_id, entity_type, entity_id, action::text as action, actor_id, changed_columns, details
  from audit_logs where client_id = ${clientId} and created_at = date_trunc('milliseconds', now())`;

const isOriginal = (row: AuditRow) => row.entity_type.startsWith(MARK);
const unmark = (row: AuditRow): AuditRow => (isOriginal(row) ? { ...row, entity_type: row.entity_type.slice(MARK.length) } : row);
const canonical = (rows: AuditRow[]) =>
  rows.map((r) => JSON.stringify(r, Object.keys(r).sort())).sort().map((r) => JSON.parse(r) as AuditRow);

describe('the rewritten audit trigger (0011) writes what 0002 wrote', () => {
  let rows: AuditRow[];
  let authorIds: Map<string, string>;

  beforeAll(async () => {
    // First sightings, in a transaction of their own: the later upsert moves last_seen_at.
    await asTenant(ctx(a), upsert(upsertAuthorsCte, a.clients, [...known('old-'), ...known('new-')]));

    const competitorA = uuid();
    const competitorB = uuid();
    const keyId = uuid();
    const chunkId = uuid();
    const db = testDb();
    const ingest = ingestPosts(db, a.clients, {
      platform: 'twitter',
      posts: [
        { platform_post_id: `p-${tag()}`, author: { platform_id: `a-${a.authors}`, handle: 'fixture_author', follower_count: 5 }, content: 'A known author', keyword_matches: ['sleep'] },
        { platform_post_id: `p-${tag()}`, author: { platform_id: `ingest-${tag()}`, handle: 'n_seven', follower_count: 7 }, content: 'A new author', keyword_matches: ['sleep'], raw_metrics: { likes: 3 } },
      ],
    }).getSQL();
    const results = await asTenant(
      ctx(a),
      sql.raw('reset role'),
      ...installOriginal(),
      sql.raw('set local role app_tenant'),
      upsert(originalUpsertAuthorsCte, a.clients, seenAgain('old-')),
      upsert(upsertAuthorsCte, a.clients, seenAgain('new-')),
      ingest,
      sql`insert into competitors (id, client_id, name, category, brand_keywords)
          values (${competitorA}, ${a.clients}, ${`A ${tag()}`}, 'direct', '{alpha}'), (${competitorB}, ${a.clients}, ${`B ${tag()}`}, 'indirect', '{}')`,
      sql`update competitors set category = 'substitute', primary_mechanism = 'magnesium', price_point = null where id = ${competitorA}`,
      sql`update competitors set name = name where id = ${competitorB}`,
      sql`delete from competitors where id = ${competitorB}`,
      sql`insert into api_keys (id, client_id, name, prefix, key_hash, role) values (${keyId}, ${a.clients}, 'rewrite key', 'eda_rw', ${hex64()}, 'viewer')`,
      sql`update api_keys set key_hash = ${hex64()}, name = 'rewrite key (rotated)' where id = ${keyId}`,
      sql`delete from api_keys where id = ${keyId}`,
      sql`update clients set description = ${`Audited ${tag()}`} where id = ${a.clients}`,
      sql`insert into knowledge_chunks (id, client_id, knowledge_base_id, content, embedding, chunk_index, token_count)
          values (${chunkId}, ${a.clients}, ${a.knowledge_bases}, 'Hidden text', ${embedding(1)}, 7, 2)`,
      sql`update knowledge_chunks set embedding = ${embedding(2)}, token_count = 3 where id = ${chunkId}`,
      // Cascades inside a live client: the post's decisions, replies, escalations, mentions.
      sql`delete from posts where id = ${a.posts}`,
      sql.raw('reset role'),
      selectAuditOfThisTransaction(a.clients),
      sql`select id, platform_id from authors where client_id = ${a.clients} and platform_id ~ '^(old|new)-'`,
      removeOriginal,
    );
    rows = results.at(-3) as unknown as AuditRow[];
    authorIds = new Map((results.at(-2) as { id: string; platform_id: string }[]).map((r) => [r.id, r.platform_id]));
  });

  it('every statement is audited by both, with the same rows (inserts, updates, deletes, hidden columns, cascades)', () => {
    const original = rows.filter(isOriginal).map(unmark);
    const current = rows.filter((r) => !isOriginal(r));
    expect(canonical(current)).toEqual(canonical(original));

    // The statements above did produce every kind of row.
    const kinds = new Set(current.map((r) => `${r.entity_type}:${r.action}`));
    for (const kind of [
      'authors:insert', 'authors:update', 'posts:insert', 'posts:delete', 'competitors:insert', 'competitors:update',
      'competitors:delete', 'api_keys:insert', 'api_keys:update', 'api_keys:delete', 'clients:update',
      'knowledge_chunks:insert', 'knowledge_chunks:update', 'knowledge_bases:update', 'decisions:delete', 'replies:delete',
    ]) {
      expect(kinds, kind).toContain(kind);
    }
  });

  it('a known-author upsert is audited as before issue 10: the old upsert under 0002’s function equals the new one under 0011’s', () => {
    /** A set's rows with its prefix and ids replaced by what they stand for, so the two sets compare. */
    const normalized = (prefix: string, original: boolean) =>
      canonical(
        rows
          .filter((r) => r.entity_type === (original ? `${MARK}authors` : 'authors'))
          .filter((r) => authorIds.get(r.entity_id)?.startsWith(prefix))
          .map((r) => {
            const label = `author ${authorIds.get(r.entity_id)!.slice(prefix.length)}`;
            const details = { ...r.details };
            if ('id' in details) details.id = label;
            if ('platform_id' in details) details.platform_id = String(details.platform_id).slice(prefix.length);
            return { ...unmark(r), entity_id: label, details };
          }),
      );
    const before = normalized('old-', true);
    const after = normalized('new-', false);
    expect(after).toEqual(before);
    // Four known authors updated (last_seen_at moves for each), two new ones inserted.
    expect(after.map((r) => r.action).sort()).toEqual(['insert', 'insert', 'update', 'update', 'update', 'update']);
    const byAuthor = Object.fromEntries(after.filter((r) => r.action === 'update').map((r) => [r.entity_id, r.changed_columns]));
    expect(byAuthor).toEqual({
      'author 1': ['follower_count', 'handle', 'last_seen_at'],
      'author 2': ['display_name', 'is_verified', 'last_seen_at'],
      'author 3': ['last_seen_at'],
      'author 4': ['last_seen_at'],
    });
  });
});

describe('deleting a client, with both functions attached', () => {
  it('succeeds and leaves no audit row from either (the rows of a client being deleted are not audited)', async () => {
    const doomed = await createTenantFixture(`audit-rewrite-doomed-${tag()}`);
    try {
      const results = await asSystem(
        sql.raw('reset role'),
        ...installOriginal(),
        sql.raw('set local role app_system'),
        sql`delete from clients where id = ${doomed.clients} returning id`,
        sql.raw('reset role'),
        sql`select count(*)::int as n from audit_logs where client_id = ${doomed.clients}`,
        removeOriginal,
      );
      expect(results.at(-4)).toHaveLength(1);
      expect(results.at(-2)).toEqual([{ n: 0 }]);
    } finally {
      await deleteTenantFixture(doomed);
    }
  });
});
