import Foundation
import PDOPDomain

/// Resolved query → one statement with per-unit bounding before aggregation (sandbox_anchors.md §2.6).
///
/// Result columns: g1…gK, n_units, n_rows, then per sum column s (threshold mode also top, abs for the
/// dominance rule). DP mode clamps each unit's rows per group to `sandboxMaxRowsPerUnit` and its sum to the bounds.
struct QueryCompiler {
    let resolved: ResolvedQuery
    let dialect: SQLDialect
    let policy: PolicySettings
    var functions: DialectFunctions { DialectFunctions(dialect: dialect) }

    var isDP: Bool { resolved.spec.mode == .dp }

    func compile() -> CompiledStatement {
        let keys = resolved.groupKeys.indices.map { SQLFragment.generated(.indexed("g", $0)) }
        let sums = resolved.sums.indices.map { SQLFragment.generated(.indexed("s", $0)) }
        let contributions = Int64(resolved.spec.privacy?.contributions ?? 1)
        var statement: SQLFragment = "WITH j AS (" + joinedRows() + "), "
        statement.append("per_unit AS (" + perUnit(keys: keys, sums: sums) + ")")
        var source: SQLFragment = "per_unit"
        var whereClause = SQLFragment()
        if isDP, !keys.isEmpty {
            // A unit keeps its `contributions` groups with the most rows; ties by key, so the choice is deterministic.
            let order = SQLFragment.joined(["c DESC"] + keys)
            statement.append(", bounded AS (SELECT per_unit.*, ROW_NUMBER() OVER (PARTITION BY u ORDER BY " + order + ") AS rk FROM per_unit)")
            source = "bounded"
            whereClause = " WHERE rk <= " + .bind(contributions)
        } else if !isDP, !sums.isEmpty {
            let partition: SQLFragment = keys.isEmpty ? "" : "PARTITION BY " + .joined(keys) + " "
            let ranks = sums.enumerated().map { index, sum in
                "ROW_NUMBER() OVER (" + partition + "ORDER BY ABS(" + sum + ") DESC) AS " + .generated(.indexed("r", index))
            }
            statement.append(", ranked AS (SELECT per_unit.*, " + .joined(ranks) + " FROM per_unit)")
            source = "ranked"
        }
        var outputs = keys + ["COUNT(*) AS n_units", "CAST(SUM(c) AS BIGINT) AS n_rows"]
        if !isDP {
            // The cell key: the sum of the distinct units' record keys (wrapped to 32 bits by the release).
            outputs += ["CAST(SUM(k) AS BIGINT) AS ck", "CAST(MAX(c) AS BIGINT) AS top_rows"]
        }
        for (index, sum) in sums.enumerated() {
            outputs.append("CAST(SUM(" + sum + ") AS BIGINT) AS " + sum)
            if !isDP {
                let rank = SQLFragment.generated(.indexed("r", index))
                outputs.append("CAST(SUM(CASE WHEN " + rank + " <= " + .bind(Int64(policy.sandboxDominanceTopUnits))
                               + " THEN ABS(" + sum + ") ELSE 0 END) AS BIGINT) AS " + .generated(.indexed("top", index)))
                outputs.append("CAST(SUM(ABS(" + sum + ")) AS BIGINT) AS " + .generated(.indexed("abs", index)))
                outputs.append("CAST(MAX(ABS(" + sum + ")) AS BIGINT) AS " + .generated(.indexed("lg", index)))
            }
        }
        statement.append(" SELECT " + .joined(outputs) + " FROM " + source + whereClause)
        if !keys.isEmpty {
            statement.append(" GROUP BY " + .joined(keys))
        }
        if !isDP {
            // Defence in depth: a cell that cannot reach the minimum whatever its noise never leaves the database.
            let floor = Int64(max(1, resolved.minUnits - policy.sandboxCellKeyMaxNoise))
            statement.append(" HAVING COUNT(*) >= " + .bind(floor))
        }
        return CompiledStatement(pieces: statement.pieces, columnCount: outputs.count, tables: tables)
    }

    var tables: [String] { resolved.context.sources.map(\.dataset.table) }

    /// j: one row per joined, filtered record with its unit, group keys and clamped measure inputs.
    private func joinedRows() -> SQLFragment {
        var columns: [SQLFragment] = [unitColumn + " AS u"]
        if !isDP { columns.append(recordKey + " AS k") }
        for (index, key) in resolved.groupKeys.enumerated() {
            columns.append(groupExpression(key) + " AS " + .generated(.indexed("g", index)))
        }
        for (index, sum) in resolved.sums.enumerated() {
            columns.append(rowValue(sum) + " AS " + .generated(.indexed("x", index)))
        }
        let conditions: [SQLFragment]
        if let canonical = resolved.canonical {
            let sql = PartitionSQL(functions: functions)
            conditions = canonical.filters.map { sql.predicate($0.dimension.column, $0.dimension.partition, bins: $0.bins) }
        } else {
            conditions = resolved.filters.map(SourceSQL.condition)
        }
        return "SELECT " + .joined(columns) + " FROM " + SourceSQL.from(resolved.context)
            + " WHERE " + SQLFragment.joined([unitColumn + " IS NOT NULL"] + conditions, separator: " AND ")
    }

    var unitColumn: SQLFragment {
        .generated(GeneratedName(resolved.context.unit.tableAlias)) + "." + .identifier(resolved.context.unit.column)
    }

    /// The unit source's record-key column, filled by the store's `RecordKeys` (threshold mode only).
    var recordKey: SQLFragment {
        .generated(GeneratedName(resolved.context.unit.tableAlias)) + "." + .identifier(resolved.context.sources[0].dataset.recordKeyColumn ?? "")
    }

    /// per_unit: one row per (unit, group) with the unit's row count and sums; DP clamps both here.
    private func perUnit(keys: [SQLFragment], sums: [SQLFragment]) -> SQLFragment {
        var columns: [SQLFragment] = ["u"] + keys
        if !isDP { columns.append("MAX(k) AS k") }
        columns.append((isDP ? functions.atMost("COUNT(*)", Int64(policy.sandboxMaxRowsPerUnit)) : "COUNT(*)") + " AS c")
        for (index, sum) in resolved.sums.enumerated() {
            let total = functions.bigint("COALESCE(SUM(" + .generated(.indexed("x", index)) + "), 0)")
            let bounded = isDP ? functions.clamp(total, .integer(sum.unitLow), .integer(sum.unitHigh), nullable: false) : total
            columns.append(bounded + " AS " + sums[index])
        }
        return "SELECT " + .joined(columns) + " FROM j GROUP BY " + .joined(["u"] + keys)
    }

    /// A measure's input per row: clamped to the declared bounds, decimals in hundredths.
    private func rowValue(_ sum: SumColumn) -> SQLFragment {
        let column = SQLFragment.column(sum.column)
        if sum.scale == 1 {
            return functions.clamp(column, .integer(sum.rowLow), .integer(sum.rowHigh), nullable: true)
        }
        let clamped = functions.clamp(column, .double(sum.lower), .double(sum.upper), nullable: true)
        return functions.scaledDecimal(clamped, scale: sum.scale)
    }

    func groupExpression(_ key: ResolvedGroupKey) -> SQLFragment {
        let index = resolved.groupKeys.firstIndex { $0.column.reference == key.column.reference && $0.label == key.label }
        guard let canonical = resolved.canonical, let index else { return GroupSQL(functions: functions).expression(key) }
        let dimension = canonical.groups[index].dimension
        let base = PartitionSQL(functions: functions).groupValue(dimension.column, dimension.partition)
        // A code bin's label is released as it is; a range value goes through the key's bucket.
        return dimension.partition.kind == .codes ? base : GroupSQL(functions: functions).expression(key, value: base)
    }
}

/// Group key expressions: the bucket applied to the column (or to a value standing in for it).
struct GroupSQL {
    let functions: DialectFunctions

    func expression(_ key: ResolvedGroupKey, value: SQLFragment? = nil) -> SQLFragment {
        let column = value ?? SQLFragment.column(key.column)
        switch key.transform {
        case .value:
            return column
        case .numericWidth(let width):
            return key.column.column.type == .decimal ? functions.floorDecimal(column, width) : functions.floorInteger(column, width)
        case .days(let width, let fromMicroseconds):
            let days = fromMicroseconds ? functions.floorDivide(column, CivilDate.microsecondsPerDay) : column
            return width == 1 ? days : functions.floorInteger(days, width)
        case .calendar(let unit, let fromMicroseconds):
            let days = fromMicroseconds ? functions.floorDivide(column, CivilDate.microsecondsPerDay) : column
            return functions.calendarText(days: days, unit: unit)
        }
    }
}

/// FROM/JOIN and WHERE clauses, shared by queries, differencing and model jobs.
enum SourceSQL {
    /// Tables in breadth-first order from the first source, so every ON names only tables already joined.
    static func from(_ context: SourceContext) -> SQLFragment {
        var order = [0]
        var pending = context.joins
        var clause: SQLFragment = table(context.sources[0])
        while order.count < context.sources.count {
            guard let next = pending.first(where: { order.contains($0.left.sourceIndex) != order.contains($0.right.sourceIndex) }) else { break }
            let added = order.contains(next.left.sourceIndex) ? next.right.sourceIndex : next.left.sourceIndex
            order.append(added)
            let conditions = pending.filter { order.contains($0.left.sourceIndex) && order.contains($0.right.sourceIndex) }
            pending.removeAll { order.contains($0.left.sourceIndex) && order.contains($0.right.sourceIndex) }
            let on = conditions.map { SQLFragment.column($0.left) + " = " + .column($0.right) }
            clause.append(" JOIN " + table(context.sources[added]) + " ON " + .joined(on, separator: " AND "))
        }
        return clause
    }

    private static func table(_ source: BoundSource) -> SQLFragment {
        .identifier(source.dataset.table) + " AS " + .generated(GeneratedName(source.tableAlias))
    }

    /// The filters AND-ed, after excluding rows without a unit.
    static func predicate(_ filters: [ResolvedFilter], unit: SQLFragment) -> SQLFragment {
        SQLFragment.joined([unit + " IS NOT NULL"] + filters.map(condition), separator: " AND ")
    }

    static func condition(_ filter: ResolvedFilter) -> SQLFragment {
        let column = SQLFragment.column(filter.column)
        let values = filter.values.map(SQLFragment.bind)
        switch filter.op {
        case .equal: return column + " = " + values[0]
        case .notEqual: return column + " <> " + values[0]
        case .less: return column + " < " + values[0]
        case .lessOrEqual: return column + " <= " + values[0]
        case .greater: return column + " > " + values[0]
        case .greaterOrEqual: return column + " >= " + values[0]
        case .between: return column + " BETWEEN " + values[0] + " AND " + values[1]
        case .in: return column + " IN (" + .joined(values) + ")"
        case .isNull: return column + " IS NULL"
        case .notNull: return column + " IS NOT NULL"
        }
    }
}
