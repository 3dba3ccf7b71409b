import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMBEDDING_DIMENSIONS } from '../../../src/db/schema';
import { asOwner, asSystem, asTenant } from '../../helpers/db';
import { createTenantFixture, deleteTenantFixture, TENANT_TABLES, type FixtureIds, type TenantTableName } from '../../helpers/tenant-fixture';
import { hex64, tag, uuid, violation } from './support';

// Every unique and check constraint of the schema, each with failing and passing cases, written on
// the system path (which bypasses the tenant policies but not the constraints). A failing case
// asserts the SQLSTATE and the name of the constraint that refused it; a passing case asserts it
// changed exactly one row. Failing statements each run in their own transaction (they roll back);
// passing ones leave every row valid, so the cases do not depend on each other's order.

const UNIQUE_VIOLATION = '23505';
const CHECK_VIOLATION = '23514';
const INVALID_ENUM_VALUE = '22P02';
const DATA_EXCEPTION = '22000';

let a: FixtureIds;
let b: FixtureIds;
const createdClients: string[] = [];
const createdUsers: string[] = [];
const createdSkills: string[] = [];

beforeAll(async () => {
  a = await createTenantFixture(`cst-a-${tag()}`);
  b = await createTenantFixture(`cst-b-${tag()}`);
});

afterAll(async () => {
  if (createdClients.length > 0) await asSystem(...createdClients.map((id) => sql`delete from clients where id = ${id}`));
  await deleteTenantFixture(a);
  await deleteTenantFixture(b);
  if (createdUsers.length > 0) await asSystem(...createdUsers.map((id) => sql`delete from users where id = ${id}`));
  if (createdSkills.length > 0) await asSystem(...createdSkills.map((id) => sql`delete from skills where id = ${id}`));
});

interface Trial {
  /** Statements that must succeed first (one transaction). */
  before?: SQL[];
  /** Each must fail with the case's SQLSTATE and constraint. */
  fail: SQL[];
  /** Each must succeed and change exactly one row. */
  pass: SQL[];
}

interface Case {
  constraint: string;
  what: string;
  code: string;
  trial: (a: FixtureIds, b: FixtureIds) => Trial;
}

const id = (name: string) => sql.identifier(name);
const update = (table: TenantTableName, rowId: string, set: SQL) => sql`update ${id(table)} set ${set} where id = ${rowId}`;

// --- row builders (system path: any client) ---------------------------------------------------
const author = (clientId: string, platform: string, platformId: string, authorId = uuid()) =>
  sql`insert into authors (id, client_id, platform, platform_id, handle) values (${authorId}, ${clientId}, ${platform}, ${platformId}, 'cst_handle')`;
const post = (clientId: string, authorId: string, platform: string, platformPostId: string) =>
  sql`insert into posts (client_id, platform, platform_post_id, author_id, content) values (${clientId}, ${platform}, ${platformPostId}, ${authorId}, 'A post')`;
const kpi = (clientId: string, date: string, platform: string | null, name: string) =>
  sql`insert into kpi_metrics (client_id, date, platform, metric_type, metric_name, value) values (${clientId}, ${date}, ${platform}, 'reach', ${name}, 1)`;
const weights = (clientId: string, type: string, key: string) =>
  sql`insert into segmented_weights (client_id, segment_type, segment_key, sss_weight, ars_weight, evs_weight, trs_weight)
      values (${clientId}, ${type}, ${key}, 0.25, 0.25, 0.25, 0.25)`;
const competitor = (clientId: string, name: string) =>
  sql`insert into competitors (client_id, name, category) values (${clientId}, ${name}, 'direct')`;
const experiment = (clientId: string, name: string) =>
  sql`insert into experiments (client_id, name, variant_a, variant_b, metric) values (${clientId}, ${name}, '{}', '{}', 'ctr')`;
const chunk = (clientId: string, knowledgeBaseId: string, chunkIndex: number) =>
  sql`insert into knowledge_chunks (client_id, knowledge_base_id, content, chunk_index, token_count)
      values (${clientId}, ${knowledgeBaseId}, 'Chunk text', ${chunkIndex}, 2)`;
const output = (clientId: string, runId: string, objectKey: string, outputId = uuid()) =>
  sql`insert into outputs (id, client_id, run_id, object_key, size_bytes) values (${outputId}, ${clientId}, ${runId}, ${objectKey}, 1)`;
const brandKit = (clientId: string, isDefault: boolean, kitId = uuid()) =>
  sql`insert into brand_kits (id, client_id, name, tone, colors, is_default)
      values (${kitId}, ${clientId}, 'Kit', '{"voice":"casual","personality":[],"doList":[],"dontList":[]}', '{"primary":"#000000"}', ${isDefault})`;
const skill = (name: string, skillId = uuid()) =>
  sql`insert into skills (id, name, description, type, storage_key, trigger_keywords)
      values (${skillId}, ${name}, 'Constraint test skill', 'simple', ${`skills/${name}/`}, '{}')`;
const apiKey = (clientId: string, keyHash: SQL | string) =>
  sql`insert into api_keys (client_id, name, prefix, key_hash, role) values (${clientId}, 'cst key', 'eda_cst', ${keyHash}, 'service')`;

/** A 0..1 column: -0.01 and 1.01 fail, 0 and 1 pass (and NULL, for a nullable column). */
const unitInterval = (table: TenantTableName, column: string, nullable = false): Case => ({
  constraint: `${table}_${column}_range`,
  what: `${table}.${column} must lie in 0..1`,
  code: CHECK_VIOLATION,
  trial: (a) => ({
    fail: [-0.01, 1.01].map((v) => update(table, a[table], sql`${id(column)} = ${v}`)),
    pass: [0, 1, ...(nullable ? [null] : [])].map((v) => update(table, a[table], sql`${id(column)} = ${v}`)),
  }),
});

/** A count column: -1 fails, 0 passes. */
const nonNegative = (table: TenantTableName, column: string, constraint: string): Case => ({
  constraint,
  what: `${table}.${column} must not be negative`,
  code: CHECK_VIOLATION,
  trial: (a) => ({ fail: [update(table, a[table], sql`${id(column)} = -1`)], pass: [update(table, a[table], sql`${id(column)} = 0`)] }),
});

const UNIQUE_CASES: Case[] = [
  {
    constraint: 'retention_archives_client_id_object_key_key',
    what: 'one ledger row per (client, archive object)',
    code: UNIQUE_VIOLATION,
    trial: (a, b) => {
      const archive = (clientId: string, key: string) =>
        sql`insert into retention_archives (client_id, dataset, object_key, record_count, deleted_rows, byte_size, sha256, cutoff, oldest, newest)
            values (${clientId}, 'posts', ${key}, 1, 1, 1, ${'0'.repeat(64)}, now(), now(), now())`;
      const key = `clients/fx-${a.clients}/retention/posts/fixture.jsonl.gz`;
      return { fail: [archive(a.clients, key)], pass: [archive(b.clients, key), archive(a.clients, `${key}.2`)] };
    },
  },
  {
    constraint: 'authors_client_id_platform_platform_id_key',
    what: 'one author per (client, platform, platform_id)',
    code: UNIQUE_VIOLATION,
    trial: (a, b) => ({
      fail: [author(a.clients, 'twitter', `a-${a.authors}`)],
      pass: [author(b.clients, 'twitter', `a-${a.authors}`), author(a.clients, 'reddit', `a-${a.authors}`)],
    }),
  },
  {
    constraint: 'posts_client_id_platform_platform_post_id_key',
    what: 'one post per (client, platform, platform_post_id)',
    code: UNIQUE_VIOLATION,
    trial: (a, b) => ({
      fail: [post(a.clients, a.authors, 'twitter', `p-${a.posts}`)],
      pass: [post(b.clients, b.authors, 'twitter', `p-${a.posts}`), post(a.clients, a.authors, 'reddit', `p-${a.posts}`)],
    }),
  },
  {
    constraint: 'kpi_metrics_client_id_date_platform_metric_type_metric_name_key',
    what: 'one KPI value per (client, date, platform, type, name), NULL platform included (NULLS NOT DISTINCT)',
    code: UNIQUE_VIOLATION,
    trial: (a, b) => {
      const name = `nulls-${tag()}`;
      return {
        before: [kpi(a.clients, '2026-10-01', null, name)],
        fail: [kpi(a.clients, '2026-10-01', null, name), kpi(a.clients, '2026-11-01', 'twitter', 'impressions')],
        pass: [
          kpi(b.clients, '2026-10-01', null, name),
          kpi(a.clients, '2026-10-01', 'reddit', name),
          kpi(a.clients, '2026-10-02', null, name),
        ],
      };
    },
  },
  {
    constraint: 'segmented_weights_client_id_segment_type_segment_key_key',
    what: 'one weight set per (client, segment_type, segment_key)',
    code: UNIQUE_VIOLATION,
    trial: (a, b) => {
      const key = `seg-${tag()}`;
      return {
        before: [weights(a.clients, 'archetype', key)],
        fail: [weights(a.clients, 'archetype', key), weights(a.clients, 'platform', 'twitter')],
        pass: [weights(b.clients, 'archetype', key), weights(a.clients, 'mode', key)],
      };
    },
  },
  {
    constraint: 'community_champions_client_id_author_id_key',
    what: 'one champion row per author',
    code: UNIQUE_VIOLATION,
    trial: (a) => {
      const other = uuid();
      return {
        before: [author(a.clients, 'threads', `cc-${other}`, other)],
        fail: [sql`insert into community_champions (client_id, author_id) values (${a.clients}, ${a.authors})`],
        pass: [sql`insert into community_champions (client_id, author_id) values (${a.clients}, ${other})`],
      };
    },
  },
  {
    constraint: 'competitors_client_id_name_key',
    what: 'competitor names are unique per client',
    code: UNIQUE_VIOLATION,
    trial: (a, b) => {
      const name = `Rival ${tag()}`;
      return {
        before: [competitor(a.clients, name)],
        fail: [competitor(a.clients, name), competitor(a.clients, 'Rival')],
        pass: [competitor(b.clients, name), competitor(a.clients, `${name} II`)],
      };
    },
  },
  {
    constraint: 'experiments_client_id_name_key',
    what: 'experiment names are unique per client',
    code: UNIQUE_VIOLATION,
    trial: (a, b) => {
      const name = `Exp ${tag()}`;
      return {
        before: [experiment(a.clients, name)],
        fail: [experiment(a.clients, name), experiment(a.clients, 'Tone test')],
        pass: [experiment(b.clients, name), experiment(a.clients, `${name} II`)],
      };
    },
  },
  {
    constraint: 'memberships_client_id_user_id_key',
    what: 'one membership per (client, user)',
    code: UNIQUE_VIOLATION,
    trial: (a, b) => ({
      fail: [sql`insert into memberships (client_id, user_id, role) values (${a.clients}, ${a.users}, 'viewer')`],
      pass: [sql`insert into memberships (client_id, user_id, role) values (${b.clients}, ${a.users}, 'viewer')`],
    }),
  },
  {
    constraint: 'webhook_deliveries_client_id_source_delivery_id_key',
    what: 'a delivery is recorded once per (client, source, delivery_id)',
    code: UNIQUE_VIOLATION,
    trial: (a, b) => {
      const insert = (clientId: string, source: string) =>
        sql`insert into webhook_deliveries (client_id, source, delivery_id) values (${clientId}, ${source}, ${`d-${a.clients}`})`;
      return { fail: [insert(a.clients, 'fixture')], pass: [insert(b.clients, 'fixture'), insert(a.clients, 'other-source')] };
    },
  },
  {
    constraint: 'knowledge_chunks_knowledge_base_id_chunk_index_key',
    what: 'one chunk per (knowledge base, chunk_index)',
    code: UNIQUE_VIOLATION,
    trial: (a) => {
      const otherBase = uuid();
      return {
        before: [sql`insert into knowledge_bases (id, client_id, name, source_type) values (${otherBase}, ${a.clients}, 'Other', 'manual')`],
        fail: [chunk(a.clients, a.knowledge_bases, 0)],
        pass: [chunk(a.clients, a.knowledge_bases, 1), chunk(a.clients, otherBase, 0)],
      };
    },
  },
  {
    constraint: 'feedback_output_id_key',
    what: 'one feedback per output',
    code: UNIQUE_VIOLATION,
    trial: (a) => {
      const otherOutput = uuid();
      return {
        before: [output(a.clients, a.runs, `clients/cst/${otherOutput}.md`, otherOutput)],
        fail: [sql`insert into feedback (client_id, output_id, overall_score, source) values (${a.clients}, ${a.outputs}, 3, 'web')`],
        pass: [sql`insert into feedback (client_id, output_id, overall_score, source) values (${a.clients}, ${otherOutput}, 3, 'web')`],
      };
    },
  },
  {
    constraint: 'outputs_object_key_key',
    what: 'an object key belongs to one output',
    code: UNIQUE_VIOLATION,
    trial: (a, b) => ({
      fail: [
        sql`insert into outputs (client_id, run_id, object_key, size_bytes) select ${a.clients}, ${a.runs}, object_key, 1 from outputs where id = ${a.outputs}`,
        sql`insert into outputs (client_id, run_id, object_key, size_bytes) select ${b.clients}, ${b.runs}, object_key, 1 from outputs where id = ${a.outputs}`,
      ],
      pass: [output(a.clients, a.runs, `clients/cst/${uuid()}.md`)],
    }),
  },
  {
    constraint: 'brand_kits_one_default_per_client',
    what: 'at most one default brand kit per client (partial unique index)',
    code: UNIQUE_VIOLATION,
    trial: (a) => {
      const next = uuid();
      return {
        fail: [brandKit(a.clients, true)],
        pass: [
          brandKit(a.clients, false, next),
          brandKit(a.clients, false),
          update('brand_kits', a.brand_kits, sql`is_default = false`),
          update('brand_kits', next, sql`is_default = true`),
        ],
      };
    },
  },
  {
    constraint: 'users_email_key',
    what: 'user emails are unique case-insensitively',
    code: UNIQUE_VIOLATION,
    trial: (a) => {
      const user = uuid();
      createdUsers.push(user);
      return {
        fail: [
          sql`insert into users (email) select email from users where id = ${a.users}`,
          sql`insert into users (email) select upper(email) from users where id = ${a.users}`,
        ],
        pass: [sql`insert into users (id, email) values (${user}, ${`cst-${user}@example.test`})`],
      };
    },
  },
  {
    constraint: 'user_channels_channel_channel_user_id_key',
    what: 'a channel account links to one user',
    code: UNIQUE_VIOLATION,
    trial: (a, b) => {
      const account = `tg-${uuid()}`;
      const link = (userId: string, channel: string) =>
        sql`insert into user_channels (user_id, channel, channel_user_id) values (${userId}, ${channel}, ${account})`;
      return { before: [link(a.users, 'telegram')], fail: [link(b.users, 'telegram'), link(a.users, 'telegram')], pass: [link(b.users, 'slack')] };
    },
  },
  {
    constraint: 'skills_name_key',
    what: 'skill names are unique',
    code: UNIQUE_VIOLATION,
    trial: () => {
      const skillId = uuid();
      createdSkills.push(skillId);
      return { fail: [skill('fixture-skill')], pass: [skill(`cst-${tag()}`, skillId)] };
    },
  },
  {
    constraint: 'api_keys_key_hash_key',
    what: 'a key hash is unique across all clients',
    code: UNIQUE_VIOLATION,
    trial: (a, b) => {
      const hashOfA = sql`(select key_hash from api_keys where id = ${a.api_keys})`;
      return { fail: [apiKey(a.clients, hashOfA), apiKey(b.clients, hashOfA)], pass: [apiKey(a.clients, hex64())] };
    },
  },
  {
    constraint: 'clients_slug_key',
    what: 'client slugs are unique',
    code: UNIQUE_VIOLATION,
    trial: (a) => {
      const client = uuid();
      createdClients.push(client);
      const t = tag();
      return {
        fail: [sql`insert into clients (name, slug, storage_prefix) select 'Dup', slug, ${`clients/cst-${t}/`} from clients where id = ${a.clients}`],
        pass: [sql`insert into clients (id, name, slug, storage_prefix) values (${client}, 'New', ${`cst-${t}`}, ${`clients/cst-${t}/`})`],
      };
    },
  },
  {
    constraint: 'clients_storage_prefix_key',
    what: 'client storage prefixes are unique',
    code: UNIQUE_VIOLATION,
    trial: (a) => ({
      fail: [
        sql`insert into clients (name, slug, storage_prefix) select 'Dup', ${`cst-${tag()}`}, storage_prefix from clients where id = ${a.clients}`,
      ],
      pass: [update('clients', a.clients, sql`storage_prefix = ${`clients/cst-${tag()}/`}`)],
    }),
  },
];

const CHECK_CASES: Case[] = [
  {
    constraint: 'clients_slug_format',
    what: 'slug is lowercase alphanumerics and inner hyphens',
    code: CHECK_VIOLATION,
    trial: (a) => ({
      fail: ['Bad Slug', 'UPPER', '-lead', 'trail-', 'under_score', ''].map((slug) => update('clients', a.clients, sql`slug = ${slug}`)),
      pass: [update('clients', a.clients, sql`slug = ${`cst-${tag()}`}`)],
    }),
  },
  {
    constraint: 'clients_storage_prefix_format',
    what: 'storage prefix is a lowercase path ending in /',
    code: CHECK_VIOLATION,
    trial: (a) => ({
      fail: ['clients/no-slash', 'Clients/Upper/', 'clients/with space/', ''].map((p) =>
        update('clients', a.clients, sql`storage_prefix = ${p}`),
      ),
      pass: [update('clients', a.clients, sql`storage_prefix = ${`clients/cst_${tag()}/`}`)],
    }),
  },
  {
    constraint: 'channel_links_code_hash_key',
    what: 'a link code hash is unique across all clients',
    code: UNIQUE_VIOLATION,
    trial: (a, b) => {
      const pending = (ids: FixtureIds, hash: SQL | string) =>
        sql`insert into channel_links (client_id, user_id, code_hash, code_expires_at) values (${ids.clients}, ${ids.users}, ${hash}, now())`;
      const hashOfA = sql`(select code_hash from channel_links where id = ${a.channel_links})`;
      return { fail: [pending(a, hashOfA), pending(b, hashOfA)], pass: [pending(a, hex64())] };
    },
  },
  {
    constraint: 'channel_links_channel_channel_user_id_key',
    what: 'a chat account is linked once, whatever the client',
    code: UNIQUE_VIOLATION,
    trial: (a, b) => {
      const account = `tg-${uuid()}`;
      const linked = (ids: FixtureIds, channel: string) =>
        sql`insert into channel_links (client_id, user_id, code_hash, code_expires_at, channel, channel_user_id, linked_at)
            values (${ids.clients}, ${ids.users}, ${hex64()}, now(), ${channel}, ${account}, now())`;
      return { before: [linked(a, 'telegram')], fail: [linked(b, 'telegram'), linked(a, 'telegram')], pass: [linked(b, 'slack')] };
    },
  },
  {
    constraint: 'channel_links_code_hash_format',
    what: 'code_hash is 64 lowercase hex characters',
    code: CHECK_VIOLATION,
    trial: (a) => ({
      fail: [hex64().toUpperCase().replace(/^[0-9]/, 'A'), hex64().slice(0, 63), 'g'.repeat(64)].map((h) =>
        update('channel_links', a.channel_links, sql`code_hash = ${h}`),
      ),
      pass: [update('channel_links', a.channel_links, sql`code_hash = ${hex64()}`)],
    }),
  },
  {
    constraint: 'channel_links_linked_has_account',
    what: 'a link is pending (no account) or linked (channel, account and time)',
    code: CHECK_VIOLATION,
    trial: (a) => ({
      fail: [sql`linked_at = null`, sql`channel = null`, sql`channel_user_id = null`].map((set) => update('channel_links', a.channel_links, set)),
      pass: [update('channel_links', a.channel_links, sql`channel_username = 'someone'`)],
    }),
  },
  {
    constraint: 'chat_deliveries_channel_delivery_id_key',
    what: 'a platform delivery id is recorded once per channel',
    code: UNIQUE_VIOLATION,
    trial: () => {
      const deliveryId = `u-${uuid()}`;
      const delivery = (channel: string) => sql`insert into chat_deliveries (channel, delivery_id) values (${channel}, ${deliveryId})`;
      return { before: [delivery('telegram')], fail: [delivery('telegram')], pass: [delivery('slack')] };
    },
  },
  {
    constraint: 'api_keys_key_hash_format',
    what: 'key_hash is 64 lowercase hex characters',
    code: CHECK_VIOLATION,
    trial: (a) => ({
      fail: [hex64().toUpperCase().replace(/^[0-9]/, 'A'), hex64().slice(0, 63), 'g'.repeat(64)].map((h) =>
        update('api_keys', a.api_keys, sql`key_hash = ${h}`),
      ),
      pass: [update('api_keys', a.api_keys, sql`key_hash = ${hex64()}`)],
    }),
  },
  {
    constraint: 'knowledge_bases_counts_nonnegative',
    what: 'knowledge base counts are not negative',
    code: CHECK_VIOLATION,
    trial: (a) => ({
      fail: [sql`chunk_count = -1`, sql`token_count = -1`].map((set) => update('knowledge_bases', a.knowledge_bases, set)),
      pass: [update('knowledge_bases', a.knowledge_bases, sql`chunk_count = 0, token_count = 0`)],
    }),
  },
  nonNegative('knowledge_chunks', 'chunk_index', 'knowledge_chunks_chunk_index_nonnegative'),
  nonNegative('knowledge_chunks', 'token_count', 'knowledge_chunks_token_count_nonnegative'),
  ...['overall_score', 'accuracy_score', 'quality_score', 'usefulness_score', 'rule_compliance_score'].map(
    (column): Case => ({
      constraint: 'feedback_scores_range',
      what: `feedback.${column}: 0 and 6 rejected, 1 and 5 accepted`,
      code: CHECK_VIOLATION,
      trial: (a) => ({
        fail: [0, 6].map((v) => update('feedback', a.feedback, sql`${id(column)} = ${v}`)),
        pass: [1, 5].map((v) => update('feedback', a.feedback, sql`${id(column)} = ${v}`)),
      }),
    }),
  ),
  {
    constraint: 'outputs_preview_length',
    what: 'preview holds at most 500 characters',
    code: CHECK_VIOLATION,
    trial: (a) => ({
      fail: [update('outputs', a.outputs, sql`preview = ${'é'.repeat(501)}`)],
      pass: [update('outputs', a.outputs, sql`preview = ${'é'.repeat(500)}`), update('outputs', a.outputs, sql`preview = null`)],
    }),
  },
  nonNegative('outputs', 'size_bytes', 'outputs_size_nonnegative'),
  {
    constraint: 'runs_tokens_nonnegative',
    what: 'token counts are not negative',
    code: CHECK_VIOLATION,
    trial: (a) => ({
      fail: [sql`tokens_input = -1`, sql`tokens_output = -1`].map((set) => update('runs', a.runs, set)),
      pass: [update('runs', a.runs, sql`tokens_input = 0, tokens_output = 0`), update('runs', a.runs, sql`tokens_input = null, tokens_output = null`)],
    }),
  },
  {
    constraint: 'retention_archives_counts',
    what: 'an archive holds at least one record, deletes at least its records, and has bytes',
    code: CHECK_VIOLATION,
    trial: (a) => ({
      fail: [sql`record_count = 0`, sql`deleted_rows = 0`, sql`byte_size = 0`].map((set) => update('retention_archives', a.retention_archives, set)),
      pass: [update('retention_archives', a.retention_archives, sql`record_count = 2, deleted_rows = 5, byte_size = 10`)],
    }),
  },
  {
    constraint: 'retention_archives_sha256_format',
    what: 'an archive’s SHA-256 is 64 lowercase hex digits',
    code: CHECK_VIOLATION,
    trial: (a) => ({
      fail: [update('retention_archives', a.retention_archives, sql`sha256 = ${'A'.repeat(64)}`)],
      pass: [update('retention_archives', a.retention_archives, sql`sha256 = ${'ab'.repeat(32)}`)],
    }),
  },
  {
    constraint: 'webhook_endpoints_secret_version_positive',
    what: 'a webhook endpoint’s secret version starts at 1 (a hook id never names version 0)',
    code: CHECK_VIOLATION,
    trial: (a) => ({
      fail: [update('webhook_endpoints', a.webhook_endpoints, sql`secret_version = 0`)],
      pass: [update('webhook_endpoints', a.webhook_endpoints, sql`secret_version = 2`)],
    }),
  },
  {
    constraint: 'runs_one_requester',
    what: 'a run is asked for by exactly one of a user and an API key',
    code: CHECK_VIOLATION,
    trial: (a) => ({
      fail: [
        update('runs', a.runs, sql`api_key_id = ${a.api_keys}`),
        update('runs', a.runs, sql`user_id = null, api_key_id = null`),
      ],
      pass: [
        update('runs', a.runs, sql`user_id = null, api_key_id = ${a.api_keys}`),
        update('runs', a.runs, sql`user_id = ${a.users}, api_key_id = null`),
      ],
    }),
  },
  {
    constraint: 'runs_started_when_not_queued',
    what: 'a run that is neither queued nor cancelled has started_at',
    code: CHECK_VIOLATION,
    trial: (a) => {
      const run = (status: string, started: boolean, completed: boolean) =>
        update(
          'runs',
          a.runs,
          sql`status = ${status}, started_at = ${started ? sql`now()` : sql`null`}, completed_at = ${completed ? sql`now()` : sql`null`}`,
        );
      return {
        fail: [run('running', false, false), run('completed', false, true), run('failed', false, true)],
        pass: [run('running', true, false), run('cancelled', false, true), run('queued', false, false)],
      };
    },
  },
  {
    constraint: 'runs_completed_when_finished',
    what: 'completed_at is set exactly when the run is completed, failed or cancelled',
    code: CHECK_VIOLATION,
    trial: (a) => {
      const run = (status: string, started: boolean, completed: boolean) =>
        update(
          'runs',
          a.runs,
          sql`status = ${status}, started_at = ${started ? sql`now()` : sql`null`}, completed_at = ${completed ? sql`now()` : sql`null`}`,
        );
      return {
        fail: [run('completed', true, false), run('failed', true, false), run('cancelled', false, false), run('running', true, true), run('queued', false, true)],
        pass: [run('completed', true, true), run('failed', true, true), run('queued', false, false)],
      };
    },
  },
  {
    constraint: 'skills_name_format',
    what: 'skill names are lowercase alphanumerics and hyphens',
    code: CHECK_VIOLATION,
    trial: () => {
      const skillId = uuid();
      createdSkills.push(skillId);
      return { fail: ['Bad_Name', 'UPPER', '-lead', ''].map((name) => skill(name)), pass: [skill(`cst-${tag()}-ok`, skillId)] };
    },
  },
  unitInterval('authors', 'relationship_score'),
  nonNegative('authors', 'follower_count', 'authors_follower_count_nonnegative'),
  {
    constraint: 'authors_seen_order',
    what: 'first_seen_at is not after last_seen_at',
    code: CHECK_VIOLATION,
    trial: (a) => ({
      fail: [update('authors', a.authors, sql`first_seen_at = now(), last_seen_at = now() - interval '1 hour'`)],
      pass: [
        update('authors', a.authors, sql`first_seen_at = now(), last_seen_at = now()`),
        update('authors', a.authors, sql`first_seen_at = now() - interval '1 day', last_seen_at = now()`),
      ],
    }),
  },
  ...['sss_score', 'ars_score', 'evs_score', 'trs_score', 'composite_score'].map((column) => unitInterval('decisions', column)),
  {
    constraint: 'decisions_variant_needs_experiment',
    what: 'experiment_variant requires experiment_id',
    code: CHECK_VIOLATION,
    trial: (a) => ({
      fail: [update('decisions', a.decisions, sql`experiment_id = null, experiment_variant = 'b'`)],
      pass: [
        update('decisions', a.decisions, sql`experiment_id = null, experiment_variant = null`),
        update('decisions', a.decisions, sql`experiment_id = ${a.experiments}, experiment_variant = 'a'`),
      ],
    }),
  },
  {
    constraint: 'escalations_resolved_has_time',
    what: 'resolved_at is set exactly when the escalation is resolved or dismissed',
    code: CHECK_VIOLATION,
    trial: (a) => {
      const esc = (status: string, resolved: boolean) =>
        update('escalations', a.escalations, sql`status = ${status}, resolved_at = ${resolved ? sql`now()` : sql`null`}`);
      return {
        fail: [esc('resolved', false), esc('dismissed', false), esc('open', true), esc('assigned', true)],
        pass: [esc('resolved', true), esc('dismissed', true), esc('open', false)],
      };
    },
  },
  {
    constraint: 'posts_content_length',
    what: 'post content is 1..5000 characters',
    code: CHECK_VIOLATION,
    trial: (a) => ({
      fail: ['', 'x'.repeat(5001)].map((c) => update('posts', a.posts, sql`content = ${c}`)),
      pass: ['x', 'x'.repeat(5000)].map((c) => update('posts', a.posts, sql`content = ${c}`)),
    }),
  },
  nonNegative('posts', 'error_count', 'posts_error_count_nonnegative'),
  {
    constraint: 'posts_detected_at_range',
    what: 'detected_at lies in 1970 .. 2200 (the range list cursors carry)',
    code: CHECK_VIOLATION,
    trial: (a) => ({
      fail: ['1969-12-31T23:59:59.999Z', '2201-01-01T00:00:00Z', '9999-12-31T00:00:00Z'].map((t) =>
        update('posts', a.posts, sql`detected_at = ${t}::timestamptz`),
      ),
      pass: ['1970-01-01T00:00:00Z', '2200-12-31T23:59:59.999Z'].map((t) => update('posts', a.posts, sql`detected_at = ${t}::timestamptz`)),
    }),
  },
  {
    constraint: 'kpi_metrics_value_bounded',
    what: 'a KPI value is within ±1e15, so series sums cannot overflow',
    code: CHECK_VIOLATION,
    trial: (a) => ({
      fail: [1.7e308, -1e16].map((v) => update('kpi_metrics', a.kpi_metrics, sql`value = ${v}`)),
      pass: [1e15, -1e15].map((v) => update('kpi_metrics', a.kpi_metrics, sql`value = ${v}`)),
    }),
  },
  {
    constraint: 'kpi_metrics_date_range',
    what: 'a KPI date lies in 1970 .. 2200',
    code: CHECK_VIOLATION,
    trial: (a) => ({
      fail: ['1969-12-31', '2201-01-01'].map((d) => update('kpi_metrics', a.kpi_metrics, sql`date = ${d}::date`)),
      pass: ['1970-01-01', '2200-12-31'].map((d) => update('kpi_metrics', a.kpi_metrics, sql`date = ${d}::date`)),
    }),
  },
  {
    constraint: 'replies_content_length',
    what: 'reply content is 10..1000 characters',
    code: CHECK_VIOLATION,
    trial: (a) => ({
      fail: ['x'.repeat(9), 'x'.repeat(1001)].map((c) => update('replies', a.replies, sql`content = ${c}`)),
      pass: ['x'.repeat(10), 'x'.repeat(1000)].map((c) => update('replies', a.replies, sql`content = ${c}`)),
    }),
  },
  {
    constraint: 'replies_utm_code_format',
    what: 'utm_code matches ^[a-z0-9_-]+$',
    code: CHECK_VIOLATION,
    trial: (a) => ({
      fail: ['Bad Code', 'UPPER', 'utm.code', ''].map((c) => update('replies', a.replies, sql`utm_code = ${c}`)),
      pass: [update('replies', a.replies, sql`utm_code = 'ok_code-1'`), update('replies', a.replies, sql`utm_code = 'a'`)],
    }),
  },
  nonNegative('replies', 'help_count', 'replies_help_count_nonnegative'),
  {
    constraint: 'replies_posted_has_time',
    what: "posted_at is set exactly when the reply is 'posted'",
    code: CHECK_VIOLATION,
    trial: (a) => {
      const reply = (status: string, posted: boolean) =>
        update('replies', a.replies, sql`approval_status = ${status}, posted_at = ${posted ? sql`now()` : sql`null`}`);
      return {
        fail: [reply('posted', false), reply('pending', true), reply('approved', true)],
        pass: [reply('posted', true), reply('approved', false), reply('pending', false)],
      };
    },
  },
  {
    constraint: 'replies_rejected_has_reason',
    what: "a 'rejected' reply has a rejection_reason",
    code: CHECK_VIOLATION,
    trial: (a) => ({
      fail: [update('replies', a.replies, sql`approval_status = 'rejected', posted_at = null, rejection_reason = null`)],
      pass: [
        update('replies', a.replies, sql`approval_status = 'rejected', posted_at = null, rejection_reason = 'off-brand'`),
        update('replies', a.replies, sql`approval_status = 'pending', posted_at = null, rejection_reason = null`),
      ],
    }),
  },
  {
    constraint: 'replies_deleted_has_reason',
    what: 'a deleted reply has a delete_reason',
    code: CHECK_VIOLATION,
    trial: (a) => ({
      fail: [update('replies', a.replies, sql`deleted_at = now(), delete_reason = null`)],
      pass: [
        update('replies', a.replies, sql`deleted_at = now(), delete_reason = 'spam'`),
        update('replies', a.replies, sql`deleted_at = null, delete_reason = null`),
      ],
    }),
  },
  nonNegative('community_champions', 'engagement_count', 'community_champions_engagement_nonnegative'),
  unitInterval('competitive_mentions', 'opportunity_score'),
  unitInterval('experiments', 'traffic_split'),
  {
    constraint: 'experiments_dates_order',
    what: 'start_date is not after end_date',
    code: CHECK_VIOLATION,
    trial: (a) => ({
      fail: [update('experiments', a.experiments, sql`start_date = now(), end_date = now() - interval '1 day'`)],
      pass: [
        update('experiments', a.experiments, sql`start_date = now(), end_date = now()`),
        update('experiments', a.experiments, sql`start_date = null, end_date = now()`),
        update('experiments', a.experiments, sql`start_date = now(), end_date = null`),
      ],
    }),
  },
  {
    constraint: 'experiments_winner_when_concluded',
    what: "a winner only when the experiment is 'concluded'",
    code: CHECK_VIOLATION,
    trial: (a) => {
      const exp = (status: string, winner: string | null) => update('experiments', a.experiments, sql`status = ${status}, winner = ${winner}`);
      return {
        fail: [exp('running', 'a'), exp('draft', 'b'), exp('stopped', 'a')],
        pass: [exp('concluded', 'a'), exp('concluded', null), exp('draft', null)],
      };
    },
  },
  unitInterval('learning_events', 'accuracy', true), // NULL: not yet evaluated
  ...['sss_weight', 'ars_weight', 'evs_weight', 'trs_weight'].map((column) => unitInterval('segmented_weights', column)),
  nonNegative('segmented_weights', 'sample_size', 'segmented_weights_sample_size_nonnegative'),
  {
    constraint: 'weight_adjustment_logs_segments',
    what: 'valid_segments lies in 0..total_segments',
    code: CHECK_VIOLATION,
    trial: (a) => ({
      fail: [sql`valid_segments = 3, total_segments = 2`, sql`valid_segments = -1, total_segments = 2`].map((set) =>
        update('weight_adjustment_logs', a.weight_adjustment_logs, set),
      ),
      pass: [sql`valid_segments = 2, total_segments = 3`, sql`valid_segments = 0, total_segments = 0`].map((set) =>
        update('weight_adjustment_logs', a.weight_adjustment_logs, set),
      ),
    }),
  },
];

/** Runs a case: the setup, every failing statement in its own transaction, then every passing one. */
async function run(c: Case) {
  const trial = c.trial(a, b);
  if (trial.before) await asSystem(...trial.before);
  const failures = [];
  for (const statement of trial.fail) failures.push(await violation(asSystem(statement)));
  expect(failures).toEqual(trial.fail.map(() => ({ code: c.code, constraint: c.constraint })));
  const passes = [];
  for (const statement of trial.pass) {
    const [rows] = await asSystem(sql`with changed as (${statement} returning 1) select count(*)::int as n from changed`);
    passes.push(rows![0]!.n);
  }
  expect(passes).toEqual(trial.pass.map(() => 1));
}

describe('unique constraints (23505)', () => {
  it.each(UNIQUE_CASES.map((c) => [c.constraint, c.what, c] as const))('%s: %s', async (_name, _what, c) => {
    await run(c);
  });
});

describe('check constraints (23514)', () => {
  it.each(CHECK_CASES.map((c) => [c.constraint, c.what, c] as const))('%s: %s', async (_name, _what, c) => {
    await run(c);
  });
});

describe('coverage', () => {
  it('every check constraint and unique index of the schema has a case', async () => {
    const catalog = await asOwner<{ name: string; kind: string }>(sql`
      select c.conname::text as name, 'check' as kind
      from pg_constraint c join pg_namespace n on n.oid = c.connamespace
      where n.nspname = 'public' and c.contype = 'c'
      union all
      select ic.relname::text, 'unique'
      from pg_index i
      join pg_class ic on ic.oid = i.indexrelid
      join pg_namespace n on n.oid = ic.relnamespace
      where n.nspname = 'public' and i.indisunique and not i.indisprimary
        and ic.relname not like '%\_client\_id\_id\_key' -- the (client_id, id) targets of composite keys: composite-keys.test.ts
      order by 1`);
    expect(catalog.filter((c) => c.kind === 'check').length).toBeGreaterThanOrEqual(40);
    expect(catalog.filter((c) => c.kind === 'unique').length).toBeGreaterThanOrEqual(19);
    const covered = new Set([...UNIQUE_CASES, ...CHECK_CASES].map((c) => c.constraint));
    expect(catalog.filter((c) => !covered.has(c.name)).map((c) => `${c.kind} ${c.name}`)).toEqual([]);
    // And no case names a constraint that does not exist.
    const names = new Set(catalog.map((c) => c.name));
    expect([...covered].filter((name) => !names.has(name))).toEqual([]);
  });
});

describe('knowledge chunk embeddings and search vector', () => {
  const vector = (dimensions: number) => `[${Array.from({ length: dimensions }, (_, i) => ((i % 7) / 10).toFixed(1)).join(',')}]`;

  it(`an embedding must have exactly ${EMBEDDING_DIMENSIONS} dimensions (22000)`, async () => {
    const set = (v: string) => update('knowledge_chunks', a.knowledge_chunks, sql`embedding = ${v}::vector`);
    const insert = (v: string) =>
      sql`insert into knowledge_chunks (client_id, knowledge_base_id, content, chunk_index, token_count, embedding)
          values (${a.clients}, ${a.knowledge_bases}, 'dims', 99, 1, ${v})`;
    const failures = [
      await violation(asSystem(set(vector(3)))),
      await violation(asSystem(set(vector(EMBEDDING_DIMENSIONS - 1)))),
      await violation(asSystem(insert(vector(3)))),
    ];
    expect(failures.map((f) => f?.code)).toEqual([DATA_EXCEPTION, DATA_EXCEPTION, DATA_EXCEPTION]);
    const [rows] = await asSystem(
      sql`${update('knowledge_chunks', a.knowledge_chunks, sql`embedding = ${vector(EMBEDDING_DIMENSIONS)}`)} returning vector_dims(embedding) as dims`,
    );
    expect(rows).toEqual([{ dims: EMBEDDING_DIMENSIONS }]);
  });

  it('search_vector is generated from content and follows it', async () => {
    const [before] = await asSystem(sql`
      select search_vector @@ plainto_tsquery('english', 'shipping') as matches, length(search_vector) > 0 as filled
      from knowledge_chunks where id = ${a.knowledge_chunks}`);
    expect(before).toEqual([{ matches: true, filled: true }]);

    const [after] = await asSystem(sql`
      ${update('knowledge_chunks', a.knowledge_chunks, sql`content = 'Refunds for damaged parcels'`)}
      returning search_vector @@ plainto_tsquery('english', 'refund') as new_term, search_vector @@ plainto_tsquery('english', 'shipping') as old_term`);
    expect(after).toEqual([{ new_term: true, old_term: false }]);

    // It cannot be written directly (generated column: 428C9).
    const direct = await violation(asSystem(update('knowledge_chunks', a.knowledge_chunks, sql`search_vector = to_tsvector('english', 'forged')`)));
    expect(direct?.code).toBe('428C9');
  });
});

describe('enum columns', () => {
  it('reject a value outside the enum (22P02) and accept their current label', async () => {
    const fixtureTables = new Set<string>([...TENANT_TABLES, 'skills']);
    const columns = (
      await asOwner<{ table: string; column: string; type: string }>(sql`
        select c.relname::text as table, a.attname::text as column, t.typname::text as type
        from pg_attribute a
        join pg_class c on c.oid = a.attrelid
        join pg_namespace n on n.oid = c.relnamespace
        join pg_type t on t.oid = a.atttypid
        where n.nspname = 'public' and c.relkind = 'r' and t.typtype = 'e' and a.attnum > 0 and not a.attisdropped
        order by 1, 2`)
    ).filter((c) => fixtureTables.has(c.table));
    expect(columns.length).toBeGreaterThanOrEqual(30);

    const results = [];
    for (const { table, column } of columns) {
      const rowId = (a as Record<string, string>)[table]!;
      const target = sql`${id(table)} set ${id(column)}`;
      const invalid = await violation(asSystem(sql`update ${target} = ${'zz_not_a_label'} where id = ${rowId}`));
      const [current] = await asSystem(sql`select ${id(column)}::text as label from ${id(table)} where id = ${rowId}`);
      const label = current![0]?.label as string | null | undefined;
      let valid = 'no current label';
      if (label != null) {
        const [rows] = await asSystem(sql`update ${target} = ${label} where id = ${rowId} returning 1`);
        valid = `${rows!.length} row`;
      }
      results.push({ column: `${table}.${column}`, invalid: invalid?.code, valid });
    }
    expect(results.filter((r) => r.invalid !== INVALID_ENUM_VALUE)).toEqual([]);
    // Most fixture rows carry a value in each enum column; those that do accept it back.
    expect(results.filter((r) => r.valid !== '1 row' && r.valid !== 'no current label')).toEqual([]);
    expect(results.filter((r) => r.valid === '1 row').length).toBeGreaterThanOrEqual(25);
  });
});

describe('the clients row and its own tenant', () => {
  // A tenant may update only name, description and settings of its client (0004): the storage
  // prefix is its boundary in R2, and 'clients/' would sit above every other client.
  it('a tenant cannot repoint its client’s storage_prefix (e.g. to clients/, above every client)', async () => {
    const c = await createTenantFixture(`cst-root-${tag()}`);
    try {
      const [before] = await asSystem(sql`select storage_prefix from clients where id = ${c.clients}`);
      const attempt = await violation(
        asTenant(
          { clientId: c.clients, userId: c.users, role: 'viewer' },
          sql`update clients set storage_prefix = 'clients/' where id = ${c.clients} returning id`,
        ),
      );
      const [after] = await asSystem(sql`select storage_prefix from clients where id = ${c.clients}`);
      expect({ refused: attempt !== undefined, prefix: after![0]!.storage_prefix }).toEqual({
        refused: true,
        prefix: before![0]!.storage_prefix,
      });
    } finally {
      await deleteTenantFixture(c);
    }
  });
});
