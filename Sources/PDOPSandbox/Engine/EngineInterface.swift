import Foundation
import PDOPDomain

// The seam between the sandbox workflow (grants, workspaces, ledger, exports) and the engine
// (spec → validation → SQL → output guard). Nothing here touches a database: statements are
// built from pieces that the store turns into bound SQL for its dialect.

/// One column of a granted dataset, with the level and limits that apply in this workspace
/// (the provider's policy narrowed by the grant). Columns not granted are simply absent.
public struct SandboxColumn: Codable, Sendable, Equatable {
    public var name: String
    public var type: ColumnType
    public var level: SandboxLevel
    /// Declared bounds for AGGREGATE columns (and numeric model inputs): values are clamped to them.
    public var lower: Double?
    public var upper: Double?
    /// For JOIN_ONLY columns: the key space (e.g. "resident_id", "credit_code"); joins need equal spaces.
    public var keySpace: String?
    /// For numeric or date group keys and filters: the coarsest grid a literal or bucket may use
    /// (years for ages, days for dates). Nil: no bucketing required.
    public var bucketWidth: Int?

    public init(name: String, type: ColumnType, level: SandboxLevel, lower: Double? = nil, upper: Double? = nil,
                keySpace: String? = nil, bucketWidth: Int? = nil) {
        self.name = name
        self.type = type
        self.level = level
        self.lower = lower
        self.upper = upper
        self.keySpace = keySpace
        self.bucketWidth = bucketWidth
    }
}

/// A granted dataset as the engine sees it for one workspace.
public struct SandboxDataset: Codable, Sendable, Equatable {
    /// The name an operator uses in `sources[].dataset`: the catalog resource id.
    public var resourceID: String
    public var name: String
    public var providerID: String
    /// The domain-store table of the current data version. Never shown to an operator.
    public var table: String
    public var dataVersion: Int
    public var rowCount: Int
    /// The privacy unit (the person or enterprise key): a JOIN_ONLY column of this dataset.
    public var unitColumn: String
    /// The unit's population ("natural_person", "enterprise"); joined datasets must share it.
    public var unitDomain: String
    /// The provider's minimum distinct units per released row (never below the platform floor).
    public var minUnits: Int
    public var columns: [SandboxColumn]
    /// The column of `table` holding each row's unit's secret record key (cell-key method); filled by
    /// the store when the dataset enters a workspace. Never shown to an operator.
    public var recordKeyColumn: String?

    public init(resourceID: String, name: String, providerID: String, table: String, dataVersion: Int, rowCount: Int,
                unitColumn: String, unitDomain: String, minUnits: Int, columns: [SandboxColumn], recordKeyColumn: String? = nil) {
        self.recordKeyColumn = recordKeyColumn
        self.resourceID = resourceID
        self.name = name
        self.providerID = providerID
        self.table = table
        self.dataVersion = dataVersion
        self.rowCount = rowCount
        self.unitColumn = unitColumn
        self.unitDomain = unitDomain
        self.minUnits = minUnits
        self.columns = columns
    }
}

public enum SQLDialect: String, Sendable, Codable {
    case sqlite, postgres
}

/// A literal bound to a statement. Dates are days since 1970, timestamps microseconds (as stored).
public enum SQLValue: Sendable, Hashable, Codable {
    case integer(Int64)
    case double(Double)
    case text(String)
    case null
}

/// A statement as pieces: SQL keywords written by the compiler, identifiers taken from the catalog
/// (quoted by the store), and bound values (never spliced into the text).
public enum SQLPiece: Sendable, Equatable {
    case sql(String)
    case identifier(String)
    case bind(SQLValue)
}

public struct CompiledStatement: Sendable, Equatable {
    public var pieces: [SQLPiece]
    /// How many result columns each row has, in order.
    public var columnCount: Int
    /// The domain-store tables the statement reads (for metering: rows scanned).
    public var tables: [String]

    public init(pieces: [SQLPiece], columnCount: Int, tables: [String]) {
        self.pieces = pieces
        self.columnCount = columnCount
        self.tables = tables
    }
}

public struct ExecutionLimits: Sendable, Equatable {
    /// The statement is abandoned after this long (PolicySettings.sandboxStatementTimeoutSeconds).
    public var timeoutSeconds: Double
    /// At most this many result rows are read; more is an error.
    public var maxRows: Int

    public init(timeoutSeconds: Double, maxRows: Int) {
        self.timeoutSeconds = timeoutSeconds
        self.maxRows = maxRows
    }
}

public struct ExecutionOutput: Sendable, Equatable {
    public var rows: [[SQLValue]]
    /// Wall time spent in the database, for metering (R15).
    public var seconds: Double

    public init(rows: [[SQLValue]], seconds: Double) {
        self.rows = rows
        self.seconds = seconds
    }
}

/// Runs compiled statements read-only against the domain store. Implemented by PDOPStore for
/// SQLite and PostgreSQL. Cancelling the calling task (a workspace stop) must end the statement
/// within a second; a timeout or cancellation throws and releases nothing.
public protocol SandboxExecutor: Sendable {
    var dialect: SQLDialect { get }
    func run(_ statement: CompiledStatement, limits: ExecutionLimits) async throws -> ExecutionOutput
}

/// An executor failure an operator may be told about because it names no data (a timeout, too
/// many result rows); other failures stay in the logs and are answered as internal errors.
public protocol OperatorVisibleFailure: Error {
    /// Nil when the failure must not be described to the operator.
    var operatorMessage: String? { get }
}
