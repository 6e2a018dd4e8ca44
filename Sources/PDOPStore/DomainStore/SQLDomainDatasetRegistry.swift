import Foundation
import PDOPDomain
import PDOPSandbox
import NIOConcurrencyHelpers
import SQLKit

/// The sandbox's view of the domain store's registry: the table of a resource's current version.
public struct SQLDomainDatasetRegistry: DomainDatasetRegistry {
    let database: DatabaseHandle
    private let coveredTables = NIOLockedValueBox<Set<String>>([])

    public init(database: DatabaseHandle) { self.database = database }

    struct Row: Decodable { var dataVersion: Int; var tableName: String; var rowCount: Int64 }

    public func current(_ resource: ResourceID) async throws -> StoredDataset? {
        try await database.withConnection { db in
            try await db.raw("""
                SELECT data_version, table_name, row_count FROM datasets WHERE resource_id = \(bind: resource.rawValue) AND is_current = 1
                """).first(decoding: Row.self, with: snakeCase)
                .map { StoredDataset(table: $0.tableName, dataVersion: $0.dataVersion, rowCount: Int($0.rowCount)) }
        }
    }

    public func recordKeyColumn(table: String, unitColumn: String, keySpace: String, rowCount: Int) async throws -> String {
        try await SQLRecordKeys(database: database, covered: coveredTables).ensure(table: table, unitColumn: unitColumn, keySpace: keySpace, rowCount: rowCount)
    }
}
