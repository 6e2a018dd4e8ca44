import Foundation

/// The cell-key method's count perturbation table (perturbation.md §2.3; sdcTools/ptable,
/// `create_cnt_ptable(D, V, js = 0)`): for an original count i, the noise v ∈ [max(−i, −D), D]
/// with mean 0 and variance V, by maximum entropy — p(v) ∝ exp(a·v + b·v²) on the row's support.
/// Row i = 0 keeps 0; rows 1…D−1 have a shortened left tail; row D serves every count ≥ D.
///
/// A row is looked up with a 32-bit cell key: the first noise whose cumulative upper bound
/// (scaled to 2³²) exceeds the key. Integers only on the lookup path.
public struct PerturbationTable: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        /// The noise values of the row, ascending.
        public let noise: [Int64]
        public let probabilities: [Double]
        /// Cumulative upper bounds scaled to 2³²; strictly increasing, the last is exactly 2³².
        public let upperBounds: [UInt64]
    }

    public let maxNoise: Int
    public let variance: Double
    /// rows[i] for i = 0…D.
    public let rows: [Row]

    static let keySpace: UInt64 = 1 << 32

    private static let built = NSLock()
    nonisolated(unsafe) private static var tables: [String: PerturbationTable] = [:]

    /// Tables are solved once per (D, V) in a process: every answer uses the same one.
    public static func shared(maxNoise: Int, variance: Double) -> PerturbationTable {
        let key = "\(maxNoise)/\(variance)"
        return built.withLock {
            if let table = tables[key] { return table }
            let table = PerturbationTable(maxNoise: maxNoise, variance: variance)
            tables[key] = table
            return table
        }
    }

    public init(maxNoise: Int, variance: Double) {
        precondition(maxNoise >= 1 && variance > 0)
        self.maxNoise = maxNoise
        self.variance = variance
        var rows = [Row(noise: [0], probabilities: [1], upperBounds: [Self.keySpace])]
        for count in 1...maxNoise {
            let support = Array(Int64(-min(count, maxNoise))...Int64(maxNoise))
            rows.append(Self.row(support: support, variance: variance))
        }
        self.rows = rows
    }

    /// The noise for a cell of `count` units and cell key `key` (only the low 32 bits count).
    public func noise(count: Int64, key: UInt64) -> Int64 {
        guard count > 0 else { return 0 }
        let row = rows[Int(min(count, Int64(maxNoise)))]
        let position = key & (Self.keySpace - 1)
        var low = 0, high = row.upperBounds.count - 1
        while low < high {
            let middle = (low + high) / 2
            if position < row.upperBounds[middle] { high = middle } else { low = middle + 1 }
        }
        return row.noise[low]
    }

    /// Max-entropy row with mean 0 and the given variance: the mean is increasing in a and, with the
    /// mean held at 0, the variance is increasing in b, so two nested bisections find (a, b).
    static func row(support: [Int64], variance: Double) -> Row {
        let values = support.map(Double.init)
        func weights(_ a: Double, _ b: Double) -> [Double] {
            let exponents = values.map { a * $0 + b * $0 * $0 }
            let top = exponents.max() ?? 0
            let raw = exponents.map { exp($0 - top) }
            let total = raw.reduce(0, +)
            return raw.map { $0 / total }
        }
        func moment(_ p: [Double], _ power: Double) -> Double { zip(values, p).reduce(0) { $0 + pow($1.0, power) * $1.1 } }
        func zeroMean(_ b: Double) -> [Double] {
            var low = -60.0, high = 60.0
            for _ in 0..<100 {
                let middle = (low + high) / 2
                if moment(weights(middle, b), 1) < 0 { low = middle } else { high = middle }
            }
            return weights((low + high) / 2, b)
        }
        var low = -60.0, high = 60.0
        for _ in 0..<100 {
            let middle = (low + high) / 2
            if moment(zeroMean(middle), 2) < variance { low = middle } else { high = middle }
        }
        let probabilities = zeroMean((low + high) / 2)
        var cumulative = 0.0
        var bounds: [UInt64] = []
        for (index, probability) in probabilities.enumerated() {
            cumulative += probability
            let scaled = index == probabilities.count - 1 ? keySpace : UInt64((cumulative * Double(keySpace)).rounded())
            // Strictly increasing: a value of vanishing probability keeps a one-key interval.
            bounds.append(max(scaled, (bounds.last ?? 0) + 1))
        }
        bounds[bounds.count - 1] = keySpace
        return Row(noise: support, probabilities: probabilities, upperBounds: bounds)
    }
}
