@testable import PDOPDemoData
import PDOPDomain
import Testing

@Suite("identity codes")
struct IdentityTests {
    let generator = DemoGenerator(seed: 11, scale: 0.02)

    @Test("every ID number is valid (GB 11643) and its sex digit matches the sex column", arguments: [
        (DemoDataset.Key.socialInsurance, "身份证号", "性别"),
        (.hospitalVisits, "身份证号", "性别"),
        (.hotelStays, "证件号码", "性别"),
    ])
    func residentIDs(key: DemoDataset.Key, idColumn: String, sexColumn: String) {
        let (idIndex, sexIndex) = (column(key, idColumn), column(key, sexColumn))
        for row in generator.rows(key).prefix(3_000) {
            let id = row[idIndex]
            #expect(ResidentID.isValid(id), "\(id)")
            let sexDigit = Array(id)[16].wholeNumberValue!
            #expect((sexDigit % 2 == 1 ? "男" : "女") == row[sexIndex], "\(id)")
        }
    }

    @Test("residents' ID numbers are unique, carry their birth date and mostly Xinchang's area code")
    func residentsUnique() {
        let residents = DemoGenerator(seed: 11, scale: 0.05).residents
        let people = (0..<residents.count).map { residents[$0] }
        #expect(Set(people.map(\.id)).count == people.count)
        for person in people.prefix(2_000) {
            #expect(person.id.dropFirst(6).prefix(8) == Format.compactDate(person.birth).prefix(8))
            #expect(person.birth <= Day.reference)
        }
        let local = people.filter { $0.id.hasPrefix("330624") }.count
        #expect(Double(local) / Double(people.count) > 0.8)
        #expect(people.prefix(residents.adults).allSatisfy { Day.age(born: $0.birth, on: Day.reference) >= 18 })
    }

    @Test("social insurance birth dates agree with the ID numbers")
    func birthDates() {
        let (id, birth) = (column(.socialInsurance, "身份证号"), column(.socialInsurance, "出生日期"))
        for row in generator.rows(.socialInsurance).prefix(1_000) {
            #expect(row[id].dropFirst(6).prefix(8) == row[birth].filter { $0 != "-" }.prefix(8))
        }
    }

    @Test("credit codes are valid (GB 32100), unique and registered in Xinchang")
    func creditCodes() {
        let codes = values(DemoGenerator(seed: 11, scale: 0.1), .enterpriseRegistry, "统一社会信用代码")
        #expect(codes.count == 5_000)
        #expect(Set(codes).count == codes.count)
        for code in codes {
            #expect(CreditCode.isValid(code), "\(code)")
            #expect(code.hasPrefix("91330624") || code.hasPrefix("93330624"), "\(code)")
        }
    }

    @Test("enterprise names are unique within the registry")
    func enterpriseNames() {
        let names = values(DemoGenerator(seed: 11, scale: 0.1), .enterpriseRegistry, "企业名称")
        #expect(Set(names).count == names.count)
    }

    @Test("mobile numbers look like mainland mobile numbers")
    func mobiles() throws {
        let pattern = try Regex(#"1[3-9][0-9]{9}"#)
        for mobile in values(generator, .socialInsurance, "手机号码", limit: 2_000) {
            #expect(mobile.wholeMatch(of: pattern) != nil, "\(mobile)")
        }
    }
}
