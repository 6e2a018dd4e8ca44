import PDOPDomain

/// Calendar days as a count since 1970-01-01 (PDOPDomain's CivilCalendar): cheap integer
/// arithmetic instead of a Foundation calendar per row.
enum Day {
    static func from(_ year: Int, _ month: Int, _ day: Int) -> Int {
        CivilCalendar.days(year: year, month: month, day: day)
    }

    static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) { CivilCalendar.civil(days) }

    /// 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday).
    static func weekday(_ days: Int) -> Int { ((days % 7) + 10) % 7 }

    static func isWeekend(_ days: Int) -> Bool { weekday(days) >= 5 }

    /// Whole years from `birth` to `day`.
    static func age(born birth: Int, on day: Int) -> Int {
        let (by, bm, bd) = civil(birth)
        let (y, m, d) = civil(day)
        return y - by - ((m, d) < (bm, bd) ? 1 : 0)
    }

    /// The first day of the month `months` after the month containing `days` (negative: before).
    static func monthStart(_ days: Int, adding months: Int) -> Int {
        let (y, m, _) = civil(days)
        let total = y * 12 + (m - 1) + months
        return from(total / 12, total % 12 + 1, 1)
    }

    /// The last day the demo data describes; ages and "now" are measured against it.
    static let reference = from(2025, 12, 31)

    /// Public holidays of 2023–2025 (春节、清明、五一、端午、中秋、国庆), when trips and hotel stays peak.
    static let holidays: [ClosedRange<Int>] = [
        (2023, 1, 21, 7), (2023, 4, 5, 1), (2023, 4, 29, 5), (2023, 6, 22, 3), (2023, 9, 29, 8),
        (2024, 2, 10, 8), (2024, 4, 4, 3), (2024, 5, 1, 5), (2024, 6, 8, 3), (2024, 9, 15, 3), (2024, 10, 1, 7),
        (2025, 1, 28, 8), (2025, 4, 4, 3), (2025, 5, 1, 5), (2025, 5, 31, 3), (2025, 10, 1, 8),
    ].map { year, month, day, length in
        let start = from(year, month, day)
        return start...(start + length - 1)
    }

    static func isHoliday(_ days: Int) -> Bool { holidays.contains { $0.contains(days) } }
}
