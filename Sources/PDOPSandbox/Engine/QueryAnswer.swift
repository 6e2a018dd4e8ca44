import Foundation

/// One released value: plain JSON text, number or null.
public enum AnswerValue: Codable, Equatable, Sendable {
    case text(String)
    case number(Double)
    case null

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let number = try? container.decode(Double.self) { self = .number(number) }
        else { self = .text(try container.decode(String.self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .number(let number): try container.encode(number)
        case .null: try container.encodeNil()
        }
    }

    var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }
}

/// A released answer: only rows that passed the output guard (or survived DP thresholding).
public struct QueryAnswer: Codable, Equatable, Sendable {
    /// A released column: a group key or a measure.
    public struct Column: Codable, Equatable, Sendable {
        public enum Role: String, Codable, Sendable { case group, measure }
        public var name: String
        public var role: Role
        public init(name: String, role: Role) {
            self.name = name
            self.role = role
        }
    }

    /// How far a threshold-mode answer's numbers may be from the exact ones (stated, not hidden).
    public struct Perturbation: Codable, Equatable, Sendable {
        public var method = "cell_key"
        /// Every released count is within this many units of the exact count.
        public var countsAtMost: Int
        /// Every released sum is within this percentage of its cell's largest per-unit contribution.
        public var sumsAtMostPercentOfLargest: Int
        public init(countsAtMost: Int, sumsAtMostPercentOfLargest: Int) {
            self.countsAtMost = countsAtMost
            self.sumsAtMostPercentOfLargest = sumsAtMostPercentOfLargest
        }
    }

    public var columns: [Column]
    /// Only released cells: nothing says how many cells were withheld, or why (issue 10 item 1).
    public var rows: [[AnswerValue]]
    public var epsilonCharged: Double
    public var mode: QuerySpec.Mode
    public var notes: [String]
    public var cellsReleased: Int
    /// Threshold mode: the cell-key perturbation's bounds. Nil in DP mode (the dry run gives the noise).
    public var perturbation: Perturbation?

    public init(columns: [Column], rows: [[AnswerValue]], epsilonCharged: Double, mode: QuerySpec.Mode, notes: [String],
                perturbation: Perturbation? = nil) {
        self.columns = columns
        self.rows = rows
        self.epsilonCharged = epsilonCharged
        self.mode = mode
        self.notes = notes
        self.cellsReleased = rows.count * columns.count
        self.perturbation = perturbation
    }

    /// RFC 4180 CSV: a header of column names, then the released rows (nulls empty, formula-like text defused).
    public var csv: String {
        func field(_ raw: String) -> String {
            // A leading =, +, - or @ would run as a spreadsheet formula.
            let text = raw.first.map { "=+-@".contains($0) } == true ? "'" + raw : raw
            return text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        func cell(_ value: AnswerValue) -> String {
            switch value {
            case .text(let text): field(text)
            case .number(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
            case .null: ""
            }
        }
        let lines = [columns.map { field($0.name) }.joined(separator: ",")] + rows.map { $0.map(cell).joined(separator: ",") }
        return lines.map { $0 + "\r\n" }.joined()
    }
}

/// A plan's readable account of what will run and what it costs, with no data touched (sandbox_anchors.md §2.5 step 6).
public struct DryRun: Codable, Equatable, Sendable {
    /// A measure and, in DP mode, its expected noise standard deviation in the measure's unit.
    public struct MeasureInfo: Codable, Equatable, Sendable {
        public var name: String
        public var agg: String
        public var column: String?
        public var noiseStandardDeviation: Double?
    }

    public var mode: QuerySpec.Mode
    public var sources: [String]
    public var joins: [String]
    public var filters: [String]
    public var groupKeys: [String]
    public var measures: [MeasureInfo]
    /// Stable codes: "min_units:10", "dominance:2/85", "cell_key:3", "audit", "dp:laplace", "dp_threshold:37", "contributions:1".
    public var checks: [String]
    public var epsilon: Double
}
