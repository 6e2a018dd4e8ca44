import PDOPDomain
@testable import PDOPIngest
import Testing

@Suite("Profiling in bounded memory (issue 3, item 5)")
struct ProfilingTests {
    @Test("Row, null and distinct counts, range and top values are exact for small columns")
    func exactFigures() {
        var profiler = ColumnProfiler(name: "区县", type: .text)
        for value in ["临安", "余杭", "临安", "", "桐庐", "临安", "余杭", ""] {
            profiler.add(value.isEmpty ? .null : .text(value))
        }
        let profile = profiler.profile
        #expect(profile.rowCount == 8 && profile.nullCount == 2 && profile.nullRate == 0.25)
        #expect(profile.distinctCount == 3 && profile.distinctCountIsExact)
        #expect(profile.minimum == .text("临安") && profile.maximum == .text("桐庐"))
        #expect(profile.topValues == [ValueCount(value: .text("临安"), count: 3), ValueCount(value: .text("余杭"), count: 2),
                                      ValueCount(value: .text("桐庐"), count: 1)])
    }

    @Test("Numbers and dates compare as numbers and dates, not as text")
    func typedRange() {
        var numbers = ColumnProfiler(name: "n", type: .integer)
        for value: Int64 in [9, -3, 10, 2] { numbers.add(.integer(value)) }
        #expect(numbers.profile.minimum == .integer(-3) && numbers.profile.maximum == .integer(10))
        var dates = ColumnProfiler(name: "d", type: .date)
        for (year, month) in [(2024, 2), (2023, 12), (2024, 10)] { dates.add(.date(CivilDate(year: year, month: month, day: 1)!)) }
        #expect(dates.profile.minimum?.displayText == "2023-12-01" && dates.profile.maximum?.displayText == "2024-10-01")
    }

    @Test("Past 50 distinct values a column has no top values; past 10,000 the count is a sketch")
    func thresholds() {
        var profiler = ColumnProfiler(name: "n", type: .integer)
        for value in 0..<50 { profiler.add(.integer(Int64(value))) }
        #expect(profiler.profile.topValues?.count == 10)
        profiler.add(.integer(50))
        #expect(profiler.profile.topValues == nil)
        for value in 51..<10_000 { profiler.add(.integer(Int64(value))) }
        #expect(profiler.profile.distinctCount == 10_000 && profiler.profile.distinctCountIsExact)
        profiler.add(.integer(10_000))
        #expect(!profiler.profile.distinctCountIsExact && profiler.exactHashes == nil)
    }

    @Test("The HyperLogLog estimate of 200,000 distinct values is within 2%")
    func hyperLogLogAccuracy() {
        var integers = ColumnProfiler(name: "n", type: .integer)
        var texts = ColumnProfiler(name: "t", type: .text)
        for value in 0..<200_000 {
            integers.add(.integer(Int64(value) * 7_919))
            texts.add(.text("330624-\(value)"))
        }
        for profile in [integers.profile, texts.profile] {
            #expect(!profile.distinctCountIsExact)
            #expect(abs(Double(profile.distinctCount) - 200_000) / 200_000 < 0.02, "\(profile.name): \(profile.distinctCount)")
        }
        #expect(integers.sketch?.registers.count == 1 << 14 && integers.exactHashes == nil && integers.valueCounts == nil)
    }

    @Test("A million rows of a low-cardinality column keep only a handful of entries")
    func boundedMemory() {
        var profiler = ColumnProfiler(name: "性别", type: .text)
        let values: [TypedValue] = [.text("男"), .text("女"), .null]
        for row in 0..<1_000_000 { profiler.add(values[row % 3]) }
        #expect(profiler.valueCounts?.count == 2 && profiler.exactHashes == nil && profiler.sketch == nil)
        let profile = profiler.profile
        #expect(profile.rowCount == 1_000_000 && profile.nullCount == 333_333)
        #expect(profile.topValues == [ValueCount(value: .text("男"), count: 333_334), ValueCount(value: .text("女"), count: 333_333)])
    }

    @Test("Long text keeps a 256-character minimum and maximum, and no top values")
    func longText() {
        var profiler = ColumnProfiler(name: "note", type: .text)
        profiler.add(.text(String(repeating: "b", count: 1_000)))
        profiler.add(.text("a"))
        #expect(profiler.profile.maximum == .text(String(repeating: "b", count: 256)))
        #expect(profiler.profile.minimum == .text("a") && profiler.profile.topValues == nil)
    }

    @Test("A personal-data column's profile shows only masked values")
    func maskedProfile() {
        var profiler = ColumnProfiler(name: "手机", type: .text)
        for value in ["13812345678", "13912345678", "13812345678"] { profiler.add(.text(value)) }
        let profile = profiler.profile.masked(as: .mobile)
        #expect(profile.minimum == .text("138****5678") && profile.maximum == .text("139****5678"))
        #expect(profile.topValues == [ValueCount(value: .text("138****5678"), count: 2), ValueCount(value: .text("139****5678"), count: 1)])
    }
}
