import Foundation
import PDOPDomain

/// What the profiler knows of one column, the only input a preview may draw on.
public struct PreviewProfile: Sendable {
    public var name: String
    public var nullRate: Double
    public var minimum: String?
    public var maximum: String?
    public var topValues: [(value: String, count: Int)]

    public init(name: String, nullRate: Double = 0, minimum: String? = nil, maximum: String? = nil,
                topValues: [(value: String, count: Int)] = []) {
        self.name = name
        self.nullRate = nullRate
        self.minimum = minimum
        self.maximum = maximum
        self.topValues = topValues
    }
}

/// Level-0 mock rows (sandbox_anchors.md §2.9): generated from metadata only, never copied from real rows.
/// An empty string is a null.
public enum SyntheticPreview {
    public static func rows(for dataset: SandboxDataset, profiles: [PreviewProfile], count: Int, seed: UInt64) -> [[String]] {
        var random = PreviewRandom(seed: seed)
        let generators = dataset.columns.map { column in
            ColumnGenerator(column: column, profile: profiles.first { $0.name == column.name }, minUnits: dataset.minUnits)
        }
        return (0..<max(0, count)).map { _ in generators.map { $0.value(&random) } }
    }
}

struct ColumnGenerator {
    let column: SandboxColumn
    let nullRate: Double
    let commonValues: [(value: String, count: Int)]
    let range: (Double, Double)?

    init(column: SandboxColumn, profile: PreviewProfile?, minUnits: Int) {
        self.column = column
        nullRate = min(max(profile?.nullRate ?? 0, 0), 1)
        // Only values shared by at least minUnits units may appear: a rarer value could identify someone.
        commonValues = (profile?.topValues ?? []).filter { $0.count >= minUnits && $0.count > 0 }
        switch column.type {
        case .integer, .decimal:
            if let lower = column.lower, let upper = column.upper { range = (lower, upper) }
            else if let low = profile?.minimum.flatMap(Double.init), let high = profile?.maximum.flatMap(Double.init) { range = (low, high) }
            else { range = nil }
        case .date, .timestamp:
            let low = profile?.minimum.flatMap { CivilDate.days(from: String($0.prefix(10))) }
            let high = profile?.maximum.flatMap { CivilDate.days(from: String($0.prefix(10))) }
            range = low.flatMap { l in high.map { (Double(l), Double($0)) } }
        default:
            range = nil
        }
    }

    /// Fallback ranges when neither bounds nor a profile say anything.
    static let defaultNumbers = (0.0, 100.0)
    static let defaultDays = (Double(CivilDate.days(from: "2020-01-01") ?? 0), Double(CivilDate.days(from: "2024-12-31") ?? 0))

    func value(_ random: inout PreviewRandom) -> String {
        if random.unit() < nullRate { return "" }
        switch column.level {
        case .joinOnly, .deny, .countOnly:
            return Self.mock(&random)
        case .publicLevel, .groupBy, .aggregate, .compare:
            break
        }
        let generated: String
        switch column.type {
        case .text:
            guard [.publicLevel, .groupBy].contains(column.level), !commonValues.isEmpty else { return Self.mock(&random) }
            generated = weighted(&random)
        case .boolean:
            generated = random.unit() < 0.5 ? "true" : "false"
        case .integer:
            let (low, high) = range ?? Self.defaultNumbers
            let lowInt = Int64(low.rounded(.up)), highInt = Int64(high.rounded(.down))
            generated = lowInt <= highInt ? String(lowInt + Int64(random.below(UInt64(highInt - lowInt) + 1))) : String(lowInt)
        case .decimal:
            let (low, high) = range ?? Self.defaultNumbers
            generated = String(format: "%.2f", low + (high - low) * random.unit())
        case .date, .timestamp:
            let (low, high) = range ?? Self.defaultDays
            let day = Int64(low) + Int64(random.below(UInt64(max(0, Int64(high) - Int64(low))) + 1))
            generated = CivilDate.text(fromDays: day) + (column.type == .timestamp ? "T00:00:00Z" : "")
        }
        return PersonalShape.matches(generated) ? Self.mock(&random) : generated
    }

    private func weighted(_ random: inout PreviewRandom) -> String {
        let total = commonValues.reduce(0) { $0 + $1.count }
        var pick = Int(random.below(UInt64(total)))
        for entry in commonValues {
            if pick < entry.count { return entry.value }
            pick -= entry.count
        }
        return commonValues[0].value
    }

    static func mock(_ random: inout PreviewRandom) -> String {
        "MOCK-" + String(format: "%05d", Int(random.below(100_000)))
    }
}

/// Shapes of personal data a preview must never show: mainland ID numbers, mobile numbers, unified credit codes.
enum PersonalShape {
    static func matches(_ text: String) -> Bool {
        let characters = Array(text)
        let digits = characters.allSatisfy(\.isASCII) && characters.allSatisfy(\.isNumber)
        if digits && (characters.count == 11 && characters.first == "1") { return true }
        if characters.count == 15 && digits { return true }
        if characters.count == 18 && characters.allSatisfy({ $0.isASCII && ($0.isNumber || $0.isUppercase) }) { return true }
        return false
    }
}

/// SplitMix64: deterministic for a seed, which is all a mock needs.
struct PreviewRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func below(_ bound: UInt64) -> UInt64 { bound == 0 ? 0 : next(upperBound: bound) }
}
