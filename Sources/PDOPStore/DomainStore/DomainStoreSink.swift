import Foundation
import PDOPDomain
import PDOPIngest
import SQLiteKit

/// Writes a load's typed records into the domain store, inside the caller's transaction: a new
/// table for a replacing load, the current one for an appending load.
final class DomainStoreSink: IngestSink {
    let db: any SQLDatabase
    /// On SQLite, the connection `db` wraps, for the direct insert path (`SQLiteRowWriter`).
    let sqlite: SQLiteConnection?
    private var sqliteWriter: SQLiteRowWriter?
    let table: String
    let createTable: Bool
    /// For appends: the columns the current version has; the upload must have the same.
    let expected: [StoredColumn]?
    private(set) var columns: [StoredColumn] = []
    private(set) var rows = 0
    private(set) var profiles: [ColumnProfile] = []

    /// Keeps each statement under PostgreSQL's 65,535 bind parameters.
    static let maxBindsPerStatement = 30_000

    /// `sqlite`, when given, must be the connection under `db`'s transaction.
    init(db: any SQLDatabase, sqlite: SQLiteConnection?, table: String, createTable: Bool, expected: [StoredColumn]?) {
        self.db = db
        self.sqlite = sqlite
        self.table = table
        self.createTable = createTable
        self.expected = expected
    }

    func begin(schema: IngestSchema) async throws {
        columns = schema.columns.map { StoredColumn(name: $0.name, type: $0.type) }
        if let expected, expected != columns {
            throw DomainError.invalid("file", "the file's columns differ from the current data version; load it with mode=replace",
                                      rule: "R5")
        }
        if let sqlite { sqliteWriter = SQLiteRowWriter(connection: sqlite, table: table, columns: columns) }
        guard createTable else { return }
        let definitions = columns.map { column -> SQLQueryString in "\(ident: column.name) \(unsafeRaw: column.sqlType)" }
        try await db.raw("CREATE TABLE \(ident: table) (" + definitions.joined(separator: ", ") + ")").run()
    }

    func write(_ batch: [TypedRecord]) async throws {
        guard !batch.isEmpty, !columns.isEmpty else { return }
        if let sqliteWriter {
            try await sqliteWriter.write(batch)
            rows += batch.count
            return
        }
        let rowsPerStatement = max(1, Self.maxBindsPerStatement / columns.count)
        let insert: SQLQueryString = "INSERT INTO \(ident: table) ("
            + columns.map { column -> SQLQueryString in "\(ident: column.name)" }.joined(separator: ", ") + ") VALUES "
        var start = 0
        while start < batch.count {
            let slice = batch[start..<min(start + rowsPerStatement, batch.count)]
            let tuples = slice.map { record -> SQLQueryString in
                "(" + zip(record.values, columns).map { value, column in Self.bind(value, column) }.joined(separator: ", ") + ")"
            }
            try await db.raw(insert + tuples.joined(separator: ", ")).run()
            start += slice.count
        }
        rows += batch.count
    }

    func finish(profiles: [ColumnProfile]) async throws {
        try await settle()
        self.profiles = profiles
    }

    /// Waits for any insert still running; the caller's transaction may end only after this.
    func settle() async throws {
        try await sqliteWriter?.settle()
    }

    /// Binds with the column's own Swift type, also for nulls, so PostgreSQL sees a typed NULL.
    static func bind(_ value: TypedValue, _ column: StoredColumn) -> SQLQueryString {
        switch value {
        case .integer(let number): "\(bind: number)"
        case .decimal(let number): "\(bind: number)"
        case .date(let date): "\(bind: Int64(date.daysSinceEpoch))"
        case .timestamp(let time): "\(bind: time.microsecondsSinceEpoch)"
        case .boolean(let flag): "\(bind: Int64(flag ? 1 : 0))"
        case .text(let text): "\(bind: text)"
        case .null:
            switch column.type {
            case .decimal: "\(bind: Double?.none)"
            case .text: "\(bind: String?.none)"
            default: "\(bind: Int64?.none)"
            }
        }
    }
}

/// A column as stored in the domain store.
public struct StoredColumn: Codable, Equatable, Sendable {
    public var name: String
    public var type: ColumnType

    /// Dates are stored as days since 1970 and timestamps as microseconds, so both databases
    /// compare and bucket them the same way.
    var sqlType: String {
        switch type {
        case .integer, .date, .timestamp, .boolean: "BIGINT"
        case .decimal: "DOUBLE PRECISION"
        case .text: "TEXT"
        }
    }
}
