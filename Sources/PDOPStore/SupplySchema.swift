/// Migration 3: demands and objections (R4), and the deadlines the scheduler applies.
enum SupplySchema {
    static let statements = [
        """
        CREATE TABLE demands (
            id TEXT PRIMARY KEY, operator_id TEXT NOT NULL REFERENCES organizations(id), domain TEXT NOT NULL, title TEXT NOT NULL,
            description TEXT NOT NULL, wanted_fields TEXT NOT NULL, state TEXT NOT NULL, provider_id TEXT REFERENCES organizations(id),
            due_at BIGINT, overdue INTEGER NOT NULL, answer TEXT, answer_reason TEXT, version INTEGER NOT NULL,
            created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
        """,
        "CREATE INDEX demands_by_operator ON demands (operator_id)",
        "CREATE INDEX demands_by_provider ON demands (provider_id)",
        """
        CREATE TABLE objections (
            id TEXT PRIMARY KEY, resource_id TEXT NOT NULL REFERENCES catalog_resources(id),
            provider_id TEXT NOT NULL REFERENCES organizations(id), raised_by TEXT NOT NULL REFERENCES users(id),
            raised_by_organization TEXT NOT NULL REFERENCES organizations(id), reason TEXT NOT NULL, evidence TEXT NOT NULL,
            state TEXT NOT NULL, due_at BIGINT NOT NULL, overdue INTEGER NOT NULL, resolution TEXT, response TEXT,
            version INTEGER NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
        """,
        "CREATE INDEX objections_by_resource ON objections (resource_id)",
        "CREATE INDEX objections_by_provider ON objections (provider_id)",
        """
        CREATE TABLE deadlines (
            id TEXT PRIMARY KEY, kind TEXT NOT NULL, subject_id TEXT NOT NULL, due_at BIGINT NOT NULL, state TEXT NOT NULL,
            closed_at BIGINT)
        """,
        "CREATE INDEX deadlines_due ON deadlines (state, due_at)",
        "CREATE INDEX deadlines_by_subject ON deadlines (subject_id, kind)",
    ]
}
