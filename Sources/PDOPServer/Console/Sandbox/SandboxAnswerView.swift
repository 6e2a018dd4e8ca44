import Foundation
import PDOPDomain
import PDOPSandbox

/// How released answers, dry runs and model results are shown: tables, a bar chart drawn on the
/// server (the template writes the SVG from these numbers, so every text is escaped there), and
/// the suppression account.
enum SandboxAnswerView {
    static let chartWidth = 640.0
    static let labelWidth = 180.0
    static let barHeight = 20.0
    static let barGap = 6.0
    static let maxBars = 40

    static func text(_ value: AnswerValue) -> String {
        switch value {
        case .text(let text): text
        case .number(let number): SandboxConsole.number(number)
        case .null: "—"
        }
    }

    static func number(_ value: AnswerValue) -> Double? {
        if case .number(let number) = value { return number }
        return nil
    }

    /// The answer's table, notes, the perturbation's bounds and, when it has a group key and a
    /// measure, the chart of the first group key against the first measure.
    static func model(_ answer: QueryAnswer, views: ViewRenderer, locale: Locale) -> [String: Any] {
        var model: [String: Any] = [
            "columns": answer.columns.map { ["name": $0.name, "role": views.text("sandbox.columnRole.\($0.role.rawValue)", locale)] },
            "rows": answer.rows.map { row in ["cells": row.map(text)] },
            "rowCount": answer.rows.count,
            "epsilon": SandboxConsole.epsilon(answer.epsilonCharged),
            "mode": views.text("sandbox.mode.\(answer.mode.rawValue)", locale), "modeCode": answer.mode.rawValue,
            "notes": answer.notes, "hasNotes": !answer.notes.isEmpty,
        ]
        if let perturbation = answer.perturbation {
            model["perturbation"] = views.text("sandbox.perturbationBounds", locale)
                .replacingOccurrences(of: "{counts}", with: String(perturbation.countsAtMost))
                .replacingOccurrences(of: "{percent}", with: String(perturbation.sumsAtMostPercentOfLargest))
        }
        if let chart = chart(answer, title: views.text("sandbox.chart", locale)) { model["chart"] = chart }
        return model
    }

    /// Horizontal bars: one per released row (at most `maxBars`), scaled to the largest magnitude.
    static func chart(_ answer: QueryAnswer, title: String) -> [String: Any]? {
        guard let key = answer.columns.firstIndex(where: { $0.role == .group }),
              let measure = answer.columns.firstIndex(where: { $0.role == .measure }) else { return nil }
        let points: [(label: String, value: Double)] = answer.rows.prefix(maxBars).compactMap { row in
            guard row.count > max(key, measure), let value = number(row[measure]) else { return nil }
            return (text(row[key]), value)
        }
        guard !points.isEmpty else { return nil }
        let largest = points.map { abs($0.value) }.max() ?? 0
        let span = chartWidth - labelWidth - 90
        let bars: [[String: Any]] = points.enumerated().map { index, point in
            let y = 30 + Double(index) * (barHeight + barGap)
            let width = largest > 0 ? max(1, abs(point.value) / largest * span) : 1
            return ["y": format(y), "textY": format(y + barHeight * 0.7), "width": format(width), "height": format(barHeight),
                    "x": format(labelWidth), "labelX": format(labelWidth - 6), "valueX": format(labelWidth + width + 4),
                    "label": point.label, "value": SandboxConsole.number(point.value), "negative": point.value < 0]
        }
        let height = 40 + Double(points.count) * (barHeight + barGap)
        return ["bars": bars, "width": format(chartWidth), "height": format(height), "title": title,
                "keyName": answer.columns[key].name, "measureName": answer.columns[measure].name, "axisX": format(labelWidth),
                "axisBottom": format(height - 6)]
    }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }

    /// The dry run as shown before running: sources, joins, filters, keys, each measure with its
    /// expected noise, the checks that will apply, and the ε the run would charge.
    static func dryRun(_ dry: DryRun, views: ViewRenderer, locale: Locale) -> [String: Any] {
        [
            "mode": views.text("sandbox.mode.\(dry.mode.rawValue)", locale), "modeCode": dry.mode.rawValue,
            "sources": dry.sources, "joins": dry.joins, "filters": dry.filters, "groupKeys": dry.groupKeys,
            "measures": dry.measures.map { measure in
                ["name": measure.name, "agg": measure.agg, "column": measure.column ?? "",
                 "noise": measure.noiseStandardDeviation.map { "± " + SandboxConsole.number($0) } ?? views.text("sandbox.noNoise", locale)]
            },
            "checks": dry.checks.map { code in
                let parts = code.split(separator: ":", maxSplits: 1).map(String.init)
                let label = views.text("sandbox.check.\(parts[0])", locale)
                return ["label": label == "sandbox.check.\(parts[0])" ? parts[0] : label, "value": parts.count > 1 ? parts[1] : "", "code": code]
            },
            "epsilon": SandboxConsole.epsilon(dry.epsilon),
        ]
    }

    /// A stored answer; a purged one (the agreement ended) decodes to nil.
    static func decode(_ json: String) -> QueryAnswer? {
        guard !json.isEmpty else { return nil }
        return try? JSONDecoder().decode(QueryAnswer.self, from: Data(json.utf8))
    }

    // MARK: examples

    /// A query that works on the workspace's datasets: units counted and a bounded column averaged
    /// per value of a GROUP_BY column, in threshold mode; two datasets sharing a key space are joined.
    static func exampleQuery(_ datasets: [SandboxDataset], mode: QuerySpec.Mode = .threshold, epsilon: Double = 0.5) -> String {
        guard !datasets.isEmpty else { return "" }
        let aliases = ["a", "b", "c", "d"]
        var chosen: [(alias: String, dataset: SandboxDataset)] = [("a", datasets[0])]
        var joins: [String] = []
        if let first = datasets.first, let key = first.columns.first(where: { $0.name == first.unitColumn }) {
            for other in datasets.dropFirst() where chosen.count < 2 {
                if let match = other.columns.first(where: { $0.level == .joinOnly && $0.keySpace != nil && $0.keySpace == key.keySpace }) {
                    chosen.append((aliases[chosen.count], other))
                    joins.append("{\"left\": \"a.\(json(key.name))\", \"right\": \"\(aliases[chosen.count - 1]).\(json(match.name))\"}")
                }
            }
        }
        var group: String?
        var measure: String?
        for (alias, dataset) in chosen {
            if group == nil, let column = dataset.columns.first(where: { ($0.level == .groupBy || $0.level == .publicLevel) && $0.type == .text }) {
                group = "{\"column\": \"\(alias).\(json(column.name))\"}"
            }
            if measure == nil, let column = dataset.columns.first(where: {
                $0.level == .aggregate && $0.lower != nil && $0.upper != nil && ($0.type == .integer || $0.type == .decimal)
            }) {
                measure = "{\"name\": \"mean_value\", \"agg\": \"avg\", \"column\": \"\(alias).\(json(column.name))\"}"
            }
        }
        if group == nil, let (alias, column) = chosen.lazy.compactMap({ pair in
            pair.dataset.columns.first { $0.level == .groupBy || $0.level == .publicLevel }.map { (pair.alias, $0) }
        }).first {
            let bucket = column.bucketWidth.map { width in column.type == .date || column.type == .timestamp ? ", \"bucket\": \"month\"" : ", \"bucket\": \(width)" } ?? ""
            group = "{\"column\": \"\(alias).\(json(column.name))\"\(bucket)}"
        }
        var lines = ["{", "  \"mode\": \"\(mode.rawValue)\",",
                     "  \"sources\": [" + chosen.map { "{\"alias\": \"\($0.alias)\", \"dataset\": \"\(json($0.dataset.resourceID))\"}" }.joined(separator: ", ") + "],"]
        if !joins.isEmpty { lines.append("  \"joins\": [" + joins.joined(separator: ", ") + "],") }
        if let group { lines.append("  \"groupBy\": [\(group)],") }
        let measures = ["{\"name\": \"units\", \"agg\": \"count_units\"}"] + (measure.map { [$0] } ?? [])
        lines.append("  \"measures\": [" + measures.joined(separator: ", ") + "]" + (mode == .dp ? "," : ""))
        if mode == .dp { lines.append("  \"privacy\": {\"epsilon\": \(SandboxConsole.epsilon(epsilon)), \"mechanism\": \"laplace\"}") }
        lines.append("}")
        return lines.joined(separator: "\n")
    }

    /// A linear regression on the workspace's bounded numbers: the last as target, the others (and
    /// integer or boolean group keys) as features; two datasets sharing a key space are joined.
    static func exampleModel(_ datasets: [SandboxDataset]) -> String {
        guard let first = datasets.first else { return "" }
        var chosen: [(alias: String, dataset: SandboxDataset)] = [("a", first)]
        var joins: [String] = []
        if let key = first.columns.first(where: { $0.name == first.unitColumn }),
           let other = datasets.dropFirst().first(where: { $0.columns.contains { $0.level == .joinOnly && $0.keySpace != nil && $0.keySpace == key.keySpace } }),
           let match = other.columns.first(where: { $0.level == .joinOnly && $0.keySpace == key.keySpace }) {
            chosen.append(("b", other))
            joins.append("{\"left\": \"a.\(json(key.name))\", \"right\": \"b.\(json(match.name))\"}")
        }
        var measures: [String] = []
        var dimensions: [String] = []
        for (alias, dataset) in chosen {
            for column in dataset.columns where column.name != dataset.unitColumn {
                let bounded = column.lower != nil && column.upper != nil
                if [.aggregate, .publicLevel].contains(column.level), [.integer, .decimal].contains(column.type), bounded {
                    measures.append("\(alias).\(json(column.name))")
                } else if [.groupBy, .publicLevel].contains(column.level), [.integer, .boolean].contains(column.type) {
                    dimensions.append("\(alias).\(json(column.name))")
                }
            }
        }
        let inputs = measures.count >= 2 ? measures : measures + dimensions
        let target = measures.last ?? inputs.last ?? "a.value"
        var features = inputs.filter { $0 != target }
        if features.isEmpty { features = ["a.feature"] }
        var lines = ["{", "  \"kind\": \"linear\",", "  \"name\": \"linear-example\","]
        lines.append("  \"sources\": [" + chosen.map { "{\"alias\": \"\($0.alias)\", \"dataset\": \"\(json($0.dataset.resourceID))\"}" }.joined(separator: ", ") + "],")
        if !joins.isEmpty { lines.append("  \"joins\": [" + joins.joined(separator: ", ") + "],") }
        lines.append("  \"features\": [" + features.prefix(4).map { "\"\($0)\"" }.joined(separator: ", ") + "],")
        lines.append("  \"target\": \"\(target)\"")
        lines.append("}")
        return lines.joined(separator: "\n")
    }

    /// A stored model result: coefficients, intercept, metrics, rows and units.
    static func modelResult(_ json: String, views: ViewRenderer, locale: Locale) -> [String: Any]? {
        guard !json.isEmpty, let result = try? JSONDecoder().decode(ModelResult.self, from: Data(json.utf8)) else { return nil }
        return [
            "kind": views.text("sandbox.modelKind.\(result.kind.rawValue)", locale),
            "coefficients": result.coefficients.map { ["name": $0.name, "value": SandboxConsole.number($0.value, decimals: 6)] },
            "intercept": SandboxConsole.number(result.intercept, decimals: 6),
            "metrics": result.metrics.sorted { $0.key < $1.key }.map { name, value in
                let label = views.text("sandbox.metric.\(name)", locale)
                return ["name": label == "sandbox.metric.\(name)" ? name : label, "code": name, "value": SandboxConsole.number(value, decimals: 6)]
            },
            "rows": result.rows, "units": result.units, "epsilon": SandboxConsole.epsilon(result.epsilonCharged),
        ]
    }

    /// A column name inside a JSON string literal.
    static func json(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}
