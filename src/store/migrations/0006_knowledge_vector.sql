-- pgvector where the server has it (PGlite loads it; Debian's PostgreSQL 15 has none, and knowledge search then
-- ranks by exact cosine over real[]). Each knowledge base gets its own HNSW index when it is created. A role that
-- may not create the extension gets the exact-cosine fallback too (`duet doctor` and /health say which is used).
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') THEN
    CREATE EXTENSION IF NOT EXISTS vector;
  END IF;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'pgvector is installed but this role may not create it: knowledge search uses exact cosine';
END
$$;
