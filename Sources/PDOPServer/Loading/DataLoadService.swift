import Foundation
import PDOPDomain
import PDOPIngest
import PDOPStore

/// Loads a provider's file into the domain store (R5) and keeps the load history. The load
/// itself is one transaction in the domain store; the history row and its audit entries are
/// written in the platform database before (loading) and after (succeeded or failed), so an
/// interrupted load stays visible as "loading".
public struct DataLoadService: Sendable {
    let services: PlatformServices
    let loader: DomainDataLoader

    public init(services: PlatformServices) {
        self.services = services
        self.loader = DomainDataLoader(database: services.stores.domain)
    }

    /// The load as recorded; a failed one carries its message in `error`.
    public func load<Chunks: AsyncSequence & Sendable>(_ resourceID: ResourceID, mode: LoadMode, format: IngestFormat, encoding: TextEncoding,
                                                scope: AccessScope, by actor: Actor, chunks: Chunks) async throws -> DataLoad
    where Chunks.Element == [UInt8] {
        try await attempt(resourceID, mode: mode, format: format, encoding: encoding, scope: scope, by: actor, chunks: chunks).load
    }

    /// The load as recorded and, when it failed on a rule or bad input, that refusal.
    func attempt<Chunks: AsyncSequence & Sendable>(_ resourceID: ResourceID, mode: LoadMode, format: IngestFormat, encoding: TextEncoding,
                                                   scope: AccessScope, by actor: Actor, chunks: Chunks) async throws
        -> (load: DataLoad, refusal: DomainError?)
    where Chunks.Element == [UInt8] {
        let resource = try await services.catalog.resource(resourceID, scope: scope)
        guard scope.permits(resource.providerID) else { throw DomainError.notFound("resource") }
        if resource.state == .retired { throw DomainError.wrongState(resource.state.rawValue, "a retired resource takes no new data") }
        let store = services.store
        let started = services.clock.now()
        var load = DataLoad(id: DataLoadID(services.ids.next(prefix: "load")), resourceID: resourceID, mode: mode,
                            format: format.rawValue, state: .loading, dataVersion: nil, rowCount: nil, byteCount: nil, error: nil,
                            reportJSON: nil, startedBy: actor.username, startedAt: started, finishedAt: nil)
        let begun = load
        try await store.transaction { tx in
            try await tx.loads.insert(begun)
            try await tx.audit.append(AuditEvent(actor: actor, action: "data.load.start", objectType: "resource", objectID: resourceID.rawValue,
                                                 objectLabel: resource.name,
                                                 details: ["load": begun.id.rawValue, "mode": mode.rawValue, "format": format.rawValue]), at: started)
        }
        var refusal: DomainError?
        let limits = IngestLimits(maxInputBytes: services.policy.uploadLimitMegabytes << 20)
        do {
            let report = try await loader.load(resource: resourceID, mode: mode,
                                               configuration: IngestConfiguration(format: format, encoding: encoding, limits: limits),
                                               chunks: chunks, now: started, catalogColumns: resource.columns)
            load.state = .succeeded
            load.dataVersion = report.dataVersion
            load.rowCount = report.rows
            load.byteCount = report.bytes
            load.reportJSON = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        } catch {
            load.state = .failed
            refusal = error as? DomainError
            load.error = refusal?.message ?? "the load failed; quote load \(load.id) to support"
        }
        let finished = services.clock.now()
        load.finishedAt = finished
        let final = load
        try await store.transaction { tx in
            try await tx.loads.update(final)
            try await tx.audit.append(AuditEvent(
                actor: actor, action: "data.load", objectType: "resource", objectID: resourceID.rawValue, objectLabel: resource.name,
                outcome: final.state == .succeeded ? .allowed : .failed, reason: final.error,
                details: ["load": final.id.rawValue, "rows": final.rowCount.map(String.init) ?? "0",
                          "dataVersion": final.dataVersion.map(String.init) ?? ""]), at: finished)
        }
        return (final, refusal)
    }

    func loads(of resourceID: ResourceID, page: PageRequest, scope: AccessScope) async throws -> Page<DataLoad> {
        let resource = try await services.catalog.resource(resourceID, scope: scope)
        guard scope.permits(resource.providerID) else { throw DomainError.notFound("resource") }
        return try await services.store.transaction { try await $0.loads.loads(of: resourceID, page: page) }
    }
}
