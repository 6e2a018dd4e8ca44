import Foundation

/// The county counts dates (agreement terms, deadlines entered as days) in China Standard Time,
/// UTC+8 all year, so one fixed offset converts between instants and civil days.
extension CivilCalendar {
    static let chinaOffsetSeconds = 8 * 3600

    /// The civil day in China Standard Time that contains `date`, as yyyy-MM-dd.
    public static func chinaDay(of date: Date) -> String {
        text(days: Int(((date.timeIntervalSince1970 + Double(chinaOffsetSeconds)) / 86_400).rounded(.down)))
    }

    /// Midnight in China Standard Time at the start of that civil day.
    public static func chinaStartOfDay(year: Int, month: Int, day: Int) -> Date {
        Date(timeIntervalSince1970: TimeInterval(days(year: year, month: month, day: day) * 86_400 - chinaOffsetSeconds))
    }
}
