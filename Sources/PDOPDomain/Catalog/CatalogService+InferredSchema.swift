import Foundation

extension CatalogService {
    /// The provider applies what its latest load detected to the catalog schema in one step
    /// (R3, R5): types and columns from the file, personal-data proposals confirmed except those
    /// rejected. A changed schema gets a new schema version; the revision and audit entry name the load.
    public func applyDetectedSchema(_ id: ResourceID, load loadID: DataLoadID, rejecting rejected: [String], version: Int,
                                    scope: AccessScope, by actor: Actor) async throws -> DataResource {
        let now = clock.now()
        return try await store.transaction { tx in
            var resource = try await Self.editable(id, version: version, scope: scope, tx: tx)
            guard let latest = try await tx.loads.latestSucceeded(of: id) else {
                throw DomainError.wrongState("no_data", "the resource has no successful load to apply")
            }
            guard latest.id == loadID else {
                throw DomainError(.conflict, "only the latest successful load (\(latest.id)) can be applied", field: "loadId",
                                  state: "superseded")
            }
            let detected = try DetectedColumn.fromReport(latest.reportJSON)
            let columns = try InferredSchema.apply(detected, to: resource.columns, rejecting: rejected)
            try ColumnNameRule.check(columns: columns.map(\.name))
            guard columns.count <= Self.maxColumns else { throw DomainError.invalid("columns", "at most \(Self.maxColumns) columns") }
            let schemaChanged = columns != resource.columns
            resource.columns = columns
            if schemaChanged { resource.schemaVersion += 1 }
            resource.version += 1
            resource.updatedAt = now
            try await tx.catalog.update(resource)
            try await tx.catalog.addRevision(Self.revision(resource, actor, "schema applied from load \(loadID)", now), of: id)
            try await tx.audit.append(AuditEvent(
                actor: actor, action: "catalog.schema.apply", objectType: "resource", objectID: id.rawValue, objectLabel: resource.name,
                details: ["load": loadID.rawValue, "schemaVersion": String(resource.schemaVersion),
                          "confirmed": InferredSchema.confirmed(detected, rejecting: rejected).joined(separator: ","),
                          "rejected": rejected.joined(separator: ",")]), at: now)
            return resource
        }
    }
}
