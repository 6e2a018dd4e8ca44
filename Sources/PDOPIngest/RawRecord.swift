import PDOPDomain

/// One record as read from the file, before typing: the field texts in column order, where an
/// empty field stands for null (an empty CSV field, a JSON null or a missing JSON key).
///
/// The fields' UTF-8 is kept back to back in one buffer, so that a record costs two allocations
/// however many fields it has, and numbers and dates are typed from the bytes without becoming
/// strings first.
public struct RawRecord: Equatable, Sendable {
    /// The 1-based line the record starts on.
    public var line: Int
    /// Field `i` is `bytes[ends[i - 1]..<ends[i]]` (from 0 for the first).
    private(set) var bytes: [UInt8]
    private(set) var ends: [Int]

    public init(line: Int, fields: [String]) {
        self.line = line
        bytes = []
        ends = []
        ends.reserveCapacity(fields.count)
        for field in fields {
            bytes.append(contentsOf: field.utf8)
            ends.append(bytes.count)
        }
    }

    init(line: Int, bytes: [UInt8], ends: [Int]) {
        self.line = line
        self.bytes = bytes
        self.ends = ends
    }

    public var fieldCount: Int { ends.count }

    public var fields: [String] {
        bytes.withUnsafeBufferPointer { buffer in
            ends.indices.map { String(decoding: buffer[range(of: $0)], as: UTF8.self) }
        }
    }

    func range(of field: Int) -> Range<Int> {
        (field == 0 ? 0 : ends[field - 1])..<ends[field]
    }
}

/// A format's reader: text in, records out, incrementally.
protocol RecordParser {
    /// The column names known so far (CSV: the header; JSON Lines: the keys seen so far).
    var columns: [String] { get }
    mutating func parse(_ text: String) throws(DomainError) -> [RawRecord]
    /// The end of the input: the last record, and the refusals that need the whole file.
    mutating func finish() throws(DomainError) -> [RawRecord]
}
