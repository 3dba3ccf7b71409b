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
DO $$
DECLARE
  t regclass;
BEGIN
  FOR t IN SELECT tgrelid::regclass FROM pg_trigger WHERE tgname = 'set_updated_at' AND NOT tgisinternal LOOP
    EXECUTE format('DROP TRIGGER set_updated_at ON %s', t);
    EXECUTE format('CREATE TRIGGER set_updated_at BEFORE INSERT OR UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION app_private.set_updated_at()', t);
  END LOOP;
END
$$;
--> statement-breakpoint
-- New tenant tables get the same timestamp trigger (INSERT OR UPDATE); the rest is unchanged.
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
-- A tenant may change only its client's name, description and settings. Slug, active flag and
-- the storage prefix (its boundary in R2) belong to the system path.
REVOKE UPDATE ON public.clients FROM app_tenant;
--> statement-breakpoint
GRANT UPDATE (name, description, settings) ON public.clients TO app_tenant;
