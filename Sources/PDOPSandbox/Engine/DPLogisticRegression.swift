import Foundation

/// Logistic regression by objective perturbation, pure ε (Chaudhuri, Monteleoni & Sarwate 2011, Alg. 2;
/// perturbation.md §4.2).
///
/// Inputs x = (1, z₁…z_d)/√(d+1), so ‖x‖ ≤ 1, and y = ±1 (the unit's majority label); the logistic loss has
/// |ℓ′| ≤ 1 and ℓ″ ≤ c = 1/4. The objective is in sum form, Σℓ(y·fᵀx) + (Λ/2)‖f‖² + bᵀf, with a fixed Λ (the
/// paper's nΛ), so the calibration needs no n — which is not public here. Λ = c/(e^{ε/20} − 1) makes
/// ε′ = ε − 2·ln(1 + c/Λ) = 0.9ε, so Δ = 0. Adding or removing one unit moves the gradient sum by at most 1
/// and the Hessian by one rank-one term, inside the paper's replace-one bounds (2 and (1 + c/Λ)²).
///
/// Drawing b (density ∝ exp(−ε′‖b‖/2): ‖b‖ ~ Gamma(d+1, 2/ε′), direction uniform): the norm is a sum of d+1
/// exact geometric draws on a grid of 2⁻²⁰·(2/ε′) from the integer samplers, so the magnitude has no
/// floating-point porosity; the direction is the normalised vector of d+1 exact discrete Gaussians of
/// σ = 2²⁰. Only that normalisation and the solver are floating point. The guarantee assumes the exact
/// minimiser, so damped Newton runs until the gradient is below 1e-9.
struct DPLogisticRegression {
    static let curvature = 0.25
    static let gridBits = 20
    static let directionVariance: UInt64 = 1 << 40

    /// d + 1: the intercept and the features.
    let dimension: Int
    let regulariser: Double
    let noiseEpsilon: Double
    let normStep: NoiseScale

    init?(featureCount: Int, epsilon: Double) {
        dimension = featureCount + 1
        regulariser = Self.curvature / expm1(epsilon / 20)
        // Never more than the ε′ the chosen Λ leaves, whatever the rounding of the line above.
        noiseEpsilon = min(0.9 * epsilon, epsilon - 2 * log1p(Self.curvature / regulariser))
        guard regulariser.isFinite, noiseEpsilon > 0,
              let step = NoiseScale.laplace(scale: 2 / noiseEpsilon * Double(1 << Self.gridBits)) else { return nil }
        normStep = step
    }

    /// Coefficients of the log-odds on the scaled axes: logit ≈ w₀ + Σ wⱼ·zⱼ.
    func fit<G: RandomNumberGenerator>(_ units: UnitRows, noise sampler: inout DiscreteNoise<G>) -> [Double] {
        let shrink = 1 / Double(dimension).squareRoot()
        let inputs = units.points.map { point in ([1] + point.dropLast()).map { $0 * shrink } }
        // The target is scaled from [0, 1] to [−1, 1]: a mean of at least ½ is the label +1.
        let labels = units.points.map { ($0.last ?? 0) >= 0 ? 1.0 : -1.0 }
        let f = Self.minimise(inputs, labels, regulariser: regulariser, linear: perturbation(&sampler))
        return f.map { $0 * shrink }
    }

    func perturbation<G: RandomNumberGenerator>(_ sampler: inout DiscreteNoise<G>) -> [Double] {
        guard case .laplace(let t, let s) = normStep.distribution else { return [Double](repeating: 0, count: dimension) }
        var steps: UInt64 = 0
        for _ in 0..<dimension { steps = steps.addingReportingOverflow(sampler.geometric(scaleNumerator: t, scaleDenominator: s)).partialValue }
        let norm = Double(steps) / Double(1 << Self.gridBits)
        var direction: [Double]
        repeat {
            direction = (0..<dimension).map { _ in
                Double(sampler.discreteGaussian(varianceNumerator: Self.directionVariance, varianceDenominator: 1))
            }
        } while direction.allSatisfy { $0 == 0 }
        let length = ModelAlgebra.dot(direction, direction).squareRoot()
        return direction.map { norm * $0 / length }
    }

    /// Damped Newton on the strongly convex Σ softplus(−y·fᵀx) + (Λ/2)‖f‖² + bᵀf.
    static func minimise(_ inputs: [[Double]], _ labels: [Double], regulariser: Double, linear: [Double]) -> [Double] {
        let size = linear.count
        func objective(_ f: [Double]) -> Double {
            zip(inputs, labels).reduce(regulariser / 2 * ModelAlgebra.dot(f, f) + ModelAlgebra.dot(linear, f)) {
                $0 + softplus(-$1.1 * ModelAlgebra.dot(f, $1.0))
            }
        }
        var f = [Double](repeating: 0, count: size)
        for _ in 0..<100 {
            var gradient = zip(linear, f).map { $0 + regulariser * $1 }
            var hessian = (0..<size).map { i in (0..<size).map { i == $0 ? regulariser : 0 } }
            for (x, y) in zip(inputs, labels) {
                let p = sigmoid(-y * ModelAlgebra.dot(f, x))
                for i in 0..<size {
                    gradient[i] -= y * p * x[i]
                    for j in 0...i { hessian[i][j] += p * (1 - p) * x[i] * x[j] }
                }
            }
            for i in 0..<size { for j in 0..<i { hessian[j][i] = hessian[i][j] } }
            guard ModelAlgebra.dot(gradient, gradient).squareRoot() > 1e-9, let lower = ModelAlgebra.cholesky(hessian) else { break }
            let step = ModelAlgebra.solve(cholesky: lower, gradient).map { -$0 }
            let decrease = -ModelAlgebra.dot(gradient, step)
            let current = objective(f)
            var length = 1.0
            while length > 1e-12 {
                let candidate = zip(f, step).map { $0 + length * $1 }
                if objective(candidate) <= current - 0.25 * length * decrease { f = candidate; break }
                length /= 2
            }
            if length <= 1e-12 { break }
        }
        return f
    }

    static func sigmoid(_ t: Double) -> Double { t >= 0 ? 1 / (1 + exp(-t)) : exp(t) / (1 + exp(t)) }
    static func softplus(_ t: Double) -> Double { max(t, 0) + log1p(exp(-abs(t))) }
}

