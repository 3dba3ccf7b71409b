-- The audit trigger function of 0002, rewritten to cost time linear in the rows of a statement and
-- a fraction of the write it audits (issue 10: an upsert of a thousand known authors took two
-- minutes, nearly all of it here, and auditing was 60-73% of every bulk write). The rows it writes
-- are the same, column for column (test/worker/schema/audit.test.ts compares them with
-- what 0002's function writes).
--   * Each row becomes jsonb once: the conversions sit in a subquery behind OFFSET 0, which the
--     planner cannot pull up, so an expression is not copied (and run again) into every use.
--   * An insert's changed columns are the same for every row of the statement: listed once.
--   * An update pairs old and new rows by id with a FULL JOIN (keeping the pairs found on both
--     sides, as the inner join did), because Postgres runs a full join only as a hash or merge
--     join, never as a nested loop. The planner estimates a transition table by its size when the
--     trigger's statement was first parsed in the session (often one row), and plpgsql keeps that:
--     the inner join of 0002 became a nested loop that, at a thousand rows, compared a million
--     pairs and diffed the rows inside the loop.
--   * Rows of a client being deleted are not audited (the trail goes with the client, and
--     audit_logs references clients): asked for updates and deletes, which a cascade from the
--     client can cause. An inserted row's client exists, or the insert fails its foreign key.
CREATE OR REPLACE FUNCTION app_private.audit_capture() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
DECLARE
  actor uuid := nullif(current_setting('app.user_id', true), '')::uuid;
  hidden text[] := TG_ARGV::text[] || ARRAY['created_at', 'updated_at'];
  inserted_columns text[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT coalesce(array_agg(k ORDER BY k), '{}') INTO inserted_columns
    FROM (SELECT to_jsonb(n) AS r FROM new_rows n LIMIT 1) s, jsonb_object_keys(s.r) AS k
    WHERE k <> ALL (hidden);
    INSERT INTO public.audit_logs (client_id, entity_type, entity_id, action, actor_id, changed_columns, details)
    SELECT coalesce((s.r->>'client_id')::uuid, s.id), TG_TABLE_NAME, s.id, 'insert', actor, inserted_columns, s.r - hidden
    FROM (SELECT n.id, to_jsonb(n) AS r FROM new_rows n OFFSET 0) s;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO public.audit_logs (client_id, entity_type, entity_id, action, actor_id, changed_columns, details)
    SELECT coalesce((p.new_r->>'client_id')::uuid, p.id), TG_TABLE_NAME, p.id, 'update', actor, d.cols, coalesce(d.details, '{}'::jsonb)
    FROM (SELECT n.id, to_jsonb(o) AS old_r, to_jsonb(n) AS new_r
          FROM old_rows o FULL JOIN new_rows n ON n.id = o.id OFFSET 0) p
    CROSS JOIN LATERAL (
      SELECT array_agg(e.key ORDER BY e.key) AS cols,
             jsonb_object_agg(e.key, jsonb_build_object('old', p.old_r->e.key, 'new', e.value))
               FILTER (WHERE e.key <> ALL (hidden)) AS details
      FROM jsonb_each(p.new_r) AS e
      WHERE e.value IS DISTINCT FROM p.old_r->e.key AND e.key <> 'updated_at'
    ) d
    WHERE p.old_r IS NOT NULL AND p.new_r IS NOT NULL AND d.cols IS NOT NULL
      AND EXISTS (SELECT 1 FROM public.clients c WHERE c.id = coalesce((p.new_r->>'client_id')::uuid, p.id));
  ELSE
    INSERT INTO public.audit_logs (client_id, entity_type, entity_id, action, actor_id, changed_columns, details)
    SELECT coalesce((s.r->>'client_id')::uuid, s.id), TG_TABLE_NAME, s.id, 'delete', actor, '{}'::text[], s.r - hidden
    FROM (SELECT o.id, to_jsonb(o) AS r FROM old_rows o OFFSET 0) s
    WHERE EXISTS (SELECT 1 FROM public.clients c WHERE c.id = coalesce((s.r->>'client_id')::uuid, s.id));
  END IF;
  RETURN NULL;
END
$$;
