import Foundation
import PDOPDomain
import SQLKit

extension SQLDataLoads {
    func latestSucceeded(of resource: ResourceID) async throws -> DataLoad? {
        try await db.raw("""
            SELECT * FROM data_loads WHERE resource_id = \(bind: resource.rawValue) AND state = 'succeeded'
            ORDER BY finished_at DESC, started_at DESC, id DESC LIMIT 1
            """).first(decoding: Row.self, with: snakeCase)?.model
    }

    /// The current version of a resource is the one its newest succeeded load wrote; its rows are
    /// those of that load and of the other succeeded loads into the same version (a replace and
    /// its appends). Completeness weighs each load's mean null rate by its rows.
    func currentFigures(of resources: [ResourceID]) async throws -> [ResourceID: DataFigures] {
        guard !resources.isEmpty else { return [:] }
        struct FigureRow: Decodable {
            var resourceId: String
            var dataVersion: Int?
            var rowCount: Int64?
            var report: String?
            var finishedAt: Int64?
        }
        let ids = resources.map { id -> SQLQueryString in "\(bind: id.rawValue)" }.joined(separator: ", ")
        let rows = try await db.raw("""
            SELECT resource_id, data_version, row_count, report, finished_at FROM data_loads
            WHERE state = 'succeeded' AND resource_id IN (
            """ + ids + ") ORDER BY resource_id, finished_at DESC, started_at DESC, id DESC")
            .all(decoding: FigureRow.self, with: snakeCase)
        var result: [ResourceID: DataFigures] = [:]
        for (resource, loads) in Dictionary(grouping: rows, by: \.resourceId) {
            guard let newest = loads.first, let version = newest.dataVersion, let finished = newest.finishedAt else { continue }
            let current = loads.filter { $0.dataVersion == version }
            let rowCount = current.reduce(0) { $0 + Int($1.rowCount ?? 0) }
            var weightedNulls = 0.0
            var weightedRows = 0
            for load in current {
                guard let rate = Self.meanNullRate(load.report) else { continue }
                let rows = Int(load.rowCount ?? 0)
                weightedNulls += rate * Double(rows)
                weightedRows += rows
            }
            result[ResourceID(resource)] = DataFigures(
                dataVersion: version, rowCount: rowCount,
                completeness: weightedRows > 0 ? 1 - weightedNulls / Double(weightedRows) : nil,
                lastLoadedAt: Date(millis: finished))
        }
        return result
    }

    static func meanNullRate(_ report: String?) -> Double? {
        guard let report, let decoded = try? JSONDecoder().decode(LoadReport.self, from: Data(report.utf8)),
              !decoded.profiles.isEmpty else { return nil }
        return decoded.profiles.map(\.nullRate).reduce(0, +) / Double(decoded.profiles.count)
    }
}
