/// ASVS 6.2: length is what matters; no composition rules; the most common passwords are refused.
public struct PasswordPolicy: Sendable {
    public var minLength: Int
    public static let maxLength = 128

    public init(minLength: Int) { self.minLength = minLength }

    public func check(_ password: String, username: String? = nil, field: String = "password") throws(DomainError) {
        if password.count < minLength {
            throw .invalid(field, "must be at least \(minLength) characters")
        }
        if password.count > Self.maxLength {
            throw .invalid(field, "must be at most \(Self.maxLength) characters")
        }
        if password.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw .invalid(field, "must not contain control characters")
        }
        let folded = password.lowercased()
        if CommonPasswords.set.contains(folded) {
            throw .invalid(field, "is one of the most common passwords; choose another")
        }
        if let username, folded.contains(username.lowercased()) {
            throw .invalid(field, "must not contain the username")
        }
    }
}
