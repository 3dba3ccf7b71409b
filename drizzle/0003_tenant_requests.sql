-- Functions the tenant request path calls inside its one transaction batch.
GRANT USAGE ON SCHEMA app_private TO app_tenant;
--> statement-breakpoint
-- First statement after the tenant prelude: fails the whole batch when the token's client does not
-- exist (TN401) or is deactivated (TN403), so no second round trip is needed to check it.
CREATE OR REPLACE FUNCTION app_private.require_active_client() RETURNS void
LANGUAGE plpgsql STABLE AS $$
DECLARE
  active boolean;
BEGIN
  SELECT c.is_active INTO active
  FROM public.clients c
  WHERE c.id = nullif(current_setting('app.client_id', true), '')::uuid;
  IF active IS NULL THEN
    RAISE EXCEPTION 'client does not exist' USING ERRCODE = 'TN401';
  ELSIF NOT active THEN
    RAISE EXCEPTION 'client is deactivated' USING ERRCODE = 'TN403';
  END IF;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app_private.require_active_client() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app_private.require_active_client() TO app_tenant;
--> statement-breakpoint
-- Users are global: a tenant admin adding a member may need to create the user. This is the only
-- way a tenant writes to users: find by email (case-insensitive) or create, nothing else.
CREATE OR REPLACE FUNCTION app_private.ensure_user(p_email text, p_display_name text) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  found uuid;
BEGIN
  INSERT INTO public.users (email, display_name)
  VALUES (p_email, p_display_name)
  ON CONFLICT ((lower(email))) DO NOTHING
  RETURNING id INTO found;
  IF found IS NULL THEN
    SELECT u.id INTO found FROM public.users u WHERE lower(u.email) = lower(p_email);
  END IF;
  RETURN found;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app_private.ensure_user(text, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app_private.ensure_user(text, text) TO app_tenant;
--> statement-breakpoint
-- ensure_user runs as its owner, app_system (whose policy on users admits it).
GRANT USAGE, CREATE ON SCHEMA app_private TO app_system;
--> statement-breakpoint
ALTER FUNCTION app_private.ensure_user(text, text) OWNER TO app_system;
