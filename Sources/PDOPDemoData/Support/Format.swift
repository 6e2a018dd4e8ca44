/// Field formatting by hand: a million rows must not pay for String(format:) or a date formatter.
enum Format {
    /// `YYYY-MM-DD`.
    static func date(_ days: Int) -> String {
        ascii(10) { buffer in putDate(buffer, 0, days, separator: UInt8(ascii: "-")) }
    }

    /// `YYYYMMDD`, as used inside record numbers.
    static func compactDate(_ days: Int) -> String {
        ascii(8) { buffer in putDate(buffer, 0, days, separator: nil) }
    }

    /// `YYYY-MM-DD HH:MM:SS`.
    static func timestamp(_ days: Int, seconds: Int) -> String {
        ascii(19) { buffer in
            putDate(buffer, 0, days, separator: UInt8(ascii: "-"))
            buffer[10] = UInt8(ascii: " ")
            put(buffer, 11, seconds / 3600, width: 2)
            buffer[13] = UInt8(ascii: ":")
            put(buffer, 14, seconds / 60 % 60, width: 2)
            buffer[16] = UInt8(ascii: ":")
            put(buffer, 17, seconds % 60, width: 2)
        }
    }

    /// A non-negative integer, zero-padded to `width` digits (more digits are kept if needed).
    static func padded(_ value: Int, width: Int) -> String {
        var digits = 1, rest = value / 10
        while rest > 0 { digits += 1; rest /= 10 }
        let count = max(width, digits)
        return ascii(count) { buffer in put(buffer, 0, value, width: count) }
    }

    /// A decimal with two places from a count of hundredths: 12345 → `123.45`.
    static func hundredths(_ value: Int) -> String {
        let magnitude = value.magnitude
        let whole = Int(magnitude / 100)
        var wholeDigits = 1, rest = whole / 10
        while rest > 0 { wholeDigits += 1; rest /= 10 }
        let sign = value < 0 ? 1 : 0
        return ascii(sign + wholeDigits + 3) { buffer in
            if sign == 1 { buffer[0] = UInt8(ascii: "-") }
            put(buffer, sign, whole, width: wholeDigits)
            buffer[sign + wholeDigits] = UInt8(ascii: ".")
            put(buffer, sign + wholeDigits + 1, Int(magnitude % 100), width: 2)
        }
    }

    /// A decimal with two places, rounded half away from zero.
    static func decimal(_ value: Double) -> String {
        hundredths(Int((value * 100).rounded()))
    }

    private static func ascii(_ count: Int, _ fill: (UnsafeMutableBufferPointer<UInt8>) -> Void) -> String {
        String(unsafeUninitializedCapacity: count) { buffer in
            fill(buffer)
            return count
        }
    }

    private static func putDate(_ buffer: UnsafeMutableBufferPointer<UInt8>, _ at: Int, _ days: Int, separator: UInt8?) {
        let (year, month, day) = Day.civil(days)
        put(buffer, at, year, width: 4)
        if let separator {
            buffer[at + 4] = separator
            put(buffer, at + 5, month, width: 2)
            buffer[at + 7] = separator
            put(buffer, at + 8, day, width: 2)
        } else {
            put(buffer, at + 4, month, width: 2)
            put(buffer, at + 6, day, width: 2)
        }
    }

    private static func put(_ buffer: UnsafeMutableBufferPointer<UInt8>, _ at: Int, _ value: Int, width: Int) {
        var rest = value
        for offset in stride(from: at + width - 1, through: at, by: -1) {
            buffer[offset] = UInt8(truncatingIfNeeded: 48 + rest % 10)
            rest /= 10
        }
    }
}
