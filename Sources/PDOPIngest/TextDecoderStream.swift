import PDOPDomain

/// The text encodings an upload may declare; `auto` tells UTF-8 from GB18030 by the bytes.
public enum TextEncoding: String, CaseIterable, Sendable {
    case utf8, gb18030, auto

    var label: String {
        switch self {
        case .utf8: "UTF-8"
        case .gb18030: "GB18030"
        case .auto: "UTF-8 or GB18030"
        }
    }
}

/// Bytes in, Unicode text out, chunk by chunk, whatever the split points: a character cut by a
/// chunk boundary is carried into the next chunk. A leading byte order mark is dropped. Bytes that
/// are invalid in the encoding are refused with their line and byte offset.
///
/// With `auto`: ASCII passes through undecided (it reads the same in both); at the first non-ASCII
/// byte the decoder looks at up to 4 KiB: a BOM or valid UTF-8 means UTF-8, else GB18030 if it
/// decodes, else the file is refused.
///
/// A class, not Sendable: it owns an iconv handle (for GB18030) that is closed when the decoder
/// goes away, and that must not be shared between copies or used from two tasks at once.
public final class TextDecoderStream {
    public let declaredEncoding: TextEncoding
    /// `.utf8` or `.gb18030` once known; nil while `auto` has seen only ASCII.
    public private(set) var encoding: TextEncoding?
    private var converter: GB18030Converter?
    /// Bytes not decoded yet: a character cut by the last chunk boundary, or (auto) bytes waiting
    /// for the decision.
    private var carry: [UInt8] = []
    /// File offset of the first byte of `carry`, and the line it is on, for error locations.
    private var offset = 0
    private var line = 1
    private var atStartOfText = true
    /// True while `auto` decodes its detection window: a failure then means neither encoding fits.
    private var isDeciding = false

    static let detectionWindow = 4096

    public init(encoding: TextEncoding) throws(DomainError) {
        declaredEncoding = encoding
        switch encoding {
        case .utf8:
            self.encoding = .utf8
        case .gb18030:
            self.encoding = .gb18030
            converter = try GB18030Converter()
        case .auto:
            self.encoding = nil
        }
    }

    public func decode(_ bytes: some Collection<UInt8>) throws(DomainError) -> String {
        try withContiguousBytes(bytes) { (buffer) throws(DomainError) in try decode(buffer, isFinal: false) }
    }

    /// The end of the input: what was carried must now decode completely. Call once.
    public func finish() throws(DomainError) -> String {
        try decode(UnsafeBufferPointer(start: nil, count: 0), isFinal: true)
    }

    private func decode(_ buffer: UnsafeBufferPointer<UInt8>, isFinal: Bool) throws(DomainError) -> String {
        if encoding == nil {
            carry.append(contentsOf: buffer)
            return try decideThenDecode(isFinal: isFinal)
        }
        if carry.isEmpty { return try decodeKnown(buffer, isFinal: isFinal) }
        carry.append(contentsOf: buffer)
        let pending = carry
        carry = []
        return try pending.withUnsafeBufferPointer { (pending) throws(DomainError) in try decodeKnown(pending, isFinal: isFinal) }
    }

    /// Decodes `buffer`, which starts at `offset`, in the known encoding; an incomplete character
    /// at its end goes back to `carry` unless this is the end of the input.
    private func decodeKnown(_ buffer: UnsafeBufferPointer<UInt8>, isFinal: Bool) throws(DomainError) -> String {
        let decodedCount: Int
        var text: String
        if encoding == .gb18030, let converter {
            var utf8: [UInt8] = []
            switch converter.convert(buffer, appendingTo: &utf8) {
            case .converted(let consumed) where isFinal && consumed < buffer.count:
                throw invalidBytes(in: buffer, at: consumed)
            case .converted(let consumed):
                decodedCount = consumed
            case .invalid(let at):
                throw invalidBytes(in: buffer, at: at)
            }
            text = String(decoding: utf8, as: UTF8.self)
        } else {
            decodedCount = buffer.count - (isFinal ? 0 : UTF8Scan.incompleteTailLength(buffer))
            let complete = UnsafeBufferPointer(rebasing: buffer[0..<decodedCount])
            guard let valid = String(validating: complete, as: UTF8.self) else {
                throw invalidBytes(in: buffer, at: UTF8Scan.firstInvalidOffset(complete) ?? 0)
            }
            text = valid
        }
        carry.append(contentsOf: buffer[decodedCount...])
        advance(over: UnsafeBufferPointer(rebasing: buffer[0..<decodedCount]))
        if atStartOfText && !text.isEmpty {
            atStartOfText = false
            if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
        }
        return text
    }

    /// `auto` before the decision: passes leading ASCII through, then decides once the first
    /// non-ASCII bytes are enough to judge (a BOM, the detection window, or the end).
    private func decideThenDecode(isFinal: Bool) throws(DomainError) -> String {
        let asciiCount = carry.firstIndex(where: { $0 >= 0x80 }) ?? carry.count
        let ascii = String(decoding: carry[0..<asciiCount], as: UTF8.self)
        offset += asciiCount
        line += carry[0..<asciiCount].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        carry.removeFirst(asciiCount)
        if !ascii.isEmpty { atStartOfText = false }
        let startsWithBOM = carry.starts(with: [0xEF, 0xBB, 0xBF])
        guard !carry.isEmpty, startsWithBOM || carry.count >= Self.detectionWindow || isFinal else { return ascii }

        let pending = carry
        carry = []
        let looksLikeUTF8 = pending.withUnsafeBufferPointer { bytes in
            let judged = isFinal ? bytes.count : bytes.count - UTF8Scan.incompleteTailLength(bytes)
            return UTF8Scan.firstInvalidOffset(UnsafeBufferPointer(rebasing: bytes[0..<judged])) == nil
        }
        if looksLikeUTF8 {
            encoding = .utf8
        } else {
            encoding = .gb18030
            converter = try GB18030Converter()
        }
        isDeciding = true
        let rest = try pending.withUnsafeBufferPointer { (bytes) throws(DomainError) in try decodeKnown(bytes, isFinal: isFinal) }
        isDeciding = false
        return ascii + rest
    }

    private func advance(over decoded: UnsafeBufferPointer<UInt8>) {
        offset += decoded.count
        line += UTF8Scan.newlineCount(decoded)
    }

    /// The error for bad bytes at `index` of `buffer` (which starts at `offset`).
    private func invalidBytes(in buffer: UnsafeBufferPointer<UInt8>, at index: Int) -> DomainError {
        let errorLine = line + UTF8Scan.newlineCount(UnsafeBufferPointer(rebasing: buffer[0..<index]))
        let shown = buffer[index..<min(index + 4, buffer.count)].map(hex).joined(separator: " ")
        let location = "byte offset \(offset + index) (\(shown))"
        if isDeciding {
            return IngestError.at(line: errorLine, "the bytes at \(location) are neither UTF-8 nor GB18030")
        }
        let label = encoding?.label ?? declaredEncoding.label
        let hint = declaredEncoding == .auto ? "; the file was read as \(label) from its first non-ASCII bytes" : ""
        return IngestError.at(line: errorLine, "invalid \(label) bytes at \(location)\(hint)")
    }

    private func hex(_ byte: UInt8) -> String {
        (byte < 0x10 ? "0x0" : "0x") + String(byte, radix: 16, uppercase: true)
    }
}
