import Foundation
import PDOPDomain
import Testing

@Suite("Input rules")
struct RulesTests {
    let policy = PasswordPolicy(minLength: 8)

    @Test("SEC-1 passwords shorter than 8 are refused; long passphrases are accepted")
    func passwordLength() throws {
        #expect(throws: DomainError.self) { try policy.check("Ab3$xyz") }
        try policy.check("correct horse battery staple")
        try policy.check(String(repeating: "长密码短语", count: 20))
        #expect(throws: DomainError.self) { try policy.check(String(repeating: "a1", count: 65)) }
    }

    @Test("SEC-1 the most common passwords are refused whatever their case")
    func commonPasswords() {
        for common in ["12345678", "password", "Password1", "qwerty123", "woaini1314", "1qaz2wsx", "P@ssw0rd"] {
            #expect(throws: DomainError.self, "\(common)") { try policy.check(common) }
        }
    }

    @Test("a password may not contain the username or control characters")
    func passwordContent() {
        #expect(throws: DomainError.self) { try policy.check("zhangwei-2026-xyz", username: "zhangwei") }
        #expect(throws: DomainError.self) { try policy.check("abcdefgh\u{0}ijk") }
    }

    @Test("GB 32100 credit codes: the check character is verified")
    func creditCodes() throws {
        // The example code printed in GB 32100-2015.
        #expect(CreditCode.isValid("91350100M000100Y43"))
        let first17 = "91330624MA2D8K3X5"
        let valid = first17 + String(CreditCode.checkCharacter(for: first17)!)
        #expect(CreditCode.isValid(valid))
        #expect(try CreditCode.validated(valid.lowercased()) == valid)
        // Any single changed character is caught.
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
        var chars = Array(valid)
        for position in 0..<18 {
            let original = chars[position]
            for replacement in alphabet where replacement != original {
                chars[position] = replacement
                #expect(!CreditCode.isValid(String(chars)), "\(String(chars))")
            }
            chars[position] = original
        }
        #expect(!CreditCode.isValid("91330624MA2D8K3X5"))
        #expect(!CreditCode.isValid("91330624MA2D8K3XI0"))
    }

    @Test("names: trimmed, bounded, no control characters")
    func names() throws {
        #expect(try TextRules.name("  新昌县数据局 ", field: "name") == "新昌县数据局")
        #expect(throws: DomainError.invalid("name", "must not be empty")) { try TextRules.name("   ", field: "name") }
        #expect(throws: DomainError.self) { try TextRules.name(String(repeating: "名", count: 201), field: "name") }
        #expect(throws: DomainError.self) { try TextRules.name("a\u{1B}[31mred", field: "name") }
        #expect(throws: DomainError.self) { try TextRules.name("line\nbreak", field: "name") }
        #expect(try TextRules.text("line\nbreak", field: "reason") == "line\nbreak")
    }

    @Test("usernames: 3–64 of a–z 0–9 . _ -, folded to lower case")
    func usernames() throws {
        #expect(try TextRules.username("Op1.Manager") == "op1.manager")
        for bad in ["ab", ".leading", "with space", "中文名", String(repeating: "a", count: 65), "semi;colon", "quote'"] {
            #expect(throws: DomainError.self, "\(bad)") { try TextRules.username(bad) }
        }
    }

    @Test("pages are bounded")
    func paging() throws {
        #expect(throws: DomainError.self) { try PageRequest(limit: 0) }
        #expect(throws: DomainError.self) { try PageRequest(limit: 201) }
        #expect(throws: DomainError.self) { try PageRequest(limit: 10, offset: -1) }
        #expect(try PageRequest(limit: 200, offset: 0).limit == 200)
    }

    @Test("R1 R2 roles fit only their kinds of organization")
    func roleKinds() {
        #expect(Role.operatorTechnical.allowedOrganizationKinds == [.operator])
        #expect(!Role.authority.allowedOrganizationKinds.contains(.operator))
        #expect(Role.expert.allowedOrganizationKinds == [.expertCommittee])
        #expect(Role.coordinationMember.allowedOrganizationKinds.isSuperset(of: [.authority, .department]))
        #expect(!Role.coordinationMember.allowedOrganizationKinds.contains(.operator))
    }
}

@Suite("Resident ID numbers (GB 11643)")
struct ResidentIDTests {
    @Test("the check character is computed and verified; impossible birth dates are refused")
    func checkDigit() {
        // The worked example of GB 11643-1999.
        #expect(ResidentID.isValid("11010519491231002X"))
        #expect(ResidentID.isValid("11010519491231002x"))
        #expect(!ResidentID.isValid("110105194912310021"))
        #expect(ResidentID.checkCharacter(for: "33062419900101123") != nil)
        let first17 = "33062419900229123"   // 1990 is not a leap year
        #expect(!ResidentID.isValid(first17 + String(ResidentID.checkCharacter(for: first17)!)))
        let good = "33062420000229123"
        #expect(ResidentID.isValid(good + String(ResidentID.checkCharacter(for: good)!)))
        #expect(!ResidentID.isValid("3306242000022912"))
        #expect(!ResidentID.isValid("33062420000229123A"))
    }
}

@Test("civil calendar: known dates and a round trip over two centuries")
func civilCalendar() {
    #expect(CivilCalendar.days(year: 1970, month: 1, day: 1) == 0)
    #expect(CivilCalendar.days(year: 2000, month: 3, day: 1) == 11_017)
    #expect(CivilCalendar.civil(-1) == (1969, 12, 31))
    #expect(CivilCalendar.civil(CivilCalendar.days(year: 2024, month: 2, day: 29)) == (2024, 2, 29))
    for days in stride(from: -25_567, through: 47_482, by: 13) {
        let (year, month, day) = CivilCalendar.civil(days)
        #expect(CivilCalendar.days(year: year, month: month, day: day) == days)
    }
}
