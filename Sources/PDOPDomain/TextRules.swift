/// Field rules shared by every input: the same refusal for the same mistake everywhere.
public enum TextRules {
    public static let maxNameLength = 200

    /// A person's or organization's name: trimmed, 1…200 characters, no control characters.
    public static func name(_ value: String, field: String) throws(DomainError) -> String {
        let trimmed = value.trimmingWhitespace()
        if trimmed.isEmpty { throw .invalid(field, "must not be empty") }
        if trimmed.count > maxNameLength { throw .invalid(field, "must be at most \(maxNameLength) characters") }
        if trimmed.containsControlCharacter { throw .invalid(field, "must not contain control characters") }
        return trimmed
    }

    /// Free text such as a reason or a basis: up to `limit` characters; line breaks allowed.
    public static func text(_ value: String, field: String, limit: Int = 2000, required: Bool = true) throws(DomainError) -> String {
        let trimmed = value.trimmingWhitespace()
        if required && trimmed.isEmpty { throw .invalid(field, "must not be empty") }
        if trimmed.count > limit { throw .invalid(field, "must be at most \(limit) characters") }
        if trimmed.unicodeScalars.contains(where: { $0.isControl && $0 != "\n" && $0 != "\t" }) {
            throw .invalid(field, "must not contain control characters")
        }
        return trimmed
    }

    /// Login names: 3–64 of a–z, 0–9, '.', '_', '-', starting with a letter or digit.
    public static func username(_ value: String) throws(DomainError) -> String {
        let lower = value.lowercased()
        let allowed = lower.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "_" || $0 == "-"
        }
        guard (3...64).contains(lower.count), allowed, let first = lower.unicodeScalars.first,
              ("a"..."z").contains(first) || ("0"..."9").contains(first) else {
            throw .invalid("username", "use 3–64 characters: letters, digits, '.', '_' or '-'")
        }
        return lower
    }
}

extension Unicode.Scalar {
    var isControl: Bool { properties.generalCategory == .control || properties.generalCategory == .format }
}

extension String {
    var containsControlCharacter: Bool { unicodeScalars.contains(where: \.isControl) }

    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[start...end])
    }
}
