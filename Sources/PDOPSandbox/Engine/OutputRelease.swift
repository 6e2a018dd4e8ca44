import Foundation
import PDOPDomain

/// Threshold mode: cell-key perturbation (perturbation.md §2). The cell key is the wrapping sum of
/// the secret record keys of the cell's distinct units; it picks the count's noise from the
/// perturbation table and, through a mix of it, each magnitude's noise. The same units always get
/// the same noise; a cell whose perturbed unit count is below the minimum is not released, and
/// nothing says why or how many were withheld.
struct CellKeyRelease {
    let resolved: ResolvedQuery
    let perturbation: CellKeyPerturbation

    func release(_ rows: [ResultRow]) -> ReleasedRows {
        var released = ReleasedRows()
        for row in rows {
            let units = perturbation.perturbed(units: row.units, key: row.cellKey)
            guard units >= Int64(resolved.minUnits) else { continue }
            let rowCount = row.rows + perturbation.magnitudeNoise(top: row.topRows, key: row.cellKey, salt: 0, sensitive: false)
            var sums: [Int64] = []
            for index in resolved.sums.indices {
                let sensitive = perturbation.dominated(top: row.tops[index], total: row.absolutes[index])
                sums.append(row.sums[index] + perturbation.magnitudeNoise(top: row.largest[index], key: row.cellKey,
                                                                           salt: UInt64(index + 1), sensitive: sensitive))
            }
            released.rows.append(AnswerKeys.values(row.keys, resolved.groupKeys) + resolved.measures.map { measure in
                switch measure.agg {
                case .countUnits: return .number(Double(units))
                case .countRows: return .number(Double(max(0, rowCount)))
                case .sum, .avg:
                    let index = measure.sumIndex ?? 0
                    let total = Double(sums[index]) / Double(resolved.sums[index].scale)
                    return .number(measure.agg == .sum ? total : total / Double(units))
                }
            })
            released.cells.append(ReleasedCell(keys: row.keys, perturbedUnits: units))
        }
        return released
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
            // What the noisy threshold drops is not reported (issue 10 item 1).
            guard units >= threshold else { continue }
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
            released.cells.append(ReleasedCell(keys: row.keys, perturbedUnits: max(0, units)))
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
    /// The positions of `rows` in answer order.
    static func order(_ rows: [[AnswerValue]], spec: QuerySpec, keyCount: Int) -> [Int] {
        guard !spec.orderBy.isEmpty else { return Array(rows.indices) }
        let columns = spec.orderBy.compactMap { order in
            spec.measures.firstIndex { $0.name == order.measure }.map { (keyCount + $0, order.desc) }
        }
        return rows.indices.sorted { lhs, rhs in
            for (column, descending) in columns {
                let a = rows[lhs][column].number, b = rows[rhs][column].number
                if a == b { continue }
                guard let a else { return false }
                guard let b else { return true }
                return descending ? a > b : a < b
            }
            return lhs < rhs
        }
    }
}
