import Foundation
@testable import PDOPDemoData
import Testing

@Suite("determinism")
struct DeterminismTests {
    @Test("the same seed and scale give the same rows; another seed gives other rows", arguments: DemoDataset.Key.allCases)
    func sameRows(key: DemoDataset.Key) {
        let first = Array(DemoGenerator(seed: 7, scale: 0.001).rows(key).prefix(20))
        let again = Array(DemoGenerator(seed: 7, scale: 0.001).rows(key).prefix(20))
        let other = Array(DemoGenerator(seed: 8, scale: 0.001).rows(key).prefix(20))
        #expect(first == again)
        #expect(first != other)
    }

    @Test("a row is the same by index as by iteration, and iterating twice gives the same rows")
    func randomAccess() {
        let rows = DemoGenerator(seed: 1, scale: 0.001).rows(.hospitalVisits)
        let iterated = Array(rows)
        #expect(iterated.count == rows.count)
        #expect(iterated == Array(rows))
        for index in [0, 7, rows.count - 1] { #expect(rows[index] == iterated[index]) }
    }

    @Test("a dataset does not depend on which datasets were produced before it")
    func independentStreams() {
        let fresh = DemoGenerator(seed: 3, scale: 0.002)
        let claimsFirst = Array(fresh.rows(.medicalInsuranceClaims))
        let used = DemoGenerator(seed: 3, scale: 0.002)
        _ = Array(used.rows(.hospitalVisits))
        _ = Array(used.rows(.enterpriseRegistry))
        #expect(Array(used.rows(.medicalInsuranceClaims)) == claimsFirst)
    }

    @Test("written files are byte-identical for a seed and differ for another")
    func identicalFiles() throws {
        let base = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let first = try DemoGenerator(seed: 42, scale: 0.002).writeAll(to: base + "/a")
        let second = try DemoGenerator(seed: 42, scale: 0.002).writeAll(to: base + "/b")
        let other = try DemoGenerator(seed: 43, scale: 0.002).writeAll(to: base + "/c")
        #expect(first.map(\.key) == DemoDataset.Key.allCases)
        for ((a, b), c) in zip(zip(first, second), other) {
            #expect(!fileBytes(a.path).isEmpty)
            #expect(fileBytes(a.path) == fileBytes(b.path), "\(a.key.rawValue)")
            #expect(fileBytes(a.path) != fileBytes(c.path), "\(a.key.rawValue)")
        }
    }
}
