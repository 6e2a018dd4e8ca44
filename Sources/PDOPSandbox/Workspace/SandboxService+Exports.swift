import Crypto
import Foundation
import PDOPDomain

/// An approved export's file: the watermark is in the file itself.
public struct ExportFile: Sendable {
    public var filename: String
    public var contentType: String
    public var body: Data
}

extension SandboxService {
    /// R12: an operator asks to take one quarantined result or model out. The authority and every
    /// provider whose data it derives from review it; the approval is bound to the output's hash.
    public func requestExport(outputKind: String, outputID: String, justification: String, scope: AccessScope,
                              by actor: Actor) async throws -> ExportRequest {
        let justification = try TextRules.text(justification, field: "justification", limit: 2000)
        let now = clock.now()
        return try await store.transaction { tx in
            let (workspaceID, operatorID, providers, hash) = try await markOutput(outputKind, outputID, scope: scope, to: .exportRequested,
                                                                                 from: [.quarantined, .exportRefused], tx: tx, at: now)
            let workspace = try await fetch(Workspace.self, workspaceID, scope: scope, tx: tx)
            try await requireUsable(workspace, tx: tx)
            let parties = [ApprovalParty.authority] + providers.map(ApprovalParty.provider)
            let request = ExportRequest(id: ids.next(prefix: "exp"), workspaceID: workspaceID, operatorID: operatorID,
                                        operatorName: workspace.operatorName, outputKind: outputKind, outputID: outputID, outputHash: hash,
                                        justification: justification, approvals: parties.map(ApprovalSlot.init(party:)), state: .pending,
                                        rejectionReason: nil, watermark: nil, downloads: 0, requestedBy: actor.username, version: 1,
                                        createdAt: now, updatedAt: now)
            try await tx.lifecycle.insert(request)
            try await record(AuditEvent(actor: actor, action: "export.request", objectType: "export_request", objectID: request.id,
                                        objectLabel: outputID, details: ["output": outputID, "hash": hash,
                                                                         "reviewers": parties.map(\.label).joined(separator: ",")]),
                             operator: operatorID, summary: "export requested", tx: tx, at: now)
            return request
        }
    }

    /// One reviewer's decision. All approvals → approved, with an export id and watermark; a
    /// rejection records the reason and returns the output to quarantine's refused state.
    public func decideExport(_ id: String, approve: Bool, reason: String?, version: Int, by actor: Actor) async throws -> ExportRequest {
        let reason = try reason.map { try TextRules.text($0, field: "reason", limit: 2000) }
        if !approve, reason == nil { throw DomainError.invalid("reason", "give the reason for rejecting", rule: "R12") }
        let now = clock.now()
        return try await store.transaction { tx in
            var request = try await fetch(ExportRequest.self, id, scope: .all, tx: tx)
            guard request.version == version else { throw DomainError.stale }
            let party = try Self.deciding(actor, slots: request.approvals, pending: request.state == .pending)
            Self.decide(&request.approvals, party, approve ? .approved : .refused, by: actor.username, reason: reason, at: now)
            if !approve {
                request.state = .rejected
                request.rejectionReason = reason
                _ = try await markOutput(request.outputKind, request.outputID, scope: .all, to: .exportRefused, from: [.exportRequested],
                                         tx: tx, at: now)
            } else if request.approvals.allSatisfy({ $0.decision == .approved }) {
                let current = try await markOutput(request.outputKind, request.outputID, scope: .all, to: .exported, from: [.exportRequested],
                                                   tx: tx, at: now)
                guard current.hash == request.outputHash else {
                    throw DomainError.refused("R12", "the output changed after the export was requested; the approval does not apply")
                }
                request.state = .approved
                request.watermark = "PDOP \(request.id) · \(request.operatorName) · \(CivilCalendar.chinaDay(of: now)) · sha256:\(request.outputHash.prefix(16))"
            }
            try await save(&request, tx: tx, at: now)
            let action = approve ? (request.state == .approved ? "export.approve" : "export.review") : "export.reject"
            try await record(AuditEvent(actor: actor, action: action, objectType: "export_request", objectID: id, objectLabel: request.outputID,
                                        reason: reason, details: ["party": party.label]),
                             operator: request.operatorID, summary: "export \(request.state.rawValue)", tx: tx, at: now)
            return request
        }
    }

    /// An approved export as a file carrying its export id and watermark; every download is logged and metered.
    public func download(_ id: String, scope: AccessScope, by actor: Actor) async throws -> ExportFile {
        let now = clock.now()
        return try await store.transaction { tx in
            var request = try await fetch(ExportRequest.self, id, scope: scope, tx: tx)
            guard request.state == .approved, let watermark = request.watermark else {
                throw DomainError.wrongState(request.state.rawValue, "only an approved export can be downloaded")
            }
            let file = try await exportFile(request, watermark: watermark, tx: tx)
            request.downloads += 1
            try await save(&request, tx: tx, at: now)
            try await tx.usage.append(UsageEvent(id: ids.next(prefix: "use"), at: now, operatorID: request.operatorID,
                                                 workspaceID: request.workspaceID, kind: .download, subjectID: id,
                                                 figures: UsageFigures(bytesExported: file.body.count)))
            try await record(AuditEvent(actor: actor, action: "export.download", objectType: "export_request", objectID: id,
                                        objectLabel: request.outputID, details: ["bytes": String(file.body.count),
                                                                                 "download": String(request.downloads)]),
                             operator: request.operatorID, summary: "export downloaded", tx: tx, at: now)
            return file
        }
    }

    public func exports(scope: AccessScope, provider: OrganizationID?, page: PageRequest) async throws -> Page<ExportRequest> {
        try await visible(ExportRequest.self, scope: scope, provider: provider, page: page) { $0.reviewedBy($1) }
    }

    public func export(_ id: String, scope: AccessScope, provider: OrganizationID?) async throws -> ExportRequest {
        try await visible(ExportRequest.self, id, scope: scope, provider: provider) { $0.reviewedBy($1) }
    }

    /// Moves a query result or model output between quarantine states; returns what the export needs.
    private func markOutput(_ kind: String, _ id: String, scope: AccessScope, to target: OutputState, from allowed: [OutputState],
                            tx: any StoreTransaction, at now: Date) async throws
        -> (workspaceID: String, operatorID: OrganizationID, providers: [OrganizationID], hash: String) {
        switch kind {
        case "query_run":
            var run = try await fetch(QueryRun.self, id, scope: scope, tx: tx)
            guard allowed.contains(run.state) else { throw DomainError.wrongState(run.state.rawValue, "this result cannot take that step") }
            run.state = target
            try await save(&run, tx: tx, at: now)
            return (run.workspaceID, run.operatorID, run.providerIDs, Self.digest(run.spec + "\n" + run.answer))
        case "model_run":
            var model = try await fetch(ModelRun.self, id, scope: scope, tx: tx)
            guard allowed.contains(model.state) else { throw DomainError.wrongState(model.state.rawValue, "this model cannot take that step") }
            model.state = target
            try await save(&model, tx: tx, at: now)
            return (model.workspaceID, model.operatorID, model.providerIDs, Self.digest(model.definitionHash + "\n" + model.result))
        default:
            throw DomainError.invalid("outputKind", "must be query_run or model_run")
        }
    }

    private func exportFile(_ request: ExportRequest, watermark: String, tx: any StoreTransaction) async throws -> ExportFile {
        let header = "# \(watermark)\n# export \(request.id), approved output \(request.outputID)\n"
        if request.outputKind == "model_run" {
            let model = try await fetch(ModelRun.self, request.outputID, scope: .all, tx: tx)
            let body = "{\"export\":\"\(request.id)\",\"watermark\":\(Self.jsonString(watermark)),\"model\":\(model.result)}"
            return ExportFile(filename: "\(request.id).json", contentType: "application/json", body: Data(body.utf8))
        }
        let run = try await fetch(QueryRun.self, request.outputID, scope: .all, tx: tx)
        let answer = try JSONDecoder().decode(QueryAnswer.self, from: Data(run.answer.utf8))
        return ExportFile(filename: "\(request.id).csv", contentType: "text/csv; charset=utf-8", body: Data((header + answer.csv).utf8))
    }

    static func digest(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func jsonString(_ text: String) -> String {
        String(decoding: (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
    }
}

extension ExportRequest {
    /// Whether the provider is one of this export's reviewers.
    func reviewedBy(_ provider: OrganizationID) -> Bool { approvals.contains { $0.party == .provider(provider) } }
}
