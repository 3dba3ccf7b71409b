CREATE TYPE "public"."retention_dataset" AS ENUM('posts', 'kpi_metrics', 'audit_logs');--> statement-breakpoint
CREATE TABLE "retention_archives" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"dataset" "retention_dataset" NOT NULL,
	"object_key" varchar(1024) NOT NULL,
	"record_count" integer NOT NULL,
	"deleted_rows" integer NOT NULL,
	"byte_size" integer NOT NULL,
	"sha256" varchar(64) NOT NULL,
	"cutoff" timestamp with time zone NOT NULL,
	"oldest" timestamp with time zone NOT NULL,
	"newest" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL,
	CONSTRAINT "retention_archives_client_id_id_key" UNIQUE("client_id","id"),
	CONSTRAINT "retention_archives_counts" CHECK ("retention_archives"."record_count" > 0 AND "retention_archives"."deleted_rows" >= "retention_archives"."record_count" AND "retention_archives"."byte_size" > 0),
	CONSTRAINT "retention_archives_sha256_format" CHECK ("retention_archives"."sha256" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
ALTER TABLE "retention_archives" ADD CONSTRAINT "retention_archives_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "retention_archives_client_id_object_key_key" ON "retention_archives" USING btree ("client_id","object_key");

--> statement-breakpoint
-- Retention (README "Retention"). The archive ledger is tenant data a client may read, never
-- write: only the system path (the retention job) inserts, in the transaction that deletes what
-- the object holds.
SELECT app_private.secure_tenant_table('public.retention_archives', 'SELECT');
--> statement-breakpoint
-- 0011's audit function, unchanged but for one case: a delete by the retention job's purge
-- (system role, app.retention_purge = 'archived', set in that transaction only) writes no row per
-- purged row; the batch is audited once, by its retention_archives row.
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
    -- The retention job's purge of archived rows: its one audit entry is the retention_archives
    -- row naming the object (same transaction). Only the system role reaches this branch.
    IF current_setting('app.retention_purge', true) = 'archived' AND current_setting('role') = 'app_system' THEN
      RETURN NULL;
    END IF;
    INSERT INTO public.audit_logs (client_id, entity_type, entity_id, action, actor_id, changed_columns, details)
    SELECT coalesce((s.r->>'client_id')::uuid, s.id), TG_TABLE_NAME, s.id, 'delete', actor, '{}'::text[], s.r - hidden
    FROM (SELECT o.id, to_jsonb(o) AS r FROM old_rows o OFFSET 0) s
    WHERE EXISTS (SELECT 1 FROM public.clients c WHERE c.id = coalesce((s.r->>'client_id')::uuid, s.id));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- 0002's timestamp trigger, unchanged but for one case: `npm run retention:restore` puts archived
-- rows back exactly as they were, timestamps included (app.retention_restore = 'archived' in its
-- transaction). A tenant request can never keep a timestamp it sends.
CREATE OR REPLACE FUNCTION app_private.set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' AND current_setting('app.retention_restore', true) = 'archived'
     AND current_setting('role') <> 'app_tenant' THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'INSERT' THEN
    NEW.created_at := date_trunc('milliseconds', now());
    NEW.updated_at := NEW.created_at;
  ELSE
    NEW.created_at := OLD.created_at;
    NEW.updated_at := date_trunc('milliseconds', now());
  END IF;
  RETURN NEW;
END
$$;
