import Foundation
import SQLiteNIO
import VaporCSQLite

/// The `sqlite3*` behind an `SQLiteConnection`, for the two C calls SQLiteNIO does not expose:
/// `sqlite3_interrupt` (safe from any thread while the connection is open) and `sqlite3_db_filename`.
///
/// SQLiteNIO keeps the pointer in an internal property (`handle.raw`), so it is read through
/// reflection. If a later SQLiteNIO renames it, `init` returns nil and the sandbox tests of
/// cancellation and timeouts fail, which is the signal to look again.
struct SQLiteRawHandle: @unchecked Sendable {
    private let raw: OpaquePointer

    init?(_ connection: SQLiteConnection) {
        guard let handle = Mirror(reflecting: connection).children.first(where: { $0.label == "handle" })?.value,
              let raw = Mirror(reflecting: handle).children.first(where: { $0.label == "raw" })?.value as? OpaquePointer?,
              let raw else { return nil }
        self.raw = raw
    }

    /// Makes the statement running on the connection fail with SQLITE_INTERRUPT at its next step.
    /// The caller guarantees the connection is still open.
    func interrupt() {
        sqlite_nio_sqlite3_interrupt(raw)
    }

    /// The main database's file, or nil for an in-memory database.
    var mainFilePath: String? {
        guard let name = sqlite_nio_sqlite3_db_filename(raw, "main") else { return nil }
        let path = String(cString: name)
        return path.isEmpty ? nil : path
    }
}
