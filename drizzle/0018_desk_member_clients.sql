-- The review desk's client switcher (src/desk): the active clients the calling person is a member
-- of, with their role in each. A tenant request can read only its own client's memberships (RLS);
-- this reads across clients, but only the caller's own rows: `app.user_id` of the transaction, set
-- by the request's prelude from its verified token. An API key's id is never a member, so a machine
-- caller gets no rows.
CREATE OR REPLACE FUNCTION app_private.member_clients()
RETURNS TABLE (client_id uuid, name text, slug text, role text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT c.id, c.name::text, c.slug::text, m.role::text
  FROM public.memberships m
  JOIN public.clients c ON c.id = m.client_id
  WHERE m.user_id = nullif(current_setting('app.user_id', true), '')::uuid
    AND c.is_active
  ORDER BY c.name, c.id
$$;
--> statement-breakpoint
ALTER FUNCTION app_private.member_clients() OWNER TO app_system;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app_private.member_clients() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app_private.member_clients() TO app_tenant;
