import PDOPDomain

/// RFC 4180 CSV, fed text in chunks of any size: quoted fields, doubled quotes, commas and line
/// breaks inside quotes, CRLF or LF (or a lone CR). The first record is the header; every other
/// record must have as many fields. Works on the UTF-8 bytes, since all delimiters are ASCII.
///
/// Lenient where exports commonly are: a quote inside an unquoted field is kept as a character,
/// and blank lines between records are skipped. Strict where data would be misread: text after
/// a closing quote, and a quote left open at the end of the file, are refused.
public struct CSVParser: RecordParser {
    public let limits: IngestLimits
    public private(set) var columns: [String] = []
    private var headerRead = false
    private var dataRecordCount = 0

    private enum State { case recordStart, afterCarriageReturn, fieldStart, unquoted, quoted, quoteInQuoted }
    private var state = State.recordStart
    /// The record being read: its fields' bytes so far, and where each finished field ends.
    private var recordText: [UInt8] = []
    private var fieldEnds: [Int] = []
    private var line = 1
    private var recordLine = 1
    private var recordBytes = 0
    /// Where the open quoted field began, for the error if it is never closed.
    private var quoteLine = 1

    private static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")

    public init(limits: IngestLimits = IngestLimits()) {
        self.limits = limits
    }

    public mutating func parse(_ text: String) throws(DomainError) -> [RawRecord] {
        var text = text
        return try text.withUTF8Bytes { (bytes) throws(DomainError) in try parse(bytes) }
    }

    public mutating func finish() throws(DomainError) -> [RawRecord] {
        var records: [RawRecord] = []
        switch state {
        case .quoted:
            throw IngestError.at(line: quoteLine, column: "\(fieldEnds.count + 1)", "a quoted field is not closed by the end of the file")
        case .fieldStart, .unquoted, .quoteInQuoted:
            try endField()
            try endRecord(into: &records)
        case .recordStart, .afterCarriageReturn:
            break
        }
        state = .recordStart
        if !headerRead { throw IngestError.file("the file is empty") }
        if dataRecordCount == 0 { throw IngestError.file("the file has a header but no data rows") }
        return records
    }

    private mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(DomainError) -> [RawRecord] {
        var records: [RawRecord] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch state {
            case .recordStart:
                if byte == Self.lf {
                    line += 1
                    index += 1
                } else if byte == Self.cr {
                    state = .afterCarriageReturn
                    index += 1
                } else {
                    recordLine = line
                    recordBytes = 0
                    state = .fieldStart
                }
            case .afterCarriageReturn:
                line += 1
                state = .recordStart
                if byte == Self.lf { index += 1 }
            case .fieldStart:
                if byte == Self.quote {
                    quoteLine = line
                    state = .quoted
                    try countRecordBytes(1)
                    index += 1
                } else {
                    state = .unquoted
                }
            case .unquoted:
                var end = index
                while end < bytes.count, !Self.endsUnquotedField(bytes[end]) { end += 1 }
                try appendToField(bytes, index..<end)
                index = end
                if index < bytes.count {
                    try endField()
                    try endRecordOrField(at: bytes[index], into: &records)
                    index += 1
                }
            case .quoted:
                var end = index
                while end < bytes.count, bytes[end] != Self.quote {
                    if bytes[end] == Self.lf { line += 1 }
                    end += 1
                }
                try appendToField(bytes, index..<end)
                index = end
                if index < bytes.count {
                    state = .quoteInQuoted
                    try countRecordBytes(1)
                    index += 1
                }
            case .quoteInQuoted:
                if byte == Self.quote {
                    try appendToField(bytes, index..<index + 1)
                    state = .quoted
                } else if byte == Self.comma || byte == Self.lf || byte == Self.cr {
                    try endField()
                    try endRecordOrField(at: byte, into: &records)
                } else {
                    throw IngestError.at(line: line, column: "\(fieldEnds.count + 1)",
                                         "unexpected text after a closing quote (a quote inside a quoted field is written twice: \"\")")
                }
                index += 1
            }
        }
        return records
    }

    /// Bytes that end an unquoted field. Everything above ',' (0x2C) is field text, which
    /// settles most bytes, UTF-8 ones included, with one comparison.
    @inline(__always)
    private static func endsUnquotedField(_ byte: UInt8) -> Bool {
        byte <= comma && (byte == comma || byte == lf || byte == cr)
    }

    /// After a field has ended at `delimiter`: the next field at a comma, the record's end at a
    /// line break.
    private mutating func endRecordOrField(at delimiter: UInt8, into records: inout [RawRecord]) throws(DomainError) {
        try countRecordBytes(1)
        switch delimiter {
        case Self.comma:
            state = .fieldStart
        case Self.lf:
            try endRecord(into: &records)
            line += 1
            state = .recordStart
        default:
            try endRecord(into: &records)
            state = .afterCarriageReturn
        }
    }

    private mutating func appendToField(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) throws(DomainError) {
        try countRecordBytes(range.count)
        recordText.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[range]))
    }

    /// Checked before the bytes are kept, so an over-long record never gets buffered.
    @inline(__always)
    private mutating func countRecordBytes(_ count: Int) throws(DomainError) {
        recordBytes += count
        if recordBytes > limits.maxRecordBytes {
            throw IngestError.at(line: recordLine, "the record is longer than the limit of \(limits.maxRecordBytes) bytes")
        }
    }

    private mutating func endField() throws(DomainError) {
        if fieldEnds.count == limits.maxColumns {
            throw IngestError.at(line: recordLine, "the record has more than \(limits.maxColumns) columns, the limit")
        }
        fieldEnds.append(recordText.count)
    }

    private mutating func endRecord(into records: inout [RawRecord]) throws(DomainError) {
        let record = RawRecord(line: recordLine, bytes: recordText, ends: fieldEnds)
        // Fresh buffers of the same size: the record keeps the old ones.
        recordText = []
        recordText.reserveCapacity(record.bytes.count)
        fieldEnds = []
        fieldEnds.reserveCapacity(record.fieldCount)
        guard headerRead else {
            columns = try HeaderRules.validated(record.fields, line: recordLine)
            headerRead = true
            return
        }
        guard record.fieldCount == columns.count else {
            throw IngestError.at(line: recordLine, "expected \(columns.count) fields as in the header, found \(record.fieldCount)")
        }
        records.append(record)
        dataRecordCount += 1
    }
}
