/// Why a column of a sample is masked (issue 3: samples are masked on the server, DESIGN.md "Security").
public enum SampleMaskReason: String, CaseIterable, Codable, Sendable {
    /// The catalog marks it a direct identifier, quasi-identifier or sensitive.
    case sensitivity
    /// The load detected personal data in it.
    case personalData = "personal_data"
    /// The catalog does not describe it yet, so nobody has said it is harmless.
    case unclassified
}

public enum SampleMasking {
    /// Nil when the column may be shown (ordinary in the catalog, nothing detected); values that
    /// look like personal data are masked even then, value by value.
    public static func reason(for name: String, catalog: [ColumnSpec], detected: [DetectedColumn]) -> SampleMaskReason? {
        if detected.contains(where: { $0.name == name && $0.personalData != nil }) { return .personalData }
        guard let column = catalog.first(where: { $0.name == name }) else { return .unclassified }
        return column.sensitivity == .ordinary ? nil : .sensitivity
    }
}
