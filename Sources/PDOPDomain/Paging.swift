/// Every list is paged: a bounded limit and an offset.
public struct PageRequest: Equatable, Sendable {
    public static let maxLimit = 200
    public var limit: Int
    public var offset: Int

    public init(limit: Int = 50, offset: Int = 0) throws(DomainError) {
        guard (1...Self.maxLimit).contains(limit) else {
            throw .invalid("limit", "must be between 1 and \(Self.maxLimit)")
        }
        guard offset >= 0, offset <= 10_000_000 else { throw .invalid("offset", "must be between 0 and 10000000") }
        self.limit = limit
        self.offset = offset
    }

    public static let first = try! PageRequest()
}

public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var total: Int
    public var limit: Int
    public var offset: Int

    public init(items: [Item], total: Int, request: PageRequest) {
        self.items = items
        self.total = total
        self.limit = request.limit
        self.offset = request.offset
    }

    public func map<T>(_ transform: (Item) throws -> T) rethrows -> Page<T> {
        var page = Page<T>(items: try items.map(transform), total: total, request: .first)
        page.limit = limit
        page.offset = offset
        return page
    }
}

extension Page {
    /// Every item `fetch` lists, read page by page at the largest page size.
    public static func all(_ fetch: (PageRequest) async throws -> Page<Item>) async throws -> [Item] {
        var items: [Item] = []
        var offset = 0
        while true {
            let page = try await fetch(try PageRequest(limit: PageRequest.maxLimit, offset: offset))
            items += page.items
            offset += page.items.count
            if page.items.isEmpty || offset >= page.total { return items }
        }
    }
}
