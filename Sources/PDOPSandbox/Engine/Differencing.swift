import Foundation
import PDOPDomain

extension QueryPlan {
    /// Threshold mode: per group, how many units are in this query's cell or in `earlier`'s but not both.
    /// Result columns: g1…gK, diff. Nil unless both are threshold queries over the same sources, joins
    /// and group keys with different filters (the pairwise differencing attack, sandbox_anchors.md §2.7).
    public func differencing(against earlier: QuerySpec) -> CompiledStatement? {
        guard mode == .threshold, earlier.mode == .threshold, earlier.sources == spec.sources, earlier.joins == spec.joins,
              earlier.groupBy == spec.groupBy, earlier.filters != spec.filters,
              let earlierFilters = try? resolved.context.filters(
                  earlier.filters, countsOnly: earlier.measures.allSatisfy { !$0.agg.needsColumn })
        else { return nil }
        let functions = DialectFunctions(dialect: dialect)
        let groups = GroupSQL(functions: functions)
        let keys = resolved.groupKeys.indices.map { SQLFragment.generated(.indexed("g", $0)) }
        let unit = QueryCompiler(resolved: resolved, dialect: dialect, policy: policy).unitColumn
        let current = Self.conjunction(resolved.filters)
        let previous = Self.conjunction(earlierFilters)
        var columns: [SQLFragment] = [unit + " AS u"]
        for (index, key) in resolved.groupKeys.enumerated() {
            columns.append(groups.expression(key) + " AS " + keys[index])
        }
        columns.append("CASE WHEN " + current + " THEN 1 ELSE 0 END AS a")
        columns.append("CASE WHEN " + previous + " THEN 1 ELSE 0 END AS b")
        var statement: SQLFragment = "WITH j AS (SELECT " + .joined(columns) + " FROM " + SourceSQL.from(resolved.context)
            + " WHERE " + unit + " IS NOT NULL AND ((" + current + ") OR (" + previous + "))), "
        statement.append("per_unit AS (SELECT " + .joined(["u"] + keys + ["MAX(a) AS a", "MAX(b) AS b"])
                         + " FROM j GROUP BY " + .joined(["u"] + keys) + ")")
        statement.append(" SELECT " + .joined(keys + ["CAST(SUM(CASE WHEN a <> b THEN 1 ELSE 0 END) AS BIGINT) AS diff"]) + " FROM per_unit")
        if !keys.isEmpty { statement.append(" GROUP BY " + .joined(keys)) }
        return CompiledStatement(pieces: statement.pieces, columnCount: keys.count + 1,
                                 tables: resolved.context.sources.map(\.dataset.table))
    }

    private static func conjunction(_ filters: [ResolvedFilter]) -> SQLFragment {
        filters.isEmpty ? "1 = 1" : SQLFragment.joined(filters.map(SourceSQL.condition), separator: " AND ")
    }
}
