/// Produces the demo county's datasets for a seed and a scale. The same seed and scale give the
/// same rows, byte for byte; every dataset has its own stream, and every row too, so a dataset
/// (or any row of it) can be produced without producing anything else first.
public struct DemoGenerator: Sendable {
    public static let defaultSeed: UInt64 = 330_624

    public let seed: UInt64
    public let scale: Double
    let residents: Residents
    let enterprises: Enterprises

    /// - Parameter scale: multiplies every row count (at least one row each); 0.001 is a smoke set.
    public init(seed: UInt64 = DemoGenerator.defaultSeed, scale: Double = 1) {
        precondition(scale.isFinite && scale > 0, "scale must be a positive number")
        self.seed = seed
        self.scale = scale
        residents = Residents(seed: SplitMix64.seed(seed, named: "residents"),
                              count: DemoDataset.scaled(DemoDatasets.baseResidents, scale),
                              adults: DemoDatasets[.socialInsurance].rowCount(scale: scale))
        enterprises = Enterprises(seed: SplitMix64.seed(seed, named: "enterprises"),
                                  count: DemoDatasets[.enterpriseRegistry].rowCount(scale: scale))
    }

    public func rowCount(_ key: DemoDataset.Key) -> Int {
        DemoDatasets[key].rowCount(scale: scale)
    }

    /// The rows of a dataset, produced lazily, fields already formatted in column order.
    public func rows(_ key: DemoDataset.Key) -> DemoRows {
        let source = DemoDatasets.sources.first { $0.dataset.key == key }!
        return rows(of: source)
    }

    private func rows<Source: RowSource>(of source: Source.Type) -> DemoRows {
        let key = Source.dataset.key
        let made = Source(self, count: rowCount(key))
        return DemoRows(count: rowCount(key), seed: streamSeed(key)) { made.row($0, &$1) }
    }

    func streamSeed(_ key: DemoDataset.Key) -> UInt64 {
        SplitMix64.seed(seed, named: key.rawValue)
    }
}

/// A dataset's rows: a lazy sequence that can be iterated again and indexed at random.
public struct DemoRows: Sequence, Sendable {
    public let count: Int
    private let seed: UInt64
    private let make: @Sendable (Int, inout SplitMix64) -> [String]

    init(count: Int, seed: UInt64, make: @escaping @Sendable (Int, inout SplitMix64) -> [String]) {
        self.count = count
        self.seed = seed
        self.make = make
    }

    public subscript(index: Int) -> [String] {
        precondition(index >= 0 && index < count, "row index out of range")
        var rng = SplitMix64.stream(seed, index)
        return make(index, &rng)
    }

    public var underestimatedCount: Int { count }

    public func makeIterator() -> Iterator { Iterator(rows: self) }

    public struct Iterator: IteratorProtocol {
        let rows: DemoRows
        var index = 0

        public mutating func next() -> [String]? {
            guard index < rows.count else { return nil }
            defer { index += 1 }
            return rows[index]
        }
    }
}
