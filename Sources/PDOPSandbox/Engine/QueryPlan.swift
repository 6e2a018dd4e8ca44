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

    /// Applies the output guard (threshold mode) or the noise (DP mode), then order and limit.
    public func release(_ output: ExecutionOutput, differences: [ExecutionOutput],
                        random: inout some RandomNumberGenerator) -> QueryAnswer {
        let rows = output.rows.map { ResultRow(values: $0, keyCount: resolved.groupKeys.count, sumCount: resolved.sums.count,
                                               withDominance: mode == .threshold) }
            .sorted { SQLValueOrder.less($0.keys, $1.keys) }
        var released: ReleasedRows
        if let noise {
            var sampler = DiscreteNoise(random)
            released = DPRelease(resolved: resolved, noise: noise).release(rows, noise: &sampler)
            random = sampler.random
        } else {
            released = ThresholdGuard(resolved: resolved, policy: policy).release(rows, differences: differences)
        }
        var notes = ["avg is per privacy unit: the group's clamped sum divided by its units"]
        if let noise {
            notes.append("values carry \(noise.mechanism.rawValue) noise; groups below \(max(Int64(minUnits), noise.tau)) noisy units are not shown")
        }
        var ordered = OrderAndLimit.apply(released.rows, spec: spec, keyCount: resolved.groupKeys.count)
        if let limit = spec.limit, ordered.count > limit {
            ordered = Array(ordered.prefix(limit))
            notes.append("limited to \(limit) rows")
        }
        return QueryAnswer(columns: answerColumns, rows: ordered, suppressedRows: released.suppressed.values.reduce(0, +),
                           suppressedByReason: released.suppressed, epsilonCharged: epsilon, mode: mode, notes: notes)
    }
}

/// One output row of the compiled statement, read by position.
struct ResultRow {
    let keys: [SQLValue]
    let units: Int64
    let rows: Int64
    let sums: [Int64]
    let tops: [Int64]
    let absolutes: [Int64]

    init(values: [SQLValue], keyCount: Int, sumCount: Int, withDominance: Bool) {
        keys = Array(values.prefix(keyCount))
        func integer(_ index: Int) -> Int64 { index < values.count ? SQLValueOrder.integer(values[index]) : 0 }
        units = integer(keyCount)
        rows = integer(keyCount + 1)
        let stride = withDominance ? 3 : 1
        sums = (0..<sumCount).map { integer(keyCount + 2 + $0 * stride) }
        tops = withDominance ? (0..<sumCount).map { integer(keyCount + 3 + $0 * stride) } : []
        absolutes = withDominance ? (0..<sumCount).map { integer(keyCount + 4 + $0 * stride) } : []
    }
}

struct ReleasedRows {
    var rows: [[AnswerValue]] = []
    var suppressed: [String: Int] = [:]
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
