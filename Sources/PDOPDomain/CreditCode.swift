/// 统一社会信用代码 (GB 32100-2015): 18 characters, the last a check character over the first 17.
public enum CreditCode {
    static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    public static func checkCharacter(for first17: String) -> Character? {
        let chars = Array(first17.uppercased())
        guard chars.count == 17 else { return nil }
        var sum = 0
        for (index, char) in chars.enumerated() {
            guard let value = alphabet.firstIndex(of: char) else { return nil }
            sum += value * weights[index]
        }
        return alphabet[(31 - sum % 31) % 31]
    }

    public static func isValid(_ code: String) -> Bool {
        let upper = code.uppercased()
        guard upper.count == 18, let check = checkCharacter(for: String(upper.prefix(17))) else { return false }
        return upper.last == check
    }

    public static func validated(_ code: String, field: String = "creditCode") throws(DomainError) -> String {
        let upper = code.trimmingWhitespace().uppercased()
        guard isValid(upper) else {
            throw .invalid(field, "not a valid unified social credit code (GB 32100 check character)")
        }
        return upper
    }
}
