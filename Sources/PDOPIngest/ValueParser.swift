/// Recognisers for the typed column kinds. Each reads a value's UTF-8 bytes and answers nil
/// when the value does not fit; none of them accepts surrounding spaces.
enum ValueParser {
    /// A 64-bit integer with an optional sign. A leading zero ("007") marks a code, not a number.
    static func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var cursor = Cursor(bytes)
        let negative = cursor.consume(UInt8(ascii: "-"))
        if !negative { _ = cursor.consume(UInt8(ascii: "+")) }
        let digits = cursor.digitRun()
        guard !digits.isEmpty, cursor.atEnd, digits.count == 1 || digits.first != UInt8(ascii: "0") else { return nil }
        // Accumulated as a negative number so that Int64.min fits.
        var value: Int64 = 0
        for digit in digits {
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            let (next, underflow) = shifted.subtractingReportingOverflow(Int64(digit - UInt8(ascii: "0")))
            guard !overflow, !underflow else { return nil }
            value = next
        }
        if negative { return value }
        return value == .min ? nil : -value
    }

    /// A finite number in plain decimal notation: -12, 3.5, +0.25. A digit string too long for a
    /// 64-bit integer is not a decimal: it is a code, and a double would round it.
    static func decimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var cursor = Cursor(bytes)
        if !cursor.consume(UInt8(ascii: "-")) { _ = cursor.consume(UInt8(ascii: "+")) }
        let whole = cursor.digitRun()
        guard !whole.isEmpty, whole.count == 1 || whole.first != UInt8(ascii: "0") else { return nil }
        guard cursor.consume(UInt8(ascii: ".")) else {
            return cursor.atEnd ? integer(bytes).map(Double.init) : nil
        }
        let fraction = cursor.digitRun()
        guard !fraction.isEmpty, cursor.atEnd else { return nil }
        if whole.count + fraction.count <= 15 {
            // Exact: a mantissa below 2^53 divided by an exact power of ten rounds once, correctly.
            let digits = whole.reduce(Int64(0)) { $0 * 10 + Int64($1 - UInt8(ascii: "0")) }
            let mantissa = fraction.reduce(digits) { $0 * 10 + Int64($1 - UInt8(ascii: "0")) }
            let value = Double(mantissa) / powersOfTen[fraction.count]
            return bytes.first == UInt8(ascii: "-") ? -value : value
        }
        guard let value = Double(String(decoding: bytes, as: UTF8.self)), value.isFinite else { return nil }
        return value
    }

    private static let powersOfTen: [Double] = (0...15).map { exponent in
        (0..<exponent).reduce(1.0) { product, _ in product * 10 }
    }

    /// true/false (any case), 是/否, Y/N (any case).
    static func boolean(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        if matches(bytes, "true") || matches(bytes, "y") || matches(bytes, "是") { return true }
        if matches(bytes, "false") || matches(bytes, "n") || matches(bytes, "否") { return false }
        return nil
    }

    /// Equal to `word`, ASCII letters in either case.
    private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        guard bytes.count == word.utf8CodeUnitCount else { return false }
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        return zip(bytes, expected).allSatisfy { actual, wanted in
            actual == wanted || ((UInt8(ascii: "a")...UInt8(ascii: "z")).contains(wanted) && actual == wanted - 0x20)
        }
    }

    /// YYYY-MM-DD or YYYY/MM/DD (month and day may have one digit, as spreadsheets write them).
    static func date(_ bytes: UnsafeBufferPointer<UInt8>) -> CivilDate? {
        var cursor = Cursor(bytes)
        guard let date = cursor.date(), cursor.atEnd else { return nil }
        return date
    }

    /// A date, then ' ' or 'T' and HH:MM, optionally :SS and a fraction, optionally Z or an offset
    /// (±HH, ±HH:MM, ±HHMM). A date alone is midnight, so a column mixing dates and timestamps
    /// is a timestamp column.
    static func timestamp(_ bytes: UnsafeBufferPointer<UInt8>) -> CivilTimestamp? {
        var cursor = Cursor(bytes)
        guard let date = cursor.date() else { return nil }
        if cursor.atEnd { return CivilTimestamp(date: date, secondsIntoDay: 0, microseconds: 0) }
        guard cursor.consume(UInt8(ascii: " ")) || cursor.consume(UInt8(ascii: "T")),
              let hour = cursor.number(digits: 1...2), hour < 24, cursor.consume(UInt8(ascii: ":")),
              let minute = cursor.number(digits: 2...2), minute < 60 else { return nil }
        var second = 0, microseconds = 0
        if cursor.consume(UInt8(ascii: ":")) {
            guard let value = cursor.number(digits: 2...2), value < 60 else { return nil }
            second = value
            if cursor.consume(UInt8(ascii: ".")) {
                let fraction = cursor.digitRun()
                guard (1...9).contains(fraction.count) else { return nil }
                for (place, digit) in fraction.prefix(6).enumerated() {
                    microseconds += Int(digit - UInt8(ascii: "0")) * [100_000, 10_000, 1_000, 100, 10, 1][place]
                }
            }
        }
        guard let offsetSeconds = cursor.zoneOffsetSeconds(), cursor.atEnd else { return nil }
        return CivilTimestamp(date: date, secondsIntoDay: hour * 3600 + minute * 60 + second - offsetSeconds, microseconds: microseconds)
    }
}

/// A read position over a value's bytes.
private struct Cursor {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    var atEnd: Bool { index == bytes.count }

    mutating func consume(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    mutating func digitRun() -> UnsafeBufferPointer<UInt8> {
        let start = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<index])
    }

    mutating func number(digits allowed: ClosedRange<Int>) -> Int? {
        let start = index
        while index < bytes.count, index - start < allowed.upperBound,
              (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        guard allowed.contains(index - start) else { return nil }
        return bytes[start..<index].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }

    mutating func date() -> CivilDate? {
        guard let year = number(digits: 4...4), index < bytes.count else { return nil }
        let separator = bytes[index]
        guard separator == UInt8(ascii: "-") || separator == UInt8(ascii: "/") else { return nil }
        index += 1
        guard let month = number(digits: 1...2), consume(separator), let day = number(digits: 1...2) else { return nil }
        return CivilDate(year: year, month: month, day: day)
    }

    /// 0 when no zone is written; nil when one is written badly.
    mutating func zoneOffsetSeconds() -> Int? {
        if consume(UInt8(ascii: "Z")) || consume(UInt8(ascii: "z")) { return 0 }
        let sign: Int
        if consume(UInt8(ascii: "+")) { sign = 1 } else if consume(UInt8(ascii: "-")) { sign = -1 } else { return 0 }
        guard let hours = number(digits: 2...2), hours <= 14 else { return nil }
        var minutes = 0
        let colon = consume(UInt8(ascii: ":"))
        if colon || !atEnd {
            guard let value = number(digits: 2...2), value < 60 else { return nil }
            minutes = value
        }
        return sign * (hours * 3600 + minutes * 60)
    }
}
