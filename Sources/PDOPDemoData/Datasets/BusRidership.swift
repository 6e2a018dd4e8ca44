/// 公交客流 from the transport bureau: riders per route and hour of service, for the last days up
/// to 2025-12-31 (about ten months at scale 1).
struct BusRidership: RowSource {
    static let dataset = DemoDataset(
        key: .busRidership, name: "公交线路分时客流", nameEn: "Bus ridership by route and hour", provider: "transport", domain: "交通",
        description: "城区公交和城乡公交各线路按运营日期、小时统计的发车班次和客流人次（按支付方式分）。",
        keywords: ["公交", "客流", "线路", "班次", "城乡公交", "出行", "bus", "ridership", "transit"],
        frequency: .daily, grade: .l2, openAttribute: .conditional,
        columns: [
            .init("线路编号", .text, "公交线路编号"),
            .init("线路名称", .text, "公交线路名称"),
            .init("线路类型", .text, "城区公交或城乡公交"),
            .init("起点站", .text, "线路起点站"),
            .init("终点站", .text, "线路终点站"),
            .init("运营日期", .date, "运营日期"),
            .init("时段", .integer, "小时（6 表示 06:00–06:59）"),
            .init("发车班次", .integer, "该小时发车班次"),
            .init("客流人次", .integer, "该小时上车人次"),
            .init("公交卡人次", .integer, "刷公交卡（含老年卡）人次"),
            .init("移动支付人次", .integer, "扫码乘车人次"),
            .init("现金人次", .integer, "投币人次"),
        ],
        baseRowCount: 100_000)

    private static let slotsPerDay = Travel.routes.count * Travel.hourProfile.count
    let firstDay: Int

    init(_ generator: DemoGenerator, count: Int) {
        firstDay = Day.reference - (count + BusRidership.slotsPerDay - 1) / BusRidership.slotsPerDay + 1
    }

    func row(_ index: Int, _ rng: inout SplitMix64) -> [String] {
        let hour = index % Travel.hourProfile.count
        let route = Travel.routes[index / Travel.hourProfile.count % Travel.routes.count]
        let day = firstDay + index / BusRidership.slotsPerDay
        let dayFactor = route.scenic ? Travel.demand(day)
            : Day.isHoliday(day) ? (route.rural ? 1.5 : 0.7) : Day.isWeekend(day) ? (route.rural ? 1.1 : 0.8) : 1
        let riders = Int(Double(route.hourly) * Travel.hourProfile[hour] * dayFactor * rng.wobble(0.25))
        let trips = max(1, Int(Double(route.rural ? 2 : 4) * Travel.hourProfile[hour].squareRoot() + 0.5))
        let mobile = Int(Double(riders) * (0.5 + 0.1 * rng.unit()))
        let card = Int(Double(riders - mobile) * (0.85 + 0.1 * rng.unit()))
        return [
            route.number, route.number + "路", route.rural ? "城乡公交" : "城区公交", route.from, route.to, Format.date(day),
            String(Travel.firstHour + hour), String(trips), String(riders), String(card), String(mobile),
            String(riders - mobile - card),
        ]
    }
}
