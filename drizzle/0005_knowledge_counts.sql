-- knowledge_bases.chunk_count and token_count are kept true by the database: after every statement
-- that changes chunks, the counts of the knowledge bases it touched are recomputed (one UPDATE per
-- statement, not per row). It runs in the caller's transaction and tenant context.
CREATE OR REPLACE FUNCTION app_private.refresh_knowledge_base_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE public.knowledge_bases kb
    SET chunk_count = (SELECT count(*) FROM public.knowledge_chunks c WHERE c.knowledge_base_id = kb.id),
        token_count = (SELECT coalesce(sum(c.token_count), 0) FROM public.knowledge_chunks c WHERE c.knowledge_base_id = kb.id)
    WHERE kb.id IN (SELECT DISTINCT knowledge_base_id FROM new_rows);
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE public.knowledge_bases kb
    SET chunk_count = (SELECT count(*) FROM public.knowledge_chunks c WHERE c.knowledge_base_id = kb.id),
        token_count = (SELECT coalesce(sum(c.token_count), 0) FROM public.knowledge_chunks c WHERE c.knowledge_base_id = kb.id)
    WHERE kb.id IN (SELECT DISTINCT knowledge_base_id FROM old_rows);
  ELSE
    UPDATE public.knowledge_bases kb
    SET chunk_count = (SELECT count(*) FROM public.knowledge_chunks c WHERE c.knowledge_base_id = kb.id),
        token_count = (SELECT coalesce(sum(c.token_count), 0) FROM public.knowledge_chunks c WHERE c.knowledge_base_id = kb.id)
    WHERE kb.id IN (SELECT knowledge_base_id FROM new_rows UNION SELECT knowledge_base_id FROM old_rows);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app_private.refresh_knowledge_base_counts() TO app_tenant, app_system;
--> statement-breakpoint
CREATE TRIGGER knowledge_counts_insert AFTER INSERT ON public.knowledge_chunks
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION app_private.refresh_knowledge_base_counts();
--> statement-breakpoint
CREATE TRIGGER knowledge_counts_update AFTER UPDATE ON public.knowledge_chunks
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION app_private.refresh_knowledge_base_counts();
--> statement-breakpoint
CREATE TRIGGER knowledge_counts_delete AFTER DELETE ON public.knowledge_chunks
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION app_private.refresh_knowledge_base_counts();
