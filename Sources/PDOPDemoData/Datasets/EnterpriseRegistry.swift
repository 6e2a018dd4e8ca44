/// 企业登记信息 from market supervision: one row per business, keyed by credit code, which tax,
/// electricity and social insurance refer to.
struct EnterpriseRegistry: RowSource {
    static let dataset = DemoDataset(
        key: .enterpriseRegistry, name: "企业登记信息", nameEn: "Enterprise registry", provider: "market", domain: "企业登记监管",
        description: "全县各类企业、农民专业合作社的登记信息，包括统一社会信用代码、名称、类型、法定代表人、注册资本、成立日期、登记状态、行业和住所。",
        keywords: ["企业", "登记", "市场主体", "统一社会信用代码", "注册资本", "行业", "enterprise", "registry", "business"],
        frequency: .daily, grade: .l2, openAttribute: .conditional,
        columns: [
            .init("统一社会信用代码", .text, "GB 32100 统一社会信用代码", .directIdentifier),
            .init("企业名称", .text, "登记的企业名称", .directIdentifier),
            .init("企业类型", .text, "市场主体类型"),
            .init("法定代表人", .text, "法定代表人（负责人、经营者）姓名", .directIdentifier),
            .init("注册资本_万元", .decimal, "注册资本（出资额），万元"),
            .init("成立日期", .date, "成立（登记）日期"),
            .init("登记状态", .text, "存续、注销或吊销"),
            .init("行业门类", .text, "国民经济行业门类（GB/T 4754-2017）"),
            .init("行业代码", .text, "国民经济行业小类代码"),
            .init("行业名称", .text, "国民经济行业小类名称"),
            .init("所属乡镇", .text, "住所所在乡镇（街道）"),
            .init("住所", .text, "登记住所"),
            .init("联系电话", .text, "登记联系电话", .directIdentifier),
            .init("从业人数", .integer, "年报从业人数"),
            .init("经营范围", .text, "登记的经营范围"),
        ],
        baseRowCount: 50_000)

    let enterprises: Enterprises

    init(_ generator: DemoGenerator, count: Int) { enterprises = generator.enterprises }

    func row(_ index: Int, _ rng: inout SplitMix64) -> [String] {
        let business = enterprises[index]
        let township = Places.townships[business.township].name
        let address = "浙江省新昌县" + township + rng.pick(Places.roads) + String(1 + rng.below(300)) + "号"
        let representativeIsMale = rng.chance(0.7)
        return [
            business.code, business.name, business.kind, Names.person(&rng, male: representativeIsMale),
            Format.decimal(business.capital), Format.date(business.established), business.status,
            business.industry.section, business.industry.code, business.industry.name, township, address,
            Names.mobile(&rng), String(business.employees), business.industry.scope,
        ]
    }
}
