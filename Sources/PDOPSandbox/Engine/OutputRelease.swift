import Foundation
import PDOPDomain

/// Threshold mode (sandbox_anchors.md §2.7): minimum units, dominance of sums, differencing against
/// earlier answers. A failing row is dropped and counted under its first failing reason.
struct ThresholdGuard {
    let resolved: ResolvedQuery
    let policy: PolicySettings

    func release(_ rows: [ResultRow], differences: [ExecutionOutput]) -> ReleasedRows {
        let keyCount = resolved.groupKeys.count
        // Per group key, the smallest non-zero unit difference to any earlier answer.
        var nearest: [[SQLValue]: Int64] = [:]
        for output in differences {
            for row in output.rows where row.count > keyCount {
                let difference = SQLValueOrder.integer(row[keyCount])
                let key = Array(row.prefix(keyCount))
                if difference > 0 { nearest[key] = min(nearest[key] ?? .max, difference) }
            }
        }
        let measured = Set(resolved.measures.compactMap(\.sumIndex))
        var released = ReleasedRows()
        for row in rows {
            // The database's summary of the groups it kept back for too few units.
            if row.units < 0 {
                released.suppressed["min_units", default: 0] += Int(-row.units)
                continue
            }
            let reason: String?
            if row.units < Int64(resolved.minUnits) {
                reason = "min_units"
            } else if measured.contains(where: { dominated(row, $0) }) {
                reason = "dominance"
            } else if let difference = nearest[row.keys], difference < Int64(resolved.minUnits) {
                reason = "differencing"
            } else {
                reason = nil
            }
            if let reason {
                released.suppressed[reason, default: 0] += 1
                continue
            }
            released.rows.append(AnswerKeys.values(row.keys, resolved.groupKeys) + resolved.measures.map { measure in
                switch measure.agg {
                case .countUnits: return .number(Double(row.units))
                case .countRows: return .number(Double(row.rows))
                case .sum, .avg:
                    let index = measure.sumIndex ?? 0
                    let total = Double(row.sums[index]) / Double(resolved.sums[index].scale)
                    return .number(measure.agg == .sum ? total : total / Double(row.units))
                }
            })
        }
        return released
    }

    /// The top contributors' share of the absolute total exceeds the dominance percentage.
    private func dominated(_ row: ResultRow, _ index: Int) -> Bool {
        guard index < row.absolutes.count, row.absolutes[index] > 0 else { return false }
        return Double(row.tops[index]) * 100 > Double(policy.sandboxDominancePercent) * Double(row.absolutes[index])
    }
}

/// DP mode: noise on every statistic, the τ-threshold on the noisy unit count, then post-processing
/// (counts ≥ 0, sums within the sign of their bounds, averages within the bounds).
struct DPRelease {
    let resolved: ResolvedQuery
    let noise: NoisePlan

    func release<G: RandomNumberGenerator>(_ rows: [ResultRow], noise sampler: inout DiscreteNoise<G>) -> ReleasedRows {
        // With no group keys there is one public partition (the total): no τ is needed.
        let threshold = resolved.groupKeys.isEmpty ? Int64(resolved.minUnits) : max(Int64(resolved.minUnits), noise.tau)
        var released = ReleasedRows()
        for row in rows {
            let units = row.units + noise.units.draw(&sampler)
            guard units >= threshold else {
                released.suppressed["dp_threshold", default: 0] += 1
                continue
            }
            let rowCount = noise.rows.map { row.rows + $0.draw(&sampler) }
            let sums = noise.sums.indices.map { row.sums[$0] + noise.sums[$0].draw(&sampler) }
            released.rows.append(AnswerKeys.values(row.keys, resolved.groupKeys) + resolved.measures.map { measure in
                switch measure.agg {
                case .countUnits: return .number(Double(max(0, units)))
                case .countRows: return .number(Double(max(0, rowCount ?? 0)))
                case .sum, .avg:
                    let index = measure.sumIndex ?? 0
                    let column = resolved.sums[index]
                    var total = Double(sums[index]) / Double(column.scale)
                    if measure.agg == .avg {
                        return .number(min(max(total / Double(units), column.lower), column.upper))
                    }
                    if column.lower >= 0 { total = max(0, total) }
                    if column.upper <= 0 { total = min(0, total) }
                    return .number(total)
                }
            })
        }
        return released
    }
}

/// Group keys as released values: dates as "YYYY-MM-DD", booleans as "true"/"false".
enum AnswerKeys {
    static func values(_ keys: [SQLValue], _ groupKeys: [ResolvedGroupKey]) -> [AnswerValue] {
        zip(keys, groupKeys).map { value, key in
            switch (value, key.transform) {
            case (.null, _): return .null
            case (_, .days): return .text(CivilDate.text(fromDays: SQLValueOrder.integer(value)))
            case (.text(let text), _): return .text(text)
            case (_, .value) where key.column.column.type == .boolean:
                return .text(SQLValueOrder.integer(value) == 0 ? "false" : "true")
            case (.integer(let number), _): return .number(Double(number))
            case (.double(let number), _): return .number(number)
            }
        }
    }
}

/// The spec's order by measures (stable over the group-key order); nulls last.
enum OrderAndLimit {
    static func apply(_ rows: [[AnswerValue]], spec: QuerySpec, keyCount: Int) -> [[AnswerValue]] {
        guard !spec.orderBy.isEmpty else { return rows }
        let columns = spec.orderBy.compactMap { order in
            spec.measures.firstIndex { $0.name == order.measure }.map { (keyCount + $0, order.desc) }
        }
        return rows.enumerated().sorted { lhs, rhs in
            for (column, descending) in columns {
                let a = lhs.element[column].number, b = rhs.element[column].number
                if a == b { continue }
                guard let a else { return false }
                guard let b else { return true }
                return descending ? a > b : a < b
            }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }
}
