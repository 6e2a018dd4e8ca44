import Foundation
import PDOPDomain
import SQLKit

/// Usage events of the sandbox (R15), append-only, for billing.
struct SQLUsage: UsageRepository {
    let db: any SQLDatabase

    static let schema = [
        """
        CREATE TABLE usage_events (
            id TEXT PRIMARY KEY, at BIGINT NOT NULL, operator_id TEXT NOT NULL REFERENCES organizations(id),
            workspace_id TEXT NOT NULL, kind TEXT NOT NULL, subject_id TEXT NOT NULL, cpu_ms BIGINT NOT NULL,
            rows_scanned BIGINT NOT NULL, cells_released BIGINT NOT NULL, bytes_exported BIGINT NOT NULL)
        """,
        "CREATE INDEX usage_by_operator ON usage_events (operator_id, at)",
    ]

    struct Row: Decodable {
        var id: String
        var at: Int64
        var operatorId, workspaceId, kind, subjectId: String
        var cpuMs, rowsScanned, cellsReleased, bytesExported: Int64
    }

    func append(_ event: UsageEvent) async throws {
        let f = event.figures
        try await db.raw("""
            INSERT INTO usage_events (id, at, operator_id, workspace_id, kind, subject_id, cpu_ms, rows_scanned, cells_released, bytes_exported)
            VALUES (\(bind: event.id), \(bind: event.at.millis), \(bind: event.operatorID.rawValue), \(bind: event.workspaceID),
                \(bind: event.kind.rawValue), \(bind: event.subjectID), \(bind: Int64(f.cpuMilliseconds)), \(bind: Int64(f.rowsScanned)),
                \(bind: Int64(f.cellsReleased)), \(bind: Int64(f.bytesExported)))
            """).run()
    }

    func list(operator operatorID: OrganizationID?, workspace: String?, page: PageRequest) async throws -> Page<UsageEvent> {
        var conditions = Conditions()
        if let operatorID { conditions.add("operator_id = \(bind: operatorID.rawValue)") }
        if let workspace { conditions.add("workspace_id = \(bind: workspace)") }
        let total = try await db.count("usage_events", conditions)
        let rows = try await db.raw("SELECT * FROM usage_events" + conditions.sql
                                    + " ORDER BY at DESC, id DESC LIMIT \(bind: page.limit) OFFSET \(bind: page.offset)")
            .all(decoding: Row.self, with: snakeCase)
        return Page(items: rows.map {
            UsageEvent(id: $0.id, at: Date(millis: $0.at), operatorID: OrganizationID($0.operatorId), workspaceID: $0.workspaceId,
                       kind: UsageEvent.Kind(rawValue: $0.kind) ?? .query, subjectID: $0.subjectId,
                       figures: UsageFigures(cpuMilliseconds: Int($0.cpuMs), rowsScanned: Int($0.rowsScanned),
                                             cellsReleased: Int($0.cellsReleased), bytesExported: Int($0.bytesExported)))
        }, total: total, request: page)
    }
}
