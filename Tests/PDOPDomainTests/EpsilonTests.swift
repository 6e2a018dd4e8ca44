import Foundation
import Testing
@testable import PDOPDomain

/// Issue 10 item 6 (R12): ε in exact micro-ε, rounded against the spender, readable from old records.
@Suite("R12 exact ε")
struct EpsilonTests {
    @Test("R12 a decimal ε enters the ledger exactly; finer than 6 decimals a charge rounds up and a budget down")
    func parsing() {
        #expect(Epsilon.charge(0.3)?.micros == 300_000 && Epsilon.budget(0.3)?.micros == 300_000, "0.3 is not one micro-ε more for its binary error")
        #expect(Epsilon.charge(0.1)?.micros == 100_000 && Epsilon.charge(10)?.micros == 10_000_000)
        #expect(Epsilon.charge(0.1234561)?.micros == 123_457 && Epsilon.budget(0.1234569)?.micros == 123_456)
        #expect(Epsilon.charge(1e-7)?.micros == 1 && Epsilon.budget(1e-7)?.micros == 0)
        #expect(Epsilon.charge(1.5e-6)?.micros == 2 && Epsilon.charge(2.5e-5)?.micros == 25)
        #expect(Epsilon.charge(0)?.micros == 0 && Epsilon.charge(-0.0)?.micros == 0)
        #expect(Epsilon.charge(-1) == nil && Epsilon.charge(.nan) == nil && Epsilon.charge(.infinity) == nil && Epsilon.budget(1e12) == nil)
        #expect(Epsilon.charge(0.1 + 0.2)?.micros == 300_001, "0.30000000000000004 is more than 0.3: the charge rounds up")
    }

    @Test("R12 ten charges of 1.0 and a hundred of 0.1 fill a budget of 10 exactly, where Double sums drift")
    func exactSums() throws {
        let budget = try #require(Epsilon.budget(10))
        let tenths = (0..<100).reduce(Epsilon.zero) { total, _ in total + Epsilon.charge(0.1)! }
        #expect(tenths == budget && (0..<10).reduce(Epsilon.zero) { total, _ in total + 1 } == budget)
        #expect((0..<100).reduce(0.0) { total, _ in total + 0.1 } != 10, "the floating-point ledger this replaces")
        var workspace = Self.workspace(budget: budget)
        for index in 0..<100 { workspace.ledger.append(LedgerEntry(at: Date(), runID: "qr-\(index)", epsilon: 0.1, cacheKey: "k\(index)")) }
        #expect(workspace.epsilonSpent == budget && workspace.epsilonRemaining == .zero)
        #expect(workspace.canPay(.zero) && !workspace.canPay(Epsilon(micros: 1)))
    }

    @Test("R12 ε reads back as exact decimals of up to 6 places")
    func display() {
        #expect(Epsilon(micros: 10_000_000).description == "10" && Epsilon(micros: 100_000).description == "0.1")
        #expect(Epsilon(micros: 2_000_001).description == "2.000001" && Epsilon(micros: 1).description == "0.000001")
        #expect(Epsilon(micros: 2_500_000).value == 2.5 && Epsilon(micros: 300_000).value == 0.3)
    }

    static func workspace(budget: Epsilon) -> Workspace {
        Workspace(id: "ws-a-s", operatorID: OrganizationID("org-op"), operatorName: "运营方", agreementID: "a", scenarioID: "s",
                  scenarioTitle: "场景", grantIDs: ["dr-1"], epsilonBudget: budget, ledger: [], answers: [:], state: .open,
                  haltedReason: nil, haltedBy: nil, haltedAt: nil, version: 1, createdAt: Date(timeIntervalSince1970: 0),
                  updatedAt: Date(timeIntervalSince1970: 0))
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return decoder
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return encoder
    }

    @Test("R12 records written with ε decimals still decode: a budget rounds down, a charge up; new ones store micro-ε")
    func legacyDocuments() throws {
        let workspace = #"{"id":"ws-a-s","operatorID":"org-op","operatorName":"运营方","agreementID":"a","scenarioID":"s","scenarioTitle":"场景","grantIDs":["dr-1"],"epsilonBudget":2.5,"ledger":[{"at":0,"runID":"qr-1","epsilon":0.30000000000000004,"cacheKey":"k"},{"at":0,"runID":"qr-2","epsilon":1,"cacheKey":"k2"}],"answers":{"k":"qr-1"},"state":"open","version":3,"createdAt":0,"updatedAt":0}"#
        let old = try Self.decoder.decode(Workspace.self, from: Data(workspace.utf8))
        #expect(old.epsilonBudget == 2.5 && old.ledger.map(\.epsilon) == [Epsilon(micros: 300_001), 1])
        let written = try Self.encoder.encode(old)
        let fields = try #require(try JSONSerialization.jsonObject(with: written) as? [String: Any])
        #expect(fields["epsilonBudgetMicros"] as? Int == 2_500_000 && fields["epsilonBudget"] == nil)
        #expect(try Self.decoder.decode(Workspace.self, from: written) == old, "the new form round-trips")

        let run = #"{"id":"qr-1","workspaceID":"ws-a-s","operatorID":"org-op","mode":"dp","spec":"{}","cacheKey":"k","answer":"{}","epsilonCharged":0.7,"suppressedRows":0,"datasetIDs":[],"providerIDs":[],"usage":{"cpuMilliseconds":0,"rowsScanned":0,"cellsReleased":0,"bytesExported":0},"state":"quarantined","runBy":"u","version":1,"createdAt":0,"updatedAt":0}"#
        let oldRun = try Self.decoder.decode(QueryRun.self, from: Data(run.utf8))
        #expect(oldRun.epsilonCharged == 0.7)
        #expect(try Self.decoder.decode(QueryRun.self, from: Self.encoder.encode(oldRun)) == oldRun)

        let request = #"{"id":"dr-1","operatorID":"org-op","operatorName":"运营方","agreementID":"a","scenarioID":"s","scenarioTitle":"场景","purpose":"统计","resources":[],"epsilonBudget":3.0000005,"approvals":[],"state":"pending","requestedBy":"u","version":1,"createdAt":0,"updatedAt":0}"#
        let oldRequest = try Self.decoder.decode(DataRequest.self, from: Data(request.utf8))
        #expect(oldRequest.epsilonBudget == 3, "a budget never grows by rounding")
        #expect(try Self.decoder.decode(DataRequest.self, from: Self.encoder.encode(oldRequest)) == oldRequest)
    }
}
