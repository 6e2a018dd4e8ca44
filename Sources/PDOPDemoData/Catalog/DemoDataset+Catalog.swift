import PDOPDomain

extension DemoDataset {
    /// The catalog entry a provider would write for this dataset (R3).
    public var resourceDraft: ResourceDraft {
        ResourceDraft(
            domain: DomainArea.all.first { $0.nameZh == domain }?.code ?? "statistics", name: name, description: description,
            keywords: keywords, grade: DataGrade(rawValue: grade.rawValue) ?? .l2,
            openAttribute: openAttribute == .unconditional ? .unconditional : .conditional, origin: .county,
            updateFrequency: PDOPDomain.UpdateFrequency(rawValue: frequency.rawValue) ?? .irregular,
            columns: columns.map { column in
                ColumnSpec(name: column.name, type: PDOPDomain.ColumnType(rawValue: column.type.rawValue) ?? .text,
                           description: column.description, sensitivity: column.sensitivity.catalogSensitivity)
            })
    }
}

extension DemoDataset.Sensitivity {
    var catalogSensitivity: PDOPDomain.Sensitivity {
        switch self {
        case .directIdentifier: .directIdentifier
        case .quasiIdentifier: .quasiIdentifier
        case .sensitive: .sensitive
        case .ordinary: .ordinary
        }
    }
}
