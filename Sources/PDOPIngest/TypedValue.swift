import Glibc
import PDOPDomain

/// A field's value once its column is typed, in forms a SQL layer binds directly: integers as
/// Int64, decimals as Double, dates and timestamps as `CivilDate`/`CivilTimestamp` (an integer
/// count since 1970, or `iso` text), text as String.
public enum TypedValue: Hashable, Sendable {
    case null
    case integer(Int64)
    case decimal(Double)
    case date(CivilDate)
    case timestamp(CivilTimestamp)
    case boolean(Bool)
    case text(String)

    /// The value as text for display and messages; nil for null.
    public var displayText: String? {
        switch self {
        case .null: nil
        case .integer(let value): String(value)
        case .decimal(let value): String(value)
        case .date(let value): value.iso
        case .timestamp(let value): value.iso
        case .boolean(let value): value ? "true" : "false"
        case .text(let value): value
        }
    }

    /// Numeric order for numbers, chronological for dates and times, false before true, and
    /// code-point order for text (what SQL's binary collation gives). Values of different kinds
    /// never meet in one column; they order by kind.
    func isLess(than other: TypedValue) -> Bool {
        switch (self, other) {
        case (.integer(let left), .integer(let right)): left < right
        case (.decimal(let left), .decimal(let right)): left < right
        case (.date(let left), .date(let right)): left < right
        case (.timestamp(let left), .timestamp(let right)): left < right
        case (.boolean(let left), .boolean(let right)): !left && right
        case (.text(let left), .text(let right)): Self.utf8Precedes(left, right)
        default: kindOrder < other.kindOrder
        }
    }

    /// Byte order of UTF-8 is code-point order; compared in place, as this runs for every value
    /// of a text column while profiling.
    private static func utf8Precedes(_ left: String, _ right: String) -> Bool {
        var left = left, right = right
        return left.withUTF8 { leftBytes in
            right.withUTF8 { rightBytes in
                let common = min(leftBytes.count, rightBytes.count)
                let order = common == 0 ? 0 : memcmp(leftBytes.baseAddress!, rightBytes.baseAddress!, common)
                return order < 0 || (order == 0 && leftBytes.count < rightBytes.count)
            }
        }
    }

    private var kindOrder: Int {
        switch self {
        case .null: 0
        case .integer: 1
        case .decimal: 2
        case .date: 3
        case .timestamp: 4
        case .boolean: 5
        case .text: 6
        }
    }
}

/// A record with typed values, in the schema's column order.
public struct TypedRecord: Equatable, Sendable {
    /// The 1-based line the record starts on in the file.
    public var line: Int
    public var values: [TypedValue]

    public init(line: Int, values: [TypedValue]) {
        self.line = line
        self.values = values
    }
}

extension ColumnType {
    /// What a value must look like, for the error when one does not.
    var expectation: String {
        switch self {
        case .integer: "an integer"
        case .decimal: "a decimal"
        case .date: "a date (YYYY-MM-DD)"
        case .timestamp: "a timestamp (YYYY-MM-DD HH:MM:SS)"
        case .boolean: "a boolean (true/false, 是/否, Y/N)"
        case .text: "text"
        }
    }
}
