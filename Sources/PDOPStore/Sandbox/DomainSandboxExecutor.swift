import Foundation
import PDOPSandbox

/// The sandbox's only way into the domain store: compiled statements run read-only, within the
/// limits, and stop within a second when the calling task is cancelled (a workspace stop).
///
/// See `SQLiteSandboxRunner` and `PostgresSandboxRunner` for how each database does it.
public struct DomainSandboxExecutor: SandboxExecutor {
    let database: DatabaseHandle

    public init(database: DatabaseHandle) {
        self.database = database
    }

    public var dialect: PDOPSandbox.SQLDialect {
        database.flavor == .sqlite ? .sqlite : .postgres
    }

    public func run(_ statement: CompiledStatement, limits: ExecutionLimits) async throws -> ExecutionOutput {
        guard SandboxStatementText.isSingleQuery(statement.pieces) else { throw SandboxExecutionError.notAQuery }
        guard limits.timeoutSeconds > 0, limits.maxRows >= 0 else {
            throw SandboxExecutionError.failed("invalid limits: timeout \(limits.timeoutSeconds) s, \(limits.maxRows) rows")
        }
        let started = ContinuousClock.now
        let rows: [[SQLValue]]
        switch database.flavor {
        case .sqlite:
            rows = try await SQLiteSandboxRunner(database: database).run(statement, limits: limits)
        case .postgres:
            guard let client = database.postgres else { throw SandboxExecutionError.failed("no PostgreSQL client") }
            rows = try await PostgresSandboxRunner(client: client).run(statement, limits: limits)
        }
        return ExecutionOutput(rows: rows, seconds: (ContinuousClock.now - started) / .seconds(1))
    }
}
