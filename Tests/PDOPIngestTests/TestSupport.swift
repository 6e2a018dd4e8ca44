import PDOPDomain
@testable import PDOPIngest

/// "姓名,电话\n张三,13812345678\n" in GBK: 姓=D0D5 名=C3FB 电=B5E7 话=BBB0 张=D5C5 三=C8FD.
let gbkContacts: [UInt8] = [0xD0, 0xD5, 0xC3, 0xFB, 0x2C, 0xB5, 0xE7, 0xBB, 0xB0, 0x0A,
                            0xD5, 0xC5, 0xC8, 0xFD, 0x2C] + Array("13812345678\n".utf8)
let contactsText = "姓名,电话\n张三,13812345678\n"

/// The refusal an upload gets for bad input at `location` ("line 3", "line 3, column 2").
func refusal(_ location: String, _ detail: String) -> DomainError {
    .invalid(location, "\(location): \(detail)", rule: "R5")
}

func fileRefusal(_ message: String) -> DomainError {
    .invalid("file", message, rule: "R5")
}

func decodeAll(_ chunks: [[UInt8]], encoding: TextEncoding) throws -> String {
    let decoder = try TextDecoderStream(encoding: encoding)
    var text = ""
    for chunk in chunks { text += try decoder.decode(chunk) }
    return text + (try decoder.finish())
}

/// `bytes` cut into two chunks at every possible point.
func everySplit(of bytes: [UInt8]) -> [[[UInt8]]] {
    (0...bytes.count).map { cut in [Array(bytes[..<cut]), Array(bytes[cut...])] }
}

/// Parses the whole of `text` as CSV, fed in pieces of `chunk` characters.
func parseCSV(_ text: String, chunk: Int = .max, limits: IngestLimits = IngestLimits()) throws -> (columns: [String], records: [RawRecord]) {
    var parser = CSVParser(limits: limits)
    var records: [RawRecord] = []
    var rest = Substring(text)
    while !rest.isEmpty {
        records += try parser.parse(String(rest.prefix(chunk)))
        rest = rest.dropFirst(min(chunk, rest.count))
    }
    records += try parser.finish()
    return (parser.columns, records)
}

func parseJSONLines(_ text: String, limits: IngestLimits = IngestLimits()) throws -> (columns: [String], records: [RawRecord]) {
    var parser = JSONLinesParser(limits: limits)
    let records = try parser.parse(text) + parser.finish()
    return (parser.columns, records)
}

/// Runs a whole upload through the pipeline into memory, fed in chunks of `chunk` bytes.
func load(_ bytes: [UInt8], _ configuration: IngestConfiguration = IngestConfiguration(),
          chunk: Int = 64 * 1024) async throws -> (summary: IngestSummary, sink: InMemoryIngestSink) {
    let sink = InMemoryIngestSink()
    let pipeline = try IngestPipeline(configuration: configuration, sink: sink)
    var start = 0
    while start < bytes.count {
        try await pipeline.feed(bytes[start..<min(start + chunk, bytes.count)])
        start += chunk
    }
    return (try await pipeline.finish(), sink)
}

func load(_ text: String, _ configuration: IngestConfiguration = IngestConfiguration()) async throws -> (summary: IngestSummary, sink: InMemoryIngestSink) {
    try await load(Array(text.utf8), configuration)
}

/// A fictitious resident ID with a valid GB 11643 check character.
func residentID(_ first17: String) -> String {
    first17 + String(ResidentID.checkCharacter(for: first17)!)
}

func creditCode(_ first17: String) -> String {
    first17 + String(CreditCode.checkCharacter(for: first17)!)
}

/// `prefix` completed with the digit that makes it pass Luhn.
func bankCard(_ prefix: String) -> String {
    (0...9).map { prefix + String($0) }.first(where: Luhn.isValid)!
}
