import Foundation
import PDOPDomain

/// A model-training job over joined, filtered rows (sandbox_anchors.md §2.10): only differentially private
/// coefficients, metrics computed from the noisy statistics and noisy counts leave (issue 10 item 4).
public struct ModelJobSpec: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case linear, logistic
    }

    /// The ε the job spends; the parser fills in `sandboxModelDefaultEpsilon` when the JSON names none,
    /// so the canonical JSON (and the definition hash) always carries it.
    public struct Privacy: Codable, Equatable, Sendable {
        public var epsilon: Double

        public init(epsilon: Double) { self.epsilon = epsilon }
    }

    public var kind: Kind
    public var sources: [QuerySpec.Source]
    public var joins: [QuerySpec.Join]
    public var filters: [QuerySpec.Filter]
    public var features: [String]
    public var target: String
    public var name: String
    public var privacy: Privacy

    public init(kind: Kind, sources: [QuerySpec.Source], joins: [QuerySpec.Join] = [], filters: [QuerySpec.Filter] = [],
                features: [String], target: String, name: String, privacy: Privacy) {
        self.kind = kind
        self.sources = sources
        self.joins = joins
        self.filters = filters
        self.features = features
        self.target = target
        self.name = name
        self.privacy = privacy
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
        let object = try JSONReader(root).object(allowed: ["kind", "sources", "joins", "filters", "features", "target", "name", "privacy"])
        let shared = QuerySpecParser(policy: policy)
        var features: [String] = []
        for item in try object.required("features").array(maxCount: Self.maxFeatures, minCount: 1) {
            features.append(try item.string())
        }
        var epsilon = policy.sandboxModelDefaultEpsilon
        if let privacy = object.optional("privacy") {
            epsilon = try privacy.object(allowed: ["epsilon"]).optional("epsilon")?.number() ?? epsilon
        }
        let job = ModelJobSpec(
            kind: try object.required("kind").enumeration(ModelJobSpec.Kind.self),
            sources: try shared.sources(object), joins: try shared.joins(object), filters: try shared.filters(object),
            features: features, target: try object.required("target").string(), name: try object.required("name").string(),
            privacy: .init(epsilon: epsilon))
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
        let epsilon = job.privacy.epsilon
        guard epsilon.isFinite, epsilon > 0, epsilon <= policy.sandboxMaxEpsilonPerQuery else {
            throw .refused("R12", "epsilon must be above 0 and at most \(policy.sandboxMaxEpsilonPerQuery)", field: "/privacy/epsilon")
        }
    }
}

/// A fitted model: DP coefficients on the features' original scale, metrics derived from the noisy
/// statistics only, and noisy counts. Never per-row output, never an exact count.
public struct ModelResult: Codable, Equatable, Sendable {
    /// One feature's coefficient.
    public struct Coefficient: Codable, Equatable, Sendable {
        public var name: String
        public var value: Double
    }

    public var kind: ModelJobSpec.Kind
    public var coefficients: [Coefficient]
    public var intercept: Double
    /// linear: r2 and rmse of the per-unit model, computed from the noisy sufficient statistics; logistic: none
    /// (anything computed on the rows would not be private).
    public var metrics: [String: Double]
    /// Noisy counts (discrete Laplace, rounded up to 0): rows with each unit's rows capped at
    /// sandboxMaxRowsPerUnit, and distinct units.
    public var rows: Int
    public var units: Int
    public var epsilonCharged: Double

    public init(kind: ModelJobSpec.Kind, coefficients: [Coefficient], intercept: Double, metrics: [String: Double], rows: Int, units: Int,
                epsilonCharged: Double) {
        self.kind = kind
        self.coefficients = coefficients
        self.intercept = intercept
        self.metrics = metrics
        self.rows = rows
        self.units = units
        self.epsilonCharged = epsilonCharged
    }

    /// Results kept before models were private carry no ε; they still read.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decode(ModelJobSpec.Kind.self, forKey: .kind)
        coefficients = try container.decode([Coefficient].self, forKey: .coefficients)
        intercept = try container.decode(Double.self, forKey: .intercept)
        metrics = try container.decode([String: Double].self, forKey: .metrics)
        rows = try container.decode(Int.self, forKey: .rows)
        units = try container.decode(Int.self, forKey: .units)
        epsilonCharged = try container.decodeIfPresent(Double.self, forKey: .epsilonCharged) ?? 0
    }
}
