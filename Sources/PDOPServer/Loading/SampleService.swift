import Foundation
import PDOPDomain
import PDOPIngest
import PDOPStore

/// A few rows of a resource's current data, masked, for its provider and the authority (issue 3).
struct MaskedSample: Sendable {
    struct Column: Sendable {
        var name: String
        var type: ColumnType
        var maskReason: SampleMaskReason?
    }

    var dataVersion: Int
    var columns: [Column]
    var rows: [[String?]]
}

struct SampleService: Sendable {
    let services: PlatformServices

    /// Nil when there is no data yet. Another organization's resource is not found.
    func sample(_ id: ResourceID, scope: AccessScope) async throws -> MaskedSample? {
        let resource = try await services.catalog.resource(id, scope: scope)
        guard scope.permits(resource.providerID) else { throw DomainError.notFound("resource") }
        guard let raw = try await DomainSampleReader(database: services.stores.domain).sample(id, rows: services.policy.sampleRows) else {
            return nil
        }
        let latest = try await services.store.transaction { try await $0.loads.latestSucceeded(of: id) }
        let detected = latest?.dataVersion == raw.dataVersion ? (try? DetectedColumn.fromReport(latest?.reportJSON)) ?? [] : []
        let columns = raw.columns.map { stored in
            MaskedSample.Column(name: stored.name, type: stored.type,
                                maskReason: SampleMasking.reason(for: stored.name, catalog: resource.columns, detected: detected))
        }
        let kinds = raw.columns.map { stored in
            detected.first { $0.name == stored.name }?.personalData.flatMap(PersonalDataKind.init(rawValue:))
        }
        let rows = raw.rows.map { row in
            row.enumerated().map { index, value -> String? in
                guard let value else { return nil }
                if columns[index].maskReason != nil { return Masking.maskValue(value, kind: kinds[index]) }
                // An ordinary column still never shows a value shaped like personal data.
                if let kind = PersonalData.kind(of: value) { return Masking.mask(value, kind: kind) }
                return value
            }
        }
        return MaskedSample(dataVersion: raw.dataVersion, columns: columns, rows: rows)
    }
}
