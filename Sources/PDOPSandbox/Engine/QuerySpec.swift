import Foundation

/// An operator's aggregate query as structured JSON (sandbox_anchors.md §2.4): no SQL text ever comes from the operator.
public struct QuerySpec: Codable, Equatable, Sendable {
    public enum Mode: String, Codable, Sendable, CaseIterable {
        case threshold, dp
    }

    /// One dataset of the query under an operator-chosen alias.
    public struct Source: Codable, Equatable, Sendable {
        public var alias: String
        public var dataset: String
        public init(alias: String, dataset: String) {
            self.alias = alias
            self.dataset = dataset
        }
    }

    /// An inner equi-join of two JOIN_ONLY columns, written "alias.column".
    public struct Join: Codable, Equatable, Sendable {
        public var left: String
        public var right: String
        public init(left: String, right: String) {
            self.left = left
            self.right = right
        }
    }

    /// One AND-combined predicate on a column.
    public struct Filter: Codable, Equatable, Sendable {
        public var column: String
        public var op: FilterOperator
        public var value: FilterValue?
        public init(column: String, op: FilterOperator, value: FilterValue? = nil) {
            self.column = column
            self.op = op
            self.value = value
        }
    }

    /// A group key, optionally bucketed.
    public struct GroupKey: Codable, Equatable, Sendable {
        public var column: String
        public var bucket: Bucket?
        public init(column: String, bucket: Bucket? = nil) {
            self.column = column
            self.bucket = bucket
        }
    }

    /// A released statistic.
    public struct Measure: Codable, Equatable, Sendable {
        public var name: String
        public var agg: Aggregate
        public var column: String?
        public init(name: String, agg: Aggregate, column: String? = nil) {
            self.name = name
            self.agg = agg
            self.column = column
        }
    }

    /// DP parameters; absent in threshold mode.
    public struct Privacy: Codable, Equatable, Sendable {
        public var epsilon: Double
        public var mechanism: NoiseMechanism
        public var delta: Double?
        /// The most groups one unit may contribute to.
        public var contributions: Int
        public init(epsilon: Double, mechanism: NoiseMechanism = .laplace, delta: Double? = nil, contributions: Int = 1) {
            self.epsilon = epsilon
            self.mechanism = mechanism
            self.delta = delta
            self.contributions = contributions
        }
    }

    /// Ordering of released rows by a measure.
    public struct Order: Codable, Equatable, Sendable {
        public var measure: String
        public var desc: Bool
        public init(measure: String, desc: Bool = false) {
            self.measure = measure
            self.desc = desc
        }
    }

    public var mode: Mode
    public var sources: [Source]
    public var joins: [Join]
    public var filters: [Filter]
    public var groupBy: [GroupKey]
    public var measures: [Measure]
    public var privacy: Privacy?
    public var orderBy: [Order]
    /// Filled with the platform maximum by the parser when absent, so equal queries have equal canonical forms.
    public var limit: Int?

    public init(mode: Mode, sources: [Source], joins: [Join] = [], filters: [Filter] = [], groupBy: [GroupKey] = [],
                measures: [Measure], privacy: Privacy? = nil, orderBy: [Order] = [], limit: Int? = nil) {
        self.mode = mode
        self.sources = sources
        self.joins = joins
        self.filters = filters
        self.groupBy = groupBy
        self.measures = measures
        self.privacy = privacy
        self.orderBy = orderBy
        self.limit = limit
    }

    /// Sorted-key JSON: the form hashed for cache keys and ledger entries.
    public var canonicalJSON: Data { CanonicalJSON.encode(self) }
}

public enum FilterOperator: String, Codable, Sendable, CaseIterable {
    case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case between, `in`, isNull = "is_null", notNull = "not_null"

    /// Operators that only test membership, the ones a COUNT_ONLY column allows.
    var isMembershipTest: Bool { [.equal, .in, .isNull, .notNull].contains(self) }
    var isOrdering: Bool { [.less, .lessOrEqual, .greater, .greaterOrEqual, .between].contains(self) }
}

public enum Aggregate: String, Codable, Sendable, CaseIterable {
    case countUnits = "count_units", countRows = "count_rows", sum, avg
    var needsColumn: Bool { self == .sum || self == .avg }
}

public enum NoiseMechanism: String, Codable, Sendable, CaseIterable {
    case laplace, gaussian
}

/// A JSON scalar literal of a filter.
public enum Literal: Codable, Equatable, Sendable {
    case number(Double)
    case text(String)
    case bool(Bool)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else { self = .text(try container.decode(String.self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let value): try container.encode(value)
        case .text(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        }
    }
}

/// A filter's value: one literal, or a list for `between` and `in`.
public enum FilterValue: Codable, Equatable, Sendable {
    case single(Literal)
    case list([Literal])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let list = try? container.decode([Literal].self) { self = .list(list) }
        else { self = .single(try container.decode(Literal.self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .single(let literal): try container.encode(literal)
        case .list(let literals): try container.encode(literals)
        }
    }
}

/// A group key's bucket: a numeric width (days for dates) or a calendar unit.
public enum Bucket: Codable, Equatable, Sendable {
    case width(Int)
    case calendar(CalendarUnit)

    public enum CalendarUnit: String, Codable, Sendable, CaseIterable {
        case day, month, year
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let width = try? container.decode(Int.self) { self = .width(width) }
        else { self = .calendar(try container.decode(CalendarUnit.self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .width(let width): try container.encode(width)
        case .calendar(let unit): try container.encode(unit)
        }
    }
}

enum CanonicalJSON {
    /// Encoding these value types cannot fail (no non-finite numbers pass the parser); an empty
    /// result would only make a hash less specific, never leak anything.
    static func encode(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)) ?? Data()
    }
}
