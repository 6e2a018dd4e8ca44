import Foundation

/// What the lifecycle does to the sandbox, inside its own transaction: a suspension halts every
/// workspace of the operator (R8 case 3, R17); an ending closes them, ends the grants and deletes
/// the quarantined outputs, each counted in the deletion record (R9.6).
public enum SandboxClosure {
    /// Every record of `type` owned by `operatorID`, through all pages.
    static func all<R: LifecycleRecord>(_ type: R.Type, of operatorID: OrganizationID, tx: any StoreTransaction) async throws -> [R] {
        try await Page.all { try await tx.lifecycle.list(type, LifecycleFilter(owner: operatorID), page: $0) }
    }

    /// Halts the operator's open workspaces; returns how many.
    public static func halt(operator operatorID: OrganizationID, reason: String, by actor: String, tx: any StoreTransaction,
                            at now: Date) async throws -> Int {
        var halted = 0
        for var workspace in try await all(Workspace.self, of: operatorID, tx: tx) where workspace.state == .open {
            workspace.state = .halted
            workspace.haltedReason = reason
            workspace.haltedBy = actor
            workspace.haltedAt = now
            try await CaseRecords.save(&workspace, tx: tx, at: now)
            halted += 1
        }
        return halted
    }

    /// Closes the workspaces and grants under `agreementID` and purges their outputs.
    public static func close(agreementID: String, operator operatorID: OrganizationID, tx: any StoreTransaction,
                             at now: Date) async throws -> [DeletionRecord.Item] {
        var workspaces = 0, grants = 0, results = 0, models = 0
        for var workspace in try await all(Workspace.self, of: operatorID, tx: tx)
        where workspace.agreementID == agreementID && workspace.state != .closed {
            workspace.state = .closed
            try await CaseRecords.save(&workspace, tx: tx, at: now)
            workspaces += 1
            for var run in try await all(QueryRun.self, of: operatorID, tx: tx) where run.workspaceID == workspace.id && run.state != .purged {
                run.answer = ""
                run.state = .purged
                try await CaseRecords.save(&run, tx: tx, at: now)
                results += 1
            }
            for var model in try await all(ModelRun.self, of: operatorID, tx: tx) where model.workspaceID == workspace.id && model.state != .purged {
                model.result = ""
                model.state = .purged
                try await CaseRecords.save(&model, tx: tx, at: now)
                models += 1
            }
        }
        for var request in try await all(DataRequest.self, of: operatorID, tx: tx)
        where request.agreementID == agreementID && (request.state == .granted || request.state == .pending) {
            request.state = request.state == .granted ? .ended : .withdrawn
            try await CaseRecords.save(&request, tx: tx, at: now)
            grants += 1
        }
        return [DeletionRecord.Item(what: "workspaces", count: workspaces), DeletionRecord.Item(what: "data_grants", count: grants),
                DeletionRecord.Item(what: "query_results", count: results), DeletionRecord.Item(what: "model_results", count: models)]
    }
}
