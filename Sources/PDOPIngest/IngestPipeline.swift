import PDOPDomain

/// What a load read, for the load history and the catalog's profile.
public struct IngestSummary: Equatable, Sendable {
    /// `.utf8` or `.gb18030` as read (an all-ASCII file under `auto` counts as UTF-8).
    public var encoding: TextEncoding
    public var schema: IngestSchema
    /// Values of columns proposed as personal data are masked.
    public var profiles: [ColumnProfile]
    public var recordCount: Int
    public var inputBytes: Int

    public init(encoding: TextEncoding, schema: IngestSchema, profiles: [ColumnProfile], recordCount: Int, inputBytes: Int) {
        self.encoding = encoding
        self.schema = schema
        self.profiles = profiles
        self.recordCount = recordCount
        self.inputBytes = inputBytes
    }
}

/// An upload from bytes to typed records (R5, issue 3): decode, parse, infer the schema from the
/// first `sampleSize` records, then type, profile and hand on every record in batches.
///
/// Feed the body's chunks to `feed(_:)`, then call `finish()`. The sink gets `begin(schema:)`
/// once, `write(_:)` per batch and `finish(profiles:)` at the end. At most the sample and one
/// batch are held at a time. Any error (a `DomainError` naming line and column for bad input, or
/// the sink's own) ends the load; the pipeline is then discarded and the sink's transaction
/// rolled back.
///
/// A class that is not Sendable: it is one upload's state, used by one task.
public final class IngestPipeline<Sink: IngestSink> {
    public let configuration: IngestConfiguration
    private let sink: Sink
    private let decoder: TextDecoderStream
    private var parser: any RecordParser
    private(set) var sample: [RawRecord] = []
    private var sampleBytes = 0
    private var schema: IngestSchema?
    /// Set when the schema is fixed.
    private(set) var loader: RecordLoader?
    private var inputBytes = 0
    private var finished = false

    public init(configuration: IngestConfiguration = IngestConfiguration(), sink: Sink) throws(DomainError) {
        self.configuration = configuration
        self.sink = sink
        decoder = try TextDecoderStream(encoding: configuration.encoding)
        parser = switch configuration.format {
        case .csv: CSVParser(limits: configuration.limits)
        case .jsonLines: JSONLinesParser(limits: configuration.limits)
        }
    }

    public func feed(_ bytes: some Collection<UInt8>) async throws {
        precondition(!finished, "feed(_:) after finish()")
        // A halted upload (a cancelled request) stops at the next chunk.
        try Task.checkCancellation()
        inputBytes += bytes.count
        if let limit = configuration.limits.maxInputBytes, inputBytes > limit {
            throw IngestError.file("the file is larger than the limit of \(limit) bytes")
        }
        let text = try decoder.decode(bytes)
        try await accept(try parser.parse(text))
    }

    public func finish() async throws -> IngestSummary {
        precondition(!finished, "finish() is called once")
        finished = true
        let text = try decoder.finish()
        var records = try parser.parse(text)
        records += try parser.finish()
        try await accept(records)
        if loader == nil { try await fixSchema() }
        try await flush()
        guard let schema, let loader else { preconditionFailure("fixSchema() sets the schema") }
        let profiles = zip(loader.profilers, schema.columns).map { profiler, column in
            column.proposal.map { profiler.profile.masked(as: $0.kind) } ?? profiler.profile
        }
        try await sink.finish(profiles: profiles)
        return IngestSummary(encoding: decoder.encoding ?? .utf8, schema: schema, profiles: profiles,
                             recordCount: loader.recordCount, inputBytes: inputBytes)
    }

    private func accept(_ records: [RawRecord]) async throws {
        var next = 0
        while next < records.count {
            if loader != nil {
                next = try loader!.load(records, from: next, parserColumns: parser.columns)
                if loader!.batchIsFull { try await flush() }
            } else {
                let record = records[next]
                next += 1
                sample.append(record)
                sampleBytes += record.bytes.count
                if sample.count >= configuration.sampleSize || sampleBytes >= configuration.limits.maxSampleBytes {
                    try await fixSchema()
                }
            }
        }
    }

    /// Infers the schema from the sample, tells the sink, then loads the sample itself.
    private func fixSchema() async throws {
        // The parser may have read past the sample within the last chunk; keys are numbered in
        // first-seen order, so the sample's columns are a prefix of the parser's.
        let sampledColumns = Array(parser.columns.prefix(sample.map(\.fieldCount).max() ?? 0))
        guard !sampledColumns.isEmpty else {
            throw IngestError.file("the records have no keys, so there are no columns")
        }
        let schema = SchemaInference.infer(columns: sampledColumns, sample: sample)
        try await sink.begin(schema: schema)
        self.schema = schema
        loader = RecordLoader(schema: schema, batchSize: configuration.batchSize)
        let sampled = sample
        sample = []
        try await accept(sampled)
    }

    private func flush() async throws {
        guard let batch = loader?.takeBatch(), !batch.isEmpty else { return }
        try await sink.write(batch)
    }
}
