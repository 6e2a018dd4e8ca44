import PDOPDomain

/// A calendar date without a time zone, stored as days since 1970-01-01 so that it compares,
/// hashes and binds (as an integer or as `iso`) cheaply.
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let daysSinceEpoch: Int

    public init(daysSinceEpoch: Int) {
        self.daysSinceEpoch = daysSinceEpoch
    }

    /// Nil unless year 1…9999, month 1…12 and the day exists in that month.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...CivilDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        daysSinceEpoch = CivilCalendar.days(year: year, month: month, day: day)
    }

    public var components: (year: Int, month: Int, day: Int) { CivilCalendar.civil(daysSinceEpoch) }

    /// `YYYY-MM-DD`.
    public var iso: String {
        let (year, month, day) = components
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))"
    }

    public var description: String { iso }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

    static func daysIn(month: Int, year: Int) -> Int {
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    }
}

/// A moment with microsecond precision (PostgreSQL's), stored as microseconds since
/// 1970-01-01 00:00. Values written without a zone are kept as written (local time); values
/// with `Z` or an offset are converted to UTC.
public struct CivilTimestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let microsecondsSinceEpoch: Int64

    public init(microsecondsSinceEpoch: Int64) {
        self.microsecondsSinceEpoch = microsecondsSinceEpoch
    }

    init(date: CivilDate, secondsIntoDay: Int, microseconds: Int) {
        microsecondsSinceEpoch = (Int64(date.daysSinceEpoch) * 86_400 + Int64(secondsIntoDay)) * 1_000_000 + Int64(microseconds)
    }

    public var date: CivilDate {
        CivilDate(daysSinceEpoch: Int(floorDivide(microsecondsSinceEpoch, 86_400_000_000)))
    }

    /// `YYYY-MM-DD HH:MM:SS`, with `.ffffff` when there are fractions of a second.
    public var iso: String {
        let intoDay = microsecondsSinceEpoch - Int64(date.daysSinceEpoch) * 86_400_000_000
        let seconds = Int(intoDay / 1_000_000), micros = Int(intoDay % 1_000_000)
        let time = "\(padded(seconds / 3600, 2)):\(padded(seconds / 60 % 60, 2)):\(padded(seconds % 60, 2))"
        return "\(date.iso) \(time)" + (micros == 0 ? "" : ".\(padded(micros, 6))")
    }

    public var description: String { iso }

    public static func < (lhs: CivilTimestamp, rhs: CivilTimestamp) -> Bool { lhs.microsecondsSinceEpoch < rhs.microsecondsSinceEpoch }
}

private func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
    value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
}

private func padded(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}
