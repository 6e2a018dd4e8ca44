import PDOPDomain

/// Reads one line of JSON Lines: a single flat object whose values are strings, numbers,
/// booleans or null. Numbers keep their literal text (typing comes later, as for CSV); booleans
/// become "true"/"false"; null becomes nil. Nested objects and arrays are refused by key.
struct FlatJSONObjectReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let line: Int
    private var position = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) {
        self.bytes = bytes
        self.line = line
    }

    mutating func members() throws(DomainError) -> [(key: String, value: String?)] {
        skipWhitespace()
        guard peek == UInt8(ascii: "{") else { throw syntaxError("each line must hold one JSON object { … }") }
        position += 1
        skipWhitespace()
        var members: [(key: String, value: String?)] = []
        if peek == UInt8(ascii: "}") {
            position += 1
        } else {
            while true {
                skipWhitespace()
                guard peek == UInt8(ascii: "\"") else { throw syntaxError("expected a key in double quotes") }
                let key = try string()
                skipWhitespace()
                guard peek == UInt8(ascii: ":") else { throw syntaxError("expected ':' after the key") }
                position += 1
                skipWhitespace()
                members.append((key, try scalar(of: key)))
                skipWhitespace()
                if peek == UInt8(ascii: ",") { position += 1; continue }
                guard peek == UInt8(ascii: "}") else { throw syntaxError("expected ',' or '}'") }
                position += 1
                break
            }
        }
        skipWhitespace()
        guard position == bytes.count else { throw syntaxError("unexpected text after the object") }
        return members
    }

    private var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipWhitespace() {
        while let byte = peek, byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A { position += 1 }
    }

    private mutating func scalar(of key: String) throws(DomainError) -> String? {
        guard let byte = peek else { throw syntaxError("expected a value") }
        switch byte {
        case UInt8(ascii: "\""):
            return try string()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            throw IngestError.located("line \(line), key \(key)", "nested objects and arrays are not supported; flatten them into columns")
        case UInt8(ascii: "t"):
            try literal("true")
            return "true"
        case UInt8(ascii: "f"):
            try literal("false")
            return "false"
        case UInt8(ascii: "n"):
            try literal("null")
            return nil
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try number()
        default:
            throw syntaxError("expected a value")
        }
    }

    private mutating func literal(_ word: StaticString) throws(DomainError) {
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        guard position + expected.count <= bytes.count, bytes[position..<position + expected.count].elementsEqual(expected) else {
            throw syntaxError("expected a value")
        }
        position += expected.count
    }

    /// JSON's number grammar: -?(0|[1-9]digits)(.digits)?([eE][+-]?digits)?
    private mutating func number() throws(DomainError) -> String {
        let start = position
        if peek == UInt8(ascii: "-") { position += 1 }
        if peek == UInt8(ascii: "0") {
            position += 1
        } else if try digits() == 0 {
            throw syntaxError("invalid number")
        }
        if peek == UInt8(ascii: ".") {
            position += 1
            if try digits() == 0 { throw syntaxError("invalid number") }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            position += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { position += 1 }
            if try digits() == 0 { throw syntaxError("invalid number") }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    private mutating func digits() throws(DomainError) -> Int {
        let start = position
        while let byte = peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { position += 1 }
        return position - start
    }

    /// A string at `position` (on its opening quote), with escapes resolved.
    private mutating func string() throws(DomainError) -> String {
        position += 1
        var decoded: [UInt8] = []
        while true {
            let start = position
            while let byte = peek, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\"), byte >= 0x20 { position += 1 }
            decoded.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<position]))
            guard let byte = peek else { throw syntaxError("a string is not closed") }
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: decoded, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try escape(into: &decoded)
            default:
                throw syntaxError("control characters must be escaped inside strings")
            }
        }
    }

    private mutating func escape(into decoded: inout [UInt8]) throws(DomainError) {
        guard let byte = peek else { throw syntaxError("a string is not closed") }
        position += 1
        let simple: UInt8? = switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): byte
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: nil
        }
        if let simple {
            decoded.append(simple)
            return
        }
        guard byte == UInt8(ascii: "u") else { throw syntaxError("invalid escape in a string") }
        var value = try hexQuad()
        if (0xD800...0xDBFF).contains(value) {
            guard peek == UInt8(ascii: "\\"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u") else {
                throw syntaxError("an unpaired surrogate in a \\u escape")
            }
            position += 2
            let low = try hexQuad()
            guard (0xDC00...0xDFFF).contains(low) else { throw syntaxError("an unpaired surrogate in a \\u escape") }
            value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(value) else { throw syntaxError("an unpaired surrogate in a \\u escape") }
        decoded.append(contentsOf: Array(String(scalar).utf8))
    }

    private mutating func hexQuad() throws(DomainError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw syntaxError("invalid \\u escape") }
        var value: UInt32 = 0
        for byte in bytes[position..<position + 4] {
            guard let digit = Character(Unicode.Scalar(byte)).hexDigitValue else { throw syntaxError("invalid \\u escape") }
            value = value << 4 | UInt32(digit)
        }
        position += 4
        return value
    }

    private func syntaxError(_ message: String) -> DomainError {
        IngestError.at(line: line, "not valid JSON at byte \(position + 1) of the line: \(message)")
    }
}
