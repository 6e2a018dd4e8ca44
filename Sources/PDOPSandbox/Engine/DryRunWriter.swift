import Foundation
import PDOPDomain

/// Builds the readable dry run from a resolved query: catalog names and the operator's own literals, never SQL.
struct DryRunWriter {
    let resolved: ResolvedQuery
    let noise: NoisePlan?
    let policy: PolicySettings

    func dryRun() -> DryRun {
        let spec = resolved.spec
        let sources = resolved.context.sources.map { "\($0.alias) = \($0.dataset.name) (\($0.dataset.resourceID))" }
        let joins = resolved.context.joins.map { "\($0.left.reference) = \($0.right.reference)" }
        let filters = resolved.filters.map(Self.describe)
        let measures = zip(spec.measures, resolved.measures).map { measure, resolvedMeasure in
            DryRun.MeasureInfo(name: measure.name, agg: measure.agg.rawValue, column: measure.column,
                               noiseStandardDeviation: standardDeviation(resolvedMeasure))
        }
        var checks: [String] = ["min_units:\(resolved.minUnits)"]
        if let noise {
            checks.append("dp:\(noise.mechanism.rawValue)")
            checks.append("contributions:\(noise.contributions)")
            checks.append("max_rows_per_unit:\(policy.sandboxMaxRowsPerUnit)")
            if !resolved.groupKeys.isEmpty { checks.append("dp_threshold:\(max(Int64(resolved.minUnits), noise.tau))") }
        } else {
            if resolved.measures.contains(where: { $0.sumIndex != nil }) {
                checks.append("dominance:\(policy.sandboxDominanceTopUnits)/\(policy.sandboxDominancePercent)")
            }
            checks.append("cell_key:\(policy.sandboxCellKeyMaxNoise)")
            checks.append("audit")
        }
        return DryRun(mode: spec.mode, sources: sources, joins: joins, filters: filters,
                      groupKeys: resolved.groupKeys.map(\.label), measures: measures, checks: checks,
                      epsilon: noise?.epsilon ?? 0)
    }

    /// In the measure's own unit; for avg, the sum's noise divided by the threshold count (its worst released case).
    private func standardDeviation(_ measure: ResolvedMeasure) -> Double? {
        guard let noise else { return nil }
        switch measure.agg {
        case .countUnits: return noise.units.standardDeviation
        case .countRows: return noise.rows?.standardDeviation
        case .sum, .avg:
            let index = measure.sumIndex ?? 0
            let sum = noise.sums[index].standardDeviation / Double(resolved.sums[index].scale)
            return measure.agg == .sum ? sum : sum / Double(max(Int64(resolved.minUnits), noise.tau))
        }
    }

    static func describe(_ filter: ResolvedFilter) -> String {
        let column = filter.column.reference
        switch filter.op {
        case .isNull: return "\(column) is null"
        case .notNull: return "\(column) is not null"
        case .between: return "\(column) between \(filter.display[0]) and \(filter.display[1])"
        case .in: return "\(column) in (\(filter.display.joined(separator: ", ")))"
        default: return "\(column) \(filter.op.rawValue) \(filter.display.first ?? "")"
        }
    }
}
