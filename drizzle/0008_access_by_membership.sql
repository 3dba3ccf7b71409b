-- Access is decided by the database on every request (DESIGN §3.6): the token says who calls,
-- the caller's current membership (or API key row) says what they may do. The tenant executor
-- calls app_private.authorize_request() right after the role switch, in the request's own batch,
-- so a removal, a demotion or a revocation takes effect on the very next request at no extra
-- round trip. Errors carry SQLSTATEs of class TN, which the Worker maps to problems:
--   TN401 the token's client does not exist              → 401 INVALID_TOKEN
--   TN403 the client is deactivated (user tokens)          → 403 CLIENT_INACTIVE
--   TN404 the user is not a member of the client           → 403 NOT_A_MEMBER
--   TN410 the API key is revoked, expired, or its client is deactivated → 401 INVALID_TOKEN
--   TN413 the acting role may not call this route          → 403 FORBIDDEN
--   TNO03 the acting role is not owner (owner-only change) → 403 OWNER_REQUIRED

-- Whether a holder of role `holder` may act as `claimed`: owner > admin > editor > {viewer, service}.
-- viewer and service are incomparable (a viewer reads, a service automates).
CREATE OR REPLACE FUNCTION app_private.role_covers(holder text, claimed text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT holder = claimed
      OR (CASE holder WHEN 'owner' THEN 4 WHEN 'admin' THEN 3 WHEN 'editor' THEN 2 ELSE 0 END)
       > (CASE claimed WHEN 'owner' THEN 4 WHEN 'admin' THEN 3 WHEN 'editor' THEN 2 WHEN 'viewer' THEN 1 WHEN 'service' THEN 1 ELSE 99 END)
$$;
--> statement-breakpoint
-- The acting role is the token's role when the current role covers it (a token may narrow), else
-- the current role when the token's covers that (a demoted member acts with what is left), else
-- nothing. It must be one of the route's roles. The acting role is stored in app.role for the rest
-- of the transaction (owner-only guards and policies read it) and returned.
CREATE OR REPLACE FUNCTION app_private.authorize_request(p_kind text, p_subject uuid, p_claimed text, p_allowed text[])
RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_client uuid := nullif(current_setting('app.client_id', true), '')::uuid;
  v_active boolean;
  v_current text;
  v_acting text;
BEGIN
  SELECT c.is_active INTO v_active FROM public.clients c WHERE c.id = v_client;
  IF v_active IS NULL THEN
    RAISE EXCEPTION 'client does not exist' USING ERRCODE = 'TN401';
  END IF;
  IF p_kind = 'api_key' THEN
    SELECT k.role::text INTO v_current
    FROM public.api_keys k
    WHERE k.client_id = v_client AND k.id = p_subject
      AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now());
    IF v_current IS NULL OR NOT v_active THEN
      RAISE EXCEPTION 'API key revoked, expired or of a deactivated client' USING ERRCODE = 'TN410';
    END IF;
  ELSE
    IF NOT v_active THEN
      RAISE EXCEPTION 'client is deactivated' USING ERRCODE = 'TN403';
    END IF;
    SELECT m.role::text INTO v_current
    FROM public.memberships m
    WHERE m.client_id = v_client AND m.user_id = p_subject;
    IF v_current IS NULL THEN
      RAISE EXCEPTION 'not a member of this client' USING ERRCODE = 'TN404';
    END IF;
  END IF;
  v_acting := CASE
    WHEN app_private.role_covers(v_current, p_claimed) THEN p_claimed
    WHEN app_private.role_covers(p_claimed, v_current) THEN v_current
  END;
  IF v_acting IS NULL OR NOT (v_acting = ANY (p_allowed)) THEN
    RAISE EXCEPTION 'role % may not do this', coalesce(v_acting, v_current) USING ERRCODE = 'TN413';
  END IF;
  PERFORM set_config('app.role', v_acting, true);
  RETURN v_acting;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app_private.authorize_request(text, uuid, text, text[]) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app_private.authorize_request(text, uuid, text, text[]) TO app_tenant;
--> statement-breakpoint
-- For changes only an owner may make (granting owner): when `needed`, fails the batch unless the
-- acting role decided above is owner.
CREATE OR REPLACE FUNCTION app_private.require_owner(needed boolean) RETURNS void
LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF needed AND current_setting('app.role', true) IS DISTINCT FROM 'owner' THEN
    RAISE EXCEPTION 'only an owner may do this' USING ERRCODE = 'TNO03';
  END IF;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app_private.require_owner(boolean) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app_private.require_owner(boolean) TO app_tenant;
--> statement-breakpoint
-- Users are global; what one client writes about a person stays with its membership
-- (memberships.display_name). A tenant can only find or create a user by email, stored lower
-- case so the stored spelling reveals nothing about who added it first. The previous version
-- also wrote users.display_name, which another client would then see.
CREATE OR REPLACE FUNCTION app_private.ensure_user(p_email text) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  found uuid;
BEGIN
  INSERT INTO public.users (email)
  VALUES (lower(p_email))
  ON CONFLICT ((lower(email))) DO NOTHING
  RETURNING id INTO found;
  IF found IS NULL THEN
    SELECT u.id INTO found FROM public.users u WHERE lower(u.email) = lower(p_email);
  END IF;
  RETURN found;
END
$$;
--> statement-breakpoint
ALTER FUNCTION app_private.ensure_user(text) OWNER TO app_system;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app_private.ensure_user(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app_private.ensure_user(text) TO app_tenant;
--> statement-breakpoint
DROP FUNCTION app_private.ensure_user(text, text);
