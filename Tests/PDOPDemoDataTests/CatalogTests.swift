@testable import PDOPDemoData
import PDOPDomain
import Testing

@Suite("catalog")
struct CatalogTests {
    @Test("ten datasets with unique keys from the demo county's departments")
    func datasets() {
        let all = DemoDatasets.all
        #expect(all.map(\.key) == DemoDataset.Key.allCases)
        #expect(Set(all.map(\.provider)) == ["market", "tax", "power", "hrss", "health", "medinsure", "transport", "police", "tourism", "weather"])
        #expect(DemoDatasets[.dailyWeather].openAttribute == .unconditional)
        #expect(DemoDatasets[.dailyWeather].grade == .l1)
        #expect(DemoDatasets[.hospitalVisits].grade == .l4)
        #expect(DemoDatasets[.hospitalVisits].baseRowCount == 1_000_000)
        #expect(DemoDatasets[.enterpriseRegistry].baseRowCount == 50_000)
        for dataset in all {
            #expect(!dataset.name.isEmpty && !dataset.nameEn.isEmpty && !dataset.description.isEmpty && !dataset.keywords.isEmpty)
            #expect(!dataset.domain.isEmpty)
        }
    }

    @Test("column names are identifiers: letters, digits and underscores, unique per dataset")
    func columnNames() throws {
        let identifier = try Regex(#"[\p{L}_][\p{L}\p{N}_]{0,62}"#)
        let keywords: Set = ["SELECT", "FROM", "WHERE", "TABLE", "ORDER", "GROUP", "DATE", "USER", "KEY", "INDEX"]
        for dataset in DemoDatasets.all {
            #expect(Set(dataset.columns.map(\.name)).count == dataset.columns.count, "\(dataset.key)")
            for column in dataset.columns {
                #expect(column.name.wholeMatch(of: identifier) != nil, "\(column.name)")
                #expect(!keywords.contains(column.name.uppercased()), "\(column.name)")
            }
        }
    }

    @Test("row counts are linear in the scale, at least one", arguments: DemoDatasets.all)
    func rowCounts(dataset: DemoDataset) {
        #expect(dataset.rowCount(scale: 1) == dataset.baseRowCount)
        #expect(dataset.rowCount(scale: 1e-9) == 1)
        let small = dataset.rowCount(scale: 0.01), double = dataset.rowCount(scale: 0.02)
        #expect(abs(double - 2 * small) <= 1)
        let generator = DemoGenerator(seed: 2, scale: 0.002)
        var count = 0
        for _ in generator.rows(dataset.key) { count += 1 }
        #expect(count == dataset.rowCount(scale: 0.002))
    }

    @Test("every field fits its column's type", arguments: DemoDatasets.all)
    func fieldTypes(dataset: DemoDataset) throws {
        let patterns: [DemoDataset.ColumnType: Regex<AnyRegexOutput>] = [
            .integer: try Regex(#"-?[0-9]+"#),
            .decimal: try Regex(#"-?[0-9]+\.[0-9]{2}"#),
            .date: try Regex(#"(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"#),
            .timestamp: try Regex(#"20[0-9]{2}-[01][0-9]-[0-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-5][0-9]"#),
        ]
        for row in DemoGenerator(seed: 9, scale: 0.001).rows(dataset.key).prefix(500) {
            #expect(row.count == dataset.columns.count)
            for (value, column) in zip(row, dataset.columns) where !value.isEmpty {
                if let pattern = patterns[column.type] {
                    #expect(value.wholeMatch(of: pattern) != nil, "\(column.name): \(value)")
                }
            }
        }
    }

    @Test("calendar arithmetic round-trips and knows weekdays")
    func calendar() {
        for day in stride(from: Day.from(1900, 1, 1), through: Day.from(2030, 12, 31), by: 17) {
            let (year, month, dayOfMonth) = Day.civil(day)
            #expect(Day.from(year, month, dayOfMonth) == day)
        }
        #expect(Format.date(Day.from(2024, 2, 29)) == "2024-02-29")
        #expect(Day.weekday(Day.from(2025, 12, 31)) == 2)  // a Wednesday
        #expect(Day.age(born: Day.from(2000, 6, 1), on: Day.from(2025, 5, 31)) == 24)
        #expect(Format.hundredths(-5) == "-0.05")
        #expect(Format.hundredths(123_456) == "1234.56")
        #expect(Format.padded(42, width: 5) == "00042")
        #expect(Format.timestamp(Day.from(2025, 1, 2), seconds: 3_723) == "2025-01-02 01:02:03")
    }
}

@Test("every demo dataset maps to a valid catalog entry in an R21 domain")
func catalogDrafts() throws {
    for dataset in DemoDatasets.all {
        let draft = dataset.resourceDraft
        #expect(DomainArea.named(draft.domain)?.nameZh == dataset.domain, "\(dataset.key)")
        try ColumnNameRule.check(columns: draft.columns.map(\.name))
        #expect(draft.columns.count == dataset.columns.count)
    }
}
