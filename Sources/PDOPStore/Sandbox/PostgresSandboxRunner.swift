import Foundation
import Logging
import PDOPSandbox
import PostgresKit
import PostgresNIO

/// Runs sandbox statements on PostgreSQL: in a `READ ONLY` transaction with a `statement_timeout`
/// of its own; stopped (cancellation, too many rows, a late timeout) by `pg_cancel_backend` from
/// another connection of the pool (see `PostgresBackendCanceller`).
struct PostgresSandboxRunner: Sendable {
    let client: PostgresClient

    static let logger = Logger(label: "pdop.sandbox.postgres")

    /// PostgreSQL's SQLSTATE for a statement cancelled by a timeout or a cancel request.
    static let queryCanceled = "57014"

    func run(_ statement: CompiledStatement, limits: ExecutionLimits) async throws -> [[SQLValue]] {
        try await client.withConnection { connection in
            let text = try SandboxStatementText(statement, for: connection.sql())
            let query = PostgresQuery(unsafeSQL: text.sql, binds: Self.bindings(text.binds))
            try Task.checkCancellation()
            try await Self.execute("START TRANSACTION READ ONLY", on: connection)
            let rows: [[SQLValue]]
            do {
                let backend = try await Self.prepareTransaction(on: connection, timeoutSeconds: limits.timeoutSeconds)
                rows = try await stream(query, limits: limits, columnCount: statement.columnCount, on: connection, backend: backend)
            } catch {
                await Self.end("ROLLBACK", on: connection)
                throw error
            }
            await Self.end("COMMIT", on: connection)
            return rows
        }
    }

    /// Runs the statement under a stopper and turns what stopped it into the executor's errors.
    private func stream(_ query: PostgresQuery, limits: ExecutionLimits, columnCount: Int, on connection: PostgresConnection,
                        backend: Int32) async throws -> [[SQLValue]] {
        let canceller = PostgresBackendCanceller(client: client, backend: backend, connection: connection, logger: Self.logger)
        let stopper = StatementStopper(interrupt: canceller.cancel)
        var rows: [[SQLValue]] = []
        var failure: (any Error)?
        do {
            rows = try await stopper.guarding(timeout: limits.timeoutSeconds) {
                var collected: [[SQLValue]] = []
                for try await row in try await connection.query(query, logger: Self.logger) {
                    if collected.count == limits.maxRows {
                        stopper.stop(.tooManyRows)
                        break
                    }
                    collected.append(try Self.values(row, columnCount: columnCount))
                }
                return collected
            }
        } catch {
            failure = error
        }
        let reason = stopper.disarm()
        // A cancel request still on its way must land before the connection goes back to the pool.
        await canceller.settle()
        if let reason { throw StatementStopper.error(for: reason, limits: limits) }
        if let failure {
            if let error = failure as? PSQLError, error.serverInfo?[.sqlState] == Self.queryCanceled {
                throw SandboxExecutionError.timedOut(seconds: limits.timeoutSeconds)
            }
            if failure is SandboxExecutionError || failure is CancellationError { throw failure }
            throw SandboxExecutionError.failed(Self.message(failure))
        }
        return rows
    }

    /// Sets the statement timeout for this transaction only, and (PostgreSQL 14+) has the server
    /// check every 250 ms that the client is still there, so closing the connection also stops the
    /// statement. Returns the backend's process id for `pg_cancel_backend`.
    static func prepareTransaction(on connection: PostgresConnection, timeoutSeconds: Double) async throws -> Int32 {
        let milliseconds = String(max(1, Int((timeoutSeconds * 1000).rounded(.up))))
        let rows = try await connection.query("""
            SELECT pg_backend_pid(), set_config('statement_timeout', \(milliseconds), true),
                (SELECT set_config(name, '250', true) FROM pg_settings WHERE name = 'client_connection_check_interval')
            """, logger: logger).collect()
        guard let backend = try rows.first?.makeRandomAccess()[0].decode(Int32.self) else {
            throw SandboxExecutionError.failed("no backend process id")
        }
        return backend
    }

    static func execute(_ sql: String, on connection: PostgresConnection) async throws {
        _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect()
    }

    /// Ends the transaction even when the calling task was cancelled; a connection whose transaction
    /// could not be ended is closed, so it never goes back to the pool inside one. Nothing is sent
    /// on a connection the canceller closed (PostgresNIO would never answer it).
    static func end(_ sql: String, on connection: PostgresConnection) async {
        guard !connection.isClosed else { return }
        let ended = await Task { (try? await execute(sql, on: connection)) != nil }.value
        if !ended { try? await connection.close() }
    }

    static func bindings(_ values: [SQLValue]) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .integer(let value): bindings.append(value)
            case .double(let value): bindings.append(value)
            case .text(let value): bindings.append(value)
            case .null: bindings.appendNull()
            }
        }
        return bindings
    }

    static func values(_ row: PostgresRow, columnCount: Int) throws -> [SQLValue] {
        guard row.count == columnCount else { throw SandboxExecutionError.resultShape(expected: columnCount, found: row.count) }
        return try row.enumerated().map { index, cell in try value(cell, column: index) }
    }

    /// Integers as integers, floating and NUMERIC (SUM of a bigint) as doubles, text as text.
    static func value(_ cell: PostgresCell, column: Int) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8:
            return .integer(try cell.decode(Int64.self))
        case .float4, .float8:
            return .double(try cell.decode(Double.self))
        case .numeric:
            return .double(NSDecimalNumber(decimal: try cell.decode(Decimal.self)).doubleValue)
        case .bool:
            return .integer(try cell.decode(Bool.self) ? 1 : 0)
        case .text, .varchar, .bpchar, .name:
            return .text(try cell.decode(String.self))
        default:
            throw SandboxExecutionError.unsupportedValue(column: column, type: "\(cell.dataType)")
        }
    }

    static func message(_ error: any Error) -> String {
        if let error = error as? PSQLError, let message = error.serverInfo?[.message] {
            return "\(error.serverInfo?[.sqlState] ?? "") \(message)"
        }
        return "\(error)"
    }
}
