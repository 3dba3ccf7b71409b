import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/principal';
import { json } from '../helpers/api';
import { asSystem, sqlState } from '../helpers/db';
import { useTenantFixtures, type FixtureIds } from '../helpers/fixtures';
import { expectProblem } from '../helpers/problem';
import { sender } from '../helpers/requests';

type Row = Record<string, unknown>;
interface BulkResult {
  received: number;
  inserted: number;
  updated: number;
  unchanged: number;
}
interface Series {
  platform: string;
  group_by: string;
  points: { period_start: string; period_end: string; sum: number; avg: number; min: number; max: number; count: number }[];
}

const { run: RUN, create: fixture } = useTenantFixtures('kpi');
let a: FixtureIds;
let b: FixtureIds;

beforeAll(async () => {
  [a, b] = await Promise.all([fixture('a'), fixture('b')]);
});

const send = sender(() => a, 'service');

const bulk = async (body: unknown, ids: FixtureIds = a) => {
  const response = await send('POST', '/v1/kpi-metrics/bulk', { ids, body });
  expect(response.status, await response.clone().text()).toBe(200);
  return json<BulkResult>(response);
};

async function kpiRows(ids: FixtureIds, name: string): Promise<Row[]> {
  const [rows] = await asSystem(
    sql`select id, date::text as date, platform::text as platform, metric_type::text as metric_type, metric_name, value, updated_at::text as updated_at
        from kpi_metrics where client_id = ${ids.clients} and metric_name = ${name} order by date, platform nulls first`,
  );
  return rows!;
}

describe('KPI metrics: bulk upsert', () => {
  it('is idempotent: the same batch twice gives the same rows; a changed value updates its row in place', async () => {
    const name = `impressions-${RUN}`;
    const batch = {
      metrics: [
        { date: '2026-05-01', platform: 'twitter', metric_type: 'reach', metric_name: name, value: 100 },
        { date: '2026-05-01', platform: 'reddit', metric_type: 'reach', metric_name: name, value: 50 },
        { date: '2026-05-01', metric_type: 'reach', metric_name: name, value: 150 },
        { date: '2026-05-02', platform: null, metric_type: 'reach', metric_name: name, value: 160.5 },
      ],
    };
    expect(await bulk(batch)).toEqual({ received: 4, inserted: 4, updated: 0, unchanged: 0 });
    const first = await kpiRows(a, name);
    expect(first.map((r) => [r.date, r.platform, r.value])).toEqual([
      ['2026-05-01', null, 150],
      ['2026-05-01', 'reddit', 50],
      ['2026-05-01', 'twitter', 100],
      ['2026-05-02', null, 160.5],
    ]);
    const [audit] = await asSystem(sql`select count(*)::int as n from audit_logs where client_id = ${a.clients} and entity_type = 'kpi_metrics'`);

    expect(await bulk(batch)).toEqual({ received: 4, inserted: 0, updated: 0, unchanged: 4 });
    expect(await kpiRows(a, name)).toEqual(first); // same ids, values and updated_at: nothing written
    const [auditAgain] = await asSystem(sql`select count(*)::int as n from audit_logs where client_id = ${a.clients} and entity_type = 'kpi_metrics'`);
    expect(auditAgain![0]!.n).toBe(audit![0]!.n);

    const changed = structuredClone(batch);
    changed.metrics[0]!.value = 101;
    changed.metrics[2]!.value = 151;
    expect(await bulk(changed)).toEqual({ received: 4, inserted: 0, updated: 2, unchanged: 2 });
    const after = await kpiRows(a, name);
    expect(after.map((r) => r.id)).toEqual(first.map((r) => r.id));
    expect(after.map((r) => r.value)).toEqual([151, 50, 101, 160.5]);
  });

  it('a NULL platform is one key of its own: omitted and null address the same row, per-platform rows stay apart', async () => {
    const name = `null-platform-${RUN}`;
    const base = { date: '2026-05-03', metric_type: 'engagement', metric_name: name };
    expect(await bulk({ metrics: [{ ...base, value: 1 }] })).toMatchObject({ inserted: 1 });
    expect(await bulk({ metrics: [{ ...base, platform: null, value: 2 }] })).toMatchObject({ inserted: 0, updated: 1 });
    expect(await bulk({ metrics: [{ ...base, platform: 'threads', value: 3 }] })).toMatchObject({ inserted: 1 });
    expect((await kpiRows(a, name)).map((r) => [r.platform, r.value])).toEqual([
      [null, 2],
      ['threads', 3],
    ]);
    // In one batch, omitted and null are the same key: refused as a duplicate.
    const duplicate = await expectProblem(
      await send('POST', '/v1/kpi-metrics/bulk', { body: { metrics: [{ ...base, value: 1 }, { ...base, platform: null, value: 2 }] }, trips: 0 }),
      422,
      'VALIDATION_FAILED',
    );
    expect(duplicate.errors).toEqual([{ path: 'body.metrics.1', message: expect.stringContaining('metrics.0') }]);
    // And the database holds the same rule (NULLS NOT DISTINCT).
    const state = await sqlState(
      asSystem(
        sql`insert into kpi_metrics (client_id, date, platform, metric_type, metric_name, value) values (${a.clients}, '2026-05-03', null, 'engagement', ${name}, 9)`,
      ),
    );
    expect(state).toBe('23505');
  });

  it('a batch-wide date applies to values without their own', async () => {
    const name = `daily-${RUN}`;
    expect(
      await bulk({
        date: '2026-05-04',
        metrics: [
          { metric_type: 'conversion', metric_name: name, value: 4 },
          { date: '2026-05-03', metric_type: 'conversion', metric_name: name, value: 3 },
        ],
      }),
    ).toMatchObject({ inserted: 2 });
    expect((await kpiRows(a, name)).map((r) => [r.date, r.value])).toEqual([
      ['2026-05-03', 3],
      ['2026-05-04', 4],
    ]);
  });

  it(`takes up to 500 values in one statement; 501 is 422 before the database`, async () => {
    const name = `limit-${RUN}`;
    const metrics = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        date: new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString().slice(0, 10),
        metric_type: 'quality',
        metric_name: name,
        value: i,
      }));
    expect(await bulk({ metrics: metrics(500) })).toEqual({ received: 500, inserted: 500, updated: 0, unchanged: 0 });
    await expectProblem(await send('POST', '/v1/kpi-metrics/bulk', { body: { metrics: metrics(501) }, trips: 0 }), 422, 'VALIDATION_FAILED');
    expect(await kpiRows(a, name)).toHaveLength(500);
  });

  it('validates dates, enums, names and values (422, nothing written)', async () => {
    const ok = { date: '2026-05-05', metric_type: 'reach', metric_name: `v-${RUN}`, value: 1 };
    const cases: [Row, RegExp][] = [
      [{ metrics: [] }, /^body\.metrics$/],
      [{ metrics: [{ ...ok, date: '2026-02-30' }] }, /^body\.metrics\.0\.date$/],
      [{ metrics: [{ ...ok, date: '05/01/2026' }] }, /^body\.metrics\.0\.date$/],
      [{ metrics: [{ ...ok, platform: 'myspace' }] }, /^body\.metrics\.0\.platform$/],
      [{ metrics: [{ ...ok, metric_type: 'vanity' }] }, /^body\.metrics\.0\.metric_type$/],
      [{ metrics: [{ ...ok, metric_name: ' ' }] }, /^body\.metrics\.0\.metric_name$/],
      [{ metrics: [{ ...ok, metric_name: 'n'.repeat(101) }] }, /^body\.metrics\.0\.metric_name$/],
      [{ metrics: [{ ...ok, value: '1' }] }, /^body\.metrics\.0\.value$/],
      [{ metrics: [{ ...ok, value: 1, extra: true }] }, /^body\.metrics\.0/],
      [{ metrics: [{ metric_type: 'reach', metric_name: 'x', value: 1 }] }, /^body\.metrics\.0\.date$/],
      [{ date: 'yesterday', metrics: [ok] }, /^body\.date$/],
    ];
    for (const [body, path] of cases) {
      const problem = await expectProblem(await send('POST', '/v1/kpi-metrics/bulk', { body, trips: 0 }), 422, 'VALIDATION_FAILED');
      const paths = (problem.errors as { path: string }[]).map((e) => e.path);
      expect(paths.some((p) => path.test(p)), `${JSON.stringify(body)} → ${paths.join(', ')}`).toBe(true);
    }
    expect(await kpiRows(a, `v-${RUN}`)).toEqual([]);
  });

  it('machine clients and editors write; viewers may not', async () => {
    const body = { metrics: [{ date: '2026-05-06', metric_type: 'reach', metric_name: `roles-${RUN}`, value: 1 }] };
    expect((await send('POST', '/v1/kpi-metrics/bulk', { as: 'editor', body })).status).toBe(200);
    await expectProblem(await send('POST', '/v1/kpi-metrics/bulk', { as: 'viewer', body, trips: 0 }), 403, 'FORBIDDEN');
  });
});

describe('KPI metrics: series', () => {
  const name = `series-${RUN}`;
  beforeAll(async () => {
    // 2026-01-26, 2026-02-02, 2026-02-09 and 2026-02-23 are Mondays.
    const twitter: [string, number][] = [
      ['2026-01-30', 10],
      ['2026-01-31', 20],
      ['2026-02-01', 30],
      ['2026-02-02', 40],
      ['2026-02-15', 5],
      ['2026-03-01', 100],
    ];
    await bulk({
      metrics: [
        ...twitter.map(([date, value]) => ({ date, platform: 'twitter', metric_type: 'reach', metric_name: name, value })),
        // The all-platforms values are a series of their own, never mixed into a platform's.
        { date: '2026-01-31', metric_type: 'reach', metric_name: name, value: 1000 },
        { date: '2026-02-01', platform: null, metric_type: 'reach', metric_name: name, value: 2000 },
        // Same name, another type or platform: not part of the series.
        { date: '2026-01-31', platform: 'twitter', metric_type: 'engagement', metric_name: name, value: 7 },
        { date: '2026-01-31', platform: 'reddit', metric_type: 'reach', metric_name: name, value: 9 },
      ],
    });
    // Another tenant's values for the same metric stay out of a's series.
    await bulk({ metrics: [{ date: '2026-01-31', platform: 'twitter', metric_type: 'reach', metric_name: name, value: 99999 }] }, b);
  });

  const series = async (query: string, as: Role = 'viewer') => {
    const response = await send('GET', `/v1/kpi-metrics/series?metric_type=reach&metric_name=${name}&${query}`, { as });
    expect(response.status, await response.clone().text()).toBe(200);
    return json<Series>(response);
  };
  const point = (period_start: string, period_end: string, values: number[]) => ({
    period_start,
    period_end,
    sum: values.reduce((x, y) => x + y, 0),
    avg: values.reduce((x, y) => x + y, 0) / values.length,
    min: Math.min(...values),
    max: Math.max(...values),
    count: values.length,
  });

  it('by day: one point per day with a value', async () => {
    const result = await series('platform=twitter&from=2026-01-01&to=2026-03-31&group_by=day');
    expect(result).toMatchObject({ platform: 'twitter', group_by: 'day', from: '2026-01-01', to: '2026-03-31' });
    expect(result.points).toEqual([
      point('2026-01-30', '2026-01-30', [10]),
      point('2026-01-31', '2026-01-31', [20]),
      point('2026-02-01', '2026-02-01', [30]),
      point('2026-02-02', '2026-02-02', [40]),
      point('2026-02-15', '2026-02-15', [5]),
      point('2026-03-01', '2026-03-01', [100]),
    ]);
    // day is the default bucket
    expect((await series('platform=twitter&from=2026-01-01&to=2026-03-31')).points).toEqual(result.points);
  });

  it('by ISO week (Monday to Sunday)', async () => {
    const result = await series('platform=twitter&from=2026-01-01&to=2026-03-31&group_by=week');
    expect(result.points).toEqual([
      point('2026-01-26', '2026-02-01', [10, 20, 30]),
      point('2026-02-02', '2026-02-08', [40]),
      point('2026-02-09', '2026-02-15', [5]),
      point('2026-02-23', '2026-03-01', [100]),
    ]);
  });

  it('by calendar month; the range bounds the data, buckets stay calendar periods', async () => {
    expect((await series('platform=twitter&from=2026-01-01&to=2026-03-31&group_by=month')).points).toEqual([
      point('2026-01-01', '2026-01-31', [10, 20]),
      point('2026-02-01', '2026-02-28', [30, 40, 5]),
      point('2026-03-01', '2026-03-31', [100]),
    ]);
    expect((await series('platform=twitter&from=2026-01-31&to=2026-02-28&group_by=month')).points).toEqual([
      point('2026-01-01', '2026-01-31', [20]),
      point('2026-02-01', '2026-02-28', [30, 40, 5]),
    ]);
  });

  it('platform=all (the default) is the all-platforms series only', async () => {
    const all = await series('from=2026-01-01&to=2026-03-31&group_by=month');
    expect(all.platform).toBe('all');
    expect(all.points).toEqual([point('2026-01-01', '2026-01-31', [1000]), point('2026-02-01', '2026-02-28', [2000])]);
    expect((await series('platform=threads&from=2026-01-01&to=2026-03-31')).points).toEqual([]);
  });

  it('validates the query (400, no round trip): range required, ordered, at most two years', async () => {
    const base = `metric_type=reach&metric_name=${name}`;
    for (const query of [
      `${base}&to=2026-03-31`,
      `${base}&from=2026-01-01`,
      `${base}&from=2026-03-01&to=2026-01-01`,
      `${base}&from=2024-01-01&to=2026-01-02`,
      `${base}&from=2026-01-01&to=2026-02-30`,
      `${base}&from=2026-01-01&to=2026-03-31&group_by=quarter`,
      `${base}&from=2026-01-01&to=2026-03-31&platform=myspace`,
      `metric_type=reach&from=2026-01-01&to=2026-03-31`,
      `metric_type=vanity&metric_name=x&from=2026-01-01&to=2026-03-31`,
    ]) {
      await expectProblem(await send('GET', `/v1/kpi-metrics/series?${query}`, { as: 'viewer', trips: 0 }), 400, 'INVALID_REQUEST');
    }
    // Exactly 731 days is allowed.
    expect((await send('GET', `/v1/kpi-metrics/series?${base}&from=2024-01-01&to=2026-01-01`, { as: 'viewer' })).status).toBe(200);
    await expectProblem(
      await send('GET', `/v1/kpi-metrics/series?${base}&from=2026-01-01&to=2026-03-31`, { as: 'service', trips: 0 }),
      403,
      'FORBIDDEN',
    );
  });

  it('stays within the tenant', async () => {
    const result = await send('GET', `/v1/kpi-metrics/series?metric_type=reach&metric_name=${name}&platform=twitter&from=2026-01-01&to=2026-03-31`, {
      ids: b,
      as: 'viewer',
    });
    expect((await json<Series>(result)).points).toEqual([
      { period_start: '2026-01-31', period_end: '2026-01-31', sum: 99999, avg: 99999, min: 99999, max: 99999, count: 1 },
    ]);
  });
});


describe('KPI metrics: extreme values', () => {
  it('values beyond ±1e15 are refused (422), so no sum of a series can overflow: the series still answers', async () => {
    const name = `huge-${RUN}`;
    for (const value of [1.7e308, -1.7e308, 1e15 + 2]) {
      const body = { metrics: [{ date: '2026-06-01', metric_type: 'reach', metric_name: name, value }] };
      const problem = await expectProblem(await send('POST', '/v1/kpi-metrics/bulk', { body, trips: 0 }), 422, 'VALIDATION_FAILED');
      expect(problem.errors).toEqual([expect.objectContaining({ path: 'body.metrics.0.value' })]);
    }
    // The largest values, on every day of the longest range, still sum.
    const days = Array.from({ length: 31 }, (_, i) => `2026-07-${String(i + 1).padStart(2, '0')}`);
    await bulk({ metrics: days.map((date) => ({ date, metric_type: 'reach', metric_name: name, value: 1e15 })) });
    const response = await send('GET', `/v1/kpi-metrics/series?metric_type=reach&metric_name=${name}&from=2026-01-01&to=2026-12-31&group_by=month`, {
      as: 'viewer',
    });
    expect(response.status, await response.clone().text()).toBe(200);
    expect((await json<Series>(response)).points).toEqual([
      { period_start: '2026-07-01', period_end: '2026-07-31', sum: 31e15, avg: 1e15, min: 1e15, max: 1e15, count: 31 },
    ]);
  });

  it('dates outside 1970–2200 are refused: 422 in a body, 400 in a query', async () => {
    const name = `years-${RUN}`;
    for (const date of ['0001-01-01', '1969-12-31', '2201-01-01', '9999-12-31']) {
      const body = { metrics: [{ date, metric_type: 'reach', metric_name: name, value: 1 }] };
      await expectProblem(await send('POST', '/v1/kpi-metrics/bulk', { body, trips: 0 }), 422, 'VALIDATION_FAILED');
      await expectProblem(
        await send('GET', `/v1/kpi-metrics/series?metric_type=reach&metric_name=${name}&from=${date}&to=${date}`, { as: 'viewer', trips: 0 }),
        400,
        'INVALID_REQUEST',
      );
    }
    await bulk({ metrics: ['1970-01-01', '2200-12-31'].map((date) => ({ date, metric_type: 'reach', metric_name: name, value: 1 })) });
    expect(await kpiRows(a, name)).toHaveLength(2);
  });
});
