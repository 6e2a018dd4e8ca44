import Testing
import Foundation
@testable import PDOPSandbox

@Test("A bound value survives encoding, so cached answers and ledger entries keep their literals exactly")
func boundValueRoundTrip() throws {
    let values: [SQLValue] = [.integer(-7), .double(2.5), .text("'; DROP TABLE x; --"), .null]
    let data = try JSONEncoder().encode(values)
    #expect(try JSONDecoder().decode([SQLValue].self, from: data) == values)
}
