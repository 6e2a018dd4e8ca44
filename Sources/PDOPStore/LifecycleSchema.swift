/// Lifecycle cases (issue 4) as whole documents with a version, plus each operator's timeline.
/// The document is JSON; the columns beside it are what lists filter on.
enum LifecycleSchema {
    static let statements = [
        """
        CREATE TABLE lifecycle_records (
            id TEXT PRIMARY KEY, kind TEXT NOT NULL, owner_id TEXT, subject_id TEXT, state TEXT NOT NULL,
            body TEXT NOT NULL, version INTEGER NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
        """,
        "CREATE INDEX lifecycle_by_kind ON lifecycle_records (kind, created_at)",
        "CREATE INDEX lifecycle_by_owner ON lifecycle_records (kind, owner_id)",
        "CREATE INDEX lifecycle_by_subject ON lifecycle_records (kind, subject_id)",
        """
        CREATE TABLE timeline_events (
            operator_id TEXT NOT NULL REFERENCES organizations(id), audit_seq BIGINT NOT NULL, at BIGINT NOT NULL,
            action TEXT NOT NULL, subject_kind TEXT NOT NULL, subject_id TEXT NOT NULL, summary TEXT NOT NULL,
            PRIMARY KEY (operator_id, audit_seq))
        """,
        // A case's story is read from the audit log by object.
        "CREATE INDEX audit_entries_by_object ON audit_entries (object_id, seq)",
    ]
}
