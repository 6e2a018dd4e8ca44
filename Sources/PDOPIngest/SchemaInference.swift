import PDOPDomain

/// An upload's columns as inferred from its sample: names, types and personal-data findings.
public struct IngestSchema: Equatable, Sendable {
    public var columns: [ColumnSchema]
    /// How many records the inference looked at.
    public var sampledRecords: Int

    public init(columns: [ColumnSchema], sampledRecords: Int) {
        self.columns = columns
        self.sampledRecords = sampledRecords
    }
}

public struct ColumnSchema: Equatable, Sendable {
    public var name: String
    public var type: ColumnType
    public var personalData: PersonalDataCounts

    public init(name: String, type: ColumnType, personalData: PersonalDataCounts = PersonalDataCounts()) {
        self.name = name
        self.type = type
        self.personalData = personalData
    }

    /// Direct identifier of a kind, for the provider to confirm; nil leaves it to the provider.
    public var proposal: PersonalDataProposal? { personalData.proposal }
}

public enum SchemaInference {
    /// Each column gets the narrowest type all its non-null sampled values fit: integer, decimal,
    /// date, timestamp, boolean, else text. A column of nulls only is text, and so is a column
    /// proposed as a direct identifier: identifiers are codes (leading zeros, a final X), not numbers.
    public static func infer(columns: [String], sample: [RawRecord]) -> IngestSchema {
        var candidates = [TypeCandidates](repeating: .all, count: columns.count)
        var personalData = [PersonalDataCounts](repeating: PersonalDataCounts(), count: columns.count)
        for record in sample {
            record.bytes.withUnsafeBufferPointer { buffer in
                for column in 0..<record.fieldCount {
                    let value = UnsafeBufferPointer(rebasing: buffer[record.range(of: column)])
                    guard !value.isEmpty else { continue }
                    candidates[column].narrow(by: value)
                    personalData[column].observe(String(decoding: value, as: UTF8.self))
                }
            }
        }
        let schemaColumns = columns.indices.map { column in
            let type = personalData[column].proposal == nil && personalData[column].nonNullValues > 0
                ? candidates[column].narrowest : .text
            return ColumnSchema(name: columns[column], type: type, personalData: personalData[column])
        }
        return IngestSchema(columns: schemaColumns, sampledRecords: sample.count)
    }
}

/// The types a column's values still all fit.
struct TypeCandidates: OptionSet {
    let rawValue: UInt8
    static let integer = TypeCandidates(rawValue: 1 << 0)
    static let decimal = TypeCandidates(rawValue: 1 << 1)
    static let date = TypeCandidates(rawValue: 1 << 2)
    static let timestamp = TypeCandidates(rawValue: 1 << 3)
    static let boolean = TypeCandidates(rawValue: 1 << 4)
    static let all: TypeCandidates = [.integer, .decimal, .date, .timestamp, .boolean]

    /// From narrowest to widest; text, the fallback, fits everything.
    private static let preference: [(TypeCandidates, ColumnType)] = [
        (.integer, .integer), (.decimal, .decimal), (.date, .date), (.timestamp, .timestamp), (.boolean, .boolean),
    ]

    var narrowest: ColumnType {
        Self.preference.first { contains($0.0) }?.1 ?? .text
    }

    mutating func narrow(by bytes: UnsafeBufferPointer<UInt8>) {
        guard !isEmpty else { return }
        var fits = TypeCandidates()
        if contains(.integer), ValueParser.integer(bytes) != nil { fits.insert(.integer) }
        if contains(.decimal), ValueParser.decimal(bytes) != nil { fits.insert(.decimal) }
        if contains(.date), ValueParser.date(bytes) != nil { fits.insert(.date) }
        if contains(.timestamp), ValueParser.timestamp(bytes) != nil { fits.insert(.timestamp) }
        if contains(.boolean), ValueParser.boolean(bytes) != nil { fits.insert(.boolean) }
        self = fits
    }
}
