import Foundation

/// Exact discrete noise by the rejection samplers of Canonne, Kamath & Steinke, "The Discrete Gaussian
/// for Differential Privacy" (2020), Algorithms 1–3, with integer and rational arithmetic only: no
/// floating point touches a random decision, so there is no floating-point privacy leak.
struct DiscreteNoise<Generator: RandomNumberGenerator> {
    var random: Generator

    init(_ random: Generator) { self.random = random }

    /// Uniform in 0..<bound (bound ≥ 1).
    mutating func uniform(below bound: UInt64) -> UInt64 { random.next(upperBound: bound) }

    /// Uniform in 0..<bound for 128-bit bounds, by rejection on the bound's bit length.
    mutating func uniform(below bound: Wide) -> Wide {
        if bound.high == 0 { return Wide(high: 0, low: uniform(below: bound.low)) }
        let highBits = 64 - bound.high.leadingZeroBitCount
        let mask: UInt64 = highBits == 64 ? .max : (1 << UInt64(highBits)) - 1
        while true {
            let candidate = Wide(high: random.next() & mask, low: random.next())
            if candidate < bound { return candidate }
        }
    }

    /// Bernoulli(numerator / denominator), 0 ≤ numerator ≤ denominator.
    mutating func bernoulli(_ numerator: Wide, over denominator: Wide) -> Bool {
        uniform(below: denominator) < numerator
    }

    /// Bernoulli(exp(−numerator/denominator)) for any non-negative ratio (Algorithm 1).
    mutating func bernoulliExp(_ numerator: Wide, over denominator: Wide) -> Bool {
        var remaining = numerator
        // exp(−γ) = exp(−1)^⌊γ⌋ · exp(−(γ − ⌊γ⌋)); each whole part must succeed.
        while !(remaining < denominator) {
            if !bernoulliExpAtMostOne(Wide(1), over: Wide(1)) { return false }
            remaining = remaining - denominator
        }
        return bernoulliExpAtMostOne(remaining, over: denominator)
    }

    /// Bernoulli(exp(−γ)) for γ = numerator/denominator ∈ [0, 1].
    private mutating func bernoulliExpAtMostOne(_ numerator: Wide, over denominator: Wide) -> Bool {
        var k: UInt64 = 1
        while true {
            // A = Bernoulli(γ / k); the first failure ends the run, and an odd k means success.
            guard let scaled = denominator.multiplied(by: k), bernoulli(numerator, over: scaled) else { break }
            k += 1
        }
        return k % 2 == 1
    }

    /// Geometric, P(m) ∝ exp(−m·s/t) for m ≥ 0, at most `limit`: the magnitude step of Algorithm 2.
    mutating func geometric(scaleNumerator t: UInt64, scaleDenominator s: UInt64, limit: UInt64 = .max) -> UInt64 {
        precondition(t >= 1 && s >= 1)
        while true {
            let u = uniform(below: t)
            guard bernoulliExp(Wide(u), over: Wide(t)) else { continue }
            var v: UInt64 = 0
            while bernoulliExp(Wide(1), over: Wide(1)) { v += 1 }
            let (product, overflow) = t.multipliedReportingOverflow(by: v)
            guard !overflow, product <= limit - u else { continue }
            return (u + product) / s
        }
    }

    /// Discrete Laplace with scale t/s: P(x) ∝ exp(−|x|·s/t) (Algorithm 2): a geometric magnitude
    /// with a fair sign, a negative zero drawn again.
    mutating func discreteLaplace(scaleNumerator t: UInt64, scaleDenominator s: UInt64) -> Int64 {
        while true {
            let magnitude = geometric(scaleNumerator: t, scaleDenominator: s, limit: UInt64(Int64.max))
            let negative = uniform(below: 2) == 1
            if negative && magnitude == 0 { continue }
            return negative ? -Int64(magnitude) : Int64(magnitude)
        }
    }

    /// Discrete Gaussian with variance parameter σ² = n/d: P(x) ∝ exp(−x²/(2σ²)) (Algorithm 3).
    mutating func discreteGaussian(varianceNumerator n: UInt64, varianceDenominator d: UInt64) -> Int64 {
        precondition(n >= 1 && d >= 1)
        // t = ⌊σ⌋ + 1, computed exactly: the largest t with t² ≤ n/d, plus one.
        var t = UInt64((Double(n) / Double(d)).squareRoot())
        while t > 0, Wide.product(t, t).multiplied(by: d).map({ Wide(n) < $0 }) ?? true { t -= 1 }
        while Wide.product(t + 1, t + 1).multiplied(by: d).map({ !(Wide(n) < $0) }) ?? false { t += 1 }
        t += 1
        while true {
            let y = discreteLaplace(scaleNumerator: t, scaleDenominator: 1)
            // Accept with probability exp(−(|y| − σ²/t)² / (2σ²)) = exp(−(|y|·d·t − n)² / (2·n·d·t²)).
            let magnitude = y.magnitude
            guard let ydt = Wide.product(magnitude, d).multiplied(by: t), ydt.high == 0 else { continue }
            let difference = ydt.low >= n ? ydt.low - n : n - ydt.low
            let numerator = Wide.product(difference, difference)
            guard let nd2 = Wide.product(n, d).multiplied(by: 2), nd2.high == 0,
                  let denominator = Wide.product(nd2.low, t).multiplied(by: t) else { continue }
            if bernoulliExp(numerator, over: denominator) { return y }
        }
    }
}

/// An unsigned 128-bit integer: just enough arithmetic for the samplers' exact ratios.
struct Wide: Comparable, Sendable {
    var high: UInt64
    var low: UInt64

    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    init(_ value: UInt64) { self.init(high: 0, low: value) }

    static func product(_ a: UInt64, _ b: UInt64) -> Wide {
        let (high, low) = a.multipliedFullWidth(by: b)
        return Wide(high: high, low: low)
    }

    /// Nil on overflow past 128 bits.
    func multiplied(by factor: UInt64) -> Wide? {
        let lowProduct = low.multipliedFullWidth(by: factor)
        let highProduct = high.multipliedFullWidth(by: factor)
        let (sum, carry) = highProduct.low.addingReportingOverflow(lowProduct.high)
        guard highProduct.high == 0, !carry else { return nil }
        return Wide(high: sum, low: lowProduct.low)
    }

    static func - (lhs: Wide, rhs: Wide) -> Wide {
        let (low, borrow) = lhs.low.subtractingReportingOverflow(rhs.low)
        return Wide(high: lhs.high - rhs.high - (borrow ? 1 : 0), low: low)
    }

    static func < (lhs: Wide, rhs: Wide) -> Bool {
        lhs.high != rhs.high ? lhs.high < rhs.high : lhs.low < rhs.low
    }
}
