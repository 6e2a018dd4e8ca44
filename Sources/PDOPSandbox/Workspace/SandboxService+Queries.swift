import Foundation
import PDOPDomain

extension SandboxService {
    /// The plan without touching data: structure, checks, expected noise, ε to be charged (R12).
    /// Audited, so what an operator probed is on record even when nothing ran.
    public func dryRun(_ workspaceID: String, spec json: Data, scope: AccessScope, by actor: Actor) async throws -> DryRun {
        let spec = try engine.parseQuery(json)
        let (workspace, datasets) = try await usableWorkspace(workspaceID, scope: scope)
        let plan = try engine.plan(spec, datasets: datasets, dialect: executor.dialect)
        let now = clock.now()
        try await store.transaction { tx in
            try await record(AuditEvent(actor: actor, action: "query.dry_run", objectType: "workspace", objectID: workspaceID,
                                        objectLabel: workspace.scenarioTitle,
                                        details: ["mode": plan.mode.rawValue, "epsilon": String(plan.epsilon), "cacheKey": plan.cacheKey]),
                             operator: nil, summary: "", tx: tx, at: now)
        }
        return plan.dryRun
    }

    /// Runs a query in the workspace (R12): parsed and refused before anything is read, answered from
    /// the cache when identical (no ε spent), otherwise executed read-only, passed through the output
    /// guard or DP noise, charged to the ledger and kept in quarantine — all or nothing.
    public func runQuery(_ workspaceID: String, spec json: Data, scope: AccessScope, by actor: Actor) async throws -> (run: QueryRun, cached: Bool) {
        let spec = try engine.parseQuery(json)
        let (workspace, datasets) = try await usableWorkspace(workspaceID, scope: scope)
        let plan = try engine.plan(spec, datasets: datasets, dialect: executor.dialect)
        if let runID = workspace.answers[plan.cacheKey] {
            return (try await answerFromCache(runID, workspace: workspace, by: actor), true)
        }
        try Self.requireBudget(plan.epsilon, workspace)
        let limits = ExecutionLimits(timeoutSeconds: Double(policy.sandboxStatementTimeoutSeconds), maxRows: policy.sandboxMaxResultRows)
        let earlier = plan.mode == .threshold ? try await earlierThresholdSpecs(workspaceID) : []
        let started = ContinuousClock.now
        let answer = try await running.run(workspace: workspaceID, operator: workspace.operatorID) { [executor] in
            var differences: [ExecutionOutput] = []
            for earlierSpec in earlier {
                guard let statement = plan.differencing(against: earlierSpec) else { continue }
                differences.append(try await executor.run(statement, limits: limits))
            }
            let output = try await executor.run(plan.statement, limits: limits)
            try Task.checkCancellation()
            var random = SystemRandomNumberGenerator()
            return plan.release(output, differences: differences, random: &random)
        }
        let usage = UsageFigures(cpuMilliseconds: Self.milliseconds(since: started),
                                 rowsScanned: datasets.filter { plan.datasetIDs.contains($0.resourceID) }.reduce(0) { $0 + $1.rowCount },
                                 cellsReleased: answer.cellsReleased)
        return (try await keep(answer, plan: plan, spec: spec, workspaceID: workspaceID, scope: scope, usage: usage, by: actor), false)
    }

    /// Commits an answer: re-checks the workspace (a halt while running releases nothing) and the
    /// budget, charges the ledger, keeps the answer in quarantine, audits and meters it.
    private func keep(_ answer: QueryAnswer, plan: QueryPlan, spec: QuerySpec, workspaceID: String, scope: AccessScope, usage: UsageFigures,
                      by actor: Actor) async throws -> QueryRun {
        let now = clock.now()
        let answerJSON = String(decoding: try JSONEncoder.sortedKeys.encode(answer), as: UTF8.self)
        return try await store.transaction { tx in
            var workspace = try await fetch(Workspace.self, workspaceID, scope: scope, tx: tx)
            try await requireUsable(workspace, tx: tx)
            try Self.requireBudget(plan.epsilon, workspace)
            let run = QueryRun(id: ids.next(prefix: "qr"), workspaceID: workspaceID, operatorID: workspace.operatorID, mode: plan.mode.rawValue,
                               spec: String(decoding: spec.canonicalJSON, as: UTF8.self), cacheKey: plan.cacheKey, answer: answerJSON,
                               epsilonCharged: plan.epsilon, suppressedRows: answer.suppressedRows, datasetIDs: plan.datasetIDs,
                               providerIDs: plan.providerIDs.map(OrganizationID.init), usage: usage, state: .quarantined, runBy: actor.username,
                               version: 1, createdAt: now, updatedAt: now)
            try await tx.lifecycle.insert(run)
            if plan.epsilon > 0 {
                workspace.ledger.append(LedgerEntry(at: now, runID: run.id, epsilon: plan.epsilon, cacheKey: plan.cacheKey))
            }
            workspace.answers[plan.cacheKey] = run.id
            try await save(&workspace, tx: tx, at: now)
            try await tx.usage.append(UsageEvent(id: ids.next(prefix: "use"), at: now, operatorID: workspace.operatorID, workspaceID: workspaceID,
                                                 kind: .query, subjectID: run.id, figures: usage))
            try await record(AuditEvent(actor: actor, action: "query.run", objectType: "query_run", objectID: run.id,
                                        objectLabel: workspace.scenarioTitle,
                                        details: ["mode": run.mode, "epsilon": String(plan.epsilon), "suppressedRows": String(answer.suppressedRows),
                                                  "cacheKey": plan.cacheKey, "workspace": workspaceID]),
                             operator: workspace.operatorID, summary: "query answered (\(run.mode))", tx: tx, at: now)
            return run
        }
    }

    /// An identical query: the same answer again, nothing charged; the use is still metered.
    private func answerFromCache(_ runID: String, workspace: Workspace, by actor: Actor) async throws -> QueryRun {
        let now = clock.now()
        return try await store.transaction { tx in
            guard let run = try await tx.lifecycle.get(QueryRun.self, id: runID), run.state != .purged else { throw DomainError.notFound("query run") }
            try await tx.usage.append(UsageEvent(id: ids.next(prefix: "use"), at: now, operatorID: workspace.operatorID, workspaceID: workspace.id,
                                                 kind: .query, subjectID: run.id, figures: UsageFigures()))
            try await record(AuditEvent(actor: actor, action: "query.cached", objectType: "query_run", objectID: run.id,
                                        objectLabel: workspace.scenarioTitle, details: ["cacheKey": run.cacheKey, "workspace": workspace.id]),
                             operator: nil, summary: "", tx: tx, at: now)
            return run
        }
    }

    static func requireBudget(_ epsilon: Double, _ workspace: Workspace) throws {
        guard epsilon <= workspace.epsilonRemaining + 1e-9 else {
            throw DomainError.refused("R12", "the workspace's privacy budget cannot pay ε \(epsilon) (\(workspace.epsilonRemaining) left)",
                                      field: "/privacy/epsilon")
        }
    }

    func usableWorkspace(_ id: String, scope: AccessScope) async throws -> (Workspace, [SandboxDataset]) {
        try await store.transaction { tx in
            let workspace = try await fetch(Workspace.self, id, scope: scope, tx: tx)
            try await requireUsable(workspace, tx: tx)
            return (workspace, try await datasets(of: workspace, tx: tx))
        }
    }

    /// The workspace's recent threshold-mode questions, for the differencing check.
    private func earlierThresholdSpecs(_ workspaceID: String) async throws -> [QuerySpec] {
        let runs = try await store.transaction { tx in
            try await tx.lifecycle.list(QueryRun.self, LifecycleFilter(subjectID: workspaceID),
                                        page: PageRequest(limit: min(PageRequest.maxLimit, policy.sandboxDifferencingWindow * 2)))
        }
        return runs.items.filter { $0.mode == "threshold" }.prefix(policy.sandboxDifferencingWindow)
            .compactMap { try? engine.parseQuery(Data($0.spec.utf8)) }
    }

    public func queryRuns(_ workspaceID: String, scope: AccessScope, page: PageRequest) async throws -> Page<QueryRun> {
        try await store.transaction { tx in
            _ = try await fetch(Workspace.self, workspaceID, scope: scope, tx: tx)
            return try await tx.lifecycle.list(QueryRun.self, LifecycleFilter(subjectID: workspaceID), page: page)
        }
    }

    public func queryRun(_ id: String, scope: AccessScope) async throws -> QueryRun {
        try await store.transaction { try await fetch(QueryRun.self, id, scope: scope, tx: $0) }
    }

    public func usage(scope: AccessScope, workspace: String?, page: PageRequest) async throws -> Page<UsageEvent> {
        try await store.transaction { try await $0.usage.list(operator: scope.onlyOrganization, workspace: workspace, page: page) }
    }
}

extension JSONEncoder {
    static var sortedKeys: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}
