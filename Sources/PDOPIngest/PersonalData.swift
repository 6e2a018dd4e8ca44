import PDOPDomain

/// The kinds of direct identifiers recognised in uploaded values (issue 3, item 4).
public enum PersonalDataKind: String, CaseIterable, Sendable {
    case residentID = "resident_id"
    case mobile
    case creditCode = "credit_code"
    case bankCard = "bank_card"
    case email

    /// Plural noun for "43 of 50 values look like …".
    public var label: String {
        switch self {
        case .residentID: "resident ID numbers"
        case .mobile: "mobile numbers"
        case .creditCode: "unified social credit codes"
        case .bankCard: "bank card numbers"
        case .email: "e-mail addresses"
        }
    }
}

public enum PersonalData {
    /// The kind `value` looks like, if any. Checked in this order so that an 18-character ID or
    /// credit code that happens to pass Luhn is not taken for a bank card.
    public static func kind(of value: String) -> PersonalDataKind? {
        if value.utf8.count == 18 {
            if ResidentID.isValid(value) { return .residentID }
            if CreditCode.isValid(value) { return .creditCode }
        }
        if isMobile(value) { return .mobile }
        if (13...19).contains(value.utf8.count), Luhn.isValid(value) { return .bankCard }
        if isEmail(value) { return .email }
        return nil
    }

    /// `1[3-9]` and nine more digits, optionally after +86 (with a space or hyphen allowed).
    public static func isMobile(_ value: String) -> Bool {
        var digits = Substring(value)
        if digits.hasPrefix("+86") {
            digits = digits.dropFirst(3)
            if digits.first == " " || digits.first == "-" { digits = digits.dropFirst() }
        }
        let bytes = Array(digits.utf8)
        return bytes.count == 11 && bytes[0] == UInt8(ascii: "1") && (UInt8(ascii: "3")...UInt8(ascii: "9")).contains(bytes[1])
            && bytes.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    /// One '@'; a local part of printable ASCII without spaces; a domain of at least two
    /// dot-separated labels of letters, digits and inner hyphens, the last one letters only.
    public static func isEmail(_ value: String) -> Bool {
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let local = parts.first, let domain = parts.last,
              (1...64).contains(local.utf8.count), domain.utf8.count <= 253,
              local.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ",") && $0 != UInt8(ascii: ";") }),
              !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else { return false }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, let top = labels.last, top.utf8.count >= 2,
              top.utf8.allSatisfy({ isASCIILetter($0) }) else { return false }
        return labels.allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.utf8.allSatisfy { isASCIILetter($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "-") }
        }
    }

    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
    }
}

/// How many of a column's sampled values look like each kind of personal data.
public struct PersonalDataCounts: Equatable, Sendable {
    /// A kind matched by at least this share of the non-null values is proposed.
    public static let proposalShare = 0.8

    public private(set) var nonNullValues = 0
    public private(set) var matches: [PersonalDataKind: Int] = [:]

    public init() {}

    /// Counts as kept by the catalog, to show a proposal again later.
    public init(nonNullValues: Int, matches: [PersonalDataKind: Int]) {
        self.nonNullValues = nonNullValues
        self.matches = matches
    }

    mutating func observe(_ value: String) {
        guard !value.isEmpty else { return }
        nonNullValues += 1
        if let kind = PersonalData.kind(of: value) { matches[kind, default: 0] += 1 }
    }

    /// The kind most values matched, with its count (ties go to the earlier kind).
    public var mostFrequent: (kind: PersonalDataKind, count: Int)? {
        PersonalDataKind.allCases.compactMap { kind in matches[kind].map { (kind, $0) } }
            .max { $0.count < $1.count || ($0.count == $1.count && $0.kind.order > $1.kind.order) }
    }

    /// The proposal for the provider to confirm; nil leaves the sensitivity to the provider.
    public var proposal: PersonalDataProposal? {
        guard let (kind, count) = mostFrequent, Double(count) >= Self.proposalShare * Double(nonNullValues) else { return nil }
        return PersonalDataProposal(kind: kind, matchingValues: count, nonNullValues: nonNullValues)
    }
}

/// "43 of 50 values look like mobile numbers": propose the column as a direct identifier.
public struct PersonalDataProposal: Equatable, Sendable {
    public var kind: PersonalDataKind
    public var matchingValues: Int
    public var nonNullValues: Int
    public var sensitivity: Sensitivity { .directIdentifier }

    public init(kind: PersonalDataKind, matchingValues: Int, nonNullValues: Int) {
        self.kind = kind
        self.matchingValues = matchingValues
        self.nonNullValues = nonNullValues
    }

    public var summary: String { "\(matchingValues) of \(nonNullValues) values look like \(kind.label)" }
}

private extension PersonalDataKind {
    var order: Int { Self.allCases.firstIndex(of: self)! }
}
