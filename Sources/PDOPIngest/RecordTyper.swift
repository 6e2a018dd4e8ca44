import PDOPDomain

/// Turns raw records into typed ones under a fixed schema; a value that does not fit its
/// column's type is refused with its line and column ("line 20001, column 金额: 'abc' is not a
/// decimal").
public struct RecordTyper: Sendable {
    public let names: [String]
    public let types: [ColumnType]

    public init(schema: IngestSchema) {
        names = schema.columns.map(\.name)
        types = schema.columns.map(\.type)
    }

    /// Fields beyond the record's end (a JSON Lines record without some keys) are null.
    public func typed(_ record: RawRecord) throws(DomainError) -> TypedRecord {
        try record.bytes.withUnsafeBufferPointer { (buffer) throws(DomainError) in
            var values: [TypedValue] = []
            values.reserveCapacity(types.count)
            for column in types.indices {
                guard column < record.fieldCount else {
                    values.append(.null)
                    continue
                }
                let field = UnsafeBufferPointer(rebasing: buffer[record.range(of: column)])
                values.append(try value(field, column: column, line: record.line))
            }
            return TypedRecord(line: record.line, values: values)
        }
    }

    private func value(_ bytes: UnsafeBufferPointer<UInt8>, column: Int, line: Int) throws(DomainError) -> TypedValue {
        if bytes.isEmpty { return .null }
        let type = types[column]
        let parsed: TypedValue? = switch type {
        case .integer: ValueParser.integer(bytes).map(TypedValue.integer)
        case .decimal: ValueParser.decimal(bytes).map(TypedValue.decimal)
        case .date: ValueParser.date(bytes).map(TypedValue.date)
        case .timestamp: ValueParser.timestamp(bytes).map(TypedValue.timestamp)
        case .boolean: ValueParser.boolean(bytes).map(TypedValue.boolean)
        case .text: .text(String(decoding: bytes, as: UTF8.self))
        }
        guard let parsed else {
            let raw = String(decoding: bytes, as: UTF8.self)
            throw IngestError.at(line: line, column: names[column], "\(IngestError.quoted(raw)) is not \(type.expectation)")
        }
        return parsed
    }
}
