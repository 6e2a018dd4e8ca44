import Foundation
import PDOPDomain

/// The sandbox's query engine: parses operator specs, validates them against the granted column
/// policies, compiles them for the store's dialect, and releases only guarded or noisy aggregates.
public struct SandboxEngine: Sendable {
    public let policy: PolicySettings

    public init(policy: PolicySettings) {
        self.policy = policy
    }

    /// JSON → QuerySpec; 400 with a JSON pointer for malformed JSON, wrong types, unknown keys or sizes over the limits.
    public func parseQuery(_ json: Data) throws(DomainError) -> QuerySpec {
        try QuerySpecParser(policy: policy).parse(json)
    }

    /// JSON → ModelJobSpec, with the same errors as `parseQuery`.
    public func parseModelJob(_ json: Data) throws(DomainError) -> ModelJobSpec {
        try ModelJobParser(policy: policy).parse(json)
    }

    /// Validates against the workspace's granted datasets and compiles. Unknown and ungranted names give one
    /// uniform not-found; policy refusals are R12 with the JSON pointer of the offending part.
    /// Threshold mode needs each dataset's audit partition (by resource id) and record keys.
    public func plan(_ spec: QuerySpec, datasets: [SandboxDataset], dialect: SQLDialect,
                     partitions: [String: AuditPartition]? = nil) throws(DomainError) -> QueryPlan {
        let resolved = try QueryValidator(policy: policy).validate(spec, datasets: datasets, partitions: partitions)
        return try QueryPlan(resolved: resolved, datasets: datasets, dialect: dialect, policy: policy)
    }

    /// Validates and compiles a model job; its `definitionHash` is what an approval binds to.
    public func plan(_ job: ModelJobSpec, datasets: [SandboxDataset], dialect: SQLDialect) throws(DomainError) -> ModelPlan {
        try ModelPlan(job: job, datasets: datasets, dialect: dialect, policy: policy)
    }
}
