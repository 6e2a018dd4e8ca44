import Foundation

/// A column as a load read it: the inferred type and, if any, the kind of personal data detected.
public struct DetectedColumn: Equatable, Sendable {
    public var name: String
    public var type: ColumnType
    public var personalData: String?

    public init(name: String, type: ColumnType, personalData: String?) {
        self.name = name
        self.type = type
        self.personalData = personalData
    }

    /// The columns of a stored load report (the JSON `DataLoad.reportJSON` holds).
    public static func fromReport(_ json: String?) throws(DomainError) -> [DetectedColumn] {
        struct Report: Decodable {
            struct Column: Decodable { var name: String; var type: String; var personalData: String? }
            var columns: [Column]
        }
        guard let json, let report = try? JSONDecoder().decode(Report.self, from: Data(json.utf8)) else {
            throw .wrongState("no_report", "this load has no report to apply")
        }
        return try report.columns.map { column throws(DomainError) in
            guard let type = ColumnType(rawValue: column.type) else { throw .wrongState("no_report", "the report has an unknown column type") }
            return DetectedColumn(name: column.name, type: type, personalData: column.personalData)
        }
    }
}

/// Turning what a load detected into the catalog schema (R3, R5): the file's columns and types,
/// each personal-data proposal confirmed (direct identifier) unless the provider rejects it, and
/// what the catalog already said (descriptions, sensitivities) kept for columns of the same name.
public enum InferredSchema {
    public static func apply(_ detected: [DetectedColumn], to current: [ColumnSpec], rejecting rejected: [String]) throws(DomainError)
        -> [ColumnSpec] {
        let proposals = Set(detected.filter { $0.personalData != nil }.map(\.name))
        for (index, name) in rejected.enumerated() where !proposals.contains(name) {
            throw .invalid("rejectedProposals.\(index)", "column \(name) has no personal-data proposal to reject")
        }
        let rejectedSet = Set(rejected)
        let existing = Dictionary(current.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return detected.map { column in
            let before = existing[column.name]
            let confirmed = column.personalData != nil && !rejectedSet.contains(column.name)
            let sensitivity = confirmed ? Sensitivity.directIdentifier : before?.sensitivity ?? .ordinary
            let keepLevel = before.map { $0.sensitivity == sensitivity && $0.type == column.type } ?? false
            return ColumnSpec(name: column.name, type: column.type, description: before?.description ?? "", sensitivity: sensitivity,
                              level: keepLevel ? before?.level : nil)
        }
    }

    /// Names of the columns whose proposal this application confirms.
    public static func confirmed(_ detected: [DetectedColumn], rejecting rejected: [String]) -> [String] {
        detected.filter { $0.personalData != nil && !rejected.contains($0.name) }.map(\.name)
    }

    /// When the catalog has a schema, a file must carry exactly its column names (in any order).
    public static func checkFileColumns(_ names: [String], against catalog: [ColumnSpec]) throws(DomainError) {
        guard !catalog.isEmpty else { return }
        let expected = Set(catalog.map(\.name))
        let given = Set(names)
        guard expected != given else { return }
        let missing = catalog.map(\.name).filter { !given.contains($0) }
        let unexpected = names.filter { !expected.contains($0) }
        var parts: [String] = []
        if !missing.isEmpty { parts.append("missing \(missing.joined(separator: ", "))") }
        if !unexpected.isEmpty { parts.append("not in the catalog \(unexpected.joined(separator: ", "))") }
        throw .refused("R5", "the file's columns do not match the catalog schema (R3): \(parts.joined(separator: "; ")); "
                       + "correct the file or change the schema first", field: "file")
    }
}
