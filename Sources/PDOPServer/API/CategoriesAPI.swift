import Foundation
import Hummingbird
import PDOPAPI
import PDOPDomain

/// /api/v1/catalog/categories: the catalog's category tree (R3), read by everyone, kept by the authority.
struct CategoriesAPI {
    let services: PlatformServices
    var categories: CategoryService { services.categories }

    var routes: [Route] {
        [
            Route(RouteSpec(.get, "/api/v1/catalog/categories", .roles(Reach.everyRole), audience: .api)) { request, _, _ in
                let page = try await categories.list(page: request.pageRequest())
                return try APIResponse.json(PageOut(page) { CategoryOut($0.category, depth: $0.depth) })
            },
            Route(RouteSpec(.post, "/api/v1/catalog/categories", .roles(Reach.authorityOnly), audience: .api)) { _, _, caller in
                let input = try caller.input(CategoryWrite.self)
                let created = try await categories.create(input.draft(), by: caller.actor)
                return try APIResponse.json(CategoryOut(created, depth: try await categories.tree().path(created.code).count - 1),
                                            status: .created)
            },
            Route(RouteSpec(.put, "/api/v1/catalog/categories/{categoryCode}", .roles(Reach.authorityOnly), audience: .api)) { _, context, caller in
                let input = try caller.input(CategoryWrite.self)
                guard let version = input.version else { throw DomainError.invalid("version", "is required") }
                let code = try context.parameter("categoryCode")
                if let given = input.code, given != code { throw DomainError.invalid("code", "a category's code cannot change") }
                let updated = try await categories.update(code, with: input.draft(code: code), version: version, by: caller.actor)
                return try APIResponse.json(CategoryOut(updated, depth: try await categories.tree().path(code).count - 1))
            },
            Route(RouteSpec(.delete, "/api/v1/catalog/categories/{categoryCode}", .roles(Reach.authorityOnly), audience: .api)) { _, context, caller in
                try await categories.delete(try context.parameter("categoryCode"), by: caller.actor)
                return APIResponse.noContent()
            },
        ]
    }
}
