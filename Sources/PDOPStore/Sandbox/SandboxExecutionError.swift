import Foundation
import PDOPSandbox

/// Why the domain store did not answer a sandbox statement. Cancellation of the calling task is
/// reported as `CancellationError`, not as one of these.
public enum SandboxExecutionError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The statement does not start with SELECT or WITH, or holds more than one statement.
    case notAQuery
    case timedOut(seconds: Double)
    case tooManyRows(limit: Int)
    /// A result row had another number of columns than the statement declared.
    case resultShape(expected: Int, found: Int)
    /// A result column of a type the sandbox does not release (a blob, an array…).
    case unsupportedValue(column: Int, type: String)
    /// The database refused or failed the statement; the message is for the logs, not for operators.
    case failed(String)

    public var description: String {
        switch self {
        case .notAQuery: "only a single SELECT or WITH query may run in the sandbox"
        case .timedOut(let seconds): "the statement ran longer than \(seconds) s and was stopped"
        case .tooManyRows(let limit): "the statement returned more than \(limit) rows"
        case .resultShape(let expected, let found): "a result row has \(found) columns, the statement declared \(expected)"
        case .unsupportedValue(let column, let type): "result column \(column + 1) has the unsupported type \(type)"
        case .failed(let message): "the statement failed: \(message)"
        }
    }
}

extension SandboxExecutionError: OperatorVisibleFailure {
    public var operatorMessage: String? {
        switch self {
        case .timedOut, .tooManyRows: description
        default: nil
        }
    }
}
