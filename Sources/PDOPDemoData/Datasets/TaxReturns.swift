/// 企业纳税申报 from the tax bureau: each registered business's quarterly returns for the last
/// quarters up to 2025 Q4 (four at scale 1), keyed by credit code.
struct TaxReturns: RowSource {
    static let dataset = DemoDataset(
        key: .taxReturns, name: "企业纳税申报信息", nameEn: "Enterprise tax returns", provider: "tax", domain: "金融",
        description: "企业按季度申报的营业收入、增值税、企业所得税、附加税费及纳税信用等级，用于银税互动等金融服务场景。",
        keywords: ["纳税", "申报", "增值税", "企业所得税", "纳税信用", "银税互动", "tax", "returns", "VAT"],
        frequency: .quarterly, grade: .l3, openAttribute: .conditional,
        columns: [
            .init("统一社会信用代码", .text, "纳税人识别号（统一社会信用代码）", .directIdentifier),
            .init("纳税人名称", .text, "纳税人名称", .directIdentifier),
            .init("纳税人类型", .text, "一般纳税人或小规模纳税人"),
            .init("税款所属期起", .date, "税款所属期起始日"),
            .init("税款所属期止", .date, "税款所属期终止日"),
            .init("申报日期", .date, "申报日期"),
            .init("申报类型", .text, "正常申报或零申报"),
            .init("营业收入_元", .decimal, "本期营业收入，元", .sensitive),
            .init("增值税_元", .decimal, "本期应纳增值税，元", .sensitive),
            .init("企业所得税_元", .decimal, "本期预缴企业所得税，元", .sensitive),
            .init("附加税费_元", .decimal, "城市维护建设税、教育费附加和地方教育附加，元", .sensitive),
            .init("应纳税额合计_元", .decimal, "本期应纳税费合计，元", .sensitive),
            .init("纳税信用等级", .text, "A、B、M、C、D", .sensitive),
            .init("主管税务机关", .text, "主管税务分局"),
        ],
        baseRowCount: 200_000)

    let enterprises: Enterprises
    /// The first quarter reported, as year × 4 + quarter index.
    let firstQuarter: Int

    init(_ generator: DemoGenerator, count: Int) {
        enterprises = generator.enterprises
        let quarters = (count + enterprises.count - 1) / enterprises.count
        firstQuarter = 2025 * 4 + 3 - (quarters - 1)
    }

    private static let seasonal = [0.85, 1.0, 1.02, 1.13]  // Q1 includes the Spring Festival lull

    func row(_ index: Int, _ rng: inout SplitMix64) -> [String] {
        let business = enterprises[index % enterprises.count]
        let quarter = firstQuarter + index / enterprises.count
        let start = Day.from(quarter / 4, quarter % 4 * 3 + 1, 1)
        let end = Day.monthStart(start, adding: 3) - 1
        var filed = end + 1 + rng.below(15)
        while Day.isWeekend(filed) { filed += 1 }

        let general = business.revenue >= 500
        let revenue = business.isActive && rng.chance(0.95)
            ? business.revenue * 10_000 / 4 * TaxReturns.seasonal[quarter % 4] * rng.wobble(0.3) : 0
        let vat = revenue * (general ? 0.13 * (0.2 + 0.15 * rng.unit()) : 0.01)
        let profit = revenue * (0.02 + 0.1 * rng.unit())
        let incomeTax = profit * (business.revenue < 3000 ? 0.05 : 0.25)
        let surcharge = vat * 0.12
        // Rounded to cents before summing, so the total equals the sum of the printed parts.
        let parts = [vat, incomeTax, surcharge].map { Int(($0 * 100).rounded()) }
        let township = Places.townships[business.township].name
        let office = business.industry.code.hasPrefix("C") && township == "七星街道" ? "高新园区税务分局"
            : Places.isUrban(business.township) ? "第一税务分局" : "第二税务分局"
        return [
            business.code, business.name, general ? "一般纳税人" : "小规模纳税人", Format.date(start), Format.date(end),
            Format.date(filed), revenue > 0 ? "正常申报" : "零申报", Format.decimal(revenue),
            Format.hundredths(parts[0]), Format.hundredths(parts[1]), Format.hundredths(parts[2]),
            Format.hundredths(parts.reduce(0, +)), business.taxRating, "国家税务总局新昌县税务局" + office,
        ]
    }
}
