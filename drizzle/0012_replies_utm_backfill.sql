-- Data migration (kept apart from the schema change that follows, seed 003): every reply is
-- attributed. Replies drafted before utm_code was required get 'unattributed', so the next
-- migration can make the column NOT NULL. Breaking change: none for readers; drafting without
-- utm_code has been a 422 since the same release.
UPDATE replies SET utm_code = 'unattributed' WHERE utm_code IS NULL;
