/// Bus routes, hotels and scenic spots of the county (names illustrative).
enum Travel {
    struct Route: Sendable {
        let number: String
        let from: String
        let to: String
        let rural: Bool
        /// Riders in an average weekday hour.
        let hourly: Int
        /// Serves a scenic spot: busier at weekends and on holidays.
        let scenic: Bool
    }

    static let routes: [Route] = [
        Route(number: "1", from: "新昌客运中心", to: "大佛寺", rural: false, hourly: 180, scenic: true),
        Route(number: "2", from: "新昌站", to: "县人民医院", rural: false, hourly: 220, scenic: false),
        Route(number: "3", from: "七星公园", to: "南明街道办事处", rural: false, hourly: 150, scenic: false),
        Route(number: "4", from: "羽林新村", to: "县中医院", rural: false, hourly: 140, scenic: false),
        Route(number: "5", from: "高新园区", to: "城东公交首末站", rural: false, hourly: 160, scenic: false),
        Route(number: "6", from: "新昌站", to: "达利丝绸世界", rural: false, hourly: 90, scenic: true),
        Route(number: "7", from: "鼓山公园", to: "江滨公园", rural: false, hourly: 110, scenic: false),
        Route(number: "8", from: "城南乡", to: "新昌中学", rural: false, hourly: 120, scenic: false),
        Route(number: "9", from: "县行政中心", to: "中国茶市", rural: false, hourly: 100, scenic: false),
        Route(number: "10", from: "梅渚镇", to: "新昌客运中心", rural: false, hourly: 70, scenic: false),
        Route(number: "101", from: "新昌客运中心", to: "儒岙镇", rural: true, hourly: 60, scenic: false),
        Route(number: "102", from: "新昌客运中心", to: "回山镇", rural: true, hourly: 45, scenic: false),
        Route(number: "103", from: "新昌客运中心", to: "镜岭镇", rural: true, hourly: 50, scenic: false),
        Route(number: "104", from: "新昌客运中心", to: "澄潭镇", rural: true, hourly: 55, scenic: false),
        Route(number: "105", from: "新昌客运中心", to: "小将镇", rural: true, hourly: 25, scenic: false),
        Route(number: "106", from: "新昌客运中心", to: "东茗乡", rural: true, hourly: 20, scenic: false),
        Route(number: "107", from: "新昌客运中心", to: "新林乡", rural: true, hourly: 18, scenic: false),
        Route(number: "108", from: "新昌客运中心", to: "大市聚镇", rural: true, hourly: 50, scenic: false),
        Route(number: "109", from: "新昌客运中心", to: "沃洲湖", rural: true, hourly: 30, scenic: true),
        Route(number: "110", from: "新昌站", to: "穿岩十九峰", rural: true, hourly: 35, scenic: true),
    ]

    /// Riders by hour of the day from 06:00 to 21:00: a morning and an evening peak.
    static let hourProfile: [Double] = [0.5, 1.8, 1.6, 1.0, 0.9, 1.0, 1.1, 0.9, 0.9, 1.0, 1.2, 1.7, 1.5, 0.9, 0.6, 0.4]
    static let firstHour = 6

    struct Spot: Sendable {
        let name: String
        let level: String
        let township: String
        /// Visitors on an ordinary weekday, and the ticket price in yuan (0: free).
        let daily: Int
        let ticket: Int
    }

    static let spots: [Spot] = [
        Spot(name: "大佛寺景区", level: "4A", township: "南明街道", daily: 2600, ticket: 60),
        Spot(name: "穿岩十九峰景区", level: "4A", township: "镜岭镇", daily: 1500, ticket: 80),
        Spot(name: "达利丝绸世界", level: "4A", township: "七星街道", daily: 600, ticket: 0),
        Spot(name: "天姥山景区", level: "4A", township: "儒岙镇", daily: 900, ticket: 50),
        Spot(name: "沃洲湖景区", level: "3A", township: "沃洲镇", daily: 500, ticket: 0),
        Spot(name: "新昌硅化木国家地质公园", level: "3A", township: "新林乡", daily: 300, ticket: 30),
        Spot(name: "十里潮溪景区", level: "3A", township: "镜岭镇", daily: 400, ticket: 40),
        Spot(name: "外婆坑村", level: "3A", township: "东茗乡", daily: 350, ticket: 0),
        Spot(name: "梅渚古村", level: "3A", township: "梅渚镇", daily: 300, ticket: 0),
        Spot(name: "班竹天姥古驿道", level: "3A", township: "儒岙镇", daily: 250, ticket: 0),
    ]

    /// Where tourists come from, with their share in percent.
    static let origins: [(name: String, share: Double)] = [
        ("浙江省", 52), ("上海市", 13), ("江苏省", 10), ("安徽省", 5), ("福建省", 3), ("江西省", 3),
        ("广东省", 3), ("北京市", 2), ("山东省", 2), ("河南省", 2), ("其他省份", 5),
    ]

    struct Hotel: Sendable {
        let name: String
        let township: String
        let weight: Int
        let rooms: Int
    }

    static let hotels: [Hotel] = [
        Hotel(name: "新昌天姥大酒店", township: "南明街道", weight: 12, rooms: 260),
        Hotel(name: "新昌大佛寺禅修宾馆", township: "南明街道", weight: 8, rooms: 120),
        Hotel(name: "新昌七星国际酒店", township: "七星街道", weight: 12, rooms: 300),
        Hotel(name: "新昌羽林商务宾馆", township: "羽林街道", weight: 8, rooms: 90),
        Hotel(name: "新昌江滨假日酒店", township: "羽林街道", weight: 9, rooms: 160),
        Hotel(name: "新昌鼓山快捷酒店", township: "南明街道", weight: 7, rooms: 80),
        Hotel(name: "新昌茶都大酒店", township: "七星街道", weight: 7, rooms: 150),
        Hotel(name: "新昌站前商务酒店", township: "七星街道", weight: 6, rooms: 100),
        Hotel(name: "沃洲湖度假酒店", township: "沃洲镇", weight: 5, rooms: 120),
        Hotel(name: "十九峰山居民宿", township: "镜岭镇", weight: 3, rooms: 20),
        Hotel(name: "镜岭穿岩山庄", township: "镜岭镇", weight: 4, rooms: 60),
        Hotel(name: "儒岙天姥古驿民宿", township: "儒岙镇", weight: 3, rooms: 18),
        Hotel(name: "回山茶乡宾馆", township: "回山镇", weight: 2, rooms: 40),
        Hotel(name: "澄潭江畔宾馆", township: "澄潭镇", weight: 3, rooms: 50),
        Hotel(name: "梅渚古村客栈", township: "梅渚镇", weight: 2, rooms: 16),
        Hotel(name: "大市聚商务宾馆", township: "大市聚镇", weight: 3, rooms: 45),
        Hotel(name: "小将林海民宿", township: "小将镇", weight: 1, rooms: 12),
        Hotel(name: "东茗外婆坑农家客栈", township: "东茗乡", weight: 2, rooms: 15),
        Hotel(name: "新林硅化木山庄", township: "新林乡", weight: 1, rooms: 25),
        Hotel(name: "城南青山宾馆", township: "城南乡", weight: 2, rooms: 40),
    ]
    static let hotel = Weighted<Int>(hotels.enumerated().map { ($0.offset, $0.element.weight) })

    /// How much busier travel is on a day: holidays, weekends, spring and autumn.
    static func demand(_ day: Int) -> Double {
        let month = Day.civil(day).month
        let season = [0.7, 0.8, 1.1, 1.3, 1.2, 0.9, 1.0, 1.0, 1.0, 1.3, 1.2, 0.8][month - 1]
        return season * (Day.isHoliday(day) ? 2.8 : Day.isWeekend(day) ? 1.7 : 1)
    }
}
