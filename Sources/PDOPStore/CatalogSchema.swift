/// Migration 2: the catalog (R3). Search runs over `search_text` (names, description, keywords,
/// column names), indexed by trigrams so Chinese text, which has no spaces, is found by any substring:
/// an FTS5 trigram table on SQLite, a pg_trgm GIN index on PostgreSQL.
enum CatalogSchema {
    static func statements(_ flavor: SQLFlavor) -> [String] {
        var statements = [
            """
            CREATE TABLE catalog_resources (
                id TEXT PRIMARY KEY, provider_id TEXT NOT NULL REFERENCES organizations(id), domain TEXT NOT NULL,
                name TEXT NOT NULL, description TEXT NOT NULL, keywords TEXT NOT NULL, grade TEXT NOT NULL,
                open_attribute TEXT NOT NULL, origin TEXT NOT NULL, update_frequency TEXT NOT NULL, columns TEXT NOT NULL,
                state TEXT NOT NULL, schema_version INTEGER NOT NULL, version INTEGER NOT NULL,
                created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, search_text TEXT NOT NULL,
                UNIQUE (provider_id, name))
            """,
            "CREATE INDEX catalog_resources_by_provider ON catalog_resources (provider_id)",
            "CREATE INDEX catalog_resources_by_domain ON catalog_resources (domain, state)",
            """
            CREATE TABLE catalog_revisions (
                resource_id TEXT NOT NULL REFERENCES catalog_resources(id), version INTEGER NOT NULL,
                schema_version INTEGER NOT NULL, state TEXT NOT NULL, columns TEXT NOT NULL, changed_by TEXT NOT NULL,
                change TEXT NOT NULL, at BIGINT NOT NULL, PRIMARY KEY (resource_id, version))
            """,
        ]
        switch flavor {
        case .sqlite:
            statements.append("CREATE VIRTUAL TABLE catalog_search USING fts5(resource_id UNINDEXED, body, tokenize = 'trigram')")
        case .postgres:
            // pg_trgm is a trusted extension; where it cannot be installed, search still works, unindexed.
            statements += [
                """
                DO $$ BEGIN
                    CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
                EXCEPTION WHEN insufficient_privilege OR undefined_file THEN
                    RAISE NOTICE 'pg_trgm is not available; catalog search runs without a trigram index';
                END $$
                """,
                """
                DO $$ DECLARE trgm_schema text;
                BEGIN
                    SELECT extnamespace::regnamespace::text INTO trgm_schema FROM pg_extension WHERE extname = 'pg_trgm';
                    IF trgm_schema IS NOT NULL THEN
                        EXECUTE format('CREATE INDEX catalog_resources_search ON catalog_resources USING gin (search_text %I.gin_trgm_ops)', trgm_schema);
                    END IF;
                END $$
                """,
            ]
        }
        return statements
    }
}
