import Foundation

/// What the authority writes for a category; `code` only counts when creating.
public struct CategoryDraft: Sendable {
    public var code: String
    public var nameZh: String
    public var nameEn: String
    public var parentCode: String?

    public init(code: String, nameZh: String, nameEn: String, parentCode: String?) {
        self.code = code
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.parentCode = parentCode
    }
}

/// The catalog's category tree (R3 分类): the public data authority adds, renames, moves and
/// deletes categories; a category that resources are filed under, or that has children, stays.
public struct CategoryService: Sendable {
    let store: any PlatformStore
    let clock: any PlatformClock

    public init(store: any PlatformStore, clock: any PlatformClock) {
        self.store = store
        self.clock = clock
    }

    public func tree() async throws -> CategoryTree {
        CategoryTree(try await store.transaction { try await $0.categories.all() })
    }

    /// The tree in display order, a page at a time.
    public func list(page: PageRequest) async throws -> Page<(category: CatalogCategory, depth: Int)> {
        let ordered = try await tree().ordered
        let items = Array(ordered.dropFirst(page.offset).prefix(page.limit))
        return Page(items: items, total: ordered.count, request: page)
    }

    public func create(_ draft: CategoryDraft, by actor: Actor) async throws -> CatalogCategory {
        let code = try Self.code(draft.code)
        let category = CatalogCategory(code: code, nameZh: try TextRules.name(draft.nameZh, field: "nameZh"),
                                       nameEn: try TextRules.name(draft.nameEn, field: "nameEn"),
                                       parentCode: Self.blankToNil(draft.parentCode))
        let now = clock.now()
        return try await store.transaction { tx in
            let tree = CategoryTree(try await tx.categories.all())
            if tree.category(code) != nil { throw DomainError(.conflict, "a category with this code exists", field: "code") }
            if let parent = category.parentCode, tree.category(parent) == nil {
                throw DomainError.invalid("parentCode", "no category has the code \(parent)", rule: "R3")
            }
            try await tx.categories.insert(category)
            try await tx.audit.append(AuditEvent(actor: actor, action: "catalog.category.create", objectType: "category", objectID: code,
                                                 objectLabel: category.nameZh, details: ["parent": category.parentCode ?? ""]), at: now)
            return category
        }
    }

    /// Renames or moves a category; it can never move under itself.
    public func update(_ code: String, with draft: CategoryDraft, version: Int, by actor: Actor) async throws -> CatalogCategory {
        let nameZh = try TextRules.name(draft.nameZh, field: "nameZh")
        let nameEn = try TextRules.name(draft.nameEn, field: "nameEn")
        let parent = Self.blankToNil(draft.parentCode)
        let now = clock.now()
        return try await store.transaction { tx in
            let tree = CategoryTree(try await tx.categories.all())
            guard var category = tree.category(code) else { throw DomainError.notFound("category") }
            guard category.version == version else { throw DomainError.stale }
            if let parent {
                guard tree.category(parent) != nil else {
                    throw DomainError.invalid("parentCode", "no category has the code \(parent)", rule: "R3")
                }
                if tree.subtree(code).contains(parent) {
                    throw DomainError.invalid("parentCode", "a category cannot move under itself or its own descendants", rule: "R3")
                }
            }
            category.nameZh = nameZh
            category.nameEn = nameEn
            category.parentCode = parent
            category.version += 1
            try await tx.categories.update(category)
            try await tx.audit.append(AuditEvent(actor: actor, action: "catalog.category.update", objectType: "category", objectID: code,
                                                 objectLabel: nameZh, details: ["parent": parent ?? "", "version": String(category.version)]),
                                      at: now)
            return category
        }
    }

    public func delete(_ code: String, by actor: Actor) async throws {
        let now = clock.now()
        try await store.transaction { tx in
            let tree = CategoryTree(try await tx.categories.all())
            guard let category = tree.category(code) else { throw DomainError.notFound("category") }
            if !tree.children(of: code).isEmpty {
                throw DomainError.wrongState("has_children", "a category with sub-categories cannot be deleted; move or delete them first")
            }
            let used = try await tx.categories.resourceCount(code)
            if used > 0 {
                throw DomainError.wrongState("in_use", "\(used) resources are filed under this category; file them elsewhere first")
            }
            try await tx.categories.delete(code)
            try await tx.audit.append(AuditEvent(actor: actor, action: "catalog.category.delete", objectType: "category", objectID: code,
                                                 objectLabel: category.nameZh), at: now)
        }
    }

    /// 1–40 of a–z, 0–9, '_' and '.', starting with a letter.
    static func code(_ value: String) throws(DomainError) -> String {
        let scalars = Array(value.unicodeScalars)
        guard (1...40).contains(scalars.count), let first = scalars.first, ("a"..."z").contains(first),
              scalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "." }) else {
            throw .invalid("code", "use 1–40 characters: lowercase letters, digits, '_' or '.', starting with a letter")
        }
        return value
    }

    static func blankToNil(_ value: String?) -> String? {
        guard let value, !value.trimmingWhitespace().isEmpty else { return nil }
        return value.trimmingWhitespace()
    }
}
