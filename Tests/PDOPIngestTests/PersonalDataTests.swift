import PDOPDomain
@testable import PDOPIngest
import Testing

@Suite("Personal-data detection and masking (issue 3, item 4)")
struct PersonalDataTests {
    let id = residentID("33062419900307123")
    let code = creditCode("91330624MA2B3C4D5")
    let card = bankCard("622202123456789012")

    @Test("Each kind is recognised by its check digit or shape")
    func kinds() {
        #expect(PersonalData.kind(of: id) == .residentID)
        #expect(PersonalData.kind(of: code) == .creditCode)
        #expect(PersonalData.kind(of: card) == .bankCard)
        #expect(PersonalData.kind(of: "13812345678") == .mobile)
        #expect(PersonalData.kind(of: "+8613812345678") == .mobile)
        #expect(PersonalData.kind(of: "+86 13812345678") == .mobile)
        #expect(PersonalData.kind(of: "zhang.san@example.com.cn") == .email)
    }

    @Test("Near misses are not personal data")
    func nearMisses() {
        let wrongCheck = String(id.dropLast()) + (id.last == "1" ? "2" : "1")
        for value in [wrongCheck, "12812345678", "1381234567", "+8513812345678", String(card.dropLast()) + "x",
                      "a@b", "a b@example.com", "@example.com", "x@example.c0m", "张三", "2024-01-01"] {
            #expect(PersonalData.kind(of: value) == nil, "\(value)")
        }
    }

    @Test("A column where at least 80% of values match is proposed as a direct identifier, with counts")
    func proposal() throws {
        var counts = PersonalDataCounts()
        for index in 0..<43 { counts.observe("1381234\(String(format4: index))") }
        for _ in 0..<7 { counts.observe("unknown") }
        counts.observe("")
        let proposal = try #require(counts.proposal)
        #expect(proposal.kind == .mobile && proposal.sensitivity == .directIdentifier)
        #expect(proposal.summary == "43 of 50 values look like mobile numbers")
    }

    @Test("Below 80% there is no proposal, but the counts stay visible")
    func noProposal() {
        var counts = PersonalDataCounts()
        for _ in 0..<39 { counts.observe("13812345678") }
        for _ in 0..<11 { counts.observe("n/a") }
        #expect(counts.proposal == nil)
        #expect(counts.mostFrequent?.kind == .mobile && counts.mostFrequent?.count == 39 && counts.nonNullValues == 50)
    }

    @Test("Inferred schemas carry the proposal per column")
    func schemaProposal() throws {
        let text = "身份证号,手机,信用代码,卡号,邮箱,姓名\n"
            + "\(id),13812345678,\(code),\(card),a@example.com,张三\n"
        let (columns, records) = try parseCSV(text)
        let schema = SchemaInference.infer(columns: columns, sample: records)
        #expect(schema.columns.map { $0.proposal?.kind } == [.residentID, .mobile, .creditCode, .bankCard, .email, nil])
    }

    @Test("Masks show only what identifies nothing")
    func masks() {
        #expect(Masking.mask("33062419900307123X", kind: .residentID) == "330624********123X")
        #expect(Masking.mask("13812345678", kind: .mobile) == "138****5678")
        #expect(Masking.mask("+86 13812345678", kind: .mobile) == "+86 138****5678")
        #expect(Masking.mask("91330624MA2B3C4D5X", kind: .creditCode) == "9133**********4D5X")
        #expect(Masking.mask("6222021234567890125", kind: .bankCard) == "6222***********0125")
        #expect(Masking.mask("zhang@example.com", kind: .email) == "z***@example.com")
        #expect(Masking.maskName("张三丰") == "张**")
        #expect(Masking.maskName("张三") == "张*")
        #expect(Masking.mask("123", kind: .residentID) == "***")
    }
}

private extension String {
    init(format4 value: Int) {
        let digits = String(value)
        self = String(repeating: "0", count: 4 - digits.count) + digits
    }
}
