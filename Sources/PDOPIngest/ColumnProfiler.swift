import PDOPDomain

/// A column's figures over every record of a load (issue 3, item 5).
public struct ColumnProfile: Equatable, Sendable {
    public var name: String
    public var type: ColumnType
    public var rowCount: Int
    public var nullCount: Int
    /// Exact up to 10,000 distinct values, then a HyperLogLog estimate (about 1% error).
    public var distinctCount: Int
    public var distinctCountIsExact: Bool
    public var minimum: TypedValue?
    public var maximum: TypedValue?
    /// The ten most frequent values, most frequent first, for columns of at most 50 distinct
    /// values (and none longer than 256 bytes); nil for other columns.
    public var topValues: [ValueCount]?

    public init(name: String, type: ColumnType, rowCount: Int, nullCount: Int, distinctCount: Int, distinctCountIsExact: Bool,
                minimum: TypedValue?, maximum: TypedValue?, topValues: [ValueCount]?) {
        self.name = name
        self.type = type
        self.rowCount = rowCount
        self.nullCount = nullCount
        self.distinctCount = distinctCount
        self.distinctCountIsExact = distinctCountIsExact
        self.minimum = minimum
        self.maximum = maximum
        self.topValues = topValues
    }

    public var nullRate: Double { rowCount == 0 ? 0 : Double(nullCount) / Double(rowCount) }

    /// The same figures with every value masked as `kind`, for a column of personal data:
    /// profiles are kept and shown outside the domain store.
    public func masked(as kind: PersonalDataKind) -> ColumnProfile {
        func mask(_ value: TypedValue?) -> TypedValue? {
            value?.displayText.map { .text(Masking.mask($0, kind: kind)) }
        }
        var masked = self
        masked.minimum = mask(minimum)
        masked.maximum = mask(maximum)
        masked.topValues = topValues?.map { ValueCount(value: mask($0.value) ?? .null, count: $0.count) }
        return masked
    }
}

public struct ValueCount: Equatable, Sendable {
    public var value: TypedValue
    public var count: Int

    public init(value: TypedValue, count: Int) {
        self.value = value
        self.count = count
    }
}

/// Accumulates a `ColumnProfile` value by value in bounded memory: at most 10,000 hashes for the
/// exact distinct count, then a 16 KiB sketch; at most 50 counted values; two range values.
public struct ColumnProfiler: Sendable {
    static let exactDistinctLimit = 10_000
    static let topValuesCardinalityLimit = 50
    static let topValuesShown = 10
    static let longestTrackedValue = 256

    public let name: String
    public let type: ColumnType
    private var rowCount = 0
    private var nullCount = 0
    /// Counts by hash, while the column is low-cardinality; its keys are then the distinct set.
    private(set) var valueCounts: [UInt64: ValueCount]? = [:]
    /// The exact distinct set once `valueCounts` is dropped, as 64-bit hashes (a collision among
    /// 10,000 has odds near 1e-11).
    private(set) var exactHashes: Set<UInt64>?
    private(set) var sketch: HyperLogLog?
    private var minimum: TypedValue?
    private var maximum: TypedValue?

    public init(name: String, type: ColumnType) {
        self.name = name
        self.type = type
    }

    public mutating func add(_ value: TypedValue) {
        rowCount += 1
        if case .null = value {
            nullCount += 1
            return
        }
        let hash = ValueHash.of(value)
        switch countOccurrence(of: value, hash: hash) {
        case .repeated: return // a value seen before cannot widen the range
        case .new: break
        case .untracked: countDistinct(hash)
        }
        widenRange(with: value)
    }

    public var profile: ColumnProfile {
        let top = valueCounts.map { counts in
            counts.values.sorted { $0.count > $1.count || ($0.count == $1.count && $0.value.isLess(than: $1.value)) }
                .prefix(Self.topValuesShown).map { $0 }
        }
        return ColumnProfile(name: name, type: type, rowCount: rowCount, nullCount: nullCount,
                             distinctCount: sketch?.estimate ?? exactHashes?.count ?? valueCounts?.count ?? 0,
                             distinctCountIsExact: sketch == nil,
                             minimum: minimum, maximum: maximum, topValues: top)
    }

    private mutating func countDistinct(_ hash: UInt64) {
        if sketch != nil {
            sketch?.insert(hash)
            return
        }
        exactHashes?.insert(hash)
        guard let count = exactHashes?.count, count > Self.exactDistinctLimit else { return }
        var sketch = HyperLogLog()
        for hash in exactHashes ?? [] { sketch.insert(hash) }
        self.sketch = sketch
        exactHashes = nil
    }

    private enum Occurrence { case repeated, new, untracked }

    /// Counts the value while the column is low-cardinality. Once it is not (from the value that
    /// shows it on), values are untracked and the exact set takes over the distinct count.
    private mutating func countOccurrence(of value: TypedValue, hash: UInt64) -> Occurrence {
        // Accessed in place, never bound to a local: a second reference would copy the table.
        guard valueCounts != nil else { return .untracked }
        if let index = valueCounts?.index(forKey: hash) {
            valueCounts?.values[index].count += 1
            return .repeated
        }
        if valueCounts!.count < Self.topValuesCardinalityLimit && !isLong(value) {
            valueCounts?[hash] = ValueCount(value: value, count: 1)
            return .new
        }
        exactHashes = Set(valueCounts!.keys)
        valueCounts = nil
        return .untracked
    }

    private mutating func widenRange(with value: TypedValue) {
        if minimum.map({ value.isLess(than: $0) }) ?? true { minimum = bounded(value) }
        if maximum.map({ $0.isLess(than: value) }) ?? true { maximum = bounded(value) }
    }

    private func isLong(_ value: TypedValue) -> Bool {
        if case .text(let text) = value { return text.utf8.count > Self.longestTrackedValue }
        return false
    }

    /// Long text keeps its first 256 characters: still the right minimum or maximum to that
    /// length, without holding a megabyte per column.
    private func bounded(_ value: TypedValue) -> TypedValue {
        guard case .text(let text) = value, text.unicodeScalars.count > Self.longestTrackedValue else { return value }
        return .text(String(text.unicodeScalars.prefix(Self.longestTrackedValue)))
    }
}
