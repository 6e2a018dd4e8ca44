import Foundation
import PDOPDomain

extension SandboxService {
    /// The plan without touching data: structure, checks, expected noise, ε to be charged (R12).
    /// Audited, so what an operator probed is on record even when nothing ran.
    public func dryRun(_ workspaceID: String, spec json: Data, scope: AccessScope, by actor: Actor) async throws -> DryRun {
        let spec = try engine.parseQuery(json)
        let (workspace, granted) = try await usableWorkspace(workspaceID, scope: scope)
        let (datasets, partitions) = try await prepared(spec, granted)
        let plan = try engine.plan(spec, datasets: datasets, dialect: executor.dialect, partitions: partitions)
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
        let (workspace, granted) = try await usableWorkspace(workspaceID, scope: scope)
        let (datasets, partitions) = try await prepared(spec, granted)
        let plan = try engine.plan(spec, datasets: datasets, dialect: executor.dialect, partitions: partitions)
        if let runID = workspace.answers[plan.cacheKey] {
            return (try await answerFromCache(runID, workspace: workspace, by: actor), true)
        }
        // Identical queries in flight at once wait for one answer and pay once (R12): independent
        // noisy answers to one question could be averaged.
        let flight = try await queryFlights.run(workspaceID + "\n" + plan.cacheKey) {
            // A flight that ended after this caller looked may have kept the answer: look again, so
            // one instance executes a question once.
            let current = try await store.transaction { try await fetch(Workspace.self, workspaceID, scope: scope, tx: $0) }
            if let runID = current.answers[plan.cacheKey] {
                return (try await answerFromCache(runID, workspace: current, by: actor), true)
            }
            return try await answerQuery(spec: spec, plan: plan, workspace: current, datasets: datasets, partitions: partitions ?? [:],
                                         scope: scope, by: actor)
        }
        guard flight.shared else { return flight.value }
        return (try await answerFromCache(flight.value.run.id, workspace: workspace, by: actor), true)
    }

    /// A threshold query needs its datasets' record keys and audit partitions; a DP query neither.
    private func prepared(_ spec: QuerySpec, _ granted: [SandboxDataset]) async throws -> ([SandboxDataset], [String: AuditPartition]?) {
        guard spec.mode == .threshold else { return (granted, nil) }
        let datasets = try await keyed(granted, naming: spec.sources)
        return (datasets, try await partitions(for: spec.sources, datasets: datasets))
    }

    /// The one execution of a flight: checked against the budget, run, perturbed or noised, audited
    /// against every earlier release of the workspace (threshold mode), and kept. If another answer
    /// entered the audit history meanwhile, the audit runs again before anything is kept.
    private func answerQuery(spec: QuerySpec, plan: QueryPlan, workspace: Workspace, datasets: [SandboxDataset],
                             partitions: [String: AuditPartition], scope: AccessScope, by actor: Actor) async throws -> (run: QueryRun, cached: Bool) {
        let workspaceID = workspace.id
        try Self.requireBudget(Self.charge(plan.epsilon), workspace)
        let limits = plan.executionLimits
        let started = ContinuousClock.now
        let released = try await running.run(workspace: workspaceID, operator: workspace.operatorID) { [executor] in
            let output = try await executor.run(plan.statement, limits: limits)
            try Task.checkCancellation()
            var random = SystemRandomNumberGenerator()
            return plan.released(output, random: &random)
        }
        for attempt in 1...Self.auditAttempts {
            let outcome = try await running.run(workspace: workspaceID, operator: workspace.operatorID) {
                try await audit(plan, released, workspaceID: workspaceID, partitions: partitions, limits: limits)
            }
            let (answer, shown) = plan.answer(from: released, withholding: outcome.withheld)
            let boxes = plan.resolved.canonical.map { canonical in shown.map { canonical.box(keys: released.cells[$0].keys) } } ?? []
            let usage = UsageFigures(cpuMilliseconds: Self.milliseconds(since: started),
                                     rowsScanned: datasets.filter { plan.datasetIDs.contains($0.resourceID) }.reduce(0) { $0 + $1.rowCount },
                                     cellsReleased: answer.cellsReleased)
            do {
                return try await keep(answer, plan: plan, spec: spec, workspaceID: workspaceID, scope: scope, usage: usage,
                                      audited: (boxes, outcome.historyVersion), by: actor)
            } catch AuditHistoryMoved.moved where attempt < Self.auditAttempts {
                continue
            }
        }
        throw DomainError.stale
    }

    /// Concurrent answers in one workspace are audited against each other by re-auditing the later one.
    static let auditAttempts = 5

    enum AuditHistoryMoved: Error { case moved }

    /// Commits an answer: re-checks the workspace (a halt while running releases nothing) and the
    /// budget, charges the ledger, keeps the answer in quarantine, audits and meters it. If another
    /// server instance kept an answer to the same query meanwhile, this one is discarded — never
    /// released, never charged — and the kept one is served as a cached answer.
    private func keep(_ answer: QueryAnswer, plan: QueryPlan, spec: QuerySpec, workspaceID: String, scope: AccessScope, usage: UsageFigures,
                      audited: (boxes: [AuditBox], historyVersion: Int?), by actor: Actor) async throws -> (run: QueryRun, cached: Bool) {
        let now = clock.now()
        let answerJSON = String(decoding: try JSONEncoder.sortedKeys.encode(answer), as: UTF8.self)
        let charge = try Self.charge(plan.epsilon)
        return try await store.transaction { tx in
            // Serialises this workspace's charges and answers across instances until commit.
            try await tx.lockForUpdate(key: Self.ledgerLock(workspaceID))
            var workspace = try await fetch(Workspace.self, workspaceID, scope: scope, tx: tx)
            try await requireUsable(workspace, tx: tx)
            if let keptID = workspace.answers[plan.cacheKey], let kept = try await tx.lifecycle.get(QueryRun.self, id: keptID), kept.state != .purged {
                try await recordCachedUse(kept, workspace: workspace, by: actor, tx: tx, at: now)
                return (kept, true)
            }
            try Self.requireBudget(charge, workspace)
            let runID = ids.next(prefix: "qr")
            if let version = audited.historyVersion, let path = plan.resolved.canonical?.path {
                try await recordReleases(audited.boxes, path: path, expectedVersion: version, workspace: workspace, runID: runID, tx: tx, at: now)
            }
            let run = QueryRun(id: runID, workspaceID: workspaceID, operatorID: workspace.operatorID, mode: plan.mode.rawValue,
                               spec: String(decoding: spec.canonicalJSON, as: UTF8.self), cacheKey: plan.cacheKey, answer: answerJSON,
                               epsilonCharged: charge, datasetIDs: plan.datasetIDs,
                               providerIDs: plan.providerIDs.map(OrganizationID.init), usage: usage, state: .quarantined, runBy: actor.username,
                               version: 1, createdAt: now, updatedAt: now)
            try await tx.lifecycle.insert(run)
            if charge > .zero {
                workspace.ledger.append(LedgerEntry(at: now, runID: run.id, epsilon: charge, cacheKey: plan.cacheKey))
            }
            workspace.answers[plan.cacheKey] = run.id
            try await save(&workspace, tx: tx, at: now)
            try await tx.usage.append(UsageEvent(id: ids.next(prefix: "use"), at: now, operatorID: workspace.operatorID, workspaceID: workspaceID,
                                                 kind: .query, subjectID: run.id, figures: usage))
            try await record(AuditEvent(actor: actor, action: "query.run", objectType: "query_run", objectID: run.id,
                                        objectLabel: workspace.scenarioTitle,
                                        details: ["mode": run.mode, "epsilon": charge.description, "cellsReleased": String(answer.cellsReleased),
                                                  "cacheKey": plan.cacheKey, "workspace": workspaceID]),
                             operator: workspace.operatorID, summary: "query answered (\(run.mode))", tx: tx, at: now)
            return (run, false)
        }
    }

    /// An identical query: the same answer again, nothing charged; the use is still metered.
    private func answerFromCache(_ runID: String, workspace: Workspace, by actor: Actor) async throws -> QueryRun {
        let now = clock.now()
        return try await store.transaction { tx in
            guard let run = try await tx.lifecycle.get(QueryRun.self, id: runID), run.state != .purged else { throw DomainError.notFound("query run") }
            try await recordCachedUse(run, workspace: workspace, by: actor, tx: tx, at: now)
            return run
        }
    }

    /// A cached answer served again: metered at zero cost and audited as such.
    private func recordCachedUse(_ run: QueryRun, workspace: Workspace, by actor: Actor, tx: any StoreTransaction, at now: Date) async throws {
        try await tx.usage.append(UsageEvent(id: ids.next(prefix: "use"), at: now, operatorID: workspace.operatorID, workspaceID: workspace.id,
                                             kind: .query, subjectID: run.id, figures: UsageFigures()))
        try await record(AuditEvent(actor: actor, action: "query.cached", objectType: "query_run", objectID: run.id,
                                    objectLabel: workspace.scenarioTitle, details: ["cacheKey": run.cacheKey, "workspace": workspace.id]),
                         operator: nil, summary: "", tx: tx, at: now)
    }

    /// The lock a transaction holds while it reads and charges a workspace's ledger or answer cache.
    static func ledgerLock(_ workspaceID: String) -> String { "workspace-ledger:" + workspaceID }

    /// What an ε asked for costs in the ledger: rounded up to whole micro-ε, never less.
    static func charge(_ epsilon: Double) throws -> Epsilon {
        guard let charge = Epsilon.charge(epsilon) else {
            throw DomainError.refused("R12", "ε must be a number from 0 to \(Epsilon.maximum)", field: "/privacy/epsilon")
        }
        return charge
    }

    /// A charge the ledger cannot pay in full is refused: exact integers, no tolerance.
    static func requireBudget(_ charge: Epsilon, _ workspace: Workspace) throws {
        guard workspace.canPay(charge) else {
            throw DomainError.refused("R12", "the workspace's privacy budget cannot pay ε \(charge) (\(workspace.epsilonRemaining) left)",
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
