/// Drawing helpers over SplitMix64. They are written out here instead of using the standard
/// library's `random(in:using:)`, whose algorithm may change between Swift releases: the demo
/// data must stay byte-identical for a seed.
extension SplitMix64 {
    /// An independent stream for item `index` of `seed`: any row or person can be produced on its
    /// own, in any order, without producing the ones before it.
    static func stream(_ seed: UInt64, _ index: Int) -> SplitMix64 {
        SplitMix64(seed: mix(seed ^ (UInt64(truncatingIfNeeded: index) &* 0xD1B5_4A32_D192_ED03)))
    }

    /// MurmurHash3's 64-bit finaliser: nearby inputs give unrelated outputs.
    static func mix(_ value: UInt64) -> UInt64 {
        var x = value
        x = (x ^ (x >> 33)) &* 0xFF51_AFD7_ED55_8CCD
        x = (x ^ (x >> 33)) &* 0xC4CE_B9FE_1A85_EC53
        return x ^ (x >> 33)
    }

    /// A seed for a named part (a dataset, a population), so parts never share a stream.
    static func seed(_ seed: UInt64, named name: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a: stable across processes, unlike Hasher
        for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return mix(seed ^ hash)
    }

    /// Uniform in 0..<bound (multiply-high; the bias is below 2⁻⁴⁰ for our bounds).
    mutating func below(_ bound: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + below(range.count) }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    mutating func chance(_ probability: Double) -> Bool { unit() < probability }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// A factor around 1 within ±spread, triangular, for day-to-day wobble.
    mutating func wobble(_ spread: Double) -> Double { 1 + spread * (unit() + unit() - 1) }

    /// A right-skewed factor with median 1 (log-normal, σ = 0.5, or σ = 1 when `wide`): costs,
    /// capital and consumption have long upper tails. Interpolated from a quantile table, so
    /// no libm call can differ between platforms.
    mutating func skewed(wide: Bool = false) -> Double {
        let u = unit()
        var index = 1
        while Skew.quantiles[index] < u { index += 1 }
        let (u0, u1) = (Skew.quantiles[index - 1], Skew.quantiles[index])
        let (f0, f1) = (Skew.factors[index - 1], Skew.factors[index])
        let factor = f0 + (f1 - f0) * (u - u0) / (u1 - u0)
        return wide ? factor * factor : factor
    }
}

private enum Skew {
    static let quantiles: [Double] = [0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999, 1]
    // exp(0.5 · Φ⁻¹(u)), the ends clamped at u = 0.0005 and 0.9995.
    static let factors: [Double] = [
        0.193, 0.3125, 0.3581, 0.4394, 0.5269, 0.6565, 0.7694, 0.881, 1, 1.135,
        1.2998, 1.5232, 1.898, 2.276, 2.7923, 3.2001, 3.6252, 4.6885, 5.1824,
    ]
}

/// A table of choices with integer weights.
struct Weighted<Item: Sendable>: Sendable {
    let items: [Item]
    private let cumulative: [Int]

    init(_ pairs: [(Item, Int)]) {
        items = pairs.map(\.0)
        var running = 0
        cumulative = pairs.map { running += $0.1; return running }
    }

    func index(_ rng: inout SplitMix64) -> Int {
        let target = rng.below(cumulative[cumulative.count - 1])
        var low = 0, high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] > target { high = mid } else { low = mid + 1 }
        }
        return low
    }

    func pick(_ rng: inout SplitMix64) -> Item { items[index(&rng)] }
}
