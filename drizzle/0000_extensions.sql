-- pgvector must exist before any table declares a vector column; pgcrypto-free gen_random_uuid() is core since PG 13.
CREATE EXTENSION IF NOT EXISTS vector;
