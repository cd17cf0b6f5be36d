-- Usage counts per dataset (sort by most downloaded / most called) and the searches people
-- make (suggestions offer popular ones). Both are written in batches, not per request.

CREATE TABLE dataset_usage (
    dataset_id TEXT PRIMARY KEY,
    downloads BIGINT NOT NULL DEFAULT 0,
    calls BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE search_queries (
    -- in matching form (kaifang-words normalisation), trimmed
    query TEXT PRIMARY KEY,
    hits BIGINT NOT NULL,
    last_at TEXT NOT NULL
);

CREATE INDEX search_queries_hits ON search_queries (hits);
