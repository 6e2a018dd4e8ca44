import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOPosix
import PDOPSandbox
import SQLiteKit
import SQLiteNIO

/// Runs sandbox statements on SQLite, read-only, stoppable.
///
/// - A file database is read through a connection of its own, opened `mode=ro` for the one
///   statement, on a thread pool of its own (a long statement never holds the platform's SQLite
///   threads, nor the domain store's writer lock). An in-memory database (tests) has only the one
///   connection, so the statement runs on it under the handle's lock.
/// - Either way `PRAGMA query_only` is on and an authorizer allows only reading while it runs.
/// - Stopping (cancellation, timeout, too many rows) is `sqlite3_interrupt`: the statement fails
///   at its next step, with no cost while it runs.
struct SQLiteSandboxRunner: Sendable {
    let database: DatabaseHandle

    /// Two threads: at most two sandbox statements read at a time; more wait their turn.
    static let threadPool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 2)
        pool.start()
        return pool
    }()

    static let logger = Logger(label: "pdop.sandbox.sqlite")

    /// What a sandbox statement may do, checked by SQLite when it prepares the statement.
    static let allowedActions: Set<SQLiteAuthorizerAction> = [.select, .read, .function, .recursive]

    func run(_ statement: CompiledStatement, limits: ExecutionLimits) async throws -> [[SQLValue]] {
        guard let shared = database.sqlite, let sharedHandle = SQLiteRawHandle(shared) else {
            throw SandboxExecutionError.failed("the domain store's SQLite connection is not reachable")
        }
        guard let path = sharedHandle.mainFilePath else {
            return try await database.withConnection { _ in
                try await Self.execute(statement, limits: limits, on: shared, restoreWrites: true)
            }
        }
        let connection = try await SQLiteConnection.open(storage: .file(path: Self.readOnlyURI(path)), threadPool: Self.threadPool,
                                                         logger: Self.logger, on: MultiThreadedEventLoopGroup.singleton.any())
        do {
            let rows = try await Self.execute(statement, limits: limits, on: connection, restoreWrites: false)
            await Self.uncancelled { try await connection.close() }
            return rows
        } catch {
            await Self.uncancelled { try await connection.close() }
            throw error
        }
    }

    /// Clean-up that must run even when the calling task was cancelled: SQLiteNIO drops the work
    /// of a cancelled task (`NIOThreadPool.runIfActive`), which would leave a connection open or
    /// the shared one read-only.
    static func uncancelled(_ work: @escaping @Sendable () async throws -> Void) async {
        await Task { try? await work() }.value
    }

    /// SQLite URI of a file opened read-only (SQLiteNIO opens with SQLITE_OPEN_URI).
    static func readOnlyURI(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        return "file:" + (path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path) + "?mode=ro"
    }

    private static func execute(_ statement: CompiledStatement, limits: ExecutionLimits, on connection: SQLiteConnection,
                                restoreWrites: Bool) async throws -> [[SQLValue]] {
        guard let handle = SQLiteRawHandle(connection) else {
            throw SandboxExecutionError.failed("the SQLite connection handle is not reachable")
        }
        let text = try SandboxStatementText(statement, for: connection.sql())
        let binds = text.binds.map(Self.data)
        _ = try await connection.query("PRAGMA query_only = ON")
        let authorizer: SQLiteHookToken
        do {
            authorizer = try await connection.setAuthorizerValidator(lifetime: .pinned) { event in
                allowedActions.contains(event.action) ? .allow : .deny
            }
        } catch {
            if restoreWrites { await uncancelled { _ = try await connection.query("PRAGMA query_only = OFF") } }
            throw error
        }
        let stopper = StatementStopper(interrupt: handle.interrupt)
        let collector = SQLiteRowCollector(limits: limits, columnCount: statement.columnCount, stopper: stopper)
        var failure: (any Error)?
        do {
            try await stopper.guarding(timeout: limits.timeoutSeconds) {
                try await connection.query(text.sql, binds) { collector.add($0) }
            }
        } catch {
            failure = error
        }
        let reason = stopper.disarm()
        authorizer.cancel()
        if restoreWrites { await uncancelled { _ = try await connection.query("PRAGMA query_only = OFF") } }
        if let reason { throw StatementStopper.error(for: reason, limits: limits) }
        if let failure { throw failure is SandboxExecutionError ? failure : SandboxExecutionError.failed("\(failure)") }
        return try collector.result()
    }

    static func data(_ value: SQLValue) -> SQLiteData { value.sqliteData }
}

/// Gathers result rows as SQLite produces them (on its thread), up to the limit.
final class SQLiteRowCollector: Sendable {
    private struct State {
        var rows: [[SQLValue]] = []
        var failure: SandboxExecutionError?
    }

    private let state = NIOLockedValueBox(State())
    private let maxRows: Int
    private let columnCount: Int
    private let stopper: StatementStopper

    init(limits: ExecutionLimits, columnCount: Int, stopper: StatementStopper) {
        maxRows = limits.maxRows
        self.columnCount = columnCount
        self.stopper = stopper
    }

    func add(_ row: SQLiteRow) {
        let full = state.withLockedValue { state -> Bool in
            guard state.failure == nil, state.rows.count < maxRows else { return state.failure == nil }
            do {
                state.rows.append(try Self.values(row, columnCount: columnCount))
            } catch {
                state.failure = error as? SandboxExecutionError ?? .failed("\(error)")
            }
            return false
        }
        if full { stopper.stop(.tooManyRows) }
    }

    func result() throws -> [[SQLValue]] {
        try state.withLockedValue { state in
            if let failure = state.failure { throw failure }
            return state.rows
        }
    }

    static func values(_ row: SQLiteRow, columnCount: Int) throws -> [SQLValue] {
        let columns = row.columns
        guard columns.count == columnCount else {
            throw SandboxExecutionError.resultShape(expected: columnCount, found: columns.count)
        }
        return try columns.enumerated().map { index, column in
            switch column.data {
            case .integer(let value): .integer(Int64(value))
            case .float(let value): .double(value)
            case .text(let value): .text(value)
            case .null: .null
            case .blob: throw SandboxExecutionError.unsupportedValue(column: index, type: "BLOB")
            }
        }
    }
}

extension SQLValue {
    /// The value as SQLiteNIO binds it.
    public var sqliteData: SQLiteData {
        switch self {
        case .integer(let value): .integer(SQLiteInt64(value))
        case .double(let value): .float(value)
        case .text(let value): .text(value)
        case .null: .null
        }
    }
}
