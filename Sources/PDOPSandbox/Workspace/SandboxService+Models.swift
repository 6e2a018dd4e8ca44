import Foundation
import PDOPDomain

extension SandboxService {
    /// A model job (R12): a built-in trainer on the granted, joined data under the same column rules;
    /// the output (coefficients and metrics) stays in quarantine; its hash binds any export approval.
    public func runModel(_ workspaceID: String, job json: Data, scope: AccessScope, by actor: Actor) async throws -> ModelRun {
        let job = try engine.parseModelJob(json)
        let (workspace, datasets) = try await usableWorkspace(workspaceID, scope: scope)
        let plan = try engine.plan(job, datasets: datasets, dialect: executor.dialect)
        let limits = ExecutionLimits(timeoutSeconds: Double(policy.sandboxStatementTimeoutSeconds), maxRows: policy.sandboxMaxModelRows + 1)
        let started = ContinuousClock.now
        let result = try await running.run(workspace: workspaceID, operator: workspace.operatorID) { [executor] in
            let output = try await executor.run(plan.statement, limits: limits)
            try Task.checkCancellation()
            return (try plan.fit(output), output.rows.count)
        }
        let usage = UsageFigures(cpuMilliseconds: Self.milliseconds(since: started),
                                 rowsScanned: result.1, cellsReleased: result.0.coefficients.count + 1 + result.0.metrics.count)
        let now = clock.now()
        let resultJSON = String(decoding: try JSONEncoder.sortedKeys.encode(result.0), as: UTF8.self)
        return try await store.transaction { tx in
            let workspace = try await fetch(Workspace.self, workspaceID, scope: scope, tx: tx)
            try await requireUsable(workspace, tx: tx)
            let run = ModelRun(id: ids.next(prefix: "mr"), workspaceID: workspaceID, operatorID: workspace.operatorID, name: job.name,
                               modelKind: job.kind.rawValue, definition: String(decoding: job.canonicalJSON, as: UTF8.self),
                               definitionHash: plan.definitionHash, result: resultJSON, datasetIDs: plan.datasetIDs,
                               providerIDs: plan.providerIDs.map(OrganizationID.init), usage: usage, state: .quarantined,
                               runBy: actor.username, version: 1, createdAt: now, updatedAt: now)
            try await tx.lifecycle.insert(run)
            try await tx.usage.append(UsageEvent(id: ids.next(prefix: "use"), at: now, operatorID: workspace.operatorID, workspaceID: workspaceID,
                                                 kind: .modelJob, subjectID: run.id, figures: usage))
            try await record(AuditEvent(actor: actor, action: "model.run", objectType: "model_run", objectID: run.id, objectLabel: job.name,
                                        details: ["kind": run.modelKind, "definitionHash": plan.definitionHash, "workspace": workspaceID]),
                             operator: workspace.operatorID, summary: "model trained (\(run.modelKind))", tx: tx, at: now)
            return run
        }
    }

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
