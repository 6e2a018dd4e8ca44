import Foundation
import PDOPIngest
import SQLiteKit

/// The domain store's insert path on SQLite. SQLKit would encode every value through its
/// Encodable-based encoder; here values become `SQLiteData` directly and go to SQLiteNIO with
/// `?` placeholders, in statements of many rows.
///
/// One batch is in flight while the pipeline types the next, so parsing and inserting overlap.
/// The caller's transaction holds the connection throughout, so the statements run inside it;
/// `settle()` must be awaited before that transaction commits or rolls back.
final class SQLiteRowWriter {
    let connection: SQLiteConnection
    let columnCount: Int
    let rowsPerStatement: Int
    private let head: String
    /// The statement for a full run of `rowsPerStatement` rows, made once.
    private let fullStatement: String
    private var pending: Task<Void, any Error>?

    init(connection: SQLiteConnection, table: String, columns: [StoredColumn]) {
        self.connection = connection
        columnCount = columns.count
        rowsPerStatement = SQLiteInsert.rowsPerStatement(columns: columns.count)
        head = SQLiteInsert.head(table: table, columns: columns.map(\.name))
        fullStatement = SQLiteInsert.statement(head: head, columns: columns.count, rows: rowsPerStatement)
    }

    /// Waits for the previous batch (so its error surfaces here and statements stay in order),
    /// then starts this one.
    func write(_ batch: [TypedRecord]) async throws {
        try await settle()
        let connection = connection, columns = columnCount, perStatement = rowsPerStatement, head = head, full = fullStatement
        pending = Task {
            var start = 0
            while start < batch.count {
                let end = min(start + perStatement, batch.count)
                let sql = end - start == perStatement ? full : SQLiteInsert.statement(head: head, columns: columns, rows: end - start)
                try await connection.query(sql, SQLiteInsert.binds(batch[start..<end], columns: columns)) { _ in }
                start = end
            }
        }
    }

    /// Waits for the batch in flight, if any; throws its error.
    func settle() async throws {
        guard let task = pending else { return }
        pending = nil
        try await task.value
    }
}

/// Text and binds of a multi-row INSERT on SQLite.
enum SQLiteInsert {
    /// SQLite's default SQLITE_MAX_VARIABLE_NUMBER is 32766.
    static let maxBindsPerStatement = 32_000
    /// Past a few hundred rows a longer statement saves nothing and only costs memory to prepare.
    static let maxRowsPerStatement = 500

    static func rowsPerStatement(columns: Int) -> Int {
        max(1, min(maxRowsPerStatement, maxBindsPerStatement / max(1, columns)))
    }

    static func head(table: String, columns: [String]) -> String {
        "INSERT INTO \(quoted(table)) (" + columns.map(quoted).joined(separator: ", ") + ") VALUES "
    }

    static func statement(head: String, columns: Int, rows: Int) -> String {
        let tuple = "(" + String(repeating: "?,", count: columns - 1) + "?)"
        var sql = head
        sql.reserveCapacity(head.utf8.count + rows * (tuple.utf8.count + 1))
        for row in 0..<rows {
            if row > 0 { sql += "," }
            sql += tuple
        }
        return sql
    }

    static func binds(_ records: ArraySlice<TypedRecord>, columns: Int) -> [SQLiteData] {
        var binds: [SQLiteData] = []
        binds.reserveCapacity(records.count * columns)
        for record in records {
            for value in record.values { binds.append(data(value)) }
        }
        return binds
    }

    /// The same storage as the SQLKit path: dates as days and timestamps as microseconds since
    /// 1970, booleans as 0/1; a null is untyped in SQLite.
    static func data(_ value: TypedValue) -> SQLiteData {
        switch value {
        case .null: .null
        case .integer(let number): .integer(SQLiteInt64(number))
        case .decimal(let number): .float(number)
        case .date(let date): .integer(SQLiteInt64(date.daysSinceEpoch))
        case .timestamp(let time): .integer(SQLiteInt64(time.microsecondsSinceEpoch))
        case .boolean(let flag): .integer(flag ? 1 : 0)
        case .text(let text): .text(text)
        }
    }

    /// SQLite's identifier quoting, as SQLKit's dialect writes it.
    static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
