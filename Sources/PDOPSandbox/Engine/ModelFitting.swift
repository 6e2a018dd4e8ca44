import Foundation

/// A column's declared range mapped onto [−1, 1]. The bounds come from the column policy, never from
/// the data (perturbation.md §4: data-derived bounds are not DP).
struct DeclaredScale: Sendable, Equatable {
    let lower: Double
    let upper: Double

    /// z = slope·x + offset maps [lower, upper] onto [−1, 1]; a degenerate range maps everything to 0.
    var slope: Double { upper > lower ? 2 / (upper - lower) : 0 }
    var offset: Double { upper > lower ? -2 * lower / (upper - lower) - 1 : 0 }

    /// Clamped here as well as in SQL, so the sensitivity never depends on what the database returned.
    func scaled(_ value: Double) -> Double {
        guard value.isFinite else { return 0 }
        return min(1, max(-1, slope * value + offset))
    }

    /// A linear form w₀ + Σ wⱼ·zⱼ on scaled features, as (slopes, intercept) on the original scale, then
    /// mapped by t ↦ (t − shift)·factor (for a linear target: shift = its offset, factor = 1/its slope).
    static func original(_ weights: [Double], features: [DeclaredScale], shift: Double = 0, factor: Double = 1) -> (slopes: [Double], intercept: Double) {
        let slopes = features.indices.map { weights[$0 + 1] * features[$0].slope * factor }
        let constant = features.indices.reduce(weights[0]) { $0 + weights[$1 + 1] * features[$1].offset }
        return (slopes, (constant - shift) * factor)
    }
}

/// One row per privacy unit, the mean of that unit's rows on the scaled [−1, 1] axes (features…, target),
/// so adding or removing one person adds or removes exactly one bounded row.
struct UnitRows {
    private(set) var points: [[Double]] = []
    /// Rows, each unit's capped at `rowCap`: one person moves this by at most `rowCap`.
    private(set) var cappedRowCount: Int64 = 0

    init(_ rows: [[SQLValue]], scales: [DeclaredScale], rowCap: Int) {
        var index: [SQLValue: Int] = [:]
        var counts: [Int] = []
        for row in rows where row.count == scales.count + 1 {
            let values = scales.indices.map { scales[$0].scaled(Self.double(row[$0 + 1])) }
            if let position = index[row[0]] {
                for j in values.indices { points[position][j] += values[j] }
                counts[position] += 1
            } else {
                index[row[0]] = points.count
                points.append(values)
                counts.append(1)
            }
        }
        for position in points.indices {
            points[position] = points[position].map { $0 / Double(counts[position]) }
            cappedRowCount += Int64(min(counts[position], rowCap))
        }
    }

    var count: Int { points.count }

    static func double(_ value: SQLValue) -> Double {
        switch value {
        case .integer(let number): Double(number)
        case .double(let number): number
        case .text(let text): Double(text) ?? 0
        case .null: 0
        }
    }
}

/// The small dense linear algebra the fits need.
enum ModelAlgebra {
    /// The lower Cholesky factor of a symmetric matrix, nil unless it is positive definite.
    static func cholesky(_ matrix: [[Double]]) -> [[Double]]? {
        let n = matrix.count
        var lower = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n {
            for j in 0...i {
                let partial = (0..<j).reduce(matrix[i][j]) { $0 - lower[i][$1] * lower[j][$1] }
                if i == j {
                    guard partial > 0, partial.isFinite else { return nil }
                    lower[i][i] = partial.squareRoot()
                } else {
                    lower[i][j] = partial / lower[j][j]
                }
            }
        }
        return lower
    }

    /// Solves L·Lᵀ·x = b.
    static func solve(cholesky lower: [[Double]], _ vector: [Double]) -> [Double] {
        let n = vector.count
        var forward = [Double](repeating: 0, count: n)
        for i in 0..<n { forward[i] = (0..<i).reduce(vector[i]) { $0 - lower[i][$1] * forward[$1] } / lower[i][i] }
        var solution = [Double](repeating: 0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            solution[i] = ((i + 1)..<n).reduce(forward[i]) { $0 - lower[$1][i] * solution[$1] } / lower[i][i]
        }
        return solution
    }

    /// Solves (A + λI)x = b, doubling λ until A + λI is positive definite: noise can make A indefinite,
    /// and reading only the noisy A keeps this post-processing.
    static func ridgeSolve(_ matrix: [[Double]], _ vector: [Double], ridge: Double) -> (solution: [Double], ridge: Double) {
        var lambda = max(ridge, 1e-9)
        for _ in 0..<200 {
            var shifted = matrix
            for i in shifted.indices { shifted[i][i] += lambda }
            if let lower = cholesky(shifted) { return (solve(cholesky: lower, vector), lambda) }
            lambda *= 2
        }
        return ([Double](repeating: 0, count: vector.count), lambda)
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
}
