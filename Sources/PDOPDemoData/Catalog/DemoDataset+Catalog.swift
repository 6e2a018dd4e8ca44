import PDOPDomain

extension DemoDataset {
    /// The catalog entry a provider would write for this dataset (R3).
    public var resourceDraft: ResourceDraft {
        ResourceDraft(
            domain: DomainArea.all.first { $0.nameZh == domain }?.code ?? "statistics", name: name, description: description,
            keywords: keywords, grade: grade, openAttribute: openAttribute, origin: .county, updateFrequency: frequency,
            columns: columns.map { ColumnSpec(name: $0.name, type: $0.type, description: $0.description, sensitivity: $0.sensitivity) })
    }
}
