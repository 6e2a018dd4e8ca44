import PDOPDomain

/// The work on each record once the schema is fixed: type it, profile it, add it to the batch.
/// A struct driven over a run of records, so that the per-value loop touches no class state.
struct RecordLoader {
    let typer: RecordTyper
    let batchSize: Int
    let sampledRecords: Int
    private(set) var profilers: [ColumnProfiler]
    private(set) var batch: [TypedRecord] = []
    private(set) var recordCount = 0

    init(schema: IngestSchema, batchSize: Int) {
        typer = RecordTyper(schema: schema)
        self.batchSize = batchSize
        sampledRecords = schema.sampledRecords
        profilers = schema.columns.map { ColumnProfiler(name: $0.name, type: $0.type) }
        batch.reserveCapacity(batchSize)
    }

    var batchIsFull: Bool { batch.count >= batchSize }

    /// Loads `records` from `start` until the batch is full; returns where it stopped.
    /// `parserColumns` names a JSON Lines key that appeared after the sample.
    mutating func load(_ records: [RawRecord], from start: Int, parserColumns: [String]) throws(DomainError) -> Int {
        var next = start
        while next < records.count, !batchIsFull {
            let record = records[next]
            if record.fieldCount > typer.names.count {
                throw IngestError.located("line \(record.line), key \(parserColumns[typer.names.count])",
                                          "the key is not in the first \(sampledRecords) records, from which the columns were inferred")
            }
            let typed = try typer.typed(record)
            for (column, value) in typed.values.enumerated() {
                profilers[column].add(value)
            }
            batch.append(typed)
            recordCount += 1
            next += 1
        }
        return next
    }

    mutating func takeBatch() -> [TypedRecord] {
        defer {
            batch = []
            batch.reserveCapacity(batchSize)
        }
        return batch
    }
}
