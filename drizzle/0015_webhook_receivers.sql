-- Signed webhook receivers (src/webhooks). The Worker verifies a delivery's signature before any
-- database work; the delivery's one transaction then runs as the endpoint's tenant (app_tenant,
-- app.client_id from the verified endpoint URL) and starts with accept_webhook_delivery(), which
-- decides in the database whether the endpoint may receive it and records it. SQLSTATEs of class
-- WH, which the Worker maps to problems:
--   WH404 no such endpoint in this client (deleted, or the client is gone)  → 404
--   WH403 the endpoint is disabled, or its client deactivated               → 403
--   WH401 the secret version that signed it is rotated out (past its grace) → 401
--   WH422 the event is not one this kind of endpoint receives              → 422
--   WH409 this webhook-id was received before; DETAIL holds its outcome    → the first answer again
SELECT app_private.secure_tenant_table('public.webhook_endpoints');
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_private.accept_webhook_delivery(
  p_endpoint uuid, p_version integer, p_kind text, p_delivery uuid, p_webhook_id text, p_event text
) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_client uuid := nullif(current_setting('app.client_id', true), '')::uuid;
  v_active boolean;
  e public.webhook_endpoints%ROWTYPE;
  d public.webhook_deliveries%ROWTYPE;
BEGIN
  SELECT c.is_active INTO v_active FROM public.clients c WHERE c.id = v_client;
  SELECT * INTO e FROM public.webhook_endpoints w WHERE w.client_id = v_client AND w.id = p_endpoint;
  IF v_active IS NULL OR e.id IS NULL THEN
    RAISE EXCEPTION 'no such webhook endpoint' USING ERRCODE = 'WH404';
  END IF;
  IF NOT v_active OR e.disabled_at IS NOT NULL THEN
    RAISE EXCEPTION 'webhook endpoint disabled' USING ERRCODE = 'WH403';
  END IF;
  IF NOT (p_version = e.secret_version
          OR (p_version = e.previous_secret_version AND e.previous_secret_expires_at > now())) THEN
    RAISE EXCEPTION 'secret version % is no longer valid', p_version USING ERRCODE = 'WH401';
  END IF;
  IF e.kind::text <> p_kind THEN
    RAISE EXCEPTION 'a % endpoint does not receive this event', e.kind USING ERRCODE = 'WH422';
  END IF;
  -- The unique key decides between concurrent copies: the second waits for the first to commit,
  -- inserts nothing, and reads what the first recorded.
  INSERT INTO public.webhook_deliveries (id, client_id, source, delivery_id, endpoint_id, event_type, status, response_status)
  VALUES (p_delivery, v_client, p_endpoint::text, p_webhook_id, p_endpoint, p_event, 'processed', 200)
  ON CONFLICT (client_id, source, delivery_id) DO NOTHING;
  IF NOT FOUND THEN
    SELECT * INTO d FROM public.webhook_deliveries x
    WHERE x.client_id = v_client AND x.source = p_endpoint::text AND x.delivery_id = p_webhook_id;
    RAISE EXCEPTION 'delivery already received' USING ERRCODE = 'WH409',
      DETAIL = json_build_object('id', d.id, 'status', d.status, 'response_status', d.response_status,
                                 'error_code', d.error_code, 'error', d.error, 'event_type', d.event_type)::text;
  END IF;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app_private.accept_webhook_delivery(uuid, integer, text, uuid, text, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app_private.accept_webhook_delivery(uuid, integer, text, uuid, text, text) TO app_tenant;
