/// Industries of Xinchang's businesses (GB/T 4754-2017 classes): bearings and machinery,
/// refrigeration parts, pharmaceuticals, tea (大佛龙井), tourism and the usual services.
struct Industry: Sendable {
    let code: String
    let name: String
    /// The word in a company's name, e.g. 新昌县恒达`轴承`有限公司.
    let word: String
    let scope: String
    let weight: Int
    /// Median head count (most registered businesses are micro firms), revenue per employee (10k yuan a year) and electricity per employee (kWh a month).
    let staff: Int
    let revenuePerHead: Double
    let powerPerHead: Double
    /// Farming businesses may instead be cooperatives (农民专业合作社, credit codes starting 93),
    /// named with this word: 新昌县恒达`茶叶`专业合作社.
    var cooperativeWord: String? = nil

    var section: String { Industry.sections[code.first!] ?? "其他" }

    static let sections: [Character: String] = [
        "A": "农、林、牧、渔业", "C": "制造业", "E": "建筑业", "F": "批发和零售业", "G": "交通运输、仓储和邮政业",
        "H": "住宿和餐饮业", "I": "信息传输、软件和信息技术服务业", "L": "租赁和商务服务业", "N": "水利、环境和公共设施管理业",
    ]

    static let all: [Industry] = [
        Industry(code: "C3451", name: "滚动轴承制造", word: "轴承", scope: "轴承、轴承配件制造、加工、销售；货物进出口",
                 weight: 10, staff: 5, revenuePerHead: 36, powerPerHead: 1800),
        Industry(code: "C3484", name: "机械零部件加工", word: "机械", scope: "机械零部件加工、销售；五金制品制造",
                 weight: 12, staff: 3, revenuePerHead: 30, powerPerHead: 1200),
        Industry(code: "C3670", name: "汽车零部件及配件制造", word: "汽车配件", scope: "汽车零部件及配件制造、销售",
                 weight: 5, staff: 6, revenuePerHead: 42, powerPerHead: 1300),
        Industry(code: "C3464", name: "制冷、空调设备制造", word: "制冷配件", scope: "制冷设备、空调配件、阀门制造、销售",
                 weight: 4, staff: 8, revenuePerHead: 48, powerPerHead: 1100),
        Industry(code: "C2710", name: "化学药品原料药制造", word: "医药化工", scope: "原料药、医药中间体生产、销售",
                 weight: 2, staff: 12, revenuePerHead: 72, powerPerHead: 2500),
        Industry(code: "C2720", name: "化学药品制剂制造", word: "药业", scope: "片剂、胶囊剂、注射剂生产、销售",
                 weight: 2, staff: 16, revenuePerHead: 90, powerPerHead: 1500),
        Industry(code: "C2740", name: "中成药生产", word: "中药", scope: "中成药、中药饮片生产、销售",
                 weight: 1, staff: 6, revenuePerHead: 54, powerPerHead: 900),
        Industry(code: "C1530", name: "精制茶加工", word: "茶业", scope: "茶叶加工、销售；农产品初加工",
                 weight: 5, staff: 2, revenuePerHead: 18, powerPerHead: 400),
        Industry(code: "A0164", name: "茶叶种植", word: "茶场", scope: "茶叶种植、采摘、初制、销售",
                 weight: 4, staff: 1, revenuePerHead: 7, powerPerHead: 150, cooperativeWord: "茶叶"),
        Industry(code: "F5127", name: "酒、饮料及茶叶批发", word: "茶叶商贸", scope: "茶叶、茶具、预包装食品批发、零售",
                 weight: 4, staff: 1, revenuePerHead: 24, powerPerHead: 60),
        Industry(code: "C1711", name: "棉纺纱加工", word: "纺织", scope: "纺纱、织布、针纺织品制造、销售",
                 weight: 3, staff: 6, revenuePerHead: 24, powerPerHead: 1600),
        Industry(code: "E4710", name: "住宅房屋建筑", word: "建筑工程", scope: "房屋建筑工程、市政工程、装饰装修工程施工",
                 weight: 4, staff: 4, revenuePerHead: 36, powerPerHead: 100),
        Industry(code: "F5212", name: "超级市场零售", word: "商贸", scope: "日用百货、预包装食品、家用电器零售",
                 weight: 8, staff: 1, revenuePerHead: 30, powerPerHead: 200),
        Industry(code: "F5174", name: "五金产品批发", word: "五金", scope: "五金交电、机电设备、建筑材料批发、零售",
                 weight: 3, staff: 1, revenuePerHead: 36, powerPerHead: 60),
        Industry(code: "H6110", name: "旅游饭店", word: "酒店管理", scope: "住宿服务、餐饮服务、会务服务",
                 weight: 2, staff: 3, revenuePerHead: 9, powerPerHead: 600),
        Industry(code: "H6210", name: "正餐服务", word: "餐饮", scope: "餐饮服务、预包装食品销售",
                 weight: 6, staff: 1, revenuePerHead: 7, powerPerHead: 300),
        Industry(code: "L7271", name: "旅行社及相关服务", word: "旅游", scope: "国内旅游业务、旅游咨询、票务代理",
                 weight: 2, staff: 1, revenuePerHead: 12, powerPerHead: 30),
        Industry(code: "N7861", name: "游览景区管理", word: "旅游开发", scope: "景区管理、旅游项目开发、文化活动策划",
                 weight: 1, staff: 2, revenuePerHead: 12, powerPerHead: 150),
        Industry(code: "G5430", name: "道路货物运输", word: "物流", scope: "道路普通货物运输、仓储服务（不含危险品）",
                 weight: 3, staff: 2, revenuePerHead: 18, powerPerHead: 80),
        Industry(code: "I6513", name: "应用软件开发", word: "信息科技", scope: "软件开发、信息系统集成、技术服务",
                 weight: 3, staff: 2, revenuePerHead: 24, powerPerHead: 150),
        Industry(code: "A0141", name: "蔬菜种植", word: "农业开发", scope: "蔬菜、水果种植、销售；农业观光",
                 weight: 2, staff: 1, revenuePerHead: 5, powerPerHead: 80, cooperativeWord: "果蔬"),
    ]

    static let weighted = Weighted<Int>(all.enumerated().map { ($0.offset, $0.element.weight) })

}
