import Foundation
import PDOPDomain

/// A workspace as its staff see it: granted datasets (schemas and levels, never table names or
/// rows), synthetic previews, the ε ledger.
public struct WorkspaceView: Sendable {
    public var workspace: Workspace
    public var datasets: [SandboxDataset]
    /// Synthetic preview rows per dataset id, generated from profiles — never a real row.
    public var previews: [String: [[String]]]
    public var runningNow: Int
}

extension SandboxService {
    public func workspaces(scope: AccessScope, page: PageRequest) async throws -> Page<Workspace> {
        var filter = LifecycleFilter()
        filter.owner = scope.onlyOrganization
        let final = filter
        return try await store.transaction { try await $0.lifecycle.list(Workspace.self, final, page: page) }
    }

    public func workspace(_ id: String, scope: AccessScope, previews: Bool = true) async throws -> WorkspaceView {
        let (workspace, datasets, profiles) = try await store.transaction { tx in
            let workspace = try await fetch(Workspace.self, id, scope: scope, tx: tx)
            let datasets = try await self.datasets(of: workspace, tx: tx)
            var profiles: [String: [PreviewProfile]] = [:]
            if previews {
                for dataset in datasets {
                    profiles[dataset.resourceID] = try await tx.loads.latestSucceeded(of: ResourceID(dataset.resourceID))
                        .map { Self.previewProfiles($0.reportJSON) } ?? []
                }
            }
            return (workspace, datasets, profiles)
        }
        var rows: [String: [[String]]] = [:]
        for dataset in datasets where previews {
            // Stable per dataset version, so the preview does not change between page views.
            let seed = dataset.resourceID.utf8.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }
                ^ UInt64(dataset.dataVersion)
            rows[dataset.resourceID] = SyntheticPreview.rows(for: dataset, profiles: profiles[dataset.resourceID] ?? [],
                                                             count: policy.sandboxPreviewRows, seed: seed)
        }
        return WorkspaceView(workspace: workspace, datasets: datasets.map(Self.hidingStorage), previews: rows,
                             runningNow: running.count(workspace: id))
    }

    /// What an operator may learn of a dataset: not where it is stored.
    static func hidingStorage(_ dataset: SandboxDataset) -> SandboxDataset {
        var shown = dataset
        shown.table = ""
        return shown
    }

    /// The workspace's granted datasets with their effective column policies (the provider's policy,
    /// the requested columns only, levels narrowed by the grant). Resources with no data are left out.
    func datasets(of workspace: Workspace, tx: any StoreTransaction) async throws -> [SandboxDataset] {
        var byResource: [ResourceID: SandboxDataset] = [:]
        var order: [ResourceID] = []
        for grantID in workspace.grantIDs {
            guard let grant = try await tx.lifecycle.get(DataRequest.self, id: grantID), grant.state == .granted else { continue }
            for item in grant.resources {
                guard let resource = try await tx.catalog.get(item.resourceID), resource.openAttribute != .prohibited,
                      let stored = try await registry.current(item.resourceID) else { continue }
                let base = try await item.grantedPolicy.asyncOr {
                    try await tx.lifecycle.get(SandboxPolicy.self, id: SandboxPolicy.id(for: item.resourceID))
                        ?? SandboxPolicy.proposed(for: resource, policy: policy, at: clock.now())
                }
                var columns: [SandboxColumn] = []
                for column in resource.columns where item.columns.contains(column.name) || column.name == base.unitColumn {
                    let rule = base.column(column.name) ?? ColumnPolicy(name: column.name, level: .deny)
                    let level = column.name == base.unitColumn ? .joinOnly : item.narrowed[column.name] ?? rule.level
                    guard level != .deny else { continue }
                    columns.append(SandboxColumn(name: column.name, type: column.type, level: level, lower: rule.lower, upper: rule.upper,
                                                 keySpace: rule.keySpace, bucketWidth: rule.bucketWidth))
                }
                if byResource[item.resourceID] == nil { order.append(item.resourceID) }
                byResource[item.resourceID] = SandboxDataset(
                    resourceID: resource.id.rawValue, name: resource.name, providerID: resource.providerID.rawValue, table: stored.table,
                    dataVersion: stored.dataVersion, rowCount: stored.rowCount, unitColumn: base.unitColumn, unitDomain: base.unitDomain,
                    minUnits: max(base.minUnits, policy.sandboxMinUnits), columns: columns)
            }
        }
        return order.compactMap { byResource[$0] }
    }

    /// The workspace must be open and its agreement in trial or active state (R11, R17).
    func requireUsable(_ workspace: Workspace, tx: any StoreTransaction) async throws {
        switch workspace.state {
        case .open: break
        case .halted: throw DomainError.wrongState("halted", "the workspace is halted; only the authority can resume it")
        case .closed: throw DomainError.wrongState("closed", "the workspace was closed when its agreement ended")
        }
        let agreement = try await fetch(Agreement.self, workspace.agreementID, scope: .all, tx: tx)
        guard agreement.state.grantsDataAccess else {
            throw DomainError.refused("R11", "the agreement is \(agreement.state.rawValue); data may be used only in its trial or active period")
        }
    }

    /// R17: the operator (on finding a risk) or the authority stops the workspace at once. Running
    /// queries are cancelled, new ones refused, and a risk report is opened.
    public func halt(_ id: String, reason: String, scope: AccessScope, by actor: Actor) async throws -> RiskReport {
        let reason = try TextRules.text(reason, field: "reason", limit: 4000)
        let now = clock.now()
        let report = try await store.transaction { tx in
            var workspace = try await fetch(Workspace.self, id, scope: scope, tx: tx)
            guard workspace.state == .open else {
                throw DomainError.wrongState(workspace.state.rawValue, "only an open workspace can be halted")
            }
            workspace.state = .halted
            workspace.haltedReason = reason
            workspace.haltedBy = actor.username
            workspace.haltedAt = now
            try await save(&workspace, tx: tx, at: now)
            let report = RiskReport(id: ids.next(prefix: "risk"), workspaceID: id, operatorID: workspace.operatorID, reportedBy: actor.username,
                                    description: reason, state: "open", resolution: nil, closedAt: nil, version: 1, createdAt: now, updatedAt: now)
            try await tx.lifecycle.insert(report)
            try await record(AuditEvent(actor: actor, action: "workspace.halt", objectType: "workspace", objectID: id,
                                        objectLabel: workspace.scenarioTitle, reason: reason, details: ["riskReport": report.id]),
                             operator: workspace.operatorID, summary: "workspace halted, risk report opened", tx: tx, at: now)
            return report
        }
        running.cancel(workspace: id)
        return report
    }

    /// Only the authority resumes a halted workspace, closing its open risk reports.
    public func resume(_ id: String, resolution: String, version: Int, by actor: Actor) async throws -> Workspace {
        guard actor.roles.contains(.authority) else {
            throw DomainError(.forbidden, "only the authority resumes a halted workspace", rule: "R17")
        }
        let resolution = try TextRules.text(resolution, field: "resolution", limit: 4000)
        let now = clock.now()
        return try await store.transaction { tx in
            var workspace = try await fetch(Workspace.self, id, scope: .all, tx: tx)
            guard workspace.version == version else { throw DomainError.stale }
            guard workspace.state == .halted else {
                throw DomainError.wrongState(workspace.state.rawValue, "only a halted workspace can be resumed")
            }
            workspace.state = .open
            try await requireUsable(workspace, tx: tx)
            workspace.haltedReason = nil
            workspace.haltedBy = nil
            workspace.haltedAt = nil
            try await save(&workspace, tx: tx, at: now)
            var closed = 0
            for var report in try await tx.lifecycle.list(RiskReport.self, LifecycleFilter(subjectID: id, states: ["open"]),
                                                          page: PageRequest(limit: 200)).items {
                report.state = "closed"
                report.resolution = resolution
                report.closedAt = now
                try await save(&report, tx: tx, at: now)
                closed += 1
            }
            try await record(AuditEvent(actor: actor, action: "workspace.resume", objectType: "workspace", objectID: id,
                                        objectLabel: workspace.scenarioTitle, reason: resolution, details: ["riskReportsClosed": String(closed)]),
                             operator: workspace.operatorID, summary: "workspace resumed", tx: tx, at: now)
            return workspace
        }
    }

    /// Risk reports in the caller's scope, of one workspace when given.
    public func riskReports(scope: AccessScope, workspace: String? = nil, page: PageRequest) async throws -> Page<RiskReport> {
        let filter = LifecycleFilter(owner: scope.onlyOrganization, subjectID: workspace)
        return try await store.transaction { try await $0.lifecycle.list(RiskReport.self, filter, page: page) }
    }

    /// The public parts of a load's profile, for synthetic previews.
    static func previewProfiles(_ reportJSON: String?) -> [PreviewProfile] {
        struct Report: Decodable {
            struct Top: Decodable { var value: String; var count: Int }
            struct Profile: Decodable { var name: String; var nullRate: Double; var minimum, maximum: String?; var topValues: [Top]? }
            var profiles: [Profile]
        }
        guard let reportJSON, let report = try? JSONDecoder().decode(Report.self, from: Data(reportJSON.utf8)) else { return [] }
        return report.profiles.map {
            PreviewProfile(name: $0.name, nullRate: $0.nullRate, minimum: $0.minimum, maximum: $0.maximum,
                           topValues: ($0.topValues ?? []).map { (value: $0.value, count: $0.count) })
        }
    }
}

extension Optional where Wrapped: Sendable {
    /// The value, or what `fallback` reads when there is none.
    func asyncOr(_ fallback: () async throws -> Wrapped) async rethrows -> Wrapped {
        if let value = self { return value }
        return try await fallback()
    }
}
