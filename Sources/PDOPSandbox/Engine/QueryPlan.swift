import Crypto
import Foundation
import PDOPDomain

/// A validated, compiled query: what to run, what it costs, and how to release its output.
public struct QueryPlan: Sendable {
    public let spec: QuerySpec
    public let mode: QuerySpec.Mode
    /// ε to charge to the ledger (0 in threshold mode), charged whether or not rows survive.
    public let epsilon: Double
    /// Distinct units every released row needs: the platform floor or any joined dataset's, whichever is higher.
    public let minUnits: Int
    public let datasetIDs: [String]
    public let providerIDs: [String]
    /// An identical query on identical data and policy: serve the cached (same noisy) answer, charge nothing.
    public let cacheKey: String
    public let statement: CompiledStatement
    public let dryRun: DryRun
    /// More candidate groups than the answer may have is an error: the operator coarsens the groups.
    public let executionLimits: ExecutionLimits

    let resolved: ResolvedQuery
    let noise: NoisePlan?
    let dialect: SQLDialect
    let policy: PolicySettings

    init(resolved: ResolvedQuery, datasets: [SandboxDataset], dialect: SQLDialect, policy: PolicySettings) throws(DomainError) {
        let spec = resolved.spec
        self.spec = spec
        self.mode = spec.mode
        self.resolved = resolved
        self.dialect = dialect
        self.policy = policy
        self.minUnits = resolved.minUnits
        let used = resolved.context.sources.map(\.dataset)
        self.datasetIDs = Self.unique(used.map(\.resourceID))
        self.providerIDs = Self.unique(used.map(\.providerID))
        if spec.mode == .dp, let privacy = spec.privacy {
            noise = try NoisePlan(privacy: privacy, countsRows: spec.measures.contains { $0.agg == .countRows }, sums: resolved.sums, policy: policy)
            epsilon = privacy.epsilon
        } else {
            noise = nil
            epsilon = 0
        }
        statement = QueryCompiler(resolved: resolved, dialect: dialect, policy: policy).compile()
        cacheKey = Self.hash(CanonicalJSON.encode(spec), datasets: used, policy: policy)
        executionLimits = ExecutionLimits(timeoutSeconds: Double(policy.sandboxStatementTimeoutSeconds),
                                          maxRows: policy.sandboxMaxResultRows)
        dryRun = DryRunWriter(resolved: resolved, noise: noise, policy: policy).dryRun()
    }

    /// SHA-256 hex over a canonical definition, each dataset's id, version and column policy, and the policy numbers.
    static func hash(_ definition: Data, datasets: [SandboxDataset], policy: PolicySettings) -> String {
        struct DatasetPolicy: Encodable {
            let resourceID: String, dataVersion: Int, unitColumn: String, unitDomain: String, minUnits: Int
            let columns: [SandboxColumn]
        }
        var hasher = SHA256()
        hasher.update(data: definition)
        for dataset in datasets {
            hasher.update(data: CanonicalJSON.encode(DatasetPolicy(
                resourceID: dataset.resourceID, dataVersion: dataset.dataVersion, unitColumn: dataset.unitColumn,
                unitDomain: dataset.unitDomain, minUnits: dataset.minUnits, columns: dataset.columns)))
        }
        hasher.update(data: CanonicalJSON.encode(policy))
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    static func unique(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { seen.insert($0).inserted }
    }

    /// The released columns: group keys by their reference, then measures by name.
    var answerColumns: [QueryAnswer.Column] {
        resolved.groupKeys.map { .init(name: $0.column.reference, role: .group) }
            + spec.measures.map { .init(name: $0.name, role: .measure) }
    }

    /// Perturbs every cell by its key (threshold mode) or adds DP noise (DP mode), then orders and
    /// limits. Cells below the minimum after perturbation are left out, and nothing counts them.
    public func release(_ output: ExecutionOutput, random: inout some RandomNumberGenerator) -> QueryAnswer {
        answer(from: released(output, random: &random), withholding: []).answer
    }

    /// The released cells in key order, before the audit.
    func released(_ output: ExecutionOutput, random: inout some RandomNumberGenerator) -> ReleasedRows {
        let threshold = mode == .threshold
        let rows = output.rows.map { ResultRow(values: $0, keyCount: resolved.groupKeys.count, sumCount: resolved.sums.count,
                                               threshold: threshold) }
            .sorted { SQLValueOrder.less($0.keys, $1.keys) }
        guard let noise else {
            return CellKeyRelease(resolved: resolved, perturbation: CellKeyPerturbation(policy: policy)).release(rows)
        }
        var sampler = DiscreteNoise(random)
        defer { random = sampler.random }
        return DPRelease(resolved: resolved, noise: noise).release(rows, noise: &sampler)
    }

    /// The answer without the withheld cells, ordered and limited; with the indices of the cells it shows.
    func answer(from released: ReleasedRows, withholding withheld: Set<Int>) -> (answer: QueryAnswer, shown: [Int]) {
        var notes = ["avg is per privacy unit: the group's clamped sum divided by its units"]
        var perturbation: QueryAnswer.Perturbation?
        if let noise {
            notes.append("values carry \(noise.mechanism.rawValue) noise; groups below \(max(Int64(minUnits), noise.tau)) noisy units are not shown")
        } else {
            let cellKeys = CellKeyPerturbation(policy: policy)
            perturbation = QueryAnswer.Perturbation(countsAtMost: cellKeys.countNoiseAtMost, sumsAtMostPercentOfLargest: cellKeys.ceilingPercent)
            notes.append("values are perturbed by the cell-key method: counts by at most \(cellKeys.countNoiseAtMost), sums by at most "
                         + "\(cellKeys.ceilingPercent)% of the cell's largest contribution; cells under \(minUnits) units, and cells the "
                         + "audit of earlier answers holds back, are not shown")
        }
        let kept = released.rows.indices.filter { !withheld.contains($0) }
        var order = OrderAndLimit.order(kept.map { released.rows[$0] }, spec: spec, keyCount: resolved.groupKeys.count).map { kept[$0] }
        if let limit = spec.limit, order.count > limit {
            order = Array(order.prefix(limit))
            notes.append("limited to \(limit) rows")
        }
        let answer = QueryAnswer(columns: answerColumns, rows: order.map { released.rows[$0] }, epsilonCharged: epsilon, mode: mode,
                                 notes: notes, perturbation: perturbation)
        return (answer, order)
    }
}

/// One output row of the compiled statement, read by position: g1…gK, n_units, n_rows, then in
/// threshold mode the cell key and the largest per-unit row count, then per sum s (threshold mode
/// also top, abs and the largest per-unit contribution).
struct ResultRow {
    let keys: [SQLValue]
    let units: Int64
    let rows: Int64
    let cellKey: Int64
    let topRows: Int64
    let sums: [Int64]
    let tops: [Int64]
    let absolutes: [Int64]
    let largest: [Int64]

    init(values: [SQLValue], keyCount: Int, sumCount: Int, threshold: Bool) {
        keys = Array(values.prefix(keyCount))
        func integer(_ index: Int) -> Int64 { index < values.count ? SQLValueOrder.integer(values[index]) : 0 }
        units = integer(keyCount)
        rows = integer(keyCount + 1)
        cellKey = threshold ? integer(keyCount + 2) : 0
        topRows = threshold ? integer(keyCount + 3) : 0
        let first = keyCount + (threshold ? 4 : 2)
        let stride = threshold ? 4 : 1
        sums = (0..<sumCount).map { integer(first + $0 * stride) }
        tops = threshold ? (0..<sumCount).map { integer(first + 1 + $0 * stride) } : []
        absolutes = threshold ? (0..<sumCount).map { integer(first + 2 + $0 * stride) } : []
        largest = threshold ? (0..<sumCount).map { integer(first + 3 + $0 * stride) } : []
    }
}

/// A released cell: its group key values and its perturbed (or noisy) unit count.
struct ReleasedCell: Sendable {
    let keys: [SQLValue]
    let perturbedUnits: Int64
}

struct ReleasedRows {
    var rows: [[AnswerValue]] = []
    var cells: [ReleasedCell] = []
}

enum SQLValueOrder {
    static func integer(_ value: SQLValue) -> Int64 {
        switch value {
        case .integer(let number): number
        case .double(let number): number.isFinite ? Int64(number.rounded()) : 0
        case .text(let text): Int64(text) ?? Double(text).map { Int64($0.rounded()) } ?? 0
        case .null: 0
        }
    }

    private static func rank(_ value: SQLValue) -> Int {
        switch value {
        case .null: 0
        case .integer, .double: 1
        case .text: 2
        }
    }

    private static func number(_ value: SQLValue) -> Double {
        switch value {
        case .integer(let number): Double(number)
        case .double(let number): number
        default: 0
        }
    }

    static func less(_ lhs: [SQLValue], _ rhs: [SQLValue]) -> Bool {
        for (a, b) in zip(lhs, rhs) {
            if rank(a) != rank(b) { return rank(a) < rank(b) }
            if case .text(let x) = a, case .text(let y) = b {
                if x != y { return x < y }
            } else if number(a) != number(b) {
                return number(a) < number(b)
            }
        }
        return false
    }
}
