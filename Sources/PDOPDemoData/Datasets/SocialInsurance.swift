/// 养老保险参保 from human resources and social security: one row per insured adult resident,
/// keyed by ID number; employees name their employer by credit code.
struct SocialInsurance: RowSource {
    static let dataset = DemoDataset(
        key: .socialInsurance, name: "养老保险参保信息", nameEn: "Pension insurance enrolment", provider: "hrss", domain: "社保",
        description: "县内户籍及常住人员基本养老保险参保登记信息，包括险种、参保状态、参保单位、缴费基数和累计缴费月数。",
        keywords: ["社保", "养老保险", "参保", "缴费基数", "就业", "social insurance", "pension", "enrolment"],
        frequency: .monthly, grade: .l3, openAttribute: .conditional,
        columns: [
            .init("身份证号", .text, "公民身份号码", .directIdentifier),
            .init("姓名", .text, "参保人姓名", .directIdentifier),
            .init("性别", .text, "男或女", .quasiIdentifier),
            .init("出生日期", .date, "出生日期", .quasiIdentifier),
            .init("手机号码", .text, "联系手机号码", .directIdentifier),
            .init("户籍乡镇", .text, "居住乡镇（街道）", .quasiIdentifier),
            .init("险种", .text, "参加的基本养老保险险种"),
            .init("参保状态", .text, "正常参保、暂停缴费或领取待遇"),
            .init("首次参保日期", .date, "首次参保日期"),
            .init("参保单位统一社会信用代码", .text, "职工参保单位的统一社会信用代码；城乡居民为空", .quasiIdentifier),
            .init("参保单位名称", .text, "职工参保单位名称；城乡居民为空", .quasiIdentifier),
            .init("月缴费基数_元", .decimal, "职工月缴费基数，元；城乡居民为空", .sensitive),
            .init("累计缴费月数", .integer, "累计缴费月数"),
        ],
        baseRowCount: 150_000)

    let residents: Residents
    let enterprises: Enterprises

    init(_ generator: DemoGenerator, count: Int) {
        residents = generator.residents
        enterprises = generator.enterprises
    }

    func row(_ index: Int, _ rng: inout SplitMix64) -> [String] {
        let person = residents[index]  // the register holds exactly the adult residents 0..<count
        let age = Day.age(born: person.birth, on: Day.reference)
        let retired = age >= (person.isMale ? 60 : 55)
        // Enrolment starts at 18 or later, and not before the county's scheme began in 1992.
        let earliest = max(person.birth + 18 * 365 + 4, Day.from(1992, 1, 1))
        let enrolled = earliest + rng.below(max(1, min(Day.reference - earliest, 15 * 365)))
        let months = max(1, Int(Double((Day.reference - enrolled) / 30) * (0.6 + 0.4 * rng.unit())))
        let status = retired ? "领取待遇" : rng.chance(0.08) ? "暂停缴费" : "正常参保"
        guard person.isEmployee else {
            return [
                person.id, person.name, person.sex, Format.date(person.birth), person.mobile,
                person.townshipName, "城乡居民基本养老保险", status, Format.date(enrolled),
                "", "", "", String(months),
            ]
        }
        var employer = enterprises[rng.below(enterprises.count)]
        if !employer.isActive { employer = enterprises[rng.below(enterprises.count)] }
        let base = min(24_930, max(4_462, 6_000 * rng.skewed()))  // Zhejiang's contribution floor and cap
        return [
            person.id, person.name, person.sex, Format.date(person.birth), person.mobile,
            person.townshipName, "企业职工基本养老保险", status, Format.date(enrolled),
            employer.code, employer.name, Format.decimal(base), String(months),
        ]
    }
}
