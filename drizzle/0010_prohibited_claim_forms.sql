-- Prohibited claims match every form of their words (seed 003's compliance rule for replies about
-- health products), without the false positives of substring matching. A claim matches when the
-- reply contains its words in order and consecutively (case and punctuation ignored), each reply
-- word matching the claim's word in the same position when:
--   1. both have the same English Snowball stem (cure, cures, cured, curing; prevent, prevents,
--      prevented, preventing, prevention, preventive, preventable; treat, treats, treated, treating), or
--   2. the reply word is the claim's word, or the claim's word without a final "e", followed by a
--      derivational suffix that keeps the claim: -ment(s), -able, -ative(s), -ive(s)
--      (treatment, treatable, curative, curable).
-- Not matched: secure, procured, treaty, treatise, curation, curate. See README "Brand rules".

CREATE OR REPLACE FUNCTION app_private.claim_word_matches(word text, claim_word text) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT word = claim_word
      OR coalesce((ts_lexize('english_stem', word))[1], word)
       = coalesce((ts_lexize('english_stem', claim_word))[1], claim_word)
      OR EXISTS (
        SELECT 1 FROM unnest(ARRAY['ment', 'ments', 'able', 'ative', 'atives', 'ive', 'ives']) AS suffix
        WHERE word IN (claim_word || suffix, regexp_replace(claim_word, 'e$', '') || suffix)
      )
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_private.contains_claim(content text, claim text) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  WITH reply AS (
    SELECT m[1] AS word, i FROM regexp_matches(lower(content), '[[:alnum:]]+', 'g') WITH ORDINALITY AS t(m, i)
  ),
  claimed AS (
    SELECT m[1] AS word, j FROM regexp_matches(lower(claim), '[[:alnum:]]+', 'g') WITH ORDINALITY AS t(m, j)
  )
  SELECT EXISTS (SELECT 1 FROM claimed)
     AND EXISTS (
       SELECT 1 FROM reply start
       WHERE NOT EXISTS (
         SELECT 1 FROM claimed c
         WHERE NOT EXISTS (
           SELECT 1 FROM reply r
           WHERE r.i = start.i + c.j - 1 AND app_private.claim_word_matches(r.word, c.word)
         )
       )
     )
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app_private.claim_word_matches(text, text), app_private.contains_claim(text, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app_private.claim_word_matches(text, text), app_private.contains_claim(text, text) TO app_tenant, app_system;
