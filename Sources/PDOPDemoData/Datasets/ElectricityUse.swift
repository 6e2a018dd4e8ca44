/// 企业用电 from the power company: monthly readings of business accounts (half of the registered
/// businesses hold one) for the last months up to December 2025, keyed by credit code.
struct ElectricityUse: RowSource {
    static let dataset = DemoDataset(
        key: .electricityUse, name: "企业用电信息", nameEn: "Enterprise electricity use", provider: "power", domain: "资源",
        description: "企业用电户按月抄表的用电量（峰、谷）和电费，反映企业生产经营活跃度，可用于电力看经济、信贷风控。",
        keywords: ["用电", "电量", "电费", "峰谷", "企业", "电力看经济", "electricity", "power", "kWh"],
        frequency: .monthly, grade: .l2, openAttribute: .conditional,
        columns: [
            .init("用电户号", .text, "供电公司用电户号", .quasiIdentifier),
            .init("统一社会信用代码", .text, "用电户的统一社会信用代码", .directIdentifier),
            .init("户名", .text, "用电户名称", .directIdentifier),
            .init("所属乡镇", .text, "用电地址所在乡镇（街道）"),
            .init("用电类别", .text, "大工业用电或一般工商业用电"),
            .init("电压等级", .text, "供电电压等级"),
            .init("合同容量_千伏安", .integer, "合同约定容量，千伏安"),
            .init("电费年月", .date, "抄表所属月份（当月1日）"),
            .init("总电量_千瓦时", .decimal, "当月有功总电量，千瓦时", .sensitive),
            .init("峰电量_千瓦时", .decimal, "高峰时段电量，千瓦时", .sensitive),
            .init("谷电量_千瓦时", .decimal, "低谷时段电量，千瓦时", .sensitive),
            .init("电费_元", .decimal, "当月电费，元", .sensitive),
        ],
        baseRowCount: 300_000)

    let enterprises: Enterprises
    let accounts: Int
    let firstMonth: Int
    let accountOffset: Int

    init(_ generator: DemoGenerator, count: Int) {
        enterprises = generator.enterprises
        accounts = max(1, (enterprises.count + 1) / 2)
        let months = (count + accounts - 1) / accounts
        firstMonth = Day.monthStart(Day.reference, adding: 1 - months)
        accountOffset = Int(generator.seed % 10_000_000)
    }

    /// Use by month: the Spring Festival dip in February, air conditioning in July and August.
    private static let seasonal = [1.0, 0.7, 1.0, 1.0, 1.02, 1.08, 1.2, 1.22, 1.05, 1.0, 1.0, 1.05]

    func row(_ index: Int, _ rng: inout SplitMix64) -> [String] {
        let account = index % accounts
        let business = enterprises[account]  // the first half of the registry holds the accounts
        let month = Day.monthStart(firstMonth, adding: index / accounts)
        let industrial = business.industry.powerPerHead >= 900
        let base = Double(business.employees) * business.industry.powerPerHead
        let capacity = max(50, Int(base / 200) / 50 * 50 + 50)
        let total = business.isActive ? base * ElectricityUse.seasonal[Day.civil(month).month - 1] * rng.wobble(0.2) : 0
        let peak = total * (0.5 + 0.15 * rng.unit())
        let valley = (total - peak) * (0.45 + 0.2 * rng.unit())
        let price = industrial ? 0.62 : 0.70
        return [
            // Bijective in the account number, so account numbers are unique.
            "33" + Format.padded((account * 6_180_339 + accountOffset) % 10_000_000, width: 8),
            business.code, business.name, Places.townships[business.township].name,
            industrial && capacity >= 315 ? "大工业用电" : "一般工商业用电",
            capacity >= 2000 ? "35千伏" : capacity >= 315 ? "10千伏" : "0.4千伏", String(capacity),
            Format.date(month), Format.decimal(total), Format.decimal(peak), Format.decimal(valley),
            Format.decimal(total * price * (peak > 0 ? 1 + 0.2 * (peak / total - 0.5) : 1)),
        ]
    }
}
