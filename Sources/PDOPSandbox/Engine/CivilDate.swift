import Foundation
import PDOPDomain

/// Proleptic Gregorian days since 1970-01-01 (the store's date encoding), without Calendar or time zones.
enum CivilDate {
    static let microsecondsPerDay: Int64 = 86_400_000_000

    /// "YYYY-MM-DD" → days; nil when malformed or not a real date.
    static func days(from text: String) -> Int64? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) }),
              let year = Int64(parts[0]), let month = Int64(parts[1]), let day = Int64(parts[2]),
              (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month) else { return nil }
        return Int64(CivilCalendar.days(year: Int(year), month: Int(month), day: Int(day)))
    }

    /// "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS[Z]" (UTC) → microseconds since 1970.
    static func microseconds(from text: String) -> Int64? {
        if let days = days(from: text) { return days * microsecondsPerDay }
        var body = Substring(text)
        if body.hasSuffix("Z") { body = body.dropLast() }
        let halves = body.split(separator: "T", omittingEmptySubsequences: false)
        guard halves.count == 2, let days = days(from: String(halves[0])) else { return nil }
        let clock = halves[1].split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 3, clock.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) }),
              let hours = Int64(clock[0]), let minutes = Int64(clock[1]), let seconds = Int64(clock[2]),
              (0..<24).contains(hours), (0..<60).contains(minutes), (0..<60).contains(seconds) else { return nil }
        return days * microsecondsPerDay + ((hours * 60 + minutes) * 60 + seconds) * 1_000_000
    }

    static func text(fromDays days: Int64) -> String {
        CivilCalendar.text(days: Int(days))
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
