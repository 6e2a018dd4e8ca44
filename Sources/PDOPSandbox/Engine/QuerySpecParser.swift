import Foundation
import PDOPDomain

/// JSON → QuerySpec with a JSON pointer on every error; then the grammar limits (`SpecGrammar`).
struct QuerySpecParser {
    let policy: PolicySettings

    func parse(_ data: Data) throws(DomainError) -> QuerySpec {
        let root = try JSONValue.parse(data, maxBytes: policy.sandboxSpecMaxBytes)
        let object = try JSONReader(root).object(allowed: [
            "mode", "sources", "joins", "filters", "groupBy", "measures", "privacy", "orderBy", "limit",
        ])
        let mode = try object.required("mode").enumeration(QuerySpec.Mode.self)
        var spec = QuerySpec(
            mode: mode,
            sources: try sources(object),
            joins: try joins(object),
            filters: try filters(object),
            groupBy: try groupKeys(object),
            measures: try measures(object),
            privacy: try privacy(object),
            orderBy: try orderBy(object),
            limit: try object.optional("limit")?.integer()
        )
        spec.limit = spec.limit ?? policy.sandboxMaxResultRows
        try SpecGrammar(policy: policy).check(spec)
        return spec
    }

    func sources(_ object: ObjectReader) throws(DomainError) -> [QuerySpec.Source] {
        var result: [QuerySpec.Source] = []
        for item in try object.required("sources").array(maxCount: policy.sandboxMaxSources, minCount: 1) {
            let source = try item.object(allowed: ["alias", "dataset"])
            result.append(.init(alias: try source.required("alias").string(), dataset: try source.required("dataset").string()))
        }
        return result
    }

    func joins(_ object: ObjectReader) throws(DomainError) -> [QuerySpec.Join] {
        guard let list = object.optional("joins") else { return [] }
        var result: [QuerySpec.Join] = []
        for item in try list.array(maxCount: policy.sandboxMaxSources * 2) {
            let join = try item.object(allowed: ["left", "right"])
            result.append(.init(left: try join.required("left").string(), right: try join.required("right").string()))
        }
        return result
    }

    func filters(_ object: ObjectReader) throws(DomainError) -> [QuerySpec.Filter] {
        guard let list = object.optional("filters") else { return [] }
        var result: [QuerySpec.Filter] = []
        for item in try list.array(maxCount: policy.sandboxMaxFilters) {
            let filter = try item.object(allowed: ["column", "op", "value"])
            var value: FilterValue?
            if let reader = filter.optional("value") {
                if case .array = reader.value {
                    var literals: [Literal] = []
                    for element in try reader.array(maxCount: policy.sandboxMaxListValues) { literals.append(try element.literal()) }
                    value = .list(literals)
                } else {
                    value = .single(try reader.literal())
                }
            }
            result.append(.init(column: try filter.required("column").string(),
                                op: try filter.required("op").enumeration(FilterOperator.self), value: value))
        }
        return result
    }

    func groupKeys(_ object: ObjectReader) throws(DomainError) -> [QuerySpec.GroupKey] {
        guard let list = object.optional("groupBy") else { return [] }
        var result: [QuerySpec.GroupKey] = []
        for item in try list.array(maxCount: SpecGrammar.maxGroupKeys) {
            let key = try item.object(allowed: ["column", "bucket"])
            var bucket: Bucket?
            if let reader = key.optional("bucket") {
                if case .string = reader.value {
                    bucket = .calendar(try reader.enumeration(Bucket.CalendarUnit.self))
                } else {
                    bucket = .width(try reader.integer())
                }
            }
            result.append(.init(column: try key.required("column").string(), bucket: bucket))
        }
        return result
    }

    func measures(_ object: ObjectReader) throws(DomainError) -> [QuerySpec.Measure] {
        var result: [QuerySpec.Measure] = []
        for item in try object.required("measures").array(maxCount: SpecGrammar.maxMeasures, minCount: 1) {
            let measure = try item.object(allowed: ["name", "agg", "column"])
            result.append(.init(name: try measure.required("name").string(),
                                agg: try measure.required("agg").enumeration(Aggregate.self),
                                column: try measure.optional("column")?.string()))
        }
        return result
    }

    func privacy(_ object: ObjectReader) throws(DomainError) -> QuerySpec.Privacy? {
        guard let reader = object.optional("privacy") else { return nil }
        let privacy = try reader.object(allowed: ["epsilon", "mechanism", "delta", "contributions"])
        return QuerySpec.Privacy(
            epsilon: try privacy.required("epsilon").number(),
            mechanism: try privacy.optional("mechanism")?.enumeration(NoiseMechanism.self) ?? .laplace,
            delta: try privacy.optional("delta")?.number(),
            contributions: try privacy.optional("contributions")?.integer() ?? 1
        )
    }

    func orderBy(_ object: ObjectReader) throws(DomainError) -> [QuerySpec.Order] {
        guard let list = object.optional("orderBy") else { return [] }
        var result: [QuerySpec.Order] = []
        for item in try list.array(maxCount: SpecGrammar.maxMeasures) {
            let order = try item.object(allowed: ["measure", "desc"])
            result.append(.init(measure: try order.required("measure").string(), desc: try order.optional("desc")?.bool() ?? false))
        }
        return result
    }
}

/// Size and shape limits that need no catalog; checked on parse and again on plan (a spec may come from storage).
struct SpecGrammar {
    static let maxGroupKeys = 8
    static let maxMeasures = 16
    static let maxReferenceLength = 200

    let policy: PolicySettings

    func check(_ spec: QuerySpec) throws(DomainError) {
        try checkSources(spec.sources, joins: spec.joins, filters: spec.filters)
        if spec.groupBy.count > Self.maxGroupKeys { throw .invalid("/groupBy", "at most \(Self.maxGroupKeys) group keys are allowed") }
        if spec.measures.isEmpty { throw .invalid("/measures", "at least one measure is required") }
        if spec.measures.count > Self.maxMeasures { throw .invalid("/measures", "at most \(Self.maxMeasures) measures are allowed") }
        var names: Set<String> = []
        for (index, measure) in spec.measures.enumerated() {
            let pointer = "/measures/\(index)"
            guard NamePattern.matches(measure.name, maxTail: 31) else {
                throw .invalid(pointer + "/name", "a measure name is a lower-case letter, then up to 31 of a-z, 0-9 and _")
            }
            guard names.insert(measure.name).inserted else { throw .invalid(pointer + "/name", "measure names must be unique") }
            if measure.agg.needsColumn, measure.column == nil { throw .invalid(pointer + "/column", "is required for \(measure.agg.rawValue)") }
            if !measure.agg.needsColumn, measure.column != nil { throw .invalid(pointer + "/column", "\(measure.agg.rawValue) takes no column") }
        }
        for (index, order) in spec.orderBy.enumerated() where !names.contains(order.measure) {
            throw .invalid("/orderBy/\(index)/measure", "must name a measure of this query")
        }
        if let limit = spec.limit, !(1...policy.sandboxMaxResultRows).contains(limit) {
            throw .invalid("/limit", "must be between 1 and \(policy.sandboxMaxResultRows)")
        }
        if let privacy = spec.privacy {
            if !(privacy.epsilon > 0) { throw .invalid("/privacy/epsilon", "must be greater than 0") }
            if !(1...policy.sandboxMaxContributions).contains(privacy.contributions) {
                throw .invalid("/privacy/contributions", "must be between 1 and \(policy.sandboxMaxContributions)")
            }
        }
    }

    /// The parts a model job shares with a query.
    func checkSources(_ sources: [QuerySpec.Source], joins: [QuerySpec.Join], filters: [QuerySpec.Filter]) throws(DomainError) {
        if sources.isEmpty { throw .invalid("/sources", "at least one source is required") }
        if sources.count > policy.sandboxMaxSources { throw .invalid("/sources", "at most \(policy.sandboxMaxSources) sources are allowed") }
        var aliases: Set<String> = []
        for (index, source) in sources.enumerated() {
            guard NamePattern.matches(source.alias, maxTail: 15) else {
                throw .invalid("/sources/\(index)/alias", "an alias is a lower-case letter, then up to 15 of a-z, 0-9 and _")
            }
            guard aliases.insert(source.alias).inserted else { throw .invalid("/sources/\(index)/alias", "aliases must be unique") }
            if source.dataset.isEmpty || source.dataset.count > Self.maxReferenceLength {
                throw .invalid("/sources/\(index)/dataset", "must name a dataset")
            }
        }
        if joins.count > policy.sandboxMaxSources * 2 { throw .invalid("/joins", "too many joins") }
        if filters.count > policy.sandboxMaxFilters { throw .invalid("/filters", "at most \(policy.sandboxMaxFilters) filters are allowed") }
        for (index, filter) in filters.enumerated() {
            try checkValueShape(filter, pointer: "/filters/\(index)")
        }
    }

    private func checkValueShape(_ filter: QuerySpec.Filter, pointer: String) throws(DomainError) {
        let valuePointer = pointer + "/value"
        switch (filter.op, filter.value) {
        case (.isNull, nil), (.notNull, nil):
            return
        case (.isNull, _), (.notNull, _):
            throw .invalid(valuePointer, "\(filter.op.rawValue) takes no value")
        case (.between, .list(let list)) where list.count == 2:
            return
        case (.between, _):
            throw .invalid(valuePointer, "between takes a list of two values")
        case (.in, .list(let list)):
            if list.isEmpty { throw .invalid(valuePointer, "in takes at least one value") }
            if list.count > policy.sandboxMaxListValues {
                throw .invalid(valuePointer, "in takes at most \(policy.sandboxMaxListValues) values")
            }
        case (.in, _):
            throw .invalid(valuePointer, "in takes a list of values")
        case (_, .single):
            return
        default:
            throw .invalid(valuePointer, "\(filter.op.rawValue) takes one value")
        }
    }
}
