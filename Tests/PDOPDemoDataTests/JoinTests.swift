@testable import PDOPDemoData
import Testing

/// The departments' datasets share keys, so the sandbox can join them.
@Suite("shared keys")
struct JoinTests {
    let generator = DemoGenerator(seed: 5, scale: 0.01)

    @Test("at least 60% of hospital visits are by people in the social-insurance register")
    func visitsMeetSocialInsurance() {
        let insured = Set(values(generator, .socialInsurance, "身份证号"))
        let patients = values(generator, .hospitalVisits, "身份证号")
        let matched = patients.filter(insured.contains).count
        #expect(patients.count == 10_000)
        #expect(Double(matched) / Double(patients.count) >= 0.6)
    }

    @Test("tax, electricity and employers name registered businesses", arguments: [
        (DemoDataset.Key.taxReturns, "统一社会信用代码"),
        (.electricityUse, "统一社会信用代码"),
        (.socialInsurance, "参保单位统一社会信用代码"),
    ])
    func businessesAreRegistered(key: DemoDataset.Key, codeColumn: String) {
        let registered = Set(values(generator, .enterpriseRegistry, "统一社会信用代码"))
        let codes = values(generator, key, codeColumn).filter { !$0.isEmpty }
        #expect(!codes.isEmpty)
        #expect(codes.allSatisfy(registered.contains))
    }

    @Test("tax returns cover every registered business, electricity half of them")
    func coverage() {
        let registered = Set(values(generator, .enterpriseRegistry, "统一社会信用代码"))
        #expect(Set(values(generator, .taxReturns, "统一社会信用代码")) == registered)
        let powered = Set(values(generator, .electricityUse, "统一社会信用代码"))
        #expect(powered.count == (registered.count + 1) / 2)
    }

    @Test("each claim settles a hospital visit of the same person, at the same hospital and cost")
    func claimsMatchVisits() {
        let visits = Dictionary(uniqueKeysWithValues: generator.rows(.hospitalVisits).map {
            ($0[column(.hospitalVisits, "就诊流水号")], $0)
        })
        let claims = Array(generator.rows(.medicalInsuranceClaims))
        #expect(claims.count == 4_000)
        #expect(Set(claims.map { $0[column(.medicalInsuranceClaims, "就诊流水号")] }).count == claims.count)
        for claim in claims {
            let visit = visits[claim[column(.medicalInsuranceClaims, "就诊流水号")]]
            #expect(visit?[column(.hospitalVisits, "身份证号")] == claim[column(.medicalInsuranceClaims, "身份证号")])
            #expect(visit?[column(.hospitalVisits, "医疗机构")] == claim[column(.medicalInsuranceClaims, "定点医疗机构")])
            #expect(visit?[column(.hospitalVisits, "总费用_元")] == claim[column(.medicalInsuranceClaims, "医疗总费用_元")])
            let parts = ["统筹基金支付_元", "个人账户支付_元", "个人现金支付_元"].map { cents(claim[column(.medicalInsuranceClaims, $0)]) }
            #expect(parts.allSatisfy { $0 >= 0 })
            #expect(parts.reduce(0, +) == cents(claim[column(.medicalInsuranceClaims, "医疗总费用_元")]))
        }
    }

    @Test("some hotel guests are insured residents, most come from elsewhere")
    func hotelGuests() {
        let insured = Set(values(generator, .socialInsurance, "身份证号"))
        let guests = values(generator, .hotelStays, "证件号码")
        let share = Double(guests.filter(insured.contains).count) / Double(guests.count)
        #expect(share > 0.15 && share < 0.35)
    }

    private func cents(_ decimal: String) -> Int {
        Int(decimal.filter { $0 != "." })!
    }
}
