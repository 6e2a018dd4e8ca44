/// 景区客流 from the culture and tourism bureau: visitors per scenic spot, day and province of
/// origin, for the last days up to 2025-12-31 (about a year at scale 1).
struct TouristFlows: RowSource {
    static let dataset = DemoDataset(
        key: .touristFlows, name: "景区客流统计", nameEn: "Tourist flows at scenic spots", provider: "tourism", domain: "旅游",
        description: "大佛寺、穿岩十九峰、天姥山等 A 级景区按日、按客源地省份统计的游客人次、过夜游客人次和门票收入。",
        keywords: ["旅游", "景区", "客流", "游客", "客源地", "大佛寺", "天姥山", "tourism", "visitors", "scenic spots"],
        frequency: .daily, grade: .l2, openAttribute: .conditional,
        columns: [
            .init("统计日期", .date, "统计日期"),
            .init("景区名称", .text, "景区名称"),
            .init("景区等级", .text, "A 级旅游景区等级"),
            .init("所在乡镇", .text, "景区所在乡镇（街道）"),
            .init("客源地", .text, "游客来源省份（手机信令推算）"),
            .init("游客人次", .integer, "当日接待游客人次"),
            .init("过夜游客人次", .integer, "其中在县内过夜的游客人次"),
            .init("门票收入_元", .decimal, "门票收入，元；免费景区为 0"),
        ],
        baseRowCount: 40_000)

    private static let slotsPerDay = Travel.spots.count * Travel.origins.count
    let firstDay: Int

    init(_ generator: DemoGenerator, count: Int) {
        firstDay = Day.reference - (count + TouristFlows.slotsPerDay - 1) / TouristFlows.slotsPerDay + 1
    }

    func row(_ index: Int, _ rng: inout SplitMix64) -> [String] {
        let origin = Travel.origins[index % Travel.origins.count]
        let spot = Travel.spots[index / Travel.origins.count % Travel.spots.count]
        let day = firstDay + index / TouristFlows.slotsPerDay
        let visitors = Int(Double(spot.daily) * origin.share / 100 * Travel.demand(day) * rng.wobble(0.3))
        let overnight = Int(Double(visitors) * (origin.name == "浙江省" ? 0.15 : 0.45) * rng.wobble(0.2))
        // Children, the elderly and residents enter free or at a discount.
        let revenue = Double(visitors * spot.ticket) * (0.65 + 0.1 * rng.unit())
        return [
            Format.date(day), spot.name, spot.level, spot.township, origin.name, String(visitors), String(overnight),
            Format.decimal(revenue),
        ]
    }
}
