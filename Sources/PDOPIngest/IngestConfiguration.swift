public enum IngestFormat: String, CaseIterable, Sendable {
    case csv
    case jsonLines = "jsonl"
}

/// How an upload is read; the defaults are the platform's (issue 3).
public struct IngestConfiguration: Equatable, Sendable {
    public var format: IngestFormat
    public var encoding: TextEncoding
    public var limits: IngestLimits
    /// Records read before the schema is inferred and fixed.
    public var sampleSize: Int
    /// Typed records handed to the sink at a time.
    public var batchSize: Int

    public init(format: IngestFormat = .csv, encoding: TextEncoding = .auto, limits: IngestLimits = IngestLimits(),
                sampleSize: Int = 10_000, batchSize: Int = 1_000) {
        precondition(sampleSize > 0 && batchSize > 0, "sample and batch sizes must be positive")
        self.format = format
        self.encoding = encoding
        self.limits = limits
        self.sampleSize = sampleSize
        self.batchSize = batchSize
    }
}

/// Limits that keep one upload from taking the server's memory.
public struct IngestLimits: Equatable, Sendable {
    /// Columns per record; a wider file is refused as soon as the limit is passed.
    public var maxColumns: Int
    /// Bytes per record (a CSV record, a JSON line), checked while reading, so a huge line is
    /// refused without being held in memory.
    public var maxRecordBytes: Int
    /// The schema sample also ends at this many bytes of field text, before `sampleSize` records.
    public var maxSampleBytes: Int
    /// The whole upload; nil for no limit here (the route may enforce its own).
    public var maxInputBytes: Int?

    public init(maxColumns: Int = 1_000, maxRecordBytes: Int = 1 << 20, maxSampleBytes: Int = 64 << 20, maxInputBytes: Int? = nil) {
        self.maxColumns = maxColumns
        self.maxRecordBytes = maxRecordBytes
        self.maxSampleBytes = maxSampleBytes
        self.maxInputBytes = maxInputBytes
    }
}
