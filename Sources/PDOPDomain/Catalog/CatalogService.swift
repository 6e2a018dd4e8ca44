import Foundation

/// What a provider says about a resource; the service checks it and fills in the rest.
public struct ResourceDraft: Sendable {
    public var domain: String
    public var name: String
    public var description: String
    public var keywords: [String]
    public var grade: DataGrade
    public var openAttribute: OpenAttribute
    public var origin: DataOrigin
    public var updateFrequency: UpdateFrequency
    public var columns: [ColumnSpec]
    /// A code of the category tree; nil files a new resource under its domain's default
    /// category (`DefaultCategories`) and leaves an existing one where it is.
    public var category: String?

    public init(domain: String, name: String, description: String, keywords: [String], grade: DataGrade,
                openAttribute: OpenAttribute, origin: DataOrigin, updateFrequency: UpdateFrequency, columns: [ColumnSpec],
                category: String? = nil) {
        self.domain = domain
        self.name = name
        self.description = description
        self.keywords = keywords
        self.grade = grade
        self.openAttribute = openAttribute
        self.origin = origin
        self.updateFrequency = updateFrequency
        self.columns = columns
        self.category = category
    }
}

/// The catalog (R3, R21): providers describe their resources, the authority publishes and retires them.
public struct CatalogService: Sendable {
    let store: any PlatformStore
    let clock: any PlatformClock
    let ids: any IdentifierGenerator

    public static let maxColumns = 1000
    public static let maxKeywords = 20

    public init(store: any PlatformStore, clock: any PlatformClock, ids: any IdentifierGenerator) {
        self.store = store
        self.clock = clock
        self.ids = ids
    }

    /// A provider catalogues its own organization's data; the authority may do it for any department.
    public func create(_ draft: ResourceDraft, provider: OrganizationID, scope: AccessScope, by actor: Actor) async throws -> DataResource {
        let draft = try Self.validated(draft)
        guard scope.permits(provider) else {
            throw DomainError.refused("R3", "providers catalogue only their own organization's data", field: "providerId")
        }
        let now = clock.now()
        let resource = DataResource(
            id: ResourceID(ids.next(prefix: "res")), providerID: provider, domain: draft.domain,
            category: draft.category ?? DefaultCategories.code(forDomain: draft.domain), name: draft.name,
            description: draft.description, keywords: draft.keywords, grade: draft.grade, openAttribute: draft.openAttribute,
            origin: draft.origin, updateFrequency: draft.updateFrequency, columns: draft.columns, state: .draft,
            schemaVersion: 1, version: 1, createdAt: now, updatedAt: now)
        return try await store.transaction { tx in
            guard let organization = try await tx.organizations.get(provider), organization.kind == .department else {
                throw DomainError.invalid("providerId", "the provider must be a department")
            }
            try await Self.checkCategory(resource.category, given: draft.category != nil, tx)
            if try await tx.catalog.nameExists(resource.name, provider: provider) {
                throw DomainError(.conflict, "this provider already has a resource with this name", field: "name")
            }
            try await tx.catalog.insert(resource)
            try await tx.catalog.addRevision(Self.revision(resource, actor, "created", now), of: resource.id)
            try await tx.audit.append(AuditEvent(
                actor: actor, action: "catalog.create", objectType: "resource", objectID: resource.id.rawValue,
                objectLabel: resource.name, details: ["provider": provider.rawValue, "domain": resource.domain,
                                                      "open": resource.openAttribute.rawValue]), at: now)
            return resource
        }
    }

    /// A resource the caller's organization may edit, at the version the caller saw, not retired.
    static func editable(_ id: ResourceID, version: Int, scope: AccessScope, tx: any StoreTransaction) async throws -> DataResource {
        guard let resource = try await tx.catalog.get(id), scope.permits(resource.providerID) else {
            throw DomainError.notFound("resource")
        }
        guard resource.version == version else { throw DomainError.stale }
        if resource.state == .retired { throw DomainError.wrongState(resource.state.rawValue, "a retired resource cannot be edited") }
        return resource
    }

    /// Replaces the description and schema; a changed schema gets a new schema version.
    public func update(_ id: ResourceID, with draft: ResourceDraft, version: Int, scope: AccessScope, by actor: Actor) async throws -> DataResource {
        let draft = try Self.validated(draft)
        let now = clock.now()
        return try await store.transaction { tx in
            var resource = try await Self.editable(id, version: version, scope: scope, tx: tx)
            if draft.name != resource.name, try await tx.catalog.nameExists(draft.name, provider: resource.providerID) {
                throw DomainError(.conflict, "this provider already has a resource with this name", field: "name")
            }
            let schemaChanged = draft.columns != resource.columns
            if let category = draft.category, category != resource.category {
                try await Self.checkCategory(category, given: true, tx)
                resource.category = category
            }
            resource.domain = draft.domain
            resource.name = draft.name
            resource.description = draft.description
            resource.keywords = draft.keywords
            resource.grade = draft.grade
            resource.openAttribute = draft.openAttribute
            resource.origin = draft.origin
            resource.updateFrequency = draft.updateFrequency
            resource.columns = draft.columns
            if schemaChanged { resource.schemaVersion += 1 }
            resource.version += 1
            resource.updatedAt = now
            try await tx.catalog.update(resource)
            try await tx.catalog.addRevision(Self.revision(resource, actor, schemaChanged ? "schema changed" : "described", now), of: id)
            try await tx.audit.append(AuditEvent(
                actor: actor, action: "catalog.update", objectType: "resource", objectID: id.rawValue, objectLabel: resource.name,
                details: ["schemaVersion": String(resource.schemaVersion), "version": String(resource.version)]), at: now)
            return resource
        }
    }

    /// The authority publishes (a described resource with a schema), retires, or republishes.
    public func changeState(_ id: ResourceID, to target: ResourceState, version: Int, reason: String, by actor: Actor) async throws -> DataResource {
        let reason = try TextRules.text(reason, field: "reason", limit: 1000, required: target == .retired)
        let now = clock.now()
        return try await store.transaction { tx in
            guard var resource = try await tx.catalog.get(id) else { throw DomainError.notFound("resource") }
            guard resource.version == version else { throw DomainError.stale }
            let from = resource.state
            resource.state = try from.transition(to: target)
            if target == .published && resource.columns.isEmpty {
                throw DomainError.refused("R3", "a resource needs its schema before it is published", field: "columns")
            }
            resource.version += 1
            resource.updatedAt = now
            try await tx.catalog.update(resource)
            try await tx.catalog.addRevision(Self.revision(resource, actor, target.rawValue, now), of: id)
            try await tx.audit.append(AuditEvent(
                actor: actor, action: "catalog.\(target == .retired ? "retire" : "publish")", objectType: "resource",
                objectID: id.rawValue, objectLabel: resource.name, reason: reason.isEmpty ? nil : reason,
                details: ["from": from.rawValue, "to": target.rawValue]), at: now)
            return resource
        }
    }

    /// Published resources are visible to every signed-in party; drafts and retired ones only to
    /// their provider and to callers whose reach is every organization.
    public func resource(_ id: ResourceID, scope: AccessScope) async throws -> DataResource {
        guard let resource = try await store.transaction({ try await $0.catalog.get(id) }),
              resource.state == .published || scope.permits(resource.providerID) else {
            throw DomainError.notFound("resource")
        }
        return resource
    }

    /// A category filter takes the category and everything below it.
    public func search(_ filter: CatalogFilter, page: PageRequest, scope: AccessScope) async throws -> Page<DataResource> {
        var filter = filter
        filter.visibleTo = scope.onlyOrganization
        let scoped = filter
        return try await store.transaction { tx in
            var expanded = scoped
            if let category = scoped.category {
                expanded.categories = CategoryTree(try await tx.categories.all()).subtree(category)
                if expanded.categories.isEmpty { throw DomainError.invalid("category", "no category has the code \(category)") }
            }
            return try await tx.catalog.list(expanded, page: page)
        }
    }

    /// The category must be a node of the tree (R3); a defaulted one that the authority has
    /// since removed asks the provider to choose.
    static func checkCategory(_ code: String, given: Bool, _ tx: any StoreTransaction) async throws {
        if CategoryTree(try await tx.categories.all()).category(code) != nil { return }
        throw given ? DomainError.refused("R3", "category \(code) is not in the catalog's category tree", field: "category")
                    : DomainError.refused("R3", "choose a category from the catalog's category tree", field: "category")
    }

    /// The map of every published resource (and the caller's own drafts), at most `limit` resources.
    public func map(scope: AccessScope, providerNames: [OrganizationID: String], limit: Int = 500) async throws -> ResourceMap {
        var resources: [DataResource] = []
        var offset = 0
        while resources.count < limit {
            let page = try await search(CatalogFilter(), page: try PageRequest(limit: PageRequest.maxLimit, offset: offset), scope: scope)
            resources += page.items.filter { $0.state != .retired }
            offset += page.limit
            if offset >= page.total { break }
        }
        return ResourceMap(resources: Array(resources.prefix(limit)), providerNames: providerNames)
    }

    public func revisions(_ id: ResourceID, scope: AccessScope) async throws -> [ResourceRevision] {
        _ = try await resource(id, scope: scope)
        return try await store.transaction { try await $0.catalog.revisions(of: id) }
    }

    static func revision(_ resource: DataResource, _ actor: Actor, _ change: String, _ at: Date) -> ResourceRevision {
        ResourceRevision(version: resource.version, schemaVersion: resource.schemaVersion, state: resource.state,
                         columns: resource.columns, changedBy: actor.username, change: change, at: at)
    }

    static func validated(_ draft: ResourceDraft) throws(DomainError) -> ResourceDraft {
        var draft = draft
        guard DomainArea.named(draft.domain) != nil else {
            throw .invalid("domain", "must be one of the R21 domains: \(DomainArea.all.map(\.code).joined(separator: ", "))")
        }
        draft.name = try TextRules.name(draft.name, field: "name")
        draft.description = try TextRules.text(draft.description, field: "description", limit: 4000)
        guard draft.keywords.count <= maxKeywords else { throw .invalid("keywords", "at most \(maxKeywords) keywords") }
        var keywords: [String] = []
        for (index, keyword) in draft.keywords.enumerated() {
            let cleaned = try TextRules.name(keyword, field: "keywords.\(index)")
            if cleaned.count > 50 { throw .invalid("keywords.\(index)", "a keyword must be at most 50 characters") }
            keywords.append(cleaned)
        }
        draft.keywords = keywords
        guard draft.columns.count <= maxColumns else { throw .invalid("columns", "at most \(maxColumns) columns") }
        try ColumnNameRule.check(columns: draft.columns.map(\.name))
        for index in draft.columns.indices {
            draft.columns[index].description = try TextRules.text(draft.columns[index].description, field: "columns.\(index).description",
                                                                  limit: 500, required: false)
        }
        return draft
    }
}
