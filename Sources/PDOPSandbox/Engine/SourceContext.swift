import Foundation
import PDOPDomain

/// A source bound to its granted dataset and to a compiler-chosen table alias (t0, t1, …), so no
/// operator-written alias ever reaches SQL text.
struct BoundSource: Sendable {
    let alias: String
    let dataset: SandboxDataset
    let tableAlias: String
}

/// A granted column found through "alias.column".
struct ResolvedColumn: Sendable {
    let sourceIndex: Int
    let tableAlias: String
    let column: SandboxColumn
    /// The operator's reference, e.g. "v.年龄": only ever shown back, never put into SQL.
    let reference: String
    let isUnitColumn: Bool
}

struct ResolvedJoin: Sendable {
    let left: ResolvedColumn
    let right: ResolvedColumn
}

struct ResolvedFilter: Sendable {
    let column: ResolvedColumn
    let op: FilterOperator
    let values: [SQLValue]
    /// The operator's literals as written, for the dry run.
    let display: [String]
}

/// Sources, joins and filters resolved against the workspace's granted datasets: shared by queries and model jobs.
struct SourceContext: Sendable {
    static let notFoundMessage = "no such dataset or column in this workspace"

    let sources: [BoundSource]
    private(set) var joins: [ResolvedJoin]

    static func notFound(_ pointer: String) -> DomainError {
        DomainError(.notFound, notFoundMessage, field: pointer)
    }

    /// Resolves the datasets, then checks joins, connectivity and the shared unit domain (R12).
    init(sources specSources: [QuerySpec.Source], joins specJoins: [QuerySpec.Join],
         datasets: [SandboxDataset]) throws(DomainError) {
        var bound: [BoundSource] = []
        for (index, source) in specSources.enumerated() {
            guard let dataset = datasets.first(where: { $0.resourceID == source.dataset }) else {
                throw Self.notFound("/sources/\(index)/dataset")
            }
            bound.append(BoundSource(alias: source.alias, dataset: dataset, tableAlias: "t\(index)"))
        }
        self.sources = bound
        self.joins = []
        var resolvedJoins: [ResolvedJoin] = []
        var connected = UnionFind(count: bound.count)
        for (index, join) in specJoins.enumerated() {
            let pointer = "/joins/\(index)"
            let left = try column(join.left, at: pointer + "/left")
            let right = try column(join.right, at: pointer + "/right")
            for (side, resolved) in [("left", left), ("right", right)] where resolved.column.level != .joinOnly {
                throw .refused("R12", "joins use JOIN_ONLY key columns only", field: "\(pointer)/\(side)")
            }
            guard let space = left.column.keySpace, space == right.column.keySpace else {
                throw .refused("R12", "joined keys must share a key space", field: pointer + "/right")
            }
            guard left.sourceIndex != right.sourceIndex else {
                throw .refused("R12", "a join connects two different sources", field: pointer)
            }
            connected.union(left.sourceIndex, right.sourceIndex)
            resolvedJoins.append(ResolvedJoin(left: left, right: right))
        }
        for index in bound.indices.dropFirst() {
            guard connected.find(index) == connected.find(0) else {
                throw .refused("R12", "every source must be joined to the first one", field: "/sources/\(index)")
            }
            guard bound[index].dataset.unitDomain == bound[0].dataset.unitDomain else {
                throw .refused("R12", "joined datasets must describe the same population of units", field: "/sources/\(index)/dataset")
            }
        }
        self.joins = resolvedJoins
    }

    /// The query's privacy unit: the first source's unit column.
    var unit: (tableAlias: String, column: String) { (sources[0].tableAlias, sources[0].dataset.unitColumn) }

    /// Strictest threshold over every joined dataset, never below the platform floor.
    func minUnits(policy: PolicySettings) -> Int {
        sources.map(\.dataset.minUnits).reduce(policy.sandboxMinUnits, max)
    }

    /// "alias.column" → granted column. Unknown, ungranted and DENY columns give the same not-found answer.
    func column(_ reference: String, at pointer: String) throws(DomainError) -> ResolvedColumn {
        guard let dot = reference.firstIndex(of: ".") else { throw .invalid(pointer, "write a column as alias.column") }
        let alias = String(reference[..<dot])
        let name = String(reference[reference.index(after: dot)...])
        guard let index = sources.firstIndex(where: { $0.alias == alias }) else {
            throw .invalid(pointer, "no source has this alias")
        }
        let dataset = sources[index].dataset
        guard let column = dataset.columns.first(where: { $0.name == name }), column.level != .deny else {
            throw Self.notFound(pointer)
        }
        return ResolvedColumn(sourceIndex: index, tableAlias: sources[index].tableAlias, column: column,
                              reference: reference, isUnitColumn: name == dataset.unitColumn)
    }

    /// Filters on PUBLIC, GROUP_BY and COMPARE columns; COUNT_ONLY only for membership tests under counts.
    func filters(_ filters: [QuerySpec.Filter], countsOnly: Bool) throws(DomainError) -> [ResolvedFilter] {
        var result: [ResolvedFilter] = []
        for (index, filter) in filters.enumerated() {
            let pointer = "/filters/\(index)"
            let resolved = try column(filter.column, at: pointer + "/column")
            if resolved.isUnitColumn {
                throw .refused("R12", "the privacy unit cannot be filtered on", field: pointer + "/column")
            }
            switch resolved.column.level {
            case .publicLevel, .groupBy, .compare:
                break
            case .countOnly:
                guard filter.op.isMembershipTest, countsOnly else {
                    throw .refused("R12", "this column may only be tested with =, in, is_null or not_null, and only when every measure is a count",
                                   field: pointer + "/column")
                }
            case .joinOnly, .aggregate, .deny:
                throw .refused("R12", "this column's level does not allow filtering", field: pointer + "/column")
            }
            if filter.op.isOrdering, [.text, .boolean].contains(resolved.column.type) {
                throw .invalid(pointer + "/op", "ordering comparisons need a numeric, date or timestamp column")
            }
            let literals: [Literal]
            switch filter.value {
            case .single(let literal): literals = [literal]
            case .list(let list): literals = list
            case nil: literals = []
            }
            var values: [SQLValue] = []
            for (position, literal) in literals.enumerated() {
                var valuePointer = pointer + "/value"
                if case .list = filter.value { valuePointer += "/\(position)" }
                values.append(try LiteralBinding.value(literal, for: resolved.column, at: valuePointer))
            }
            result.append(ResolvedFilter(column: resolved, op: filter.op, values: values, display: literals.map(LiteralBinding.display)))
        }
        return result
    }
}

/// Literal → bound value in the store's encoding, checked against the column's type and grid.
enum LiteralBinding {
    static func value(_ literal: Literal, for column: SandboxColumn, at pointer: String) throws(DomainError) -> SQLValue {
        let width = column.bucketWidth.map(Int64.init)
        switch (column.type, literal) {
        case (.integer, .number(let number)):
            guard number == number.rounded(), abs(number) < 9.0e15 else { throw .invalid(pointer, "must be an integer") }
            let value = Int64(number)
            if let width, width > 1, value % width != 0 { throw offGrid(pointer, width) }
            return .integer(value)
        case (.decimal, .number(let number)):
            if let width, width > 1, (number / Double(width)).rounded() != number / Double(width) { throw offGrid(pointer, width) }
            return .double(number)
        case (.date, .text(let text)):
            guard let days = CivilDate.days(from: text) else { throw .invalid(pointer, "must be a date written YYYY-MM-DD") }
            if let width, width > 1, days % width != 0 { throw offGrid(pointer, width) }
            return .integer(days)
        case (.timestamp, .text(let text)):
            guard let micros = CivilDate.microseconds(from: text) else {
                throw .invalid(pointer, "must be a time written YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ")
            }
            if let width, width > 1, micros % (width * CivilDate.microsecondsPerDay) != 0 { throw offGrid(pointer, width) }
            return .integer(micros)
        case (.boolean, .bool(let flag)):
            return .integer(flag ? 1 : 0)
        case (.text, .text(let text)):
            return .text(text)
        default:
            throw .invalid(pointer, "must be a \(column.type.rawValue) literal")
        }
    }

    static func offGrid(_ pointer: String, _ width: Int64) -> DomainError {
        .refused("R12", "the literal must lie on the column's grid of \(width)", field: pointer)
    }

    static func display(_ literal: Literal) -> String {
        switch literal {
        case .number(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .text(let text): "\"\(text)\""
        case .bool(let flag): flag ? "true" : "false"
        }
    }
}

struct UnionFind {
    private var parent: [Int]
    init(count: Int) { parent = Array(0..<count) }
    mutating func find(_ node: Int) -> Int {
        var root = node
        while parent[root] != root { root = parent[root] }
        parent[node] = root
        return root
    }
    mutating func union(_ a: Int, _ b: Int) { parent[find(a)] = find(b) }
}
