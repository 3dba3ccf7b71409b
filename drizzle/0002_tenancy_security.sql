-- Tenancy enforced by Postgres itself (DESIGN §3). Roles:
--   app_tenant        every tenant request runs as it (SET LOCAL ROLE); sees only rows whose
--                     client_id equals the transaction's app.client_id
--   app_system        the explicit cross-tenant path (system routes, jobs, seed)
--   app_audit_writer  owns the audit trigger function; the only role that inserts audit rows
-- All are NOLOGIN: only the owner (the migration role) can switch to them.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app_tenant') THEN
    CREATE ROLE app_tenant NOLOGIN NOINHERIT;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app_system') THEN
    CREATE ROLE app_system NOLOGIN NOINHERIT;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app_audit_writer') THEN
    CREATE ROLE app_audit_writer NOLOGIN NOINHERIT;
  END IF;
  EXECUTE format('GRANT app_tenant, app_system, app_audit_writer TO %I', current_user);
END
$$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO app_tenant, app_system, app_audit_writer;
--> statement-breakpoint
CREATE SCHEMA IF NOT EXISTS app_private;
--> statement-breakpoint
REVOKE ALL ON SCHEMA app_private FROM PUBLIC;
--> statement-breakpoint
GRANT USAGE, CREATE ON SCHEMA app_private TO app_audit_writer;
--> statement-breakpoint
-- Timestamps belong to the database: on INSERT both are now(); on UPDATE created_at keeps its
-- value and updated_at is now(). Callers can neither backdate nor forge them. Millisecond
-- precision, so a timestamp survives the round trip through a JavaScript Date exactly (keyset
-- pagination cursors compare against it).
CREATE OR REPLACE FUNCTION app_private.set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
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
--> statement-breakpoint
-- Statement-level audit trigger with transition tables: one INSERT … SELECT per statement, so a
-- bulk upsert of a thousand rows costs one audit statement, not a thousand. Trigger arguments
-- name columns whose values stay out of `details` (large or secret); they still appear in
-- `changed_columns`. Rows of a client being deleted are not audited (the trail goes with it).
CREATE OR REPLACE FUNCTION app_private.audit_capture() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  actor uuid := nullif(current_setting('app.user_id', true), '')::uuid;
  hidden text[] := TG_ARGV::text[] || ARRAY['created_at', 'updated_at'];
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO public.audit_logs (client_id, entity_type, entity_id, action, actor_id, changed_columns, details)
    SELECT s.client_id, TG_TABLE_NAME, (s.r->>'id')::uuid, 'insert', actor,
           ARRAY(SELECT k FROM jsonb_object_keys(s.r) AS k WHERE k <> ALL (hidden) ORDER BY k),
           s.r - hidden
    FROM (SELECT to_jsonb(n) AS r, coalesce((to_jsonb(n)->>'client_id')::uuid, (to_jsonb(n)->>'id')::uuid) AS client_id
          FROM new_rows n) s
    WHERE EXISTS (SELECT 1 FROM public.clients c WHERE c.id = s.client_id);
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO public.audit_logs (client_id, entity_type, entity_id, action, actor_id, changed_columns, details)
    SELECT p.client_id, TG_TABLE_NAME, (p.new_r->>'id')::uuid, 'update', actor, d.cols, coalesce(d.details, '{}'::jsonb)
    FROM (SELECT to_jsonb(o) AS old_r, to_jsonb(n) AS new_r,
                 coalesce((to_jsonb(n)->>'client_id')::uuid, (to_jsonb(n)->>'id')::uuid) AS client_id
          FROM old_rows o JOIN new_rows n ON n.id = o.id) p
    CROSS JOIN LATERAL (
      SELECT array_agg(e.key ORDER BY e.key) AS cols,
             jsonb_object_agg(e.key, jsonb_build_object('old', p.old_r->e.key, 'new', e.value))
               FILTER (WHERE e.key <> ALL (hidden)) AS details
      FROM jsonb_each(p.new_r) AS e
      WHERE e.value IS DISTINCT FROM p.old_r->e.key AND e.key <> 'updated_at'
    ) d
    WHERE d.cols IS NOT NULL
      AND EXISTS (SELECT 1 FROM public.clients c WHERE c.id = p.client_id);
  ELSE
    INSERT INTO public.audit_logs (client_id, entity_type, entity_id, action, actor_id, changed_columns, details)
    SELECT s.client_id, TG_TABLE_NAME, (s.r->>'id')::uuid, 'delete', actor, '{}'::text[], s.r - hidden
    FROM (SELECT to_jsonb(o) AS r, coalesce((to_jsonb(o)->>'client_id')::uuid, (to_jsonb(o)->>'id')::uuid) AS client_id
          FROM old_rows o) s
    WHERE EXISTS (SELECT 1 FROM public.clients c WHERE c.id = s.client_id);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
ALTER FUNCTION app_private.audit_capture() OWNER TO app_audit_writer;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app_private.audit_capture() FROM PUBLIC;
--> statement-breakpoint
-- The one way a table becomes tenant-secure: RLS enabled and forced, the tenant policy keyed on
-- app.client_id (nullif: an unset setting reads as '' once touched, and '' must match nothing),
-- the system policy, grants, updated_at maintenance and audit triggers. Idempotent; later
-- migrations call it for every new tenant table.
CREATE OR REPLACE FUNCTION app_private.secure_tenant_table(
  tbl regclass,
  tenant_privileges text DEFAULT 'SELECT, INSERT, UPDATE, DELETE',
  audit_hidden text[] DEFAULT '{}'
) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  key_column text := CASE WHEN tbl = 'public.clients'::regclass THEN 'id' ELSE 'client_id' END;
  tenant_expr text := format('%I = nullif(current_setting(''app.client_id'', true), '''')::uuid', key_column);
  hidden_args text := (SELECT string_agg(quote_literal(h), ', ') FROM unnest(audit_hidden) AS h);
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
  EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %s', tbl);
  EXECUTE format('CREATE POLICY tenant_isolation ON %s AS PERMISSIVE FOR ALL TO app_tenant USING (%s) WITH CHECK (%s)',
                 tbl, tenant_expr, tenant_expr);
  EXECUTE format('DROP POLICY IF EXISTS system_access ON %s', tbl);
  EXECUTE format('CREATE POLICY system_access ON %s AS PERMISSIVE FOR ALL TO app_system USING (true) WITH CHECK (true)', tbl);
  EXECUTE format('DROP POLICY IF EXISTS audit_visibility ON %s', tbl);
  EXECUTE format('CREATE POLICY audit_visibility ON %s AS PERMISSIVE FOR SELECT TO app_audit_writer USING (true)', tbl);
  EXECUTE format('REVOKE ALL ON %s FROM app_tenant, app_system', tbl);
  EXECUTE format('GRANT %s ON %s TO app_tenant', tenant_privileges, tbl);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO app_system', tbl);
  EXECUTE format('GRANT SELECT ON %s TO app_audit_writer', tbl);

  EXECUTE format('DROP TRIGGER IF EXISTS set_updated_at ON %s', tbl);
  EXECUTE format('CREATE TRIGGER set_updated_at BEFORE INSERT OR UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION app_private.set_updated_at()', tbl);
  EXECUTE format('DROP TRIGGER IF EXISTS audit_insert ON %s', tbl);
  EXECUTE format('CREATE TRIGGER audit_insert AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION app_private.audit_capture(%s)',
                 tbl, coalesce(hidden_args, ''));
  EXECUTE format('DROP TRIGGER IF EXISTS audit_update ON %s', tbl);
  EXECUTE format('CREATE TRIGGER audit_update AFTER UPDATE ON %s REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION app_private.audit_capture(%s)',
                 tbl, coalesce(hidden_args, ''));
  EXECUTE format('DROP TRIGGER IF EXISTS audit_delete ON %s', tbl);
  EXECUTE format('CREATE TRIGGER audit_delete AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION app_private.audit_capture(%s)',
                 tbl, coalesce(hidden_args, ''));
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app_private.secure_tenant_table(regclass, text, text[]) FROM PUBLIC;
--> statement-breakpoint
-- The tenant root: a tenant reads its own client row and may change only its name, description
-- and settings. Slug, active flag and the storage prefix (its boundary in R2) belong to the
-- system path.
SELECT app_private.secure_tenant_table('public.clients', 'SELECT, UPDATE (name, description, settings)');
--> statement-breakpoint
SELECT app_private.secure_tenant_table('public.memberships');
--> statement-breakpoint
SELECT app_private.secure_tenant_table('public.api_keys', 'SELECT, INSERT, UPDATE, DELETE', ARRAY['key_hash']);
--> statement-breakpoint
SELECT app_private.secure_tenant_table('public.brand_kits');
--> statement-breakpoint
SELECT app_private.secure_tenant_table('public.knowledge_bases');
--> statement-breakpoint
SELECT app_private.secure_tenant_table('public.knowledge_chunks', 'SELECT, INSERT, UPDATE, DELETE', ARRAY['embedding', 'search_vector', 'content']);
--> statement-breakpoint
SELECT app_private.secure_tenant_table('public.runs');
--> statement-breakpoint
SELECT app_private.secure_tenant_table('public.outputs');
--> statement-breakpoint
SELECT app_private.secure_tenant_table('public.feedback');
--> statement-breakpoint
SELECT app_private.secure_tenant_table('public.authors');
--> statement-breakpoint
SELECT app_private.secure_tenant_table('public.posts');
--> statement-breakpoint
SELECT app_private.secure_tenant_table('public.decisions');
--> statement-breakpoint
SELECT app_private.secure_tenant_table('public.replies');
--> statement-breakpoint
SELECT app_private.secure_tenant_table('public.escalations');
--> statement-breakpoint
SELECT app_private.secure_tenant_table('public.competitors');
--> statement-breakpoint
SELECT app_private.secure_tenant_table('public.competitive_mentions');
--> statement-breakpoint
SELECT app_private.secure_tenant_table('public.community_champions');
--> statement-breakpoint
SELECT app_private.secure_tenant_table('public.experiments');
--> statement-breakpoint
SELECT app_private.secure_tenant_table('public.kpi_metrics');
--> statement-breakpoint
SELECT app_private.secure_tenant_table('public.weight_adjustment_logs');
--> statement-breakpoint
SELECT app_private.secure_tenant_table('public.learning_events');
--> statement-breakpoint
SELECT app_private.secure_tenant_table('public.randomized_experiments');
--> statement-breakpoint
SELECT app_private.secure_tenant_table('public.segmented_weights');
--> statement-breakpoint
SELECT app_private.secure_tenant_table('public.webhook_deliveries');
--> statement-breakpoint
-- audit_logs: append-only. Tenants read their own rows; only the audit trigger's owner inserts;
-- nobody updates; the system path may delete (retention).
ALTER TABLE public.audit_logs ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE public.audit_logs FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_read ON public.audit_logs AS PERMISSIVE FOR SELECT TO app_tenant
  USING (client_id = nullif(current_setting('app.client_id', true), '')::uuid);
--> statement-breakpoint
CREATE POLICY system_access ON public.audit_logs AS PERMISSIVE FOR ALL TO app_system USING (true) WITH CHECK (true);
--> statement-breakpoint
CREATE POLICY audit_append ON public.audit_logs AS PERMISSIVE FOR INSERT TO app_audit_writer WITH CHECK (true);
--> statement-breakpoint
GRANT SELECT ON public.audit_logs TO app_tenant;
--> statement-breakpoint
GRANT SELECT, DELETE ON public.audit_logs TO app_system;
--> statement-breakpoint
GRANT INSERT ON public.audit_logs TO app_audit_writer;
--> statement-breakpoint
-- Global tables. users: a tenant sees itself and the members of its client. skills: readable by
-- every tenant. user_channels: system path only. All writes go through app_system.
CREATE TRIGGER set_updated_at BEFORE INSERT OR UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION app_private.set_updated_at();
--> statement-breakpoint
CREATE TRIGGER set_updated_at BEFORE INSERT OR UPDATE ON public.user_channels FOR EACH ROW EXECUTE FUNCTION app_private.set_updated_at();
--> statement-breakpoint
CREATE TRIGGER set_updated_at BEFORE INSERT OR UPDATE ON public.skills FOR EACH ROW EXECUTE FUNCTION app_private.set_updated_at();
--> statement-breakpoint
ALTER TABLE public.users ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE public.users FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_members ON public.users AS PERMISSIVE FOR SELECT TO app_tenant
  USING (
    id = nullif(current_setting('app.user_id', true), '')::uuid
    OR EXISTS (
      SELECT 1 FROM public.memberships m
      WHERE m.user_id = users.id AND m.client_id = nullif(current_setting('app.client_id', true), '')::uuid
    )
  );
--> statement-breakpoint
CREATE POLICY system_access ON public.users AS PERMISSIVE FOR ALL TO app_system USING (true) WITH CHECK (true);
--> statement-breakpoint
GRANT SELECT ON public.users TO app_tenant;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON public.users, public.user_channels, public.skills TO app_system;
--> statement-breakpoint
GRANT SELECT ON public.skills TO app_tenant;
