import PDOPDomain
@testable import PDOPIngest
import Testing

@Suite("Schema inference and typing (R5, issue 3)")
struct TypeInferenceTests {
    private func parse<T>(_ text: String, _ parser: (UnsafeBufferPointer<UInt8>) -> T?) -> T? {
        var text = text
        return text.withUTF8(parser)
    }

    @Test("Integers are 64-bit; a leading zero or an overflow is not an integer")
    func integers() {
        #expect(parse("-9223372036854775808", ValueParser.integer) == .min)
        #expect(parse("+42", ValueParser.integer) == 42)
        #expect(parse("0", ValueParser.integer) == 0)
        for bad in ["9223372036854775808", "007", "1.0", "1e3", " 1", "", "-"] {
            #expect(parse(bad, ValueParser.integer) == nil, "\(bad)")
        }
    }

    @Test("Decimals are plain and finite; long digit strings stay codes")
    func decimals() {
        #expect(parse("-12.50", ValueParser.decimal) == -12.5)
        #expect(parse("3", ValueParser.decimal) == 3)
        for bad in ["1e5", ".5", "5.", "00.5", "inf", "NaN", "12345678901234567890", "1,000.5"] {
            #expect(parse(bad, ValueParser.decimal) == nil, "\(bad)")
        }
    }

    @Test("Dates are real calendar dates in YYYY-MM-DD or YYYY/MM/DD")
    func dates() {
        #expect(parse("2024-02-29", ValueParser.date)?.iso == "2024-02-29")
        #expect(parse("2024/3/5", ValueParser.date)?.iso == "2024-03-05")
        #expect(parse("1970-01-01", ValueParser.date)?.daysSinceEpoch == 0)
        #expect(parse("1969-12-31", ValueParser.date)?.daysSinceEpoch == -1)
        for bad in ["2023-02-29", "2024-13-01", "2024-04-31", "2024-01/02", "24-01-02", "20240102"] {
            #expect(parse(bad, ValueParser.date) == nil, "\(bad)")
        }
    }

    @Test("Timestamps: a space or T, optional seconds and fraction; zones convert to UTC")
    func timestamps() {
        #expect(parse("2024-03-05 08:30", ValueParser.timestamp)?.iso == "2024-03-05 08:30:00")
        #expect(parse("2024-03-05T08:30:15.25", ValueParser.timestamp)?.iso == "2024-03-05 08:30:15.250000")
        #expect(parse("2024-03-05T08:30:15+08:00", ValueParser.timestamp)?.iso == "2024-03-05 00:30:15")
        #expect(parse("2024-03-05T00:30:00Z", ValueParser.timestamp)?.iso == "2024-03-05 00:30:00")
        #expect(parse("1969-12-31 23:59:59", ValueParser.timestamp)?.microsecondsSinceEpoch == -1_000_000)
        for bad in ["2024-03-05 24:00", "2024-03-05 08:60", "2024-03-05T08", "2024-03-05 08:30:00 PM"] {
            #expect(parse(bad, ValueParser.timestamp) == nil, "\(bad)")
        }
    }

    @Test("Booleans: true/false, 是/否, Y/N in any case")
    func booleans() {
        for (text, value) in [("TRUE", true), ("false", false), ("是", true), ("否", false), ("y", true), ("N", false)] {
            #expect(parse(text, ValueParser.boolean) == value)
        }
        #expect(parse("1", ValueParser.boolean) == nil)
    }

    @Test("Each column gets the narrowest type of its sample; nulls are ignored, all-null is text")
    func narrowestType() throws {
        let text = "i,d,day,ts,flag,name,empty,code\n"
            + "1,1.5,2024-01-02,2024-01-02 08:00,是,张三,,007\n"
            + "-2,3,2024/1/3,2024-01-03,否,,,010\n"
            + ",,,,,李四,,\n"
        let (columns, records) = try parseCSV(text)
        let schema = SchemaInference.infer(columns: columns, sample: records)
        #expect(schema.columns.map(\.type) == [.integer, .decimal, .date, .timestamp, .boolean, .text, .text, .text])
        #expect(schema.sampledRecords == 3)
        let typed = try RecordTyper(schema: schema).typed(records[1])
        #expect(typed.values == [.integer(-2), .decimal(3), .date(CivilDate(year: 2024, month: 1, day: 3)!),
                                 .timestamp(CivilTimestamp(microsecondsSinceEpoch: Int64(CivilDate(year: 2024, month: 1, day: 3)!.daysSinceEpoch) * 86_400_000_000)),
                                 .boolean(false), .null, .null, .text("010")])
    }

    @Test("A column proposed as personal data is text even when its values are all digits")
    func identifiersAreText() throws {
        let (columns, records) = try parseCSV("phone\n13812345678\n13912345678\n")
        #expect(SchemaInference.infer(columns: columns, sample: records).columns[0].type == .text)
    }

    @Test("R5: a value after the sample that does not fit is refused with line and column name")
    func laterMismatch() async throws {
        var text = "编号,金额\n"
        for row in 1..<20_000 { text += "\(row),\(row).5\n" }
        text += "20000,abc\n"
        await #expect(throws: refusal("line 20001, column 金额", "'abc' is not a decimal")) {
            try await load(text)
        }
    }

    @Test("A value shown in an error is cut to 40 characters")
    func longValueInError() async {
        let long = String(repeating: "字", count: 50)
        await #expect(throws: refusal("line 3, column n", "'\(String(repeating: "字", count: 40))…' is not an integer")) {
            try await load("n\n1\n\(long)\n", IngestConfiguration(sampleSize: 1))
        }
    }
}
