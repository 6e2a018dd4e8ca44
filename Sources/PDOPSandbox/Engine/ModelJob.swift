import Foundation
import PDOPDomain

/// A model-training job over joined, filtered rows (sandbox_anchors.md §2.10): only fitted coefficients and metrics leave.
public struct ModelJobSpec: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case linear, logistic
    }

    public var kind: Kind
    public var sources: [QuerySpec.Source]
    public var joins: [QuerySpec.Join]
    public var filters: [QuerySpec.Filter]
    public var features: [String]
    public var target: String
    public var name: String

    public init(kind: Kind, sources: [QuerySpec.Source], joins: [QuerySpec.Join] = [], filters: [QuerySpec.Filter] = [],
                features: [String], target: String, name: String) {
        self.kind = kind
        self.sources = sources
        self.joins = joins
        self.filters = filters
        self.features = features
        self.target = target
        self.name = name
    }

    /// Sorted-key JSON: the form an approval's hash covers.
    public var canonicalJSON: Data { CanonicalJSON.encode(self) }
}

struct ModelJobParser {
    static let maxFeatures = 32
    static let maxNameLength = 100

    let policy: PolicySettings

    func parse(_ data: Data) throws(DomainError) -> ModelJobSpec {
        let root = try JSONValue.parse(data, maxBytes: policy.sandboxSpecMaxBytes)
        let object = try JSONReader(root).object(allowed: ["kind", "sources", "joins", "filters", "features", "target", "name"])
        let shared = QuerySpecParser(policy: policy)
        var features: [String] = []
        for item in try object.required("features").array(maxCount: Self.maxFeatures, minCount: 1) {
            features.append(try item.string())
        }
        let job = ModelJobSpec(
            kind: try object.required("kind").enumeration(ModelJobSpec.Kind.self),
            sources: try shared.sources(object), joins: try shared.joins(object), filters: try shared.filters(object),
            features: features, target: try object.required("target").string(), name: try object.required("name").string())
        try check(job)
        return job
    }

    func check(_ job: ModelJobSpec) throws(DomainError) {
        try SpecGrammar(policy: policy).checkSources(job.sources, joins: job.joins, filters: job.filters)
        let trimmed = job.name.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty || job.name.count > Self.maxNameLength {
            throw .invalid("/name", "a name of 1 to \(Self.maxNameLength) characters is required")
        }
        if job.features.isEmpty || job.features.count > Self.maxFeatures {
            throw .invalid("/features", "between 1 and \(Self.maxFeatures) features are required")
        }
        var seen: Set<String> = []
        for (index, feature) in job.features.enumerated() where !seen.insert(feature).inserted || feature == job.target {
            throw .invalid("/features/\(index)", "features must be distinct and differ from the target")
        }
    }
}

/// A validated, compiled model job: the statement that reads its rows and the fit that turns them into a model.
public struct ModelPlan: Sendable {
    public let job: ModelJobSpec
    /// SHA-256 hex of the canonical job, the datasets' ids, versions and column policies: an approval binds to it.
    public let definitionHash: String
    /// Rows: unit, features…, target. Its LIMIT is sandboxMaxModelRows + 1, so an over-limit run is detected.
    public let statement: CompiledStatement
    public let minUnits: Int
    public let datasetIDs: [String]
    public let providerIDs: [String]
    public let executionLimits: ExecutionLimits

    let policy: PolicySettings
    let featureNames: [String]

    init(job: ModelJobSpec, datasets: [SandboxDataset], dialect: SQLDialect, policy: PolicySettings) throws(DomainError) {
        try ModelJobParser(policy: policy).check(job)
        let context = try SourceContext(sources: job.sources, joins: job.joins, datasets: datasets)
        let filters = try context.filters(job.filters, countsOnly: false)
        var inputs: [(ResolvedColumn, Bool)] = []
        for (index, feature) in job.features.enumerated() {
            inputs.append((try Self.input(feature, at: "/features/\(index)", context: context), false))
        }
        let target = try Self.input(job.target, at: "/target", context: context)
        if job.kind == .logistic {
            let column = target.column
            let zeroOne = column.type == .integer && (column.lower ?? -1) >= 0 && (column.upper ?? 2) <= 1
            guard column.type == .boolean || zeroOne else {
                throw .refused("R12", "a logistic target must be a boolean or an integer bounded to [0, 1]", field: "/target")
            }
        }
        inputs.append((target, true))
        let functions = DialectFunctions(dialect: dialect)
        let unit: SQLFragment = .generated(GeneratedName(context.unit.tableAlias)) + "." + .identifier(context.unit.column)
        var columns: [SQLFragment] = [unit]
        var present: [SQLFragment] = []
        for (input, _) in inputs {
            let column = SQLFragment.column(input)
            let real: SQLFragment = "CAST(" + column + " AS DOUBLE PRECISION)"
            if let lower = input.column.lower, let upper = input.column.upper {
                columns.append(functions.clamp(real, .double(lower), .double(upper), nullable: false))
            } else {
                columns.append(real)
            }
            present.append(column + " IS NOT NULL")
        }
        let statement: SQLFragment = "SELECT " + .joined(columns) + " FROM " + SourceSQL.from(context)
            + " WHERE " + SourceSQL.predicate(filters, unit: unit) + " AND " + .joined(present, separator: " AND ")
            + " LIMIT " + .bind(Int64(policy.sandboxMaxModelRows) + 1)
        let used = context.sources.map(\.dataset)
        self.job = job
        self.policy = policy
        self.featureNames = job.features
        self.statement = CompiledStatement(pieces: statement.pieces, columnCount: columns.count, tables: used.map(\.table))
        self.minUnits = context.minUnits(policy: policy)
        self.datasetIDs = QueryPlan.unique(used.map(\.resourceID))
        self.providerIDs = QueryPlan.unique(used.map(\.providerID))
        self.definitionHash = QueryPlan.hash(job.canonicalJSON, datasets: used, policy: policy)
        self.executionLimits = ExecutionLimits(timeoutSeconds: Double(policy.sandboxStatementTimeoutSeconds),
                                               maxRows: policy.sandboxMaxModelRows + 1)
    }

    /// Bounded AGGREGATE or PUBLIC numbers; GROUP_BY or PUBLIC booleans and integers.
    static func input(_ reference: String, at pointer: String, context: SourceContext) throws(DomainError) -> ResolvedColumn {
        let resolved = try context.column(reference, at: pointer)
        let column = resolved.column
        let bounded = column.lower != nil && column.upper != nil
        let measure = [.aggregate, .publicLevel].contains(column.level) && [.integer, .decimal].contains(column.type) && bounded
        let dimension = [.groupBy, .publicLevel].contains(column.level) && [.integer, .boolean].contains(column.type)
        guard !resolved.isUnitColumn, measure || dimension else {
            throw .refused("R12", "model inputs are bounded AGGREGATE or PUBLIC numbers, or GROUP_BY or PUBLIC booleans and integers",
                           field: pointer)
        }
        return resolved
    }

    /// Fits the model on the executed rows; refuses (R12) below `minUnits` distinct units or above the row limit.
    public func fit(_ output: ExecutionOutput) throws(DomainError) -> ModelResult {
        if output.rows.count > policy.sandboxMaxModelRows {
            throw .refused("R12", "the job reads more than \(policy.sandboxMaxModelRows) rows")
        }
        let units = Set(output.rows.compactMap(\.first)).count
        if units < minUnits {
            throw .refused("R12", "the rows come from fewer than \(minUnits) units")
        }
        let width = featureNames.count
        var features: [[Double]] = []
        var targets: [Double] = []
        features.reserveCapacity(output.rows.count)
        for row in output.rows where row.count == width + 2 {
            features.append(row[1...width].map(Self.double))
            targets.append(Self.double(row[width + 1]))
        }
        let fitted = job.kind == .linear
            ? ModelFitting.linear(features, targets)
            : ModelFitting.logistic(features, targets)
        return ModelResult(kind: job.kind,
                           coefficients: zip(featureNames, fitted.coefficients).map { .init(name: $0, value: $1) },
                           intercept: fitted.intercept, metrics: fitted.metrics, rows: features.count, units: units)
    }

    static func double(_ value: SQLValue) -> Double {
        switch value {
        case .integer(let number): Double(number)
        case .double(let number): number
        case .text(let text): Double(text) ?? 0
        case .null: 0
        }
    }
}

/// A fitted model: coefficients on the features' original scale and summary metrics. Never per-row output.
public struct ModelResult: Codable, Equatable, Sendable {
    /// One feature's coefficient.
    public struct Coefficient: Codable, Equatable, Sendable {
        public var name: String
        public var value: Double
    }

    public var kind: ModelJobSpec.Kind
    public var coefficients: [Coefficient]
    public var intercept: Double
    /// linear: r2, rmse; logistic: accuracy, logLoss, auc.
    public var metrics: [String: Double]
    public var rows: Int
    public var units: Int
}
