import PDOPDomain
@testable import PDOPIngest
import Testing

@Suite("The ingestion pipeline: bytes in, schema, batches and profiles out (R5, issue 3)")
struct PipelineTests {
    @Test("A GBK upload under auto, fed a byte at a time, loads typed with its mobile column proposed")
    func gbkUpload() async throws {
        let (summary, sink) = try await load(gbkContacts, chunk: 1)
        #expect(summary.encoding == .gb18030 && summary.recordCount == 1 && summary.inputBytes == gbkContacts.count)
        #expect(summary.schema.columns.map(\.name) == ["姓名", "电话"])
        #expect(summary.schema.columns.map { $0.proposal?.kind } == [nil, .mobile])
        #expect(await sink.records == [TypedRecord(line: 2, values: [.text("张三"), .text("13812345678")])])
        #expect(summary.profiles[1].minimum == .text("138****5678"))
        #expect(await sink.profiles == summary.profiles)
    }

    @Test("The schema comes once, before batches of at most the batch size, in file order")
    func batches() async throws {
        var text = "id,value\n"
        for row in 1...2_500 { text += "\(row),\(row % 7)\n" }
        let configuration = IngestConfiguration(format: .csv, encoding: .utf8, sampleSize: 100, batchSize: 1_000)
        let (summary, sink) = try await load(Array(text.utf8), configuration, chunk: 4_096)
        #expect(await sink.schema?.sampledRecords == 100)
        #expect(await sink.batchSizes == [1_000, 1_000, 500])
        #expect(await sink.records.map(\.line) == Array(2...2_501))
        #expect(summary.profiles[1].topValues?.count == 7 && summary.profiles[0].distinctCount == 2_500)
    }

    @Test("A file shorter than the sample gets its schema at the end")
    func shortFile() async throws {
        let (summary, sink) = try await load("a,b\n1,x\n2,y\n")
        #expect(summary.schema.sampledRecords == 2)
        #expect(await sink.batchSizes == [2])
        #expect(summary.schema.columns.map(\.type) == [.integer, .text])
    }

    @Test("At most the sample and one batch are held between chunks")
    func heldRecords() async throws {
        let sink = InMemoryIngestSink()
        let pipeline = try IngestPipeline(configuration: IngestConfiguration(sampleSize: 300, batchSize: 200), sink: sink)
        try await pipeline.feed(Array("n\n".utf8))
        for row in 0..<2_000 {
            try await pipeline.feed(Array("\(row)\n".utf8))
            #expect(pipeline.sample.count < 300 && (pipeline.loader?.batch.count ?? 0) < 200)
        }
        #expect(try await pipeline.finish().recordCount == 2_000)
    }

    @Test("JSON Lines load with missing keys as null; a key first seen after the sample is refused")
    func jsonLines() async throws {
        let configuration = IngestConfiguration(format: .jsonLines, sampleSize: 2)
        let (summary, sink) = try await load("{\"a\": 1}\n{\"b\": \"x\"}\n{\"a\": 3}\n", configuration)
        #expect(summary.schema.columns.map(\.type) == [.integer, .text])
        #expect(await sink.records.map(\.values) == [[.integer(1), .null], [.null, .text("x")], [.integer(3), .null]])
        await #expect(throws: refusal("line 3, key c", "the key is not in the first 2 records, from which the columns were inferred")) {
            try await load("{\"a\": 1}\n{\"b\": 2}\n{\"c\": 3}\n", configuration)
        }
        await #expect(throws: fileRefusal("the records have no keys, so there are no columns")) {
            try await load("{}\n{}\n", configuration)
        }
    }

    @Test("Empty and header-only files are refused before the sink is begun")
    func nothingToLoad() async {
        await #expect(throws: fileRefusal("the file is empty")) { try await load("") }
        await #expect(throws: fileRefusal("the file has a header but no data rows")) { try await load("\u{FEFF}a,b\r\n") }
    }

    @Test("A file over the configured size limit is refused")
    func sizeLimit() async {
        let configuration = IngestConfiguration(limits: IngestLimits(maxInputBytes: 100))
        await #expect(throws: fileRefusal("the file is larger than the limit of 100 bytes")) {
            try await load(Array(("a\n" + String(repeating: "1\n", count: 100)).utf8), configuration, chunk: 10)
        }
    }

    @Test("A sink's failure ends the load with the sink's error")
    func sinkFailure() async throws {
        struct Refusing: IngestSink {
            struct Full: Error, Equatable {}
            func begin(schema: IngestSchema) async throws {}
            func write(_ batch: [TypedRecord]) async throws { throw Full() }
            func finish(profiles: [ColumnProfile]) async throws {}
        }
        let pipeline = try IngestPipeline(sink: Refusing())
        try await pipeline.feed(Array("a\n1\n".utf8))
        await #expect(throws: Refusing.Full()) { try await pipeline.finish() }
    }
}
