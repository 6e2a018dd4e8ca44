/// The platform database's schema, in order. Never edit a released step; add a new one.
public enum PlatformSchema {
    /// The floor (R9.6) below which the database itself refuses to delete audit rows, in milliseconds.
    static let retentionFloorMillis = "15811200000" // 183 days

    public static let runner = MigrationRunner(migrations: [
        Migration(version: 1, name: "parties, credentials, audit log") { flavor in
            parties + credentials + audit + auditGuards(flavor)
        },
        Migration(version: 2, name: "catalog") { flavor in CatalogSchema.statements(flavor) },
        Migration(version: 3, name: "supply and demand, deadlines") { _ in SupplySchema.statements },
        Migration(version: 4, name: "data loads") { _ in
            ["""
             CREATE TABLE data_loads (
                 id TEXT PRIMARY KEY, resource_id TEXT NOT NULL REFERENCES catalog_resources(id), mode TEXT NOT NULL,
                 format TEXT NOT NULL, state TEXT NOT NULL, data_version INTEGER, row_count BIGINT, byte_count BIGINT,
                 error TEXT, report TEXT, started_by TEXT NOT NULL, started_at BIGINT NOT NULL, finished_at BIGINT)
             """,
             "CREATE INDEX data_loads_by_resource ON data_loads (resource_id, started_at)"]
        },
        Migration(version: 5, name: "catalog categories") { _ in CategorySchema.statements },
        Migration(version: 6, name: "authorization lifecycle, timelines") { _ in LifecycleSchema.statements },
        Migration(version: 7, name: "sandbox usage events") { _ in SQLUsage.schema },
    ], lockKey: 74_210_001)

    static let parties = [
        """
        CREATE TABLE organizations (
            id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, name_en TEXT, kind TEXT NOT NULL,
            state TEXT NOT NULL, credit_code TEXT, version INTEGER NOT NULL,
            created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
        """,
        """
        CREATE TABLE users (
            id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id),
            username TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL, state TEXT NOT NULL,
            password_hash TEXT NOT NULL, version INTEGER NOT NULL,
            created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
        """,
        "CREATE INDEX users_by_organization ON users (organization_id)",
        """
        CREATE TABLE user_roles (
            user_id TEXT NOT NULL REFERENCES users(id), role TEXT NOT NULL, PRIMARY KEY (user_id, role))
        """,
        """
        CREATE TABLE coordination_members (
            organization_id TEXT NOT NULL REFERENCES organizations(id), since BIGINT NOT NULL,
            until BIGINT, basis TEXT NOT NULL, PRIMARY KEY (organization_id, since))
        """,
        """
        CREATE TABLE expert_members (
            user_id TEXT NOT NULL REFERENCES users(id), since BIGINT NOT NULL, until BIGINT,
            field TEXT NOT NULL, PRIMARY KEY (user_id, since))
        """,
    ]

    static let credentials = [
        """
        CREATE TABLE sessions (
            digest TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), csrf_token TEXT NOT NULL,
            created_at BIGINT NOT NULL, last_seen_at BIGINT NOT NULL, revoked_at BIGINT)
        """,
        "CREATE INDEX sessions_by_user ON sessions (user_id)",
        """
        CREATE TABLE api_tokens (
            id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), name TEXT NOT NULL,
            prefix TEXT NOT NULL, digest TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL,
            last_used_at BIGINT, expires_at BIGINT, revoked_at BIGINT)
        """,
        "CREATE INDEX api_tokens_by_user ON api_tokens (user_id)",
        """
        CREATE TABLE login_failures (
            id TEXT PRIMARY KEY, account TEXT NOT NULL, source_ip TEXT NOT NULL, at BIGINT NOT NULL)
        """,
        "CREATE INDEX login_failures_by_account ON login_failures (account, at)",
        "CREATE INDEX login_failures_by_ip ON login_failures (source_ip, at)",
    ]

    static let audit = [
        """
        CREATE TABLE audit_entries (
            seq BIGINT PRIMARY KEY, at BIGINT NOT NULL, actor_user_id TEXT, actor_name TEXT NOT NULL,
            organization_id TEXT, roles TEXT NOT NULL, action TEXT NOT NULL, object_type TEXT NOT NULL,
            object_id TEXT, object_label TEXT, outcome TEXT NOT NULL, reason TEXT, request_id TEXT,
            source_ip TEXT, details TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)
        """,
        "CREATE INDEX audit_entries_by_time ON audit_entries (at)",
        "CREATE INDEX audit_entries_by_action ON audit_entries (action)",
        """
        CREATE TABLE audit_checkpoints (
            size BIGINT PRIMARY KEY, head_hash TEXT NOT NULL, created_at BIGINT NOT NULL,
            key_id TEXT NOT NULL, signature TEXT NOT NULL)
        """,
        // Where the chain starts after a purge: the hash the first remaining entry links to.
        """
        CREATE TABLE audit_anchors (
            first_seq BIGINT PRIMARY KEY, prev_hash TEXT NOT NULL, created_at BIGINT NOT NULL)
        """,
    ]

    /// UPDATE is refused outright; DELETE only for rows older than the retention floor (by the
    /// database's own clock), so not even a purge with a wrong clock can cut into six months.
    static func auditGuards(_ flavor: SQLFlavor) -> [String] {
        switch flavor {
        case .sqlite:
            return ["audit_entries", "audit_checkpoints", "audit_anchors"].map { table in
                "CREATE TRIGGER \(table)_no_update BEFORE UPDATE ON \(table) BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"
            } + [
                """
                CREATE TRIGGER audit_entries_retention BEFORE DELETE ON audit_entries
                WHEN OLD.at > CAST(strftime('%s','now') AS INTEGER) * 1000 - \(retentionFloorMillis)
                BEGIN SELECT RAISE(ABORT, 'audit entries inside the retention floor cannot be deleted'); END
                """,
                "CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END",
                "CREATE TRIGGER audit_anchors_no_delete BEFORE DELETE ON audit_anchors BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END",
            ]
        case .postgres:
            return [
                """
                CREATE FUNCTION pdop_audit_guard() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'audit_entries'
                       AND OLD.at <= (extract(epoch FROM now()) * 1000)::bigint - \(retentionFloorMillis) THEN
                        RETURN OLD;
                    END IF;
                    RAISE EXCEPTION 'audit log is append-only (% on %)', TG_OP, TG_TABLE_NAME;
                END $$
                """,
            ] + ["audit_entries", "audit_checkpoints", "audit_anchors"].flatMap { table in [
                "CREATE TRIGGER \(table)_guard BEFORE UPDATE OR DELETE ON \(table) FOR EACH ROW EXECUTE FUNCTION pdop_audit_guard()",
                "CREATE TRIGGER \(table)_no_truncate BEFORE TRUNCATE ON \(table) FOR EACH STATEMENT EXECUTE FUNCTION pdop_audit_guard()",
            ] }
        }
    }
}

/// The domain store holds the raw public data (issue 3 onward). It lives apart from the platform
/// database: its own SQLite file, or its own PostgreSQL schema with a read-only role for the sandbox.
public enum DomainStoreSchema {
    /// `schema` and `readerRole` are PostgreSQL identifiers checked by `DatabaseHandle.isSafeIdentifier`.
    public static func runner(schema: String?, readerRole: String?) -> MigrationRunner {
        MigrationRunner(migrations: [
            Migration(version: 1, name: "domain store identity") { flavor in
                var statements = [
                    "CREATE TABLE domain_store_info (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
                    "INSERT INTO domain_store_info (key, value) VALUES ('purpose', 'raw public data; read only through the sandbox')",
                ]
                if flavor == .postgres, let schema, let role = readerRole {
                    statements += [
                        """
                        DO $$ BEGIN CREATE ROLE \(role) NOLOGIN;
                        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$
                        """,
                        "GRANT USAGE ON SCHEMA \(schema) TO \(role)",
                        "GRANT SELECT ON ALL TABLES IN SCHEMA \(schema) TO \(role)",
                        "ALTER DEFAULT PRIVILEGES IN SCHEMA \(schema) GRANT SELECT ON TABLES TO \(role)",
                    ]
                }
                return statements
            },
            // Every load makes or extends a data version: one table per version, listed here.
            Migration(version: 2, name: "dataset versions") { _ in
                ["""
                 CREATE TABLE datasets (
                     resource_id TEXT NOT NULL, data_version INTEGER NOT NULL, table_name TEXT NOT NULL, row_count BIGINT NOT NULL,
                     schema TEXT NOT NULL, created_at BIGINT NOT NULL, is_current INTEGER NOT NULL,
                     PRIMARY KEY (resource_id, data_version))
                 """]
            },
            // The cell-key method's secret record keys (issue 10): one random key per unit of a key space,
            // fixed for life, and which data tables carry them in a column of their own.
            Migration(version: 3, name: "privacy record keys") { _ in
                ["""
                 CREATE TABLE privacy_unit_keys (
                     key_space TEXT NOT NULL, unit TEXT NOT NULL, record_key BIGINT NOT NULL, PRIMARY KEY (key_space, unit))
                 """,
                 """
                 CREATE TABLE privacy_key_columns (
                     table_name TEXT NOT NULL, column_name TEXT NOT NULL, unit_column TEXT NOT NULL, key_space TEXT NOT NULL,
                     covered_rows BIGINT NOT NULL, PRIMARY KEY (table_name, column_name))
                 """]
            },
        ], lockKey: 74_210_002)
    }
}
