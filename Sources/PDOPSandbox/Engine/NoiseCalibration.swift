import Foundation
import PDOPDomain

/// One noisy statistic's distribution, as exact rationals for the samplers.
struct NoiseScale: Sendable, Equatable {
    enum Distribution: Sendable, Equatable {
        /// Discrete Laplace with scale t/s.
        case laplace(t: UInt64, s: UInt64)
        /// Discrete Gaussian with σ² = n/d.
        case gaussian(n: UInt64, d: UInt64)
    }

    let distribution: Distribution

    /// Finer than this and the rationals could overflow; such an ε buys nothing anyway.
    static let maxScale = Double(1 << 50)
    static let denominator: UInt64 = 1024

    static func laplace(scale: Double) -> NoiseScale? {
        guard scale > 0, scale <= maxScale else { return nil }
        // Rounded up: never less noise than calibrated.
        let t = UInt64((scale * Double(denominator)).rounded(.up))
        return NoiseScale(distribution: .laplace(t: max(1, t), s: denominator))
    }

    static func gaussian(variance: Double) -> NoiseScale? {
        guard variance > 0, variance <= maxScale * maxScale / 1024 else { return nil }
        let d: UInt64 = variance < Double(1 << 40) ? denominator : 1
        let n = UInt64((variance * Double(d)).rounded(.up))
        return NoiseScale(distribution: .gaussian(n: max(1, n), d: d))
    }

    /// The exact standard deviation of the discrete distribution (σ for the Gaussian, whose variance is within 1% of σ² for σ ≥ 1).
    var standardDeviation: Double {
        switch distribution {
        case .laplace(let t, let s):
            let q = exp(-Double(s) / Double(t))
            return (2 * q).squareRoot() / (1 - q)
        case .gaussian(let n, let d):
            return (Double(n) / Double(d)).squareRoot()
        }
    }

    /// The smallest k with P(Z ≥ k) ≤ probability: the discrete Laplace tail is q^k/(1+q), the
    /// discrete Gaussian's is at most exp(−k²/2σ²) (Canonne–Kamath–Steinke, Prop. 25).
    func tail(probability: Double) -> Int64 {
        switch distribution {
        case .laplace(let t, let s):
            let q = exp(-Double(s) / Double(t))
            return Int64(max(1, (log(probability * (1 + q)) / log(q)).rounded(.up)))
        case .gaussian(let n, let d):
            let sigma = (Double(n) / Double(d)).squareRoot()
            return Int64(max(1, (sigma * (2 * log(1 / probability)).squareRoot()).rounded(.up)))
        }
    }

    func draw<G: RandomNumberGenerator>(_ noise: inout DiscreteNoise<G>) -> Int64 {
        switch distribution {
        case .laplace(let t, let s): noise.discreteLaplace(scaleNumerator: t, scaleDenominator: s)
        case .gaussian(let n, let d): noise.discreteGaussian(varianceNumerator: n, varianceDenominator: d)
        }
    }
}

/// The noise of one DP query: ε split evenly over the noisy statistics, and the τ-threshold for groups.
///
/// Released statistics: the unit count (always, it is the base of the threshold and of avg), the row
/// count when asked for, and one sum per distinct summed or averaged column; avg = noisy sum / noisy
/// unit count costs nothing more. Sensitivities with m = contributions: units m, rows m·sandboxMaxRowsPerUnit,
/// a sum m·max(|lower|, |upper|) (L2: √m times the same).
///
/// τ: a group made only of one unit's rows must appear with probability ≤ δ_τ over that unit's m groups,
/// so τ = 1 + the smallest k with m·P(Z ≥ k) ≤ δ_τ — SmartNoise's τ = m(1 − ln(2δ/m)/ε), restated for the
/// exact discrete tail. δ_τ is δ for Laplace (default 1e-7, the anchors' recommended δ) and δ/2 for
/// the Gaussian, whose other δ/2 converts ρ-zCDP to (ε, δ).
struct NoisePlan: Sendable {
    let epsilon: Double
    let mechanism: NoiseMechanism
    let delta: Double
    let contributions: Int
    let units: NoiseScale
    let rows: NoiseScale?
    let sums: [NoiseScale]
    let tau: Int64

    var statisticCount: Int { 1 + (rows == nil ? 0 : 1) + sums.count }

    init(privacy: QuerySpec.Privacy, countsRows: Bool, sums: [SumColumn], policy: PolicySettings) throws(DomainError) {
        epsilon = privacy.epsilon
        mechanism = privacy.mechanism
        delta = privacy.delta ?? policy.sandboxDefaultDelta
        contributions = privacy.contributions
        let m = Double(privacy.contributions)
        let statistics = 1 + (countsRows ? 1 : 0) + sums.count
        let rowBound = Double(policy.sandboxMaxRowsPerUnit)
        let make: (Double) -> NoiseScale?
        switch privacy.mechanism {
        case .laplace:
            let share = privacy.epsilon / Double(statistics)
            make = { sensitivity in NoiseScale.laplace(scale: m * sensitivity / share) }
        case .gaussian:
            let logTerm = log(2 / delta)
            let rho = pow((logTerm + privacy.epsilon).squareRoot() - logTerm.squareRoot(), 2)
            let share = rho / Double(statistics)
            make = { sensitivity in NoiseScale.gaussian(variance: m * sensitivity * sensitivity / (2 * share)) }
        }
        guard let units = make(1), let rowsScale = make(rowBound) else { throw Self.tooSmall }
        self.units = units
        self.rows = countsRows ? rowsScale : nil
        var sumScales: [NoiseScale] = []
        for sum in sums {
            guard let scale = make(Double(sum.sensitivity)) else { throw Self.tooSmall }
            sumScales.append(scale)
        }
        self.sums = sumScales
        let tauDelta = privacy.mechanism == .laplace ? delta : delta / 2
        tau = 1 + units.tail(probability: tauDelta / m)
    }

    static let tooSmall = DomainError.refused("R12", "epsilon is too small for these bounds", field: "/privacy/epsilon")
}
