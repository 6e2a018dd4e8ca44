/// Masks for showing personal data on screen (DESIGN.md "Security": masked on the server).
/// A value that does not have the kind's shape is masked all the same, never shown whole.
public enum Masking {
    public static func mask(_ value: String, kind: PersonalDataKind) -> String {
        switch kind {
        case .residentID: keep(value, first: 6, last: 4)        // 330624********123X
        case .mobile: maskMobile(value)                          // 138****5678
        case .creditCode: keep(value, first: 4, last: 4)        // 9133**********12AB
        case .bankCard: keep(value, first: 4, last: 4)          // 6222***********0125
        case .email: maskEmail(value)                            // z***@example.com
        }
    }

    /// A value of a column that must not be shown whole: by the column's detected kind, else by
    /// the kind the value itself looks like, else everything after the first character starred.
    public static func maskValue(_ value: String, kind: PersonalDataKind?) -> String {
        if let kind = kind ?? PersonalData.kind(of: value) { return mask(value, kind: kind) }
        return maskName(value)
    }

    /// A person's name: the family name stays, the given name becomes stars (张三丰 → 张**).
    public static func maskName(_ name: String) -> String {
        guard let first = name.first else { return "" }
        return name.count == 1 ? "*" : String(first) + String(repeating: "*", count: name.count - 1)
    }

    /// Keeps `first` and `last` characters and stars the middle; too short a value gets all stars.
    static func keep(_ value: String, first: Int, last: Int) -> String {
        let characters = Array(value)
        guard characters.count > first + last else { return String(repeating: "*", count: characters.count) }
        return String(characters.prefix(first)) + String(repeating: "*", count: characters.count - first - last)
            + String(characters.suffix(last))
    }

    private static func maskMobile(_ value: String) -> String {
        let characters = Array(value)
        guard characters.count >= 11 else { return keep(value, first: 0, last: 0) }
        // The last eleven characters are the number; a +86 prefix stays as written.
        return String(characters.dropLast(11)) + keep(String(characters.suffix(11)), first: 3, last: 4)
    }

    private static func maskEmail(_ value: String) -> String {
        guard let at = value.lastIndex(of: "@"), let first = value.first, at > value.startIndex else {
            return keep(value, first: 0, last: 0)
        }
        return String(first) + "***" + value[at...]
    }
}
