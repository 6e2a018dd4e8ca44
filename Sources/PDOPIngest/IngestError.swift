import PDOPDomain

/// Refusals of an upload. Each names where in the file it happened, in `field` and at the start
/// of the message, so a provider can find the line; the rule is R5 (loading into the domain store).
enum IngestError {
    static let rule = "R5"

    static func at(line: Int, _ message: String) -> DomainError {
        located("line \(line)", message)
    }

    /// `column` is a 1-based position while reading the text, a column name once the schema is known.
    static func at(line: Int, column: String, _ message: String) -> DomainError {
        located("line \(line), column \(column)", message)
    }

    static func file(_ message: String) -> DomainError {
        .invalid("file", message, rule: rule)
    }

    static func located(_ location: String, _ message: String) -> DomainError {
        .invalid(location, "\(location): \(message)", rule: rule)
    }

    /// A value from the file as shown inside an error: short enough for a message, quoted.
    static func quoted(_ value: String) -> String {
        let limit = 40
        return value.count <= limit ? "'\(value)'" : "'\(value.prefix(limit))…'"
    }
}
