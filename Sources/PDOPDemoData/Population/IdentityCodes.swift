/// Builds fictitious identity codes with valid check characters. The check arithmetic is the same
/// as PDOPDomain's `ResidentID` and `CreditCode`, done on bytes because it runs for every row;
/// the tests validate the output with PDOPDomain.
enum IdentityCodes {
    private static let idWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    private static let idChecks = Array("10X98765432".utf8)

    /// 公民身份号码: area code, birth date, 3-digit sequence (odd for men), check character.
    static func residentID(area: Int, birth: Int, sequence: Int) -> String {
        let (year, month, day) = Day.civil(birth)
        let body = area * 100_000_000_000 + (year * 10_000 + month * 100 + day) * 1000 + sequence
        return String(unsafeUninitializedCapacity: 18) { buffer in
            var rest = body
            for index in stride(from: 16, through: 0, by: -1) {
                buffer[index] = UInt8(truncatingIfNeeded: 48 + rest % 10)
                rest /= 10
            }
            var sum = 0
            for index in 0..<17 { sum += Int(buffer[index] - 48) * idWeights[index] }
            buffer[17] = idChecks[sum % 11]
            return 18
        }
    }

    static let creditAlphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)
    private static let creditWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    private static let orgWeights = [3, 7, 9, 10, 5, 8, 4, 2]

    /// 统一社会信用代码: `prefix` (registration authority, type, area: 8 characters), a 9-character
    /// organisation code, and the GB 32100 check character.
    static func creditCode(prefix: String, organisation: [UInt8]) -> String {
        let body = Array(prefix.utf8) + organisation
        var sum = 0
        for (index, byte) in body.enumerated() {
            sum += creditAlphabet.firstIndex(of: byte)! * creditWeights[index]
        }
        return String(decoding: body + [creditAlphabet[(31 - sum % 31) % 31]], as: UTF8.self)
    }

    /// A pre-2015 organisation code (GB 11714): eight digits and their check character.
    static func legacyOrganisationCode(_ number: Int) -> [UInt8] {
        var digits = [UInt8](repeating: 0, count: 8)
        var rest = number
        for index in stride(from: 7, through: 0, by: -1) {
            digits[index] = UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
        }
        let check = 11 - zip(digits, orgWeights).reduce(0) { $0 + Int($1.0) * $1.1 } % 11
        let checkByte: UInt8 = check == 10 ? UInt8(ascii: "X") : UInt8(truncatingIfNeeded: 48 + check % 11)
        return digits.map { $0 + 48 } + [checkByte]
    }

    /// A post-2015 organisation code as issued by market supervision: `MA2` and six characters.
    static func recentOrganisationCode(_ number: Int) -> [UInt8] {
        var tail = [UInt8](repeating: 0, count: 6)
        var rest = number
        for index in stride(from: 5, through: 0, by: -1) {
            tail[index] = creditAlphabet[rest % 31]
            rest /= 31
        }
        return Array("MA2".utf8) + tail
    }
}
