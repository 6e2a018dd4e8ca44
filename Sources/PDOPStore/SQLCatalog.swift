import Foundation
import PDOPDomain
import SQLKit

struct ResourceRow: Decodable {
    var id: String
    var providerId: String
    var domain: String
    var category: String
    var name: String
    var description: String
    var keywords: String
    var grade: String
    var openAttribute: String
    var origin: String
    var updateFrequency: String
    var columns: String
    var state: String
    var schemaVersion: Int
    var version: Int
    var createdAt: Int64
    var updatedAt: Int64

    func model() throws -> DataResource {
        guard let grade = DataGrade(rawValue: grade), let open = OpenAttribute(rawValue: openAttribute),
              let origin = DataOrigin(rawValue: origin), let frequency = UpdateFrequency(rawValue: updateFrequency),
              let state = ResourceState(rawValue: state) else {
            throw StoreError.integrity("resource \(id) has an unknown enumeration value")
        }
        return DataResource(
            id: ResourceID(id), providerID: OrganizationID(providerId), domain: domain, category: category, name: name, description: description,
            keywords: try JSONDecoder().decode([String].self, from: Data(keywords.utf8)), grade: grade, openAttribute: open,
            origin: origin, updateFrequency: frequency,
            columns: try JSONDecoder().decode([ColumnSpec].self, from: Data(columns.utf8)), state: state,
            schemaVersion: schemaVersion, version: version, createdAt: Date(millis: createdAt), updatedAt: Date(millis: updatedAt))
    }
}

struct SQLCatalog: CatalogRepository {
    let db: any SQLDatabase
    let flavor: SQLFlavor

    static func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try JSONEncoder.sorted.encode(value), as: UTF8.self)
    }

    func insert(_ r: DataResource) async throws {
        try await db.raw("""
            INSERT INTO catalog_resources (id, provider_id, domain, name, description, keywords, grade, open_attribute, origin,
                update_frequency, columns, state, schema_version, version, created_at, updated_at, search_text, category)
            VALUES (\(bind: r.id.rawValue), \(bind: r.providerID.rawValue), \(bind: r.domain), \(bind: r.name), \(bind: r.description),
                \(bind: try Self.json(r.keywords)), \(bind: r.grade.rawValue), \(bind: r.openAttribute.rawValue), \(bind: r.origin.rawValue),
                \(bind: r.updateFrequency.rawValue), \(bind: try Self.json(r.columns)), \(bind: r.state.rawValue),
                \(bind: r.schemaVersion), \(bind: r.version), \(bind: r.createdAt.millis), \(bind: r.updatedAt.millis), \(bind: r.searchText),
                \(bind: r.category))
            """).run()
        try await index(r)
    }

    func get(_ id: ResourceID) async throws -> DataResource? {
        try await db.raw("SELECT * FROM catalog_resources WHERE id = \(bind: id.rawValue)")
            .first(decoding: ResourceRow.self, with: snakeCase)?.model()
    }

    func update(_ r: DataResource) async throws {
        struct Updated: Decodable { var id: String }
        let row = try await db.raw("""
            UPDATE catalog_resources SET domain = \(bind: r.domain), category = \(bind: r.category), name = \(bind: r.name), description = \(bind: r.description),
                keywords = \(bind: try Self.json(r.keywords)), grade = \(bind: r.grade.rawValue),
                open_attribute = \(bind: r.openAttribute.rawValue), origin = \(bind: r.origin.rawValue),
                update_frequency = \(bind: r.updateFrequency.rawValue), columns = \(bind: try Self.json(r.columns)),
                state = \(bind: r.state.rawValue), schema_version = \(bind: r.schemaVersion), version = \(bind: r.version),
                updated_at = \(bind: r.updatedAt.millis), search_text = \(bind: r.searchText)
            WHERE id = \(bind: r.id.rawValue) AND version = \(bind: r.version - 1) RETURNING id
            """).first(decoding: Updated.self)
        if row == nil { throw DomainError.stale }
        try await index(r)
    }

    /// SQLite keeps the trigram index in a separate FTS5 table; PostgreSQL indexes the column itself.
    private func index(_ r: DataResource) async throws {
        guard flavor == .sqlite else { return }
        try await db.raw("DELETE FROM catalog_search WHERE resource_id = \(bind: r.id.rawValue)").run()
        try await db.raw("INSERT INTO catalog_search (resource_id, body) VALUES (\(bind: r.id.rawValue), \(bind: r.searchText))").run()
    }

    func list(_ filter: CatalogFilter, page: PageRequest) async throws -> Page<DataResource> {
        var conditions = Conditions()
        if let domain = filter.domain { conditions.add("domain = \(bind: domain)") }
        if filter.category != nil {
            let codes = filter.categories.map { code -> SQLQueryString in "\(bind: code)" }
            conditions.add(codes.isEmpty ? "1 = 0" : "category IN (" + codes.joined(separator: ", ") + ")")
        }
        if let provider = filter.providerID { conditions.add("provider_id = \(bind: provider.rawValue)") }
        if let grade = filter.grade { conditions.add("grade = \(bind: grade.rawValue)") }
        if let open = filter.openAttribute { conditions.add("open_attribute = \(bind: open.rawValue)") }
        if let origin = filter.origin { conditions.add("origin = \(bind: origin.rawValue)") }
        if let state = filter.state { conditions.add("state = \(bind: state.rawValue)") }
        if let viewer = filter.visibleTo { conditions.add("(state = 'published' OR provider_id = \(bind: viewer.rawValue))") }
        for term in (filter.text ?? "").lowercased().split(whereSeparator: \.isWhitespace).prefix(8) {
            let pattern = "%" + Conditions.escapeLike(String(term)) + "%"
            switch flavor {
            case .sqlite:
                conditions.add("id IN (SELECT resource_id FROM catalog_search WHERE body LIKE \(bind: pattern) ESCAPE '\\')")
            case .postgres:
                conditions.add("search_text LIKE \(bind: pattern) ESCAPE '\\'")
            }
        }
        let total = try await db.count("catalog_resources", conditions)
        let rows = try await db.raw("SELECT * FROM catalog_resources" + conditions.sql
                                    + " ORDER BY updated_at DESC, id LIMIT \(bind: page.limit) OFFSET \(bind: page.offset)")
            .all(decoding: ResourceRow.self, with: snakeCase)
        return Page(items: try rows.map { try $0.model() }, total: total, request: page)
    }

    func nameExists(_ name: String, provider: OrganizationID) async throws -> Bool {
        try await db.raw("SELECT COUNT(*) AS n FROM catalog_resources WHERE provider_id = \(bind: provider.rawValue) AND name = \(bind: name)")
            .first(decoding: CountRow.self)!.n > 0
    }

    func addRevision(_ revision: ResourceRevision, of id: ResourceID) async throws {
        try await db.raw("""
            INSERT INTO catalog_revisions (resource_id, version, schema_version, state, columns, changed_by, change, at)
            VALUES (\(bind: id.rawValue), \(bind: revision.version), \(bind: revision.schemaVersion), \(bind: revision.state.rawValue),
                \(bind: try Self.json(revision.columns)), \(bind: revision.changedBy), \(bind: revision.change), \(bind: revision.at.millis))
            """).run()
    }

    func revisions(of id: ResourceID) async throws -> [ResourceRevision] {
        struct Row: Decodable {
            var version: Int; var schemaVersion: Int; var state: String; var columns: String
            var changedBy: String; var change: String; var at: Int64
        }
        return try await db.raw("SELECT * FROM catalog_revisions WHERE resource_id = \(bind: id.rawValue) ORDER BY version DESC")
            .all(decoding: Row.self, with: snakeCase).map { row in
                ResourceRevision(version: row.version, schemaVersion: row.schemaVersion,
                                 state: ResourceState(rawValue: row.state) ?? .draft,
                                 columns: try JSONDecoder().decode([ColumnSpec].self, from: Data(row.columns.utf8)),
                                 changedBy: row.changedBy, change: row.change, at: Date(millis: row.at))
            }
    }
}
