/// 公民身份号码 (GB 11643-1999): 17 digits and a check character (0–9 or X) over them.
public enum ResidentID {
    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checks = Array("10X98765432")

    public static func checkCharacter(for first17: String) -> Character? {
        let digits = first17.compactMap(\.wholeNumberValue)
        guard digits.count == 17, first17.count == 17, first17.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return checks[sum % 11]
    }

    /// Structure and check character; the birth date must be a real date.
    public static func isValid(_ value: String) -> Bool {
        let upper = value.uppercased()
        guard upper.count == 18, let check = checkCharacter(for: String(upper.prefix(17))), upper.last == check else { return false }
        let chars = Array(upper)
        guard let year = Int(String(chars[6..<10])), let month = Int(String(chars[10..<12])), let day = Int(String(chars[12..<14])),
              (1900...2100).contains(year), (1...12).contains(month) else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...days).contains(day)
    }
}
