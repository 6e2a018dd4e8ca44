import PDOPDomain
@testable import PDOPIngest
import Testing

@Suite("CSV parsing (RFC 4180) and its refusals (R5, issue 3)")
struct CSVParserTests {
    @Test("Quoted fields keep commas, doubled quotes and line breaks; records start on their own line")
    func quotedFields() throws {
        let text = "名称,说明\n\"甲, 乙\",\"他说\"\"好\"\"\"\n\"多行\n文本\",x\nlast,\"\"\n"
        let (columns, records) = try parseCSV(text)
        #expect(columns == ["名称", "说明"])
        #expect(records == [
            RawRecord(line: 2, fields: ["甲, 乙", "他说\"好\""]),
            RawRecord(line: 3, fields: ["多行\n文本", "x"]),
            RawRecord(line: 5, fields: ["last", ""]),
        ])
    }

    @Test("CRLF, LF and a missing final line break read alike; blank lines are skipped")
    func lineEndings() throws {
        let expected = [RawRecord(line: 2, fields: ["1", "2"]), RawRecord(line: 4, fields: ["3", ""])]
        #expect(try parseCSV("a,b\r\n1,2\r\n\r\n3,\r\n").records == expected)
        #expect(try parseCSV("a,b\n1,2\n\n3,").records == expected)
        #expect(try parseCSV("a,b\r1,2\r\r3,").records == expected)
    }

    @Test("Any chunking gives the same records, including a CRLF or a doubled quote cut in two")
    func chunkBoundaries() throws {
        let text = "id,note\r\n1,\"a\"\"b\r\nc\"\r\n2,\"x,y\"\r\n"
        let whole = try parseCSV(text)
        for size in 1...text.count {
            let chunked = try parseCSV(text, chunk: size)
            #expect(chunked.columns == whole.columns && chunked.records == whole.records)
        }
        #expect(whole.records.map(\.fields) == [["1", "a\"b\r\nc"], ["2", "x,y"]])
    }

    @Test("A quote inside an unquoted field is kept as a character")
    func bareQuote() throws {
        #expect(try parseCSV("size\n5\"寸\n").records == [RawRecord(line: 2, fields: ["5\"寸"])])
    }

    @Test("A ragged row is refused naming its line and both field counts")
    func raggedRow() {
        #expect(throws: refusal("line 3", "expected 2 fields as in the header, found 3")) {
            try parseCSV("a,b\n1,2\n1,2,3\n")
        }
        #expect(throws: refusal("line 4", "expected 2 fields as in the header, found 1")) {
            try parseCSV("a,b\n\"1\n\",2\nonly\n")
        }
    }

    @Test("A quote left open at the end of the file is refused where it opened")
    func unterminatedQuote() {
        #expect(throws: refusal("line 2, column 2", "a quoted field is not closed by the end of the file")) {
            try parseCSV("a,b\n1,\"open\n2,3\n")
        }
    }

    @Test("Text after a closing quote is refused")
    func textAfterClosingQuote() {
        #expect(throws: refusal("line 2, column 1", "unexpected text after a closing quote (a quote inside a quoted field is written twice: \"\")")) {
            try parseCSV("a\n\"x\"y\n")
        }
    }

    @Test("An empty file, or one of blank lines, is refused")
    func emptyFile() {
        #expect(throws: fileRefusal("the file is empty")) { try parseCSV("") }
        #expect(throws: fileRefusal("the file is empty")) { try parseCSV("\r\n\n") }
    }

    @Test("A header without data rows is refused: there is nothing to load")
    func headerOnly() {
        #expect(throws: fileRefusal("the file has a header but no data rows")) { try parseCSV("a,b\n") }
        #expect(throws: fileRefusal("the file has a header but no data rows")) { try parseCSV("a,b") }
    }

    @Test("A 5,000-column file is refused at the column limit")
    func tooManyColumns() throws {
        let header = (1...5_000).map { "c\($0)" }.joined(separator: ",")
        #expect(throws: refusal("line 1", "the record has more than 1000 columns, the limit")) {
            try parseCSV(header + "\n")
        }
        #expect(try parseCSV((1...1_000).map { "c\($0)" }.joined(separator: ",") + "\n" + String(repeating: ",", count: 999)).columns.count == 1_000)
    }

    @Test("A line longer than the record limit is refused while it is read, before it is held whole")
    func longLineRefusedEarly() throws {
        var parser = CSVParser(limits: IngestLimits(maxRecordBytes: 1 << 20))
        _ = try parser.parse("id,payload\n1,")
        let piece = String(repeating: "x", count: 64 * 1024)
        var fed = 0
        let expected = refusal("line 2", "the record is longer than the limit of 1048576 bytes")
        #expect(throws: expected) {
            // 2 MiB offered in 64 KiB pieces; the refusal comes at the piece that crosses 1 MiB.
            while fed < 2 << 20 {
                fed += piece.utf8.count
                _ = try parser.parse(piece)
            }
        }
        #expect(fed == 1 << 20)
    }

    @Test("Quoted line breaks count toward the line numbers of later records")
    func lineNumbersAfterMultilineField() throws {
        let records = try parseCSV("a,b\n\"x\ny\nz\",1\n2,3\n").records
        #expect(records.map(\.line) == [2, 5])
    }
}
