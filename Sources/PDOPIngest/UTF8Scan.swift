/// Byte-level UTF-8 checks the decoder needs beyond the standard library's yes/no validation:
/// where the first bad byte is, and whether a chunk ends inside a character.
enum UTF8Scan {
    /// The length of a character cut off at the end of `bytes` (0 when the last one is complete),
    /// so that it can be carried into the next chunk.
    static func incompleteTailLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var back = 1
        while back <= min(3, bytes.count) {
            let byte = bytes[bytes.count - back]
            if byte & 0xC0 != 0x80 {
                return sequenceLength(lead: byte) > back ? back : 0
            }
            back += 1
        }
        return 0
    }

    /// The offset of the first byte that does not belong to well-formed UTF-8 (Unicode table 3-7),
    /// counting a sequence cut off by the end as malformed.
    static func firstInvalidOffset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            if lead < 0x80 { index += 1; continue }
            let length = sequenceLength(lead: lead)
            guard length > 1, index + length <= bytes.count else { return index }
            let second = bytes[index + 1]
            let secondRange: ClosedRange<UInt8> = switch lead {
            case 0xE0: 0xA0...0xBF
            case 0xED: 0x80...0x9F
            case 0xF0: 0x90...0xBF
            case 0xF4: 0x80...0x8F
            default: 0x80...0xBF
            }
            guard secondRange.contains(second) else { return index }
            for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 { return index }
            index += length
        }
        return nil
    }

    static func newlineCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        // Branch-free and wrapping, so the compiler can vectorise it: it runs over every byte.
        for byte in bytes { count &+= byte == 0x0A ? 1 : 0 }
        return count
    }

    /// 0 for bytes that cannot start a character.
    private static func sequenceLength(lead: UInt8) -> Int {
        switch lead {
        case 0x00...0x7F: 1
        case 0xC2...0xDF: 2
        case 0xE0...0xEF: 3
        case 0xF0...0xF4: 4
        default: 0
        }
    }
}
