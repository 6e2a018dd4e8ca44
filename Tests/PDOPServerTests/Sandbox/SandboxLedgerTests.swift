import Foundation
import HummingbirdTesting
import PDOPDomain
import PDOPSandbox
import PDOPServer
import PDOPStore
import Testing

/// Issue 10 items 5 and 6 (R12): one answer per cache key, also when identical DP queries race,
/// and an exact integer ledger that no rounding and no concurrency lets overspend. On SQLite and,
/// with PDOP_TEST_POSTGRES_URL, on PostgreSQL.
@Suite("R12 single flight and exact ledger")
struct SandboxLedgerTests {
    /// A DP count of persons by district; `name` makes otherwise equal questions different queries.
    static func dpSpec(_ fixture: SandboxFixture, epsilon: String, name: String = "persons") -> Data {
        Data(SandboxFlowTests.spec(fixture, mode: "dp", privacy: #","privacy":{"epsilon":\#(epsilon)}"#,
                                   measures: #"[{"name":"\#(name)","agg":"count_units"}]"#).utf8)
    }

    static func current(_ fixture: SandboxFixture, _ workspace: Workspace) async throws -> Workspace {
        try await fixture.sandbox.workspace(workspace.id, scope: fixture.operatorScope).workspace
    }

    /// Runs the query; a budget refusal (422 R12 at /privacy/epsilon) is nil, anything else fails.
    static func runOrRefused(_ sandbox: SandboxService, _ fixture: SandboxFixture, _ workspace: Workspace,
                             _ spec: Data) async throws -> (run: QueryRun, cached: Bool)? {
        do {
            return try await sandbox.runQuery(workspace.id, spec: spec, scope: fixture.operatorScope, by: fixture.operatorActor)
        } catch let error as DomainError where error.kind == .ruleRefusal && error.rule == "R12" && error.field == "/privacy/epsilon" {
            return nil
        }
    }

    actor Tally {
        var count = 0
        func add() { count += 1 }
    }

    /// Counts the statements an instance executes: one execution per question, not one per caller.
    struct CountingExecutor: SandboxExecutor {
        let base: any SandboxExecutor
        let tally: Tally
        var dialect: SQLDialect { base.dialect }

        func run(_ statement: CompiledStatement, limits: ExecutionLimits) async throws -> ExecutionOutput {
            await tally.add()
            return try await base.run(statement, limits: limits)
        }
    }

    /// A server instance on the fixture's databases: its own single flight, the same store.
    static func instance(_ fixture: SandboxFixture, tally: Tally = Tally()) -> SandboxService {
        let services = fixture.services
        return SandboxService(store: services.store, clock: services.clock, ids: services.ids, policy: services.policy,
                              executor: CountingExecutor(base: DomainSandboxExecutor(database: services.stores.domain), tally: tally),
                              registry: SQLDomainDatasetRegistry(database: services.stores.domain))
    }

    @Test("R12 identical DP queries fired together get one answer, one ledger charge, the budget down by exactly one ε")
    func concurrentIdenticalQueries() async throws {
        try await withSandbox { fixture, _ in
            let workspace = try await fixture.grantedWorkspace(epsilonBudget: 3)
            let spec = Self.dpSpec(fixture, epsilon: "0.7")
            let tally = Tally()
            let sandbox = Self.instance(fixture, tally: tally)
            let results = try await withThrowingTaskGroup(of: (run: QueryRun, cached: Bool).self) { group in
                for _ in 0..<40 {
                    group.addTask { try await sandbox.runQuery(workspace.id, spec: spec, scope: fixture.operatorScope, by: fixture.operatorActor) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.count == 40)
            #expect(Set(results.map(\.run.id)).count == 1 && Set(results.map(\.run.answer)).count == 1, "one answer for all")
            #expect(results.filter { !$0.cached }.count == 1, "one execution released, the others served as cached")
            #expect(await tally.count == 1, "the query was executed once")
            let after = try await Self.current(fixture, workspace)
            #expect(after.ledger.count == 1 && after.ledger[0].epsilon == 0.7)
            #expect(after.epsilonSpent == 0.7 && after.epsilonRemaining == 2.3)
            let runs = try await sandbox.queryRuns(workspace.id, scope: fixture.operatorScope, page: .first)
            #expect(runs.total == 1, "no second answer was kept")
            let uses = try await sandbox.usage(scope: fixture.operatorScope, workspace: workspace.id, page: PageRequest(limit: 100)).items
            #expect(uses.count == 40 && uses.filter { $0.figures.cpuMilliseconds == 0 && $0.figures.rowsScanned == 0 }.count == 39,
                    "every caller is metered, the duplicates at zero cost")
        }
    }

    @Test("R12 identical DP queries racing on two server instances keep one answer and one charge; the late answer is discarded")
    func concurrentIdenticalQueriesAcrossInstances() async throws {
        try await withSandbox { fixture, _ in
            let workspace = try await fixture.grantedWorkspace(epsilonBudget: 3)
            let spec = Self.dpSpec(fixture, epsilon: "1")
            let tallies = [Tally(), Tally()]
            let instances = tallies.map { Self.instance(fixture, tally: $0) }
            let results = try await withThrowingTaskGroup(of: (run: QueryRun, cached: Bool).self) { group in
                for index in 0..<20 {
                    let sandbox = instances[index % 2]
                    group.addTask { try await sandbox.runQuery(workspace.id, spec: spec, scope: fixture.operatorScope, by: fixture.operatorActor) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(results.map(\.run.id)).count == 1 && Set(results.map(\.run.answer)).count == 1, "one answer for all")
            #expect(results.filter { !$0.cached }.count == 1)
            let executions = [await tallies[0].count, await tallies[1].count]
            #expect(executions.allSatisfy { $0 <= 1 } && executions.contains(1), "at most once per instance: \(executions)")
            let after = try await Self.current(fixture, workspace)
            #expect(after.ledger.count == 1 && after.epsilonSpent == 1 && after.epsilonRemaining == 2)
            #expect(try await fixture.sandbox.queryRuns(workspace.id, scope: fixture.operatorScope, page: .first).total == 1)
        }
    }

    @Test("R12 a budget of exactly 10 pays ten charges of 1.0 to exactly 0, refuses the 11th with 422, and the API shows exact decimals")
    func exactIntegerLedger() async throws {
        try await withSandbox { fixture, client in
            let workspace = try await fixture.grantedWorkspace(epsilonBudget: 10)
            for index in 0..<10 {
                let answered = try await fixture.sandbox.runQuery(workspace.id, spec: Self.dpSpec(fixture, epsilon: "1.0", name: "n\(index)"),
                                                                  scope: fixture.operatorScope, by: fixture.operatorActor)
                #expect(!answered.cached && answered.run.epsilonCharged == 1)
            }
            var after = try await Self.current(fixture, workspace)
            #expect(after.epsilonSpent == 10 && after.epsilonRemaining == .zero && after.epsilonSpent.micros == 10_000_000)
            // Through the API: the refusal, and the ledger shown as exact decimals.
            let token = try await fixture.platform.token(.operatorTechnical)
            let refused = try await client.api(.post, "/api/v1/sandbox/workspaces/\(workspace.id)/queries", token: token,
                                               json: String(decoding: Self.dpSpec(fixture, epsilon: "1.0", name: "n10"), as: UTF8.self))
            #expect(refused.status.code == 422, "\(refused.text)")
            #expect(try BadInputTests.pointers(refused) == ["/privacy/epsilon"] && refused.text.contains("R12"))
            let tiny = try await client.api(.post, "/api/v1/sandbox/workspaces/\(workspace.id)/queries", token: token,
                                            json: String(decoding: Self.dpSpec(fixture, epsilon: "0.000001", name: "n11"), as: UTF8.self))
            #expect(tiny.status.code == 422, "a charge over the budget by one micro-ε is refused too: \(tiny.text)")
            let shown = try await client.api(.get, "/api/v1/sandbox/workspaces/\(workspace.id)", token: token).json()
            #expect(shown["epsilonSpent"] as? Double == 10 && shown["epsilonRemaining"] as? Double == 0 && shown["epsilonBudget"] as? Double == 10)
            after = try await Self.current(fixture, workspace)
            #expect(after.ledger.count == 10)
        }
    }

    @Test("R12 a hundred DP queries at ε 0.1 spend exactly 10 of a budget of 10, and the next is refused")
    func tenthsAddUpExactly() async throws {
        try await withSandbox { fixture, _ in
            let workspace = try await fixture.grantedWorkspace(epsilonBudget: 10)
            for index in 0..<100 {
                let answered = try await fixture.sandbox.runQuery(workspace.id, spec: Self.dpSpec(fixture, epsilon: "0.1", name: "t\(index)"),
                                                                  scope: fixture.operatorScope, by: fixture.operatorActor)
                #expect(answered.run.epsilonCharged == 0.1)
            }
            let spent = try await Self.current(fixture, workspace)
            #expect(spent.ledger.count == 100 && spent.epsilonSpent == 10 && spent.epsilonRemaining == .zero)
            #expect(try await Self.runOrRefused(fixture.sandbox, fixture, workspace, Self.dpSpec(fixture, epsilon: "0.1", name: "t100")) == nil)
        }
    }

    @Test("R12 different DP queries charging one workspace concurrently never overspend: budget 3, ten at ε 1, exactly three answered")
    func concurrentChargesNeverOverspend() async throws {
        try await withSandbox { fixture, _ in
            let workspace = try await fixture.grantedWorkspace(epsilonBudget: 3)
            let instances = [fixture.sandbox, Self.instance(fixture)]
            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<10 {
                    let sandbox = instances[index % 2]
                    let spec = Self.dpSpec(fixture, epsilon: "1", name: "q\(index)")
                    group.addTask { try await Self.runOrRefused(sandbox, fixture, workspace, spec) != nil }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 3 && outcomes.filter { !$0 }.count == 7)
            let after = try await Self.current(fixture, workspace)
            #expect(after.ledger.count == 3 && after.epsilonSpent == 3 && after.epsilonRemaining == .zero)
            #expect(try await fixture.sandbox.queryRuns(workspace.id, scope: fixture.operatorScope, page: .first).total == 3,
                    "a refused charge keeps no answer")
        }
    }
}
