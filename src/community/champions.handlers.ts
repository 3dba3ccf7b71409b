import { and, eq, inArray, isNotNull, isNull, ne, sql, type SQL } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Context } from 'hono';
import { tenantPrincipal } from '../auth/principal';
import { communityChampions } from '../db/schema';
import type { AppRouteHandler } from '../lib/create-router';
import { byCreated, keyset, toPage } from '../lib/pagination';
import { ApiError } from '../lib/problem';
import { toApi } from '../lib/serialize';
import type { AppEnv } from '../lib/types';
import type {
  getCommunityChampion,
  listCommunityChampions,
  markConverted,
  markDmSent,
  markSampleSent,
  recordDmResponse,
  setAdvocateStatus,
  upsertCommunityChampion,
} from './champions.routes';
import { onConstraint } from '../db/errors';

type ChampionChanges = PgUpdateSetSource<typeof communityChampions>;
type ChampionValues = Partial<typeof communityChampions.$inferInsert>;

const notFound = () => new ApiError(404, 'COMMUNITY_CHAMPION_NOT_FOUND', 'No such community champion in this client.');
const invalidTransition = (detail: string) => new ApiError(409, 'INVALID_TRANSITION', detail);
const authorNotFound = {
  community_champions_author_id_fkey: () =>
    new ApiError(404, 'AUTHOR_NOT_FOUND', 'No such author in this client.', { errors: [{ path: 'body.author_id', message: 'no such author' }] }),
};

export const upsert: AppRouteHandler<typeof upsertCommunityChampion> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const input = c.req.valid('json');
  const given: ChampionValues = {
    ...(input.tier !== undefined ? { tier: input.tier } : {}),
    ...(input.engagement_count !== undefined ? { engagementCount: input.engagement_count } : {}),
    ...(input.advocate_status !== undefined ? { advocateStatus: input.advocate_status } : {}),
  };
  const changedColumns: SQL[] = [
    ...(input.tier !== undefined ? [sql`${communityChampions.tier} is distinct from excluded.tier`] : []),
    ...(input.engagement_count !== undefined ? [sql`${communityChampions.engagementCount} is distinct from excluded.engagement_count`] : []),
    ...(input.advocate_status !== undefined ? [sql`${communityChampions.advocateStatus} is distinct from excluded.advocate_status`] : []),
  ];
  const match = and(eq(communityChampions.clientId, clientId), eq(communityChampions.authorId, input.author_id));
  // One statement decides insert or update (no read-then-write); an update that would change
  // nothing is skipped (no updated_at bump, no audit row). The select that follows in the same
  // transaction reads the row as it now is.
  const [written, rows] = await onConstraint(
    c.var.tenant.run((db) => {
      const insert = db.insert(communityChampions).values({ clientId, authorId: input.author_id, ...given });
      const upsertStatement =
        changedColumns.length > 0
          ? insert.onConflictDoUpdate({
              target: [communityChampions.clientId, communityChampions.authorId],
              set: given,
              setWhere: sql.join(changedColumns, sql` or `),
            })
          : insert.onConflictDoNothing({ target: [communityChampions.clientId, communityChampions.authorId] });
      return [
        upsertStatement.returning({ id: communityChampions.id, inserted: sql<boolean>`(xmax = 0)` }),
        db.select().from(communityChampions).where(match),
      ];
    }),
    authorNotFound,
  );
  if (!rows[0]) throw new Error('community champion upsert left no row');
  return written[0]?.inserted ? c.json(toApi(rows[0]), 201) : c.json(toApi(rows[0]), 200);
};

export const list: AppRouteHandler<typeof listCommunityChampions> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const query = c.req.valid('query');
  const page = keyset(communityChampions.createdAt, communityChampions.id, query.cursor);
  const [rows] = await c.var.tenant.run(
    (db) => [
      db
        .select()
        .from(communityChampions)
        .where(
          and(
            eq(communityChampions.clientId, clientId),
            query.tier ? eq(communityChampions.tier, query.tier) : undefined,
            query.advocate_status ? eq(communityChampions.advocateStatus, query.advocate_status) : undefined,
            query.author_id ? eq(communityChampions.authorId, query.author_id) : undefined,
            page.where,
          ),
        )
        .orderBy(...page.orderBy)
        .limit(query.limit + 1),
    ],
    { readOnly: true },
  );
  return c.json(toPage(rows, query.limit, byCreated, toApi), 200);
};

export const get: AppRouteHandler<typeof getCommunityChampion> = async (c) => {
  const { clientId } = tenantPrincipal(c.var.principal);
  const { id } = c.req.valid('param');
  const [rows] = await c.var.tenant.run(
    (db) => [db.select().from(communityChampions).where(and(eq(communityChampions.id, id), eq(communityChampions.clientId, clientId)))],
    { readOnly: true },
  );
  if (!rows[0]) throw notFound();
  return c.json(toApi(rows[0]), 200);
};

/**
 * A guarded milestone in one round trip: `UPDATE … WHERE <guard> RETURNING` (the guard is the
 * transition rule, checked by Postgres on the row it locks), then the row as it now is, from the
 * same transaction. Nothing changed and a row exists: the guard refused (the caller says why).
 */
async function guardedChange(c: Context<AppEnv>, id: string, changes: ChampionChanges, guard: SQL | undefined) {
  const { clientId } = tenantPrincipal(c.var.principal);
  const match = and(eq(communityChampions.id, id), eq(communityChampions.clientId, clientId));
  const [changed, rows] = await c.var.tenant.run((db) => [
    db.update(communityChampions).set(changes).where(and(match, guard)).returning({ id: communityChampions.id }),
    db.select().from(communityChampions).where(match),
  ]);
  if (!rows[0]) throw notFound();
  return { changed: changed.length > 0, row: rows[0] };
}

export const dmSent: AppRouteHandler<typeof markDmSent> = async (c) => {
  const { id } = c.req.valid('param');
  const { changed, row } = await guardedChange(
    c,
    id,
    { dmSentAt: sql`now()`, dmResponse: 'pending' },
    isNull(communityChampions.dmSentAt),
  );
  if (!changed) throw invalidTransition('The DM was already sent to this champion.');
  return c.json(toApi(row), 200);
};

export const dmResponse: AppRouteHandler<typeof recordDmResponse> = async (c) => {
  const { id } = c.req.valid('param');
  const { dm_response } = c.req.valid('json');
  const { changed, row } = await guardedChange(
    c,
    id,
    { dmResponse: dm_response },
    and(isNotNull(communityChampions.dmSentAt), inArray(communityChampions.dmResponse, ['pending', 'no_response'])),
  );
  if (!changed) {
    throw invalidTransition(
      row.dmSentAt === null ? 'No DM was sent to this champion yet.' : `The DM was already answered (${String(row.dmResponse)}).`,
    );
  }
  return c.json(toApi(row), 200);
};

export const sampleSent: AppRouteHandler<typeof markSampleSent> = async (c) => {
  const { id } = c.req.valid('param');
  const { changed, row } = await guardedChange(c, id, { sampleSent: true }, eq(communityChampions.sampleSent, false));
  if (!changed) throw invalidTransition('A sample was already sent to this champion.');
  return c.json(toApi(row), 200);
};

export const converted: AppRouteHandler<typeof markConverted> = async (c) => {
  const { id } = c.req.valid('param');
  const { changed, row } = await guardedChange(c, id, { converted: true }, eq(communityChampions.converted, false));
  if (!changed) throw invalidTransition('This champion already converted.');
  return c.json(toApi(row), 200);
};

export const advocateStatus: AppRouteHandler<typeof setAdvocateStatus> = async (c) => {
  const { id } = c.req.valid('param');
  const { advocate_status } = c.req.valid('json');
  // Setting the current status is a no-op, not an error: the guard only skips the write.
  const { row } = await guardedChange(c, id, { advocateStatus: advocate_status }, ne(communityChampions.advocateStatus, advocate_status));
  return c.json(toApi(row), 200);
};
