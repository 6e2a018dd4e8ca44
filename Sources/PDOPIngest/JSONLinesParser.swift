import PDOPDomain

/// JSON Lines: one flat JSON object per line, fed text in chunks of any size. The columns are
/// the union of the keys in first-seen order; a record lacking a key has null there (its fields
/// may be shorter than `columns`, the rest being null). Blank lines are skipped.
public struct JSONLinesParser: RecordParser {
    public let limits: IngestLimits
    public var columns: [String] { names.names }
    private var names = ColumnNames()
    private var positionsByKey: [String: Int] = [:]
    /// The start of a line whose end has not arrived yet.
    private var pendingLine: [UInt8] = []
    private var line = 1
    private var recordCount = 0

    public init(limits: IngestLimits = IngestLimits()) {
        self.limits = limits
    }

    public mutating func parse(_ text: String) throws(DomainError) -> [RawRecord] {
        var text = text
        return try text.withUTF8Bytes { (bytes) throws(DomainError) in try parse(bytes) }
    }

    public mutating func finish() throws(DomainError) -> [RawRecord] {
        var records: [RawRecord] = []
        if !pendingLine.isEmpty {
            let last = pendingLine
            pendingLine = []
            try last.withUnsafeBufferPointer { (bytes) throws(DomainError) in try read(bytes, into: &records) }
        }
        if recordCount == 0 { throw IngestError.file("the file is empty") }
        return records
    }

    private mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(DomainError) -> [RawRecord] {
        var records: [RawRecord] = []
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            // Checked before keeping the bytes, so an over-long line is never held whole.
            if pendingLine.count + (end - start) > limits.maxRecordBytes {
                throw IngestError.at(line: line, "the record is longer than the limit of \(limits.maxRecordBytes) bytes")
            }
            let piece = UnsafeBufferPointer(rebasing: bytes[start..<end])
            guard end < bytes.count else {
                pendingLine.append(contentsOf: piece)
                break
            }
            if pendingLine.isEmpty {
                try read(piece, into: &records)
            } else {
                pendingLine.append(contentsOf: piece)
                let whole = pendingLine
                pendingLine = []
                try whole.withUnsafeBufferPointer { (bytes) throws(DomainError) in try read(bytes, into: &records) }
            }
            line += 1
            start = end + 1
        }
        return records
    }

    private mutating func read(_ lineBytes: UnsafeBufferPointer<UInt8>, into records: inout [RawRecord]) throws(DomainError) {
        guard lineBytes.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return }
        var reader = FlatJSONObjectReader(lineBytes, line: line)
        var fields = [String](repeating: "", count: names.names.count)
        var present = [Bool](repeating: false, count: names.names.count)
        for (key, value) in try reader.members() {
            let position = try position(of: key)
            if position >= fields.count {
                fields.append(contentsOf: repeatElement("", count: position + 1 - fields.count))
                present.append(contentsOf: repeatElement(false, count: position + 1 - present.count))
            }
            if present[position] { throw IngestError.located("line \(line), key \(key)", "the key appears twice in the object") }
            present[position] = true
            fields[position] = value ?? ""
        }
        records.append(RawRecord(line: line, fields: fields))
        recordCount += 1
    }

    /// The column of `key`, adding it (under the header rules) when it is new.
    private mutating func position(of key: String) throws(DomainError) -> Int {
        if let known = positionsByKey[key] { return known }
        if names.names.count == limits.maxColumns {
            throw IngestError.at(line: line, "the records have more than \(limits.maxColumns) different keys, the column limit")
        }
        try names.append(key, location: "line \(line), key \(key)")
        positionsByKey[key] = names.names.count - 1
        return names.names.count - 1
    }
}
