import PDOPDomain
@testable import PDOPIngest
import Testing

@Suite("JSON Lines: one flat object per line (R5, issue 3)")
struct JSONLinesTests {
    @Test("Columns are the union of keys in first-seen order; missing keys and null are null")
    func unionOfKeys() throws {
        let text = "{\"name\": \"张三\", \"age\": 30}\n\n{\"age\": null, \"city\": \"临安\", \"vip\": true}\r\n{\"name\":\"李\\u56db\\n\\\"x\\\"\"}"
        let (columns, records) = try parseJSONLines(text)
        #expect(columns == ["name", "age", "city", "vip"])
        #expect(records == [
            RawRecord(line: 1, fields: ["张三", "30"]),
            RawRecord(line: 3, fields: ["", "", "临安", "true"]),
            RawRecord(line: 4, fields: ["李四\n\"x\"", "", "", ""]),
        ])
    }

    @Test("Numbers keep their literal text; escapes and surrogate pairs decode")
    func literals() throws {
        let records = try parseJSONLines(#"{"a": -12.50, "b": 1e3, "c": "\ud840\udc00", "d": false}"#).records
        #expect(records.first?.fields == ["-12.50", "1e3", "𠀀", "false"])
    }

    @Test("A nested object or array is refused naming the line and the key")
    func nested() {
        #expect(throws: refusal("line 2, key address", "nested objects and arrays are not supported; flatten them into columns")) {
            try parseJSONLines("{\"a\": 1}\n{\"a\": 2, \"address\": {\"city\": \"x\"}}\n")
        }
        #expect(throws: refusal("line 1, key tags", "nested objects and arrays are not supported; flatten them into columns")) {
            try parseJSONLines("{\"tags\": [1, 2]}\n")
        }
    }

    @Test("Broken JSON, a non-object line and a repeated key are refused with the line")
    func malformed() {
        #expect(throws: refusal("line 1", "not valid JSON at byte 6 of the line: expected ':' after the key")) {
            try parseJSONLines("{\"a\" 1}")
        }
        #expect(throws: refusal("line 2", "not valid JSON at byte 1 of the line: each line must hold one JSON object { … }")) {
            try parseJSONLines("{\"a\": 1}\n[1]\n")
        }
        #expect(throws: refusal("line 1", "not valid JSON at byte 9 of the line: unexpected text after the object")) {
            try parseJSONLines("{\"a\":1} x")
        }
        #expect(throws: refusal("line 1, key a", "the key appears twice in the object")) {
            try parseJSONLines("{\"a\": 1, \"a\": 2}")
        }
        #expect(throws: refusal("line 1", "not valid JSON at byte 8 of the line: invalid number")) {
            try parseJSONLines("{\"a\": -}")
        }
    }

    @Test("Keys follow the header rules")
    func keyRules() {
        #expect(throws: refusal("line 2, key Name", "column name Name duplicates column 1 (name); names are compared ignoring case")) {
            try parseJSONLines("{\"name\": 1}\n{\"Name\": 2}\n")
        }
        #expect(throws: refusal("line 1, key select", "column name select is an SQL reserved word")) {
            try parseJSONLines("{\"select\": 1}")
        }
    }

    @Test("An empty file is refused; an over-long line is refused while it is read")
    func limits() throws {
        #expect(throws: fileRefusal("the file is empty")) { try parseJSONLines("\n \n") }
        var parser = JSONLinesParser(limits: IngestLimits(maxRecordBytes: 1 << 20))
        _ = try parser.parse("{\"a\": 1}\n{\"a\": \"")
        let piece = String(repeating: "x", count: 64 * 1024)
        var fed = 0
        #expect(throws: refusal("line 2", "the record is longer than the limit of 1048576 bytes")) {
            while fed < 2 << 20 {
                fed += piece.utf8.count
                _ = try parser.parse(piece)
            }
        }
        #expect(fed == 1 << 20)
    }
}
