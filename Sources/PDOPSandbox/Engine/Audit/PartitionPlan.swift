import Foundation
import PDOPDomain

extension SandboxEngine {
    /// The columns a query may filter or group on: the ones the audit partition cuts into bins.
    static func partitionedColumns(_ dataset: SandboxDataset) -> [SandboxColumn] {
        dataset.columns.filter { column in
            column.name != dataset.unitColumn && [.publicLevel, .groupBy, .compare, .countOnly].contains(column.level)
        }
    }

    /// One statement per partitioned column: its atoms' distinct units and record-key sums.
    public func partitionStatements(_ dataset: SandboxDataset, dialect: SQLDialect) -> [CompiledStatement] {
        let sql = PartitionSQL(functions: DialectFunctions(dialect: dialect))
        return Self.partitionedColumns(dataset).map { column in
            sql.atomCounts(dataset: dataset, column: column, grid: Int64(max(1, column.bucketWidth ?? 1)))
        }
    }

    /// The partition from the outputs of `partitionStatements`, in the same order. Text columns
    /// become code lists with an "other" bin; numbers and dates, ranges on their grid.
    public func partition(_ dataset: SandboxDataset, outputs: [ExecutionOutput]) -> AuditPartition {
        let builder = PartitionBuilder(minimum: Int64(dataset.minUnits), perturbation: CellKeyPerturbation(policy: policy))
        var dimensions: [PartitionDimension] = []
        for (column, output) in zip(Self.partitionedColumns(dataset), outputs) {
            let atoms = output.rows.compactMap { row -> AtomCount? in
                guard row.count >= 3 else { return nil }
                let atom: SQLValue = switch (column.type, row[0]) {
                case (_, .null): .null
                case (.text, .text(let text)): .text(text)
                case (.text, let other): .text(Self.text(other))
                default: .integer(SQLValueOrder.integer(row[0]))
                }
                return AtomCount(atom: atom, units: SQLValueOrder.integer(row[1]), key: SQLValueOrder.integer(row[2]))
            }
            dimensions.append(column.type == .text
                ? builder.codes(column: column.name, atoms: atoms, otherLabel: Self.otherLabel)
                : builder.ranges(column: column.name, grid: Int64(max(1, column.bucketWidth ?? 1)), atoms: atoms))
        }
        return AuditPartition(resourceID: dataset.resourceID, dataVersion: dataset.dataVersion, dimensions: dimensions)
    }

    /// The released label of the bin that holds a text column's rare codes (data, not UI text).
    static let otherLabel = "其他"

    private static func text(_ value: SQLValue) -> String {
        switch value {
        case .text(let text): text
        case .integer(let number): String(number)
        case .double(let number): String(number)
        case .null: ""
        }
    }
}
