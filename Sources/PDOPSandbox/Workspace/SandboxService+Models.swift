import Foundation
import PDOPDomain

extension SandboxService {
    /// A model job (R12): a built-in DP trainer on the granted, joined data under the same column rules.
    /// Its ε is checked before anything is read and charged to the workspace's ledger in the transaction
    /// that keeps the output (coefficients, metrics from the noisy statistics, noisy counts) in quarantine;
    /// its hash binds any export approval.
    public func runModel(_ workspaceID: String, job json: Data, scope: AccessScope, by actor: Actor) async throws -> ModelRun {
        let job = try engine.parseModelJob(json)
        let (workspace, granted) = try await usableWorkspace(workspaceID, scope: scope)
        let datasets = try await keyed(granted, naming: job.sources)
        let plan = try engine.plan(job, datasets: datasets, dialect: executor.dialect)
        // The training rows are a box of the audit partition, kept in the release history with the queries' cells.
        let cell = try plan.auditCell(partitions: try await partitions(for: job.sources, datasets: datasets))
        let charge = try Self.charge(plan.epsilon)
        try Self.requireBudget(charge, workspace)
        let started = ContinuousClock.now
        let result: (model: ModelResult, rows: Int)
        do {
            result = try await running.run(workspace: workspaceID, operator: workspace.operatorID) { [executor] in
                let output = try await executor.run(plan.statement, limits: plan.executionLimits)
                try Task.checkCancellation()
                var random = SystemRandomNumberGenerator()
                return (try plan.fit(output, random: &random), output.rows.count)
            }
        } catch let refusal as DomainError where refusal == ModelPlan.tooFewUnits {
            try await chargeRefusal(plan, workspaceID: workspaceID, scope: scope, by: actor)
            throw refusal
        }
        let usage = UsageFigures(cpuMilliseconds: Self.milliseconds(since: started), rowsScanned: result.rows,
                                 cellsReleased: result.model.coefficients.count + 3 + result.model.metrics.count)
        let now = clock.now()
        let resultJSON = String(decoding: try JSONEncoder.sortedKeys.encode(result.model), as: UTF8.self)
        return try await store.transaction { tx in
            try await tx.lockForUpdate(key: Self.ledgerLock(workspaceID))
            var workspace = try await fetch(Workspace.self, workspaceID, scope: scope, tx: tx)
            try await requireUsable(workspace, tx: tx)
            // Spent meanwhile by another run: the model is discarded, never released.
            try Self.requireBudget(charge, workspace)
            let runID = ids.next(prefix: "mr")
            // The training box joins the history and the monthly budget.
            try await recordReleases([cell.box], path: cell.path, expectedVersion: nil, workspace: workspace, runID: runID, tx: tx, at: now)
            let run = ModelRun(id: runID, workspaceID: workspaceID, operatorID: workspace.operatorID, name: job.name,
                               modelKind: job.kind.rawValue, definition: String(decoding: job.canonicalJSON, as: UTF8.self),
                               definitionHash: plan.definitionHash, result: resultJSON, datasetIDs: plan.datasetIDs,
                               providerIDs: plan.providerIDs.map(OrganizationID.init), usage: usage, state: .quarantined,
                               runBy: actor.username, version: 1, createdAt: now, updatedAt: now)
            try await tx.lifecycle.insert(run)
            workspace.ledger.append(LedgerEntry(at: now, runID: run.id, epsilon: charge, cacheKey: Self.modelLedgerKey(plan)))
            try await save(&workspace, tx: tx, at: now)
            try await tx.usage.append(UsageEvent(id: ids.next(prefix: "use"), at: now, operatorID: workspace.operatorID, workspaceID: workspaceID,
                                                 kind: .modelJob, subjectID: run.id, figures: usage))
            try await record(AuditEvent(actor: actor, action: "model.run", objectType: "model_run", objectID: run.id, objectLabel: job.name,
                                        details: ["kind": run.modelKind, "definitionHash": plan.definitionHash, "workspace": workspaceID,
                                                  "epsilon": charge.description]),
                             operator: workspace.operatorID, summary: "model trained (\(run.modelKind))", tx: tx, at: now)
            return run
        }
    }

    /// A refusal for too few noisy units is itself a DP release of the unit count, so its share of ε is
    /// charged; were it free, repeating the job would average the noise away. If the ledger cannot pay
    /// even that share now, the budget refusal is given instead and the noisy decision never leaves.
    private func chargeRefusal(_ plan: ModelPlan, workspaceID: String, scope: AccessScope, by actor: Actor) async throws {
        let charge = try Self.charge(plan.refusalEpsilon)
        let now = clock.now()
        try await store.transaction { tx in
            try await tx.lockForUpdate(key: Self.ledgerLock(workspaceID))
            var workspace = try await fetch(Workspace.self, workspaceID, scope: scope, tx: tx)
            try Self.requireBudget(charge, workspace)
            let runID = ids.next(prefix: "mr")
            workspace.ledger.append(LedgerEntry(at: now, runID: runID, epsilon: charge, cacheKey: Self.modelLedgerKey(plan)))
            try await save(&workspace, tx: tx, at: now)
            try await record(AuditEvent(actor: actor, action: "model.refused", objectType: "workspace", objectID: workspaceID,
                                        objectLabel: plan.job.name,
                                        details: ["kind": plan.job.kind.rawValue, "definitionHash": plan.definitionHash, "epsilon": charge.description]),
                             operator: nil, summary: "", tx: tx, at: now)
        }
    }

    static func modelLedgerKey(_ plan: ModelPlan) -> String { "model:" + plan.definitionHash }

    public func modelRuns(_ workspaceID: String, scope: AccessScope, page: PageRequest) async throws -> Page<ModelRun> {
        try await store.transaction { tx in
            _ = try await fetch(Workspace.self, workspaceID, scope: scope, tx: tx)
            return try await tx.lifecycle.list(ModelRun.self, LifecycleFilter(subjectID: workspaceID), page: page)
        }
    }

    public func modelRun(_ id: String, scope: AccessScope) async throws -> ModelRun {
        try await store.transaction { try await fetch(ModelRun.self, id, scope: scope, tx: $0) }
    }
}
