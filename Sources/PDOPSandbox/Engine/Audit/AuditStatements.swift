import Foundation
import PDOPDomain

/// Statements the audit runs to learn the perturbed unit count of a set of cells that the
/// operator could have asked for directly: a symmetric difference of two boxes, or one partition
/// cell. The count gets the same cell-key noise a query for those units would, so a decision made
/// on it says nothing a legitimate query would not (perturbation.md §3.3 R2).
struct AuditStatements {
    let context: SourceContext
    let partitions: [String: AuditPartition]
    let functions: DialectFunctions

    /// Per dimension key of the audit, the column in this query's sources and its bins.
    func dimension(_ key: String) -> CanonicalQuery.Dimension? {
        guard let dot = key.firstIndex(of: ".") else { return nil }
        let resource = String(key[..<dot]), name = String(key[key.index(after: dot)...])
        guard let index = context.sources.firstIndex(where: { $0.dataset.resourceID == resource }),
              let column = context.sources[index].dataset.columns.first(where: { $0.name == name }),
              let partition = partitions[resource]?.dimension(name) else { return nil }
        let resolved = ResolvedColumn(sourceIndex: index, tableAlias: context.sources[index].tableAlias, column: column,
                                      reference: key, isUnitColumn: false)
        return CanonicalQuery.Dimension(key: key, column: resolved, partition: partition)
    }

    /// Nil when a dimension of the box is no longer in the workspace (its cells cannot be compared).
    func predicate(_ box: AuditBox) -> SQLFragment? {
        var parts: [SQLFragment] = []
        for (key, bins) in box.bins.sorted(by: { $0.key < $1.key }) {
            guard let dimension = dimension(key) else { return nil }
            parts.append(PartitionSQL(functions: functions).predicate(dimension.column, dimension.partition, bins: Set(bins)))
        }
        return parts.isEmpty ? "1 = 1" : SQLFragment.joined(parts, separator: " AND ")
    }

    /// One statement for a batch of pairs: for each pair, the units in exactly one of its two sets
    /// and the sum of their record keys. A single set is a pair with an empty second set.
    /// Result: one row, two columns per pair.
    func symmetricDifferences(_ pairs: [(SQLFragment, SQLFragment)]) -> CompiledStatement {
        let unit: SQLFragment = .generated(GeneratedName(context.unit.tableAlias)) + "." + .identifier(context.unit.column)
        let key: SQLFragment = .generated(GeneratedName(context.unit.tableAlias)) + "." + .identifier(context.sources[0].dataset.recordKeyColumn ?? "")
        var flags: [SQLFragment] = [unit + " AS u", key + " AS k"]
        var perUnit: [SQLFragment] = ["u", "MAX(k) AS k"]
        var sums: [SQLFragment] = []
        for (index, pair) in pairs.enumerated() {
            let a = SQLFragment.generated(.indexed("a", index)), b = SQLFragment.generated(.indexed("b", index))
            flags.append("CASE WHEN " + pair.0 + " THEN 1 ELSE 0 END AS " + a)
            flags.append("CASE WHEN " + pair.1 + " THEN 1 ELSE 0 END AS " + b)
            perUnit += ["MAX(" + a + ") AS " + a, "MAX(" + b + ") AS " + b]
            sums.append("CAST(SUM(CASE WHEN " + a + " <> " + b + " THEN 1 ELSE 0 END) AS BIGINT)")
            sums.append("CAST(SUM(CASE WHEN " + a + " <> " + b + " THEN k ELSE 0 END) AS BIGINT)")
        }
        let statement: SQLFragment = "WITH j AS (SELECT " + .joined(flags) + " FROM " + SourceSQL.from(context) + " WHERE " + unit
            + " IS NOT NULL), p AS (SELECT " + .joined(perUnit) + " FROM j GROUP BY u) SELECT " + .joined(sums) + " FROM p"
        return CompiledStatement(pieces: statement.pieces, columnCount: sums.count, tables: context.sources.map(\.dataset.table))
    }

    /// Pairs per statement: each adds two CASE columns, so keep statements modest.
    static let pairsPerStatement = 16
}
