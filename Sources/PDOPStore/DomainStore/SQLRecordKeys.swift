import Crypto
import Foundation
import NIOConcurrencyHelpers
import PDOPSandbox
import SQLKit

/// Record keys for the cell-key method, kept in the domain store next to the data they key:
/// `privacy_unit_keys` holds one random 32-bit key per unit and key space (drawn from the system's
/// CSPRNG, never derived from the identifier), and each data table gets a column with its rows'
/// unit keys, so a query sums keys without a join.
struct SQLRecordKeys: Sendable {
    let database: DatabaseHandle
    /// Tables this registry already covered: (table, column, rows).
    let covered: NIOLockedValueBox<Set<String>>
    static let batch = 400

    static func columnName(unitColumn: String, keySpace: String) -> String {
        let digest = SHA256.hash(data: Data((unitColumn + "\u{1F}" + keySpace).utf8))
        return "pdop_rk_" + digest.prefix(6).map { String(format: "%02x", $0) }.joined()
    }

    func ensure(table: String, unitColumn: String, keySpace: String, rowCount: Int) async throws -> String {
        let column = Self.columnName(unitColumn: unitColumn, keySpace: keySpace)
        let marker = "\(table)\u{1F}\(column)\u{1F}\(rowCount)"
        if covered.withLockedValue({ $0.contains(marker) }) { return column }
        let flavor = database.flavor
        try await database.transaction { db in
            if flavor == .postgres {
                try await db.raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: table + "." + column)))").run()
            }
            struct Coverage: Decodable { var coveredRows: Int64 }
            let coverage = try await db.raw("""
                SELECT covered_rows FROM privacy_key_columns WHERE table_name = \(bind: table) AND column_name = \(bind: column)
                """).first(decoding: Coverage.self, with: snakeCase)
            if coverage?.coveredRows == Int64(rowCount) { return }
            if coverage == nil {
                try await db.raw("ALTER TABLE \(ident: table) ADD COLUMN \(ident: column) BIGINT").run()
            }
            try await addMissingKeys(db, table: table, unitColumn: unitColumn, keySpace: keySpace)
            try await db.raw("""
                UPDATE \(ident: table) SET \(ident: column) = (SELECT k.record_key FROM privacy_unit_keys k
                    WHERE k.key_space = \(bind: keySpace) AND k.unit = CAST(\(ident: table).\(ident: unitColumn) AS TEXT))
                WHERE \(ident: column) IS NULL AND \(ident: unitColumn) IS NOT NULL
                """).run()
            if coverage == nil {
                try await db.raw("""
                    INSERT INTO privacy_key_columns (table_name, column_name, unit_column, key_space, covered_rows)
                    VALUES (\(bind: table), \(bind: column), \(bind: unitColumn), \(bind: keySpace), \(bind: Int64(rowCount)))
                    """).run()
            } else {
                try await db.raw("""
                    UPDATE privacy_key_columns SET covered_rows = \(bind: Int64(rowCount))
                    WHERE table_name = \(bind: table) AND column_name = \(bind: column)
                    """).run()
            }
        }
        covered.withLockedValue { _ = $0.insert(marker) }
        return column
    }

    /// Draws a key for every unit of the table that has none in the key space yet.
    private func addMissingKeys(_ db: any SQLDatabase, table: String, unitColumn: String, keySpace: String) async throws {
        struct Unit: Decodable { var unit: String }
        let units = try await db.raw("""
            SELECT DISTINCT CAST(\(ident: unitColumn) AS TEXT) AS unit FROM \(ident: table) t
            WHERE \(ident: unitColumn) IS NOT NULL AND NOT EXISTS (SELECT 1 FROM privacy_unit_keys k
                WHERE k.key_space = \(bind: keySpace) AND k.unit = CAST(t.\(ident: unitColumn) AS TEXT))
            """).all(decoding: Unit.self)
        var generator = SystemRandomNumberGenerator()
        for start in stride(from: 0, to: units.count, by: Self.batch) {
            let slice = units[start..<min(start + Self.batch, units.count)]
            var insert: SQLQueryString = "INSERT INTO privacy_unit_keys (key_space, unit, record_key) VALUES "
            for (offset, unit) in slice.enumerated() {
                let key = Int64(UInt32.random(in: .min ... .max, using: &generator))
                insert += offset == 0 ? "" : ", "
                insert += "(\(bind: keySpace), \(bind: unit.unit), \(bind: key))"
            }
            try await db.raw(insert).run()
        }
    }
}
