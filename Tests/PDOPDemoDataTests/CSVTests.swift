import Foundation
@testable import PDOPDemoData
import Testing

@Suite("CSV files")
struct CSVTests {
    @Test("fields with commas, quotes and line breaks survive a round trip")
    func quoting() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let rows = [
            ["名称", "备注", "金额"],
            ["新昌县恒达轴承有限公司", "a,b", "12.50"],
            ["say \"hi\"", "line1\nline2", ""],
            ["\"", "crlf\r\nend", "，中文逗号"],
        ]
        let path = directory + "/quoting.csv"
        let writer = try CSVFileWriter(path: path, encoding: .utf8)
        for row in rows { try writer.writeRow(row) }
        try writer.finish()
        let text = String(decoding: fileBytes(path), as: UTF8.self)
        #expect(text.hasPrefix("名称,备注,金额\r\n新昌县恒达轴承有限公司,\"a,b\",12.50\r\n\"say \"\"hi\"\"\""))
        #expect(parseCSV(text) == rows)
    }

    @Test("a written dataset parses back to its header and rows")
    func dataset() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let generator = DemoGenerator(seed: 4, scale: 0.001)
        let path = directory + "/registry.csv"
        let count = try generator.writeCSV(.enterpriseRegistry, to: path)
        let parsed = parseCSV(String(decoding: fileBytes(path), as: UTF8.self))
        #expect(count == 50)
        #expect(parsed.first == DemoDatasets[.enterpriseRegistry].columns.map(\.name))
        #expect(Array(parsed.dropFirst()) == Array(generator.rows(.enterpriseRegistry)))
    }

    @Test("the GB18030 file is the UTF-8 file in GB18030 (新昌 = D0 C2 B2 FD)")
    func gb18030() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let generator = DemoGenerator(seed: 4, scale: 0.005)
        try generator.writeCSV(.hospitalVisits, to: directory + "/utf8.csv")
        try generator.writeCSV(.hospitalVisits, to: directory + "/gb.csv", encoding: .gb18030)
        let utf8 = fileBytes(directory + "/utf8.csv"), gb = fileBytes(directory + "/gb.csv")
        #expect(utf8.count > 2 * CSVFileWriter.bufferSize)  // several buffers were converted
        #expect(gb != utf8)
        #expect(contains(gb, [0xD0, 0xC2, 0xB2, 0xFD]))
        var decoded: [UInt8] = []
        try Iconv(from: "GB18030", to: "UTF-8").convert(gb, appendingTo: &decoded)
        #expect(decoded == utf8)
    }

    @Test("writing into a directory that cannot be created fails with the path")
    func unwritable() {
        #expect(throws: DemoDataError.self) {
            try DemoGenerator(seed: 1, scale: 0.001).writeAll(to: "/nonexistent-pdop-parent/demo")
        }
    }

    private func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        haystack.indices.dropLast(needle.count - 1).contains { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
