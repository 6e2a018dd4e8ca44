import PDOPDomain
import PDOPSandbox

/// A dataset's published audit partition as the workspace page lists it: per column, the bins a
/// threshold filter or group key must follow (codes, ranges on the grid, the rare codes, nulls).
enum AuditBinsView {
    /// Bins listed per column; the rest are counted.
    static let shown = 40

    static func model(_ partition: AuditPartition?, dataset: SandboxDataset, text: (String) -> String) -> [[String: Any]] {
        guard let partition else { return [] }
        return partition.dimensions.map { dimension in
            let type = dataset.columns.first { $0.name == dimension.column }?.type ?? .integer
            let labels = dimension.bins.map { label($0, type: type, grid: dimension.grid, text: text) }
            return ["column": dimension.column, "labels": labels.prefix(shown).joined(separator: " · "), "count": labels.count,
                    "more": labels.count > shown]
        }
    }

    static func label(_ bin: PartitionBin, type: ColumnType, grid: Int64, text: (String) -> String) -> String {
        var parts: [String] = []
        if !bin.codes.isEmpty { parts.append(bin.codes.joined(separator: "、")) }
        if bin.other { parts.append(text("sandbox.binOther")) }
        if let lower = bin.lower, let upper = bin.upper { parts.append(range(lower, upper, type: type, grid: grid)) }
        if bin.includesNull { parts.append(text("sandbox.binNull")) }
        return parts.joined(separator: " + ")
    }

    /// Atoms [lower, upper] on the grid as the values they hold.
    static func range(_ lower: Int64, _ upper: Int64, type: ColumnType, grid: Int64) -> String {
        switch type {
        case .date, .timestamp:
            let first = CivilCalendar.text(days: Int(lower)), last = CivilCalendar.text(days: Int(upper + grid - 1))
            return first == last ? first : first + "～" + last
        case .decimal:
            return "[\(lower), \(upper + grid))"
        default:
            let last = upper + grid - 1
            return lower == last ? "\(lower)" : "\(lower)～\(last)"
        }
    }
}
