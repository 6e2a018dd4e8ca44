/// 逐日气象观测 from the meteorological bureau: one row per day at the county station, for the last
/// days up to 2025-12-31 (ten years at scale 1). Public data: open without conditions.
struct DailyWeather: RowSource {
    static let dataset = DemoDataset(
        key: .dailyWeather, name: "逐日气象观测数据", nameEn: "Daily weather observations", provider: "weather", domain: "气象",
        description: "新昌国家基本气象站逐日气温、降水、相对湿度、风速、日照和空气质量指数。",
        keywords: ["气象", "天气", "气温", "降水", "空气质量", "AQI", "weather", "temperature", "precipitation"],
        frequency: .daily, grade: .l1, openAttribute: .unconditional,
        columns: [
            .init("观测日期", .date, "观测日期"),
            .init("站点名称", .text, "观测站名称"),
            .init("最高气温", .decimal, "日最高气温，摄氏度"),
            .init("最低气温", .decimal, "日最低气温，摄氏度"),
            .init("平均气温", .decimal, "日平均气温，摄氏度"),
            .init("降水量_毫米", .decimal, "20–20 时降水量，毫米"),
            .init("相对湿度", .integer, "日平均相对湿度，百分比"),
            .init("平均风速", .decimal, "日平均风速，米每秒"),
            .init("日照时数", .decimal, "日照时数，小时"),
            .init("空气质量指数", .integer, "AQI"),
            .init("空气质量等级", .text, "优、良、轻度污染、中度污染或重度污染"),
            .init("首要污染物", .text, "AQI 大于 50 时的首要污染物；否则为空"),
            .init("天气现象", .text, "主要天气现象"),
        ],
        baseRowCount: 3_650)

    /// Monthly mean temperature (°C), chance of rain and median rain on a wet day (mm): the plum
    /// rains in June, typhoons in August and September.
    private static let meanTemperature = [5.0, 7.0, 11.0, 16.5, 21.5, 25.0, 29.0, 28.5, 24.5, 19.0, 13.0, 7.0]
    private static let rainChance = [0.35, 0.4, 0.45, 0.45, 0.45, 0.55, 0.35, 0.4, 0.35, 0.25, 0.3, 0.3]
    private static let rainMedian = [4.0, 5.0, 5.5, 6.5, 7.0, 11.0, 7.5, 9.0, 7.5, 5.0, 4.0, 3.5]
    private static let aqiMedian = [66.0, 60.0, 56.0, 54.0, 52.0, 40.0, 38.0, 38.0, 42.0, 48.0, 56.0, 64.0]

    let firstDay: Int
    let anomalySeed: UInt64

    init(_ generator: DemoGenerator, count: Int) {
        firstDay = Day.reference - count + 1
        anomalySeed = SplitMix64.seed(generator.seed, named: "weather-weeks")
    }

    func row(_ index: Int, _ rng: inout SplitMix64) -> [String] {
        let day = firstDay + index
        let (year, month, dayOfMonth) = Day.civil(day)
        // Interpolate between mid-month means, add a slow warming and a spell shared by a week.
        let next = dayOfMonth >= 15 ? month % 12 : (month + 10) % 12
        let weight = Double(abs(dayOfMonth - 15)) / 30
        var spell = SplitMix64.stream(anomalySeed, (day + 3) / 7)
        let mean = DailyWeather.meanTemperature[month - 1] * (1 - weight) + DailyWeather.meanTemperature[next] * weight
            + Double(year - 2016) * 0.03 + 3 * (spell.unit() + spell.unit() - 1) + 1.5 * (rng.unit() + rng.unit() - 1)

        let wet = rng.chance(DailyWeather.rainChance[month - 1])
        let rain = wet ? DailyWeather.rainMedian[month - 1] * rng.skewed(wide: true) : 0
        let range = wet ? 3 + 3 * rng.unit() : 7 + 4 * rng.unit()
        let high = mean + range / 2
        let aqi = max(12, Int(DailyWeather.aqiMedian[month - 1] * rng.skewed() * (wet ? 0.7 : 1)))
        let level = aqi <= 50 ? "优" : aqi <= 100 ? "良" : aqi <= 150 ? "轻度污染" : aqi <= 200 ? "中度污染" : "重度污染"
        let pollutant = aqi <= 50 ? "" : (6...9).contains(month) ? "臭氧" : rng.chance(0.7) ? "细颗粒物" : "可吸入颗粒物"
        let weather = !wet ? (rng.chance(0.5) ? "晴" : rng.chance(0.6) ? "多云" : "阴")
            : high < 3 ? "雪" : rain < 10 ? "小雨" : rain < 25 ? "中雨" : rain < 50 ? "大雨" : "暴雨"
        return [
            Format.date(day), "新昌国家基本气象站", Format.decimal(high), Format.decimal(mean - range / 2), Format.decimal(mean),
            Format.decimal(rain), String(wet ? 80 + rng.below(17) : 55 + rng.below(25)),
            Format.decimal(1 + 2.5 * rng.unit()), Format.decimal(wet ? 3 * rng.unit() : 4 + 5 * rng.unit()),
            String(aqi), level, pollutant, weather,
        ]
    }
}
