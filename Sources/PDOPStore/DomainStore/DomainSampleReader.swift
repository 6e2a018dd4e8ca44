import Foundation
import PDOPDomain
import PDOPIngest
import SQLKit

/// A few rows of a resource's current data version, as text, for masking before anyone sees them.
public struct DataSample: Sendable, Equatable {
    public var dataVersion: Int
    public var columns: [StoredColumn]
    /// One array per row, in `columns` order; nil for a null.
    public var rows: [[String?]]
}

/// Reads samples from the domain store: identifiers come from the datasets registry (the
/// platform's own table names and the load's checked column names), the limit is bound.
public struct DomainSampleReader: Sendable {
    let database: DatabaseHandle

    public init(database: DatabaseHandle) { self.database = database }

    struct Current: Decodable { var dataVersion: Int; var tableName: String; var schema: String }

    /// Nil when the resource has no data yet.
    public func sample(_ resource: ResourceID, rows limit: Int) async throws -> DataSample? {
        try await database.withConnection { db in
            guard let current = try await db.raw("""
                SELECT data_version, table_name, schema FROM datasets WHERE resource_id = \(bind: resource.rawValue) AND is_current = 1
                """).first(decoding: Current.self, with: snakeCase) else { return nil }
            let columns = try JSONDecoder().decode([StoredColumn].self, from: Data(current.schema.utf8))
            guard !columns.isEmpty else { return DataSample(dataVersion: current.dataVersion, columns: [], rows: []) }
            let list = columns.map { column -> SQLQueryString in "\(ident: column.name)" }.joined(separator: ", ")
            let rows = try await db.raw("SELECT " + list + " FROM \(ident: current.tableName) LIMIT \(bind: limit)").all()
            return DataSample(dataVersion: current.dataVersion, columns: columns,
                              rows: try rows.map { row in try columns.map { try Self.text(row, $0) } })
        }
    }

    /// Stored values back to how they were written: dates from days, timestamps from microseconds.
    static func text(_ row: any SQLRow, _ column: StoredColumn) throws -> String? {
        switch column.type {
        case .text:
            return try row.decode(column: column.name, as: String?.self)
        case .decimal:
            return try row.decode(column: column.name, as: Double?.self).map { String($0) }
        case .integer:
            return try row.decode(column: column.name, as: Int64?.self).map { String($0) }
        case .boolean:
            return try row.decode(column: column.name, as: Int64?.self).map { $0 != 0 ? "true" : "false" }
        case .date:
            return try row.decode(column: column.name, as: Int64?.self).map { CivilDate(daysSinceEpoch: Int($0)).iso }
        case .timestamp:
            return try row.decode(column: column.name, as: Int64?.self).map { CivilTimestamp(microsecondsSinceEpoch: $0).iso }
        }
    }
}
