/// Checks the file's column names before the inner sink sees anything, so a file that does not
/// fit is refused before a table is made or a row is written (R3, R5).
public final class ColumnCheckingSink<Inner: IngestSink>: IngestSink {
    let inner: Inner
    let check: ([String]) throws -> Void

    public init(_ inner: Inner, check: @escaping ([String]) throws -> Void) {
        self.inner = inner
        self.check = check
    }

    public func begin(schema: IngestSchema) async throws {
        try check(schema.columns.map(\.name))
        try await inner.begin(schema: schema)
    }

    public func write(_ batch: [TypedRecord]) async throws { try await inner.write(batch) }

    public func finish(profiles: [ColumnProfile]) async throws { try await inner.finish(profiles: profiles) }
}
