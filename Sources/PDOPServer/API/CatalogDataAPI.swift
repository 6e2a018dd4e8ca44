import Foundation
import Hummingbird
import PDOPAPI
import PDOPDomain

/// A resource's data as its provider and the authority work with it: masked sample rows of the
/// current version, and applying what a load detected to the catalog schema (R3, R5).
struct CatalogDataAPI {
    let services: PlatformServices
    /// The provider that owns the resource, and the authority; another organization gets 404.
    static let sampleReaders: [Role: ScopeKind] = [.provider: .own, .authority: .all]

    var routes: [Route] {
        [
            Route(RouteSpec(.get, "/api/v1/catalog/resources/{resourceId}/sample", .roles(Self.sampleReaders), audience: .api)) { _, context, caller in
                let id = ResourceID(try context.parameter("resourceId"))
                let sample = try await SampleService(services: services).sample(id, scope: caller.scope)
                return try APIResponse.json(SampleOut(resourceId: id.rawValue, sample))
            },
            Route(RouteSpec(.post, "/api/v1/catalog/resources/{resourceId}/schema", .roles(CatalogAPI.writers), audience: .api)) { _, context, caller in
                let input = try caller.input(SchemaApply.self)
                let resource = try await services.catalog.applyDetectedSchema(
                    ResourceID(context.parameter("resourceId")), load: DataLoadID(input.loadId), rejecting: input.rejectedProposals ?? [],
                    version: input.version, scope: caller.scope, by: caller.actor)
                return try APIResponse.json(ResourceOut(resource))
            },
        ]
    }
}

struct SampleOut: Encodable {
    struct Column: Encodable {
        var name, type: String
        var masked: Bool
        var maskReason: String?
    }

    var resourceId: String
    var dataVersion: Int?
    var columns: [Column]
    var rows: [[String?]]

    init(resourceId: String, _ sample: MaskedSample?) {
        self.resourceId = resourceId
        dataVersion = sample?.dataVersion
        columns = sample?.columns.map { Column(name: $0.name, type: $0.type.rawValue, masked: $0.maskReason != nil,
                                                maskReason: $0.maskReason?.rawValue) } ?? []
        rows = sample?.rows ?? []
    }
}
