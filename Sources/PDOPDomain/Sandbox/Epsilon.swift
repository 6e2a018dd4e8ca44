import Foundation

/// An amount of privacy budget ε, counted exactly in integer micro-ε (R12).
///
/// The ledger used to add up `Double`s, and ten charges of 1.0 could then total 10.000000000000004
/// of a budget of 10. Here a charge is rounded up and a budget down to whole micro-ε when they enter
/// from a decimal, so rounding can never let spending exceed the budget; everything after that is
/// integer arithmetic. The API and console show the decimal, exact to 6 places.
public struct Epsilon: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public static let microsPerUnit: Int64 = 1_000_000
    /// Larger budgets or charges are refused: they mean nothing for privacy and could overflow a sum.
    public static let maximum = Epsilon(micros: 1_000_000 * microsPerUnit)
    public static let zero = Epsilon(micros: 0)

    public var micros: Int64

    public init(micros: Int64) { self.micros = micros }

    public enum Rounding: Sendable { case up, down }

    /// The decimal `value` in micro-ε, rounded in the given direction when it has more than 6
    /// decimals. The decimal is the shortest one that reads back as `value` (what was written in
    /// the JSON or the form), so 0.3 is exactly 300,000 micro-ε, not one more for its binary error.
    /// Nil for a negative, non-finite or absurdly large value.
    public init?(_ value: Double, rounding: Rounding) {
        guard value.isFinite, value >= 0, value <= Self.maximum.value,
              let micros = value == 0 ? 0 : Self.micros(ofDecimal: String(describing: value), rounding: rounding) else { return nil }
        self.micros = micros
    }

    /// What a query or model job asking for ε `value` is charged: never less than it asked for.
    public static func charge(_ value: Double) -> Epsilon? { Epsilon(value, rounding: .up) }

    /// A budget granted as the decimal `value`: never more than was granted.
    public static func budget(_ value: Double) -> Epsilon? { Epsilon(value, rounding: .down) }

    /// The nearest `Double`, for the API's JSON numbers and for the samplers' calibration.
    public var value: Double { Double(micros) / Double(Self.microsPerUnit) }

    /// Exact decimal without trailing zeros: "10", "0.1", "2.000001".
    public var description: String {
        let sign = micros < 0 ? "-" : ""
        let magnitude = micros.magnitude
        let whole = magnitude / UInt64(Self.microsPerUnit), fraction = magnitude % UInt64(Self.microsPerUnit)
        guard fraction > 0 else { return sign + String(whole) }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 6 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(sign)\(whole).\(digits)"
    }

    public static func < (lhs: Epsilon, rhs: Epsilon) -> Bool { lhs.micros < rhs.micros }
    public static func + (lhs: Epsilon, rhs: Epsilon) -> Epsilon { Epsilon(micros: lhs.micros + rhs.micros) }
    public static func - (lhs: Epsilon, rhs: Epsilon) -> Epsilon { Epsilon(micros: lhs.micros - rhs.micros) }
    public static func += (lhs: inout Epsilon, rhs: Epsilon) { lhs.micros += rhs.micros }

    /// Encoded as its micro-ε integer; the decimal form belongs to the API's output types.
    public init(from decoder: any Decoder) throws { micros = try decoder.singleValueContainer().decode(Int64.self) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(micros)
    }

    /// Micro-ε of a plain or exponent decimal ("0.25", "1e-07", "12"), exactly, then rounded.
    static func micros(ofDecimal text: String, rounding: Rounding) -> Int64? {
        var mantissa = Substring(text), exponent = 0
        if let e = mantissa.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard let parsed = Int(mantissa[mantissa.index(after: e)...]) else { return nil }
            exponent = parsed
            mantissa = mantissa[..<e]
        }
        let parts = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let wholeDigits = parts[0], fractionDigits = parts.count > 1 ? parts[1] : ""
        var digits = Array(wholeDigits + fractionDigits)
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        // The value is 0.digits × 10^point; micro-ε are the digits before position point + 6.
        let point = wholeDigits.count + exponent + 6
        guard point <= 19 else { return nil }
        if point <= 0 {
            let anything = digits.contains { $0 != "0" }
            return anything && rounding == .up ? 1 : 0
        }
        if digits.count < point { digits += Array(repeating: "0", count: point - digits.count) }
        guard let kept = Int64(String(digits[..<point])) else { return nil }
        let dropped = digits[point...].contains { $0 != "0" }
        return dropped && rounding == .up ? kept + 1 : kept
    }

    /// Reads the ε decimal a document stored under `key` before the ledger counted micro-ε.
    /// A budget rounds down and a charge up, like any decimal entering the ledger.
    public static func legacy(_ decoder: any Decoder, key: String, rounding: Rounding) throws -> Epsilon {
        let container = try decoder.container(keyedBy: LegacyKey.self)
        let codingKey = LegacyKey(stringValue: key)
        let value = try container.decode(Double.self, forKey: codingKey)
        guard let epsilon = Epsilon(value, rounding: rounding) else {
            throw DecodingError.dataCorruptedError(forKey: codingKey, in: container, debugDescription: "ε \(value) is out of range")
        }
        return epsilon
    }

    private struct LegacyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

extension Epsilon: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    /// Whole ε, for budgets and charges written in code.
    public init(integerLiteral value: Int64) { self.init(micros: value * Self.microsPerUnit) }

    /// A literal in code must be exact to 6 decimals; anything finer is a programming error.
    public init(floatLiteral value: Double) {
        guard let exact = Epsilon(value, rounding: .down), exact == Epsilon(value, rounding: .up) else {
            preconditionFailure("ε literal \(value) is not exact in micro-ε")
        }
        self = exact
    }
}
