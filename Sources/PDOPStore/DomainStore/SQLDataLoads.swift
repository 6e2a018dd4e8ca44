import Foundation
import PDOPDomain
import SQLKit

struct SQLDataLoads: DataLoadRepository {
    let db: any SQLDatabase

    struct Row: Decodable {
        var id, resourceId, mode, format, state, startedBy: String
        var dataVersion: Int?
        var rowCount, byteCount: Int64?
        var error, report: String?
        var startedAt: Int64
        var finishedAt: Int64?

        var model: DataLoad {
            DataLoad(id: DataLoadID(id), resourceID: ResourceID(resourceId), mode: LoadMode(rawValue: mode) ?? .replace, format: format,
                     state: LoadState(rawValue: state) ?? .failed, dataVersion: dataVersion, rowCount: rowCount.map(Int.init),
                     byteCount: byteCount.map(Int.init), error: error, reportJSON: report, startedBy: startedBy,
                     startedAt: Date(millis: startedAt), finishedAt: finishedAt.map(Date.init(millis:)))
        }
    }

    func insert(_ l: DataLoad) async throws {
        try await db.raw("""
            INSERT INTO data_loads (id, resource_id, mode, format, state, data_version, row_count, byte_count, error, report,
                started_by, started_at, finished_at)
            VALUES (\(bind: l.id.rawValue), \(bind: l.resourceID.rawValue), \(bind: l.mode.rawValue), \(bind: l.format),
                \(bind: l.state.rawValue), \(bind: l.dataVersion), \(bind: l.rowCount.map(Int64.init)), \(bind: l.byteCount.map(Int64.init)),
                \(bind: l.error), \(bind: l.reportJSON), \(bind: l.startedBy), \(bind: l.startedAt.millis), \(bind: l.finishedAt?.millis))
            """).run()
    }

    func update(_ l: DataLoad) async throws {
        try await db.raw("""
            UPDATE data_loads SET state = \(bind: l.state.rawValue), data_version = \(bind: l.dataVersion),
                row_count = \(bind: l.rowCount.map(Int64.init)), byte_count = \(bind: l.byteCount.map(Int64.init)), error = \(bind: l.error),
                report = \(bind: l.reportJSON), finished_at = \(bind: l.finishedAt?.millis)
            WHERE id = \(bind: l.id.rawValue)
            """).run()
    }

    func loads(of resource: ResourceID, page: PageRequest) async throws -> Page<DataLoad> {
        var conditions = Conditions()
        conditions.add("resource_id = \(bind: resource.rawValue)")
        let total = try await db.count("data_loads", conditions)
        let rows = try await db.raw("SELECT * FROM data_loads" + conditions.sql
                                    + " ORDER BY started_at DESC, id LIMIT \(bind: page.limit) OFFSET \(bind: page.offset)")
            .all(decoding: Row.self, with: snakeCase)
        return Page(items: rows.map(\.model), total: total, request: page)
    }
}
