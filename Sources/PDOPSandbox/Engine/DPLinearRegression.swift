import Foundation

/// Linear regression by sufficient-statistics perturbation, pure ε (perturbation.md §4.1).
///
/// Each unit's row v = (1, z₁…z_d, z_y) lies in [−1, 1]^D, D = d + 2. The released statistic is the upper
/// triangle of Σ v·vᵀ — XᵀX, Xᵀy, n, Σy and Σy² at once — on a fixed-point grid: each unit's products are
/// rounded to multiples of 2⁻¹⁶ and summed as integers, so one unit moves an entry by at most 2¹⁶ grid
/// steps and the L1 sensitivity is exactly D(D+1)/2 · 2¹⁶. Each entry gets integer discrete Laplace noise
/// of that sensitivity / ε (never floating-point noise, §5.1). The ridge solve and the metrics read only
/// the noisy entries, so they are post-processing.
struct DPLinearRegression {
    static let gridBits = 16
    static let grid = Double(1 << gridBits)

    /// D = features + intercept + target.
    let dimension: Int
    let entryNoise: NoiseScale
    /// About the spectral norm of the noise matrix (≈ 2√D·√2·scale), so Ã + λI is usually positive
    /// definite without looking at the data; the solver doubles it when it is not.
    let ridge: Double

    init?(featureCount: Int, epsilon: Double) {
        dimension = featureCount + 2
        let scale = Double(dimension * (dimension + 1) / 2) / epsilon
        guard let noise = NoiseScale.laplace(scale: scale * Self.grid) else { return nil }
        entryNoise = noise
        ridge = 3 * Double(dimension).squareRoot() * scale
    }

    struct Fit {
        /// [β₀, β₁…β_d] on the scaled axes: z_y ≈ β₀ + Σ βⱼ·zⱼ.
        let weights: [Double]
        /// Of the per-unit model on the scaled axes, from the noisy statistics; nil where the noise would dominate them.
        let r2: Double?
        let rmseScaled: Double?
    }

    func fit<G: RandomNumberGenerator>(_ units: UnitRows, noise sampler: inout DiscreteNoise<G>) -> Fit {
        let size = dimension
        var sums = [[Int64]](repeating: [Int64](repeating: 0, count: size), count: size)
        for point in units.points {
            let v = [1] + point
            for i in 0..<size {
                for j in i..<size { sums[i][j] += Int64((v[i] * v[j] * Self.grid).rounded()) }
            }
        }
        var noisy = [[Double]](repeating: [Double](repeating: 0, count: size), count: size)
        for i in 0..<size {
            for j in i..<size {
                let (value, overflow) = sums[i][j].addingReportingOverflow(entryNoise.draw(&sampler))
                noisy[i][j] = overflow ? 0 : Double(value) / Self.grid
                noisy[j][i] = noisy[i][j]
            }
        }
        let target = size - 1
        let gram = (0..<target).map { Array(noisy[$0][0..<target]) }
        let moments = (0..<target).map { noisy[$0][target] }
        let weights = ModelAlgebra.ridgeSolve(gram, moments, ridge: ridge).solution
        // RSS = Σy² − 2βᵀXᵀy + βᵀXᵀXβ and TSS = Σy² − (Σy)²/n, all from the noisy entries.
        let count = noisy[0][0], sumSquares = noisy[target][target]
        let residual = max(0, sumSquares - 2 * ModelAlgebra.dot(weights, moments)
            + ModelAlgebra.dot(weights, gram.map { ModelAlgebra.dot($0, weights) }))
        let total = sumSquares - moments[0] * moments[0] / count
        // The noise RSS carries is about σ·(1 + ‖β‖₁)² (σ an entry's noise): a smaller RSS or TSS is noise, not a metric.
        let entrySpread = entryNoise.standardDeviation / Self.grid
        let floor = 2 * entrySpread * pow(1 + weights.reduce(0) { $0 + abs($1) }, 2)
        guard count >= 1, residual > floor, total > floor, residual.isFinite else { return Fit(weights: weights, r2: nil, rmseScaled: nil) }
        return Fit(weights: weights, r2: 1 - residual / total, rmseScaled: (residual / count).squareRoot())
    }
}
