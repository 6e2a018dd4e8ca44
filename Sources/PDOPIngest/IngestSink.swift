/// Where a load's typed records go. The store implements it inside one database transaction:
/// `begin` (create the version's table), `write` per batch, `finish` (keep the profiles), then
/// commit. Any error thrown while the pipeline runs means roll back, which leaves the previous
/// version intact (issue 3, item 3).
public protocol IngestSink {
    /// Once, when the sample has fixed the schema (or at the end of a shorter file).
    func begin(schema: IngestSchema) async throws
    /// Batches of typed records in file order, each at most the configured batch size.
    func write(_ batch: [TypedRecord]) async throws
    /// Once, after the last batch.
    func finish(profiles: [ColumnProfile]) async throws
}

/// Keeps everything in memory: for tests, and for checking a small file before loading it.
public actor InMemoryIngestSink: IngestSink {
    public private(set) var schema: IngestSchema?
    public private(set) var records: [TypedRecord] = []
    public private(set) var batchSizes: [Int] = []
    public private(set) var profiles: [ColumnProfile]?

    public init() {}

    public func begin(schema: IngestSchema) {
        precondition(self.schema == nil, "begin(schema:) is called once")
        self.schema = schema
    }

    public func write(_ batch: [TypedRecord]) {
        precondition(schema != nil && profiles == nil, "write(_:) comes between begin(schema:) and finish(profiles:)")
        batchSizes.append(batch.count)
        records.append(contentsOf: batch)
    }

    public func finish(profiles: [ColumnProfile]) {
        precondition(schema != nil && self.profiles == nil, "finish(profiles:) is called once, after begin(schema:)")
        self.profiles = profiles
    }
}
