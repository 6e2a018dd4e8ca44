import Foundation
import PDOPDomain

/// A validated, compiled model job: the statement that reads its rows and the DP fit that turns them into a model.
///
/// ε split (basic composition, each part pure ε): 15% the unit count (sensitivity 1; it also decides the
/// minUnits refusal), 5% the row count (each unit's rows capped at sandboxMaxRowsPerUnit, the sensitivity),
/// 80% the model — the perturbed sufficient statistics (linear) or the perturbed objective (logistic).
public struct ModelPlan: Sendable {
    static let unitShare = 0.15
    static let rowShare = 0.05
    static let modelShare = 0.80

    public let job: ModelJobSpec
    /// SHA-256 hex of the canonical job (ε included), the datasets' ids, versions and column policies: an approval binds to it.
    public let definitionHash: String
    /// Rows: unit, features…, target, each clamped to its declared bounds. Its LIMIT is sandboxMaxModelRows + 1.
    public let statement: CompiledStatement
    public let minUnits: Int
    public let datasetIDs: [String]
    public let providerIDs: [String]
    public let executionLimits: ExecutionLimits
    /// The ε the job spends, charged to the workspace's ledger when its model is kept.
    public let epsilon: Double
    /// The part of ε spent even by a refusal for too few (noisy) units: the refusal itself is a DP release of the unit count.
    public var refusalEpsilon: Double { epsilon * Self.unitShare }

    let policy: PolicySettings
    let context: SourceContext
    let filters: [ResolvedFilter]
    let featureNames: [String]
    let featureScales: [DeclaredScale]
    let targetScale: DeclaredScale
    let unitNoise: NoiseScale
    let rowNoise: NoiseScale
    let model: Fitter

    enum Fitter: Sendable {
        case linear(DPLinearRegression)
        case logistic(DPLogisticRegression)
    }

    /// The one refusal a job gets when its noisy unit count is below minUnits: it quotes no count.
    public static let tooFewUnits = DomainError.refused("R12", "the rows come from too few units to fit a model")

    init(job: ModelJobSpec, datasets: [SandboxDataset], dialect: SQLDialect, policy: PolicySettings) throws(DomainError) {
        try ModelJobParser(policy: policy).check(job)
        let context = try SourceContext(sources: job.sources, joins: job.joins, datasets: datasets)
        let filters = try context.filters(job.filters, countsOnly: false)
        var inputs: [(column: ResolvedColumn, scale: DeclaredScale)] = []
        for (index, feature) in job.features.enumerated() {
            inputs.append(try Self.input(feature, at: "/features/\(index)", context: context))
        }
        var target = try Self.input(job.target, at: "/target", context: context)
        if job.kind == .logistic {
            let column = target.column.column
            let zeroOne = column.type == .integer && (column.lower ?? -1) >= 0 && (column.upper ?? 2) <= 1
            guard column.type == .boolean || zeroOne else {
                throw .refused("R12", "a logistic target must be a boolean or an integer bounded to [0, 1]", field: "/target")
            }
            target.scale = DeclaredScale(lower: 0, upper: 1)
        }
        inputs.append(target)
        let epsilon = job.privacy.epsilon
        let tooSmall = DomainError.refused("R12", "epsilon is too small for this model", field: "/privacy/epsilon")
        guard let unitNoise = NoiseScale.laplace(scale: 1 / (epsilon * Self.unitShare)),
              let rowNoise = NoiseScale.laplace(scale: Double(policy.sandboxMaxRowsPerUnit) / (epsilon * Self.rowShare)) else { throw tooSmall }
        switch job.kind {
        case .linear:
            guard let fitter = DPLinearRegression(featureCount: job.features.count, epsilon: epsilon * Self.modelShare) else { throw tooSmall }
            model = .linear(fitter)
        case .logistic:
            guard let fitter = DPLogisticRegression(featureCount: job.features.count, epsilon: epsilon * Self.modelShare) else { throw tooSmall }
            model = .logistic(fitter)
        }
        let functions = DialectFunctions(dialect: dialect)
        let unit: SQLFragment = .generated(GeneratedName(context.unit.tableAlias)) + "." + .identifier(context.unit.column)
        var columns: [SQLFragment] = [unit]
        var present: [SQLFragment] = []
        for input in inputs {
            let column = SQLFragment.column(input.column)
            let real: SQLFragment = "CAST(" + column + " AS DOUBLE PRECISION)"
            columns.append(functions.clamp(real, .double(input.scale.lower), .double(input.scale.upper), nullable: false))
            present.append(column + " IS NOT NULL")
        }
        let statement: SQLFragment = "SELECT " + .joined(columns) + " FROM " + SourceSQL.from(context)
            + " WHERE " + SourceSQL.predicate(filters, unit: unit) + " AND " + .joined(present, separator: " AND ")
            + " LIMIT " + .bind(Int64(policy.sandboxMaxModelRows) + 1)
        let used = context.sources.map(\.dataset)
        self.job = job
        self.policy = policy
        self.context = context
        self.filters = filters
        self.epsilon = epsilon
        self.unitNoise = unitNoise
        self.rowNoise = rowNoise
        self.featureNames = job.features
        self.featureScales = inputs.dropLast().map(\.scale)
        self.targetScale = target.scale
        self.statement = CompiledStatement(pieces: statement.pieces, columnCount: columns.count, tables: used.map(\.table))
        self.minUnits = context.minUnits(policy: policy)
        self.datasetIDs = QueryPlan.unique(used.map(\.resourceID))
        self.providerIDs = QueryPlan.unique(used.map(\.providerID))
        self.definitionHash = QueryPlan.hash(job.canonicalJSON, datasets: used, policy: policy)
        self.executionLimits = ExecutionLimits(timeoutSeconds: Double(policy.sandboxStatementTimeoutSeconds),
                                               maxRows: policy.sandboxMaxModelRows + 1)
    }

    /// The job's training rows as a box of the audit partition (issue 10 item 3): its filters must select
    /// whole bins, and the box enters the workspace's release history like a query's cells.
    public func auditCell(partitions: [String: AuditPartition]) throws(DomainError) -> (path: String, box: AuditBox) {
        let canonical = try CanonicalQuery(resolved: filters, groupKeys: [], context: context, partitions: partitions)
        return ("model|" + canonical.path, canonical.box(keys: []))
    }

    /// Bounded AGGREGATE or PUBLIC numbers; GROUP_BY or PUBLIC booleans, and integers with declared bounds
    /// (the DP sensitivity rests on them: never taken from the data).
    static func input(_ reference: String, at pointer: String, context: SourceContext) throws(DomainError) -> (column: ResolvedColumn, scale: DeclaredScale) {
        let resolved = try context.column(reference, at: pointer)
        let column = resolved.column
        let bounds = column.lower.flatMap { lower in column.upper.map { DeclaredScale(lower: lower, upper: $0) } }
        let measure = [.aggregate, .publicLevel].contains(column.level) && [.integer, .decimal].contains(column.type) && bounds != nil
        let dimension = [.groupBy, .publicLevel].contains(column.level) && [.integer, .boolean].contains(column.type)
        guard !resolved.isUnitColumn, measure || dimension else {
            throw .refused("R12", "model inputs are bounded AGGREGATE or PUBLIC numbers, or GROUP_BY or PUBLIC booleans and integers",
                           field: pointer)
        }
        if column.type == .boolean { return (resolved, DeclaredScale(lower: 0, upper: 1)) }
        guard let bounds, bounds.upper > bounds.lower else {
            throw .refused("R12", "an integer model input needs declared lower and upper bounds", field: pointer)
        }
        return (resolved, bounds)
    }

    /// The DP fit of the executed rows: refused (R12) above the row limit, or when the noisy unit count is below
    /// `minUnits` (then `refusalEpsilon` is spent). Production passes `SystemRandomNumberGenerator`.
    public func fit(_ output: ExecutionOutput, random: inout some RandomNumberGenerator) throws(DomainError) -> ModelResult {
        if output.rows.count > policy.sandboxMaxModelRows {
            throw .refused("R12", "the job reads more than \(policy.sandboxMaxModelRows) rows")
        }
        let units = UnitRows(output.rows, scales: featureScales + [targetScale], rowCap: policy.sandboxMaxRowsPerUnit)
        var sampler = DiscreteNoise(random)
        defer { random = sampler.random }
        let noisyUnits = Int64(units.count) + unitNoise.draw(&sampler)
        guard noisyUnits >= Int64(minUnits) else { throw Self.tooFewUnits }
        let noisyRows = max(0, units.cappedRowCount + rowNoise.draw(&sampler))
        let coefficients: (slopes: [Double], intercept: Double)
        var metrics: [String: Double] = [:]
        switch model {
        case .linear(let fitter):
            let fitted = fitter.fit(units, noise: &sampler)
            let factor = targetScale.slope > 0 ? 1 / targetScale.slope : 0
            coefficients = DeclaredScale.original(fitted.weights, features: featureScales, shift: targetScale.offset, factor: factor)
            if let r2 = fitted.r2, let rmse = fitted.rmseScaled {
                metrics = ["r2": r2, "rmse": rmse * factor]
            }
        case .logistic(let fitter):
            coefficients = DeclaredScale.original(fitter.fit(units, noise: &sampler), features: featureScales)
        }
        let intercept = targetScale.slope > 0 || job.kind == .logistic ? coefficients.intercept : targetScale.lower
        return ModelResult(kind: job.kind, coefficients: zip(featureNames, coefficients.slopes).map { .init(name: $0, value: $1) },
                           intercept: intercept, metrics: metrics, rows: Int(noisyRows), units: Int(max(0, noisyUnits)),
                           epsilonCharged: epsilon)
    }
}
