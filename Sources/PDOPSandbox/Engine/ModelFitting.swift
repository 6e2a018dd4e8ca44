import Foundation

/// Linear and logistic regression on standardised features, reported on the original scale.
enum ModelFitting {
    struct Fitted {
        let coefficients: [Double]
        let intercept: Double
        let metrics: [String: Double]
    }

    /// A tiny ridge keeps the normal equations solvable when features are collinear or the classes separable.
    static let ridge = 1e-6
    static let logisticIterations = 50

    /// Column means and standard deviations (1 for a constant column, so it contributes nothing).
    struct Standardiser {
        let means: [Double]
        let deviations: [Double]

        init(_ rows: [[Double]], width: Int) {
            let count = Double(max(rows.count, 1))
            var means = [Double](repeating: 0, count: width)
            for row in rows { for j in 0..<width { means[j] += row[j] } }
            means = means.map { $0 / count }
            var variances = [Double](repeating: 0, count: width)
            for row in rows { for j in 0..<width { variances[j] += (row[j] - means[j]) * (row[j] - means[j]) } }
            self.means = means
            self.deviations = variances.map { let sd = ($0 / count).squareRoot(); return sd > 1e-12 ? sd : 1 }
        }

        /// [1, z1, …, zp]
        func design(_ row: [Double]) -> [Double] {
            [1] + row.indices.map { (row[$0] - means[$0]) / deviations[$0] }
        }

        /// Standardised coefficients [b0, b1…] → original-scale (coefficients, intercept).
        func original(_ b: [Double]) -> ([Double], Double) {
            let slopes = deviations.indices.map { b[$0 + 1] / deviations[$0] }
            let intercept = b[0] - zip(slopes, means).reduce(0) { $0 + $1.0 * $1.1 }
            return (slopes, intercept)
        }
    }

    static func linear(_ x: [[Double]], _ y: [Double]) -> Fitted {
        let width = x.first?.count ?? 0
        let scaler = Standardiser(x, width: width)
        var normal = [[Double]](repeating: [Double](repeating: 0, count: width + 1), count: width + 1)
        var right = [Double](repeating: 0, count: width + 1)
        for (row, target) in zip(x, y) {
            let z = scaler.design(row)
            for i in z.indices {
                right[i] += z[i] * target
                for j in z.indices { normal[i][j] += z[i] * z[j] }
            }
        }
        for i in 1..<(width + 1) { normal[i][i] += ridge * Double(max(x.count, 1)) }
        let b = solve(normal, right)
        let (slopes, intercept) = scaler.original(b)
        var squaredError = 0.0, total = 0.0
        let mean = y.reduce(0, +) / Double(max(y.count, 1))
        for (row, target) in zip(x, y) {
            let prediction = intercept + zip(slopes, row).reduce(0) { $0 + $1.0 * $1.1 }
            squaredError += (target - prediction) * (target - prediction)
            total += (target - mean) * (target - mean)
        }
        let n = Double(max(y.count, 1))
        return Fitted(coefficients: slopes, intercept: intercept,
                      metrics: ["r2": total > 0 ? 1 - squaredError / total : 0, "rmse": (squaredError / n).squareRoot()])
    }

    /// Newton's method (IRLS) on the penalised log-likelihood, at most `logisticIterations` steps.
    static func logistic(_ x: [[Double]], _ y: [Double]) -> Fitted {
        let width = x.first?.count ?? 0
        let scaler = Standardiser(x, width: width)
        let design = x.map(scaler.design)
        let labels = y.map { $0 >= 0.5 ? 1.0 : 0.0 }
        let penalty = ridge * Double(max(x.count, 1))
        var b = [Double](repeating: 0, count: width + 1)
        for _ in 0..<logisticIterations {
            var hessian = [[Double]](repeating: [Double](repeating: 0, count: width + 1), count: width + 1)
            var gradient = [Double](repeating: 0, count: width + 1)
            for (z, label) in zip(design, labels) {
                let p = sigmoid(zip(b, z).reduce(0) { $0 + $1.0 * $1.1 })
                let weight = max(p * (1 - p), 1e-12)
                for i in z.indices {
                    gradient[i] += z[i] * (label - p)
                    for j in z.indices { hessian[i][j] += weight * z[i] * z[j] }
                }
            }
            for i in 1..<(width + 1) {
                hessian[i][i] += penalty
                gradient[i] -= penalty * b[i]
            }
            let step = solve(hessian, gradient)
            b = zip(b, step).map(+)
            if step.map(abs).max() ?? 0 < 1e-9 { break }
        }
        let probabilities = design.map { z in sigmoid(zip(b, z).reduce(0) { $0 + $1.0 * $1.1 }) }
        let (slopes, intercept) = scaler.original(b)
        return Fitted(coefficients: slopes, intercept: intercept, metrics: classification(probabilities, labels))
    }

    static func sigmoid(_ value: Double) -> Double { 1 / (1 + exp(-value)) }

    static func classification(_ probabilities: [Double], _ labels: [Double]) -> [String: Double] {
        let n = Double(max(labels.count, 1))
        var correct = 0.0, loss = 0.0
        for (p, label) in zip(probabilities, labels) {
            if (p >= 0.5 ? 1.0 : 0.0) == label { correct += 1 }
            let clipped = min(max(p, 1e-15), 1 - 1e-15)
            loss -= label * log(clipped) + (1 - label) * log(1 - clipped)
        }
        return ["accuracy": correct / n, "logLoss": loss / n, "auc": auc(probabilities, labels)]
    }

    /// Mann–Whitney: the chance a random positive scores above a random negative (ties count half).
    static func auc(_ scores: [Double], _ labels: [Double]) -> Double {
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var rankSum = 0.0
        var position = 0
        while position < order.count {
            var end = position
            while end + 1 < order.count, scores[order[end + 1]] == scores[order[position]] { end += 1 }
            let averageRank = Double(position + end) / 2 + 1
            for k in position...end where labels[order[k]] == 1 { rankSum += averageRank }
            position = end + 1
        }
        let positives = labels.filter { $0 == 1 }.count, negatives = labels.count - positives
        guard positives > 0, negatives > 0 else { return 0.5 }
        return (rankSum - Double(positives * (positives + 1)) / 2) / Double(positives * negatives)
    }

    /// Gaussian elimination with partial pivoting; a singular pivot yields 0 for that unknown.
    static func solve(_ matrix: [[Double]], _ vector: [Double]) -> [Double] {
        let n = vector.count
        var a = matrix
        var b = vector
        for column in 0..<n {
            let pivot = (column..<n).max { abs(a[$0][column]) < abs(a[$1][column]) } ?? column
            a.swapAt(column, pivot)
            b.swapAt(column, pivot)
            guard abs(a[column][column]) > 1e-300 else { continue }
            for row in (column + 1)..<n where a[row][column] != 0 {
                let factor = a[row][column] / a[column][column]
                for k in column..<n { a[row][k] -= factor * a[column][k] }
                b[row] -= factor * b[column]
            }
        }
        var solution = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            guard abs(a[row][row]) > 1e-300 else { continue }
            let known = ((row + 1)..<n).reduce(0) { $0 + a[row][$1] * solution[$1] }
            solution[row] = (b[row] - known) / a[row][row]
        }
        return solution
    }
}
