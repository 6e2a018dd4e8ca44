import Foundation
import Hummingbird
import PDOPAPI
import PDOPDomain
import PDOPIngest
import PDOPStore

/// /api/v1/catalog: the resource catalog (R3, R21).
struct CatalogAPI {
    let services: PlatformServices
    var catalog: CatalogService { services.catalog }
    static let writers: [Role: ScopeKind] = [.provider: .own, .authority: .all]
    /// Load history and profiles: the provider of the data, and the supervisors.
    static let loadReaders: [Role: ScopeKind] = [.provider: .own, .authority: .all, .regulator: .all]

    var routes: [Route] {
        [
            Route(RouteSpec(.get, "/api/v1/catalog/domains", .roles(Reach.everyRole), audience: .api)) { _, _, _ in
                try APIResponse.json(DomainArea.all.map(DomainAreaOut.init))
            },
            Route(RouteSpec(.get, "/api/v1/catalog/resources", .roles(Reach.everyRoleOwnOrg), audience: .api)) { request, _, caller in
                let page = try await catalog.search(try CatalogQuery.filter(from: request), page: request.pageRequest(), scope: caller.scope)
                let quality = try await services.quality.quality(of: page.items)
                return try APIResponse.json(PageOut(page) { ResourceOut($0, quality: quality[$0.id]) })
            },
            Route(RouteSpec(.post, "/api/v1/catalog/resources", .roles(Self.writers), audience: .api)) { _, _, caller in
                let input = try caller.input(ResourceWrite.self)
                let provider = try CatalogQuery.provider(input.providerId, caller: caller)
                let resource = try await catalog.create(try input.draft(), provider: provider, scope: caller.scope, by: caller.actor)
                return try APIResponse.json(ResourceOut(resource), status: .created)
            },
            Route(RouteSpec(.get, "/api/v1/catalog/map", .roles(Reach.everyRoleOwnOrg), audience: .api)) { _, _, caller in
                let map = try await catalog.map(scope: caller.scope, providerNames: try await services.parties.organizationNames(kind: .department))
                return try APIResponse.json(ResourceMapOut(map))
            },
            Route(RouteSpec(.get, "/api/v1/catalog/resources/{resourceId}", .roles(Reach.everyRoleOwnOrg), audience: .api)) { _, context, caller in
                let resource = try await catalog.resource(ResourceID(context.parameter("resourceId")), scope: caller.scope)
                return try APIResponse.json(ResourceOut(resource, quality: try await services.quality.quality(of: [resource])[resource.id]))
            },
            Route(RouteSpec(.put, "/api/v1/catalog/resources/{resourceId}", .roles(Self.writers), audience: .api)) { _, context, caller in
                let input = try caller.input(ResourceWrite.self)
                guard let version = input.version else { throw DomainError.invalid("version", "is required") }
                let resource = try await catalog.update(ResourceID(context.parameter("resourceId")), with: try input.draft(),
                                                        version: version, scope: caller.scope, by: caller.actor)
                return try APIResponse.json(ResourceOut(resource))
            },
            Route(RouteSpec(.post, "/api/v1/catalog/resources/{resourceId}/state", .roles(Reach.authorityOnly), audience: .api)) { _, context, caller in
                let input = try caller.input(ResourceStateChange.self)
                let resource = try await catalog.changeState(
                    ResourceID(context.parameter("resourceId")), to: try parseEnum(ResourceState.self, input.state, field: "state"),
                    version: input.version, reason: input.reason ?? "", by: caller.actor)
                return try APIResponse.json(ResourceOut(resource))
            },
            Route(RouteSpec(.put, "/api/v1/catalog/resources/{resourceId}/data", .roles(Self.writers), audience: .api,
                            streamsBody: true)) { request, context, caller in
                let (load, refusal) = try await DataLoadService(services: services).attempt(
                    ResourceID(context.parameter("resourceId")),
                    mode: try request.queryEnum("mode", LoadMode.self) ?? .replace,
                    format: try request.queryEnum("format", IngestFormat.self) ?? .csv,
                    encoding: try request.queryEnum("encoding", TextEncoding.self) ?? .auto,
                    scope: caller.scope, by: caller.actor,
                    chunks: request.body.map { @Sendable buffer in Array(buffer.readableBytesView) })
                if load.state == .failed {
                    if let refusal, refusal.kind == .ruleRefusal { throw refusal }
                    throw DomainError.invalid("file", load.error ?? "the load failed", rule: "R5")
                }
                return try APIResponse.json(DataLoadOut(load), status: .created)
            },
            Route(RouteSpec(.get, "/api/v1/catalog/resources/{resourceId}/loads", .roles(Self.loadReaders), audience: .api)) { request, context, caller in
                let page = try await DataLoadService(services: services).loads(of: ResourceID(context.parameter("resourceId")),
                                                                                page: request.pageRequest(), scope: caller.scope)
                return try APIResponse.json(PageOut(page, DataLoadOut.init))
            },
            Route(RouteSpec(.get, "/api/v1/catalog/resources/{resourceId}/revisions", .roles(Reach.everyRoleOwnOrg), audience: .api)) { _, context, caller in
                let revisions = try await catalog.revisions(ResourceID(context.parameter("resourceId")), scope: caller.scope)
                return try APIResponse.json(revisions.map(RevisionOut.init))
            },
        ]
    }
}

struct DataLoadOut: Encodable {
    var id, resourceId, mode, format, state, startedBy: String
    var dataVersion, rowCount, byteCount: Int?
    var error: String?
    var report: LoadReport?
    var startedAt: Date
    var finishedAt: Date?

    init(_ l: DataLoad) {
        id = l.id.rawValue; resourceId = l.resourceID.rawValue; mode = l.mode.rawValue; format = l.format; state = l.state.rawValue
        startedBy = l.startedBy; dataVersion = l.dataVersion; rowCount = l.rowCount; byteCount = l.byteCount; error = l.error
        report = l.reportJSON.flatMap { try? JSONDecoder().decode(LoadReport.self, from: Data($0.utf8)) }
        startedAt = l.startedAt; finishedAt = l.finishedAt
    }
}

struct ResourceMapOut: Encodable {
    struct Node: Encodable { var id, kind, label: String }
    struct Edge: Encodable { var from, to: String }
    var nodes: [Node]
    var edges: [Edge]

    init(_ map: ResourceMap) {
        nodes = map.nodes.map { Node(id: $0.id, kind: $0.kind.rawValue, label: $0.label) }
        edges = map.edges.map { Edge(from: $0.from, to: $0.to) }
    }
}

enum CatalogQuery {
    static func filter(from request: Request) throws -> CatalogFilter {
        CatalogFilter(text: try request.queryText("q"), domain: try request.queryText("domain"),
                      providerID: try request.queryText("providerId").map(OrganizationID.init),
                      grade: try request.queryEnum("grade", DataGrade.self),
                      openAttribute: try request.queryEnum("openAttribute", OpenAttribute.self),
                      origin: try request.queryEnum("origin", DataOrigin.self), state: try request.queryEnum("state", ResourceState.self),
                      category: try request.queryText("category", maxLength: 40))
    }

    /// Providers catalogue their own data; the authority names the provider.
    static func provider(_ given: String?, caller: Caller) throws -> OrganizationID {
        if let own = caller.scope.onlyOrganization { return given.map(OrganizationID.init) ?? own }
        guard let given, !given.isEmpty else { throw DomainError.invalid("providerId", "name the providing department") }
        return OrganizationID(given)
    }
}
