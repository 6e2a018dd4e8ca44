/// Places of Xinchang county (新昌县, area code 330624) and where its visitors come from.
enum Places {
    static let countyArea = 330_624

    /// Townships (乡镇街道) with a weight for their share of people and businesses.
    static let townships: [(name: String, weight: Int)] = [
        ("南明街道", 18), ("羽林街道", 12), ("七星街道", 14), ("沃洲镇", 5), ("儒岙镇", 8), ("回山镇", 5), ("小将镇", 3),
        ("镜岭镇", 7), ("澄潭镇", 7), ("梅渚镇", 5), ("大市聚镇", 7), ("新林乡", 2), ("东茗乡", 3), ("城南乡", 4),
    ]
    static let township = Weighted<Int>(townships.enumerated().map { ($0.offset, $0.element.weight) })

    /// The three urban subdistricts come first in `townships`.
    static func isUrban(_ township: Int) -> Bool { township < 3 }

    static let roads = [
        "人民中路", "人民西路", "鼓山中路", "鼓山西路", "七星路", "江滨中路", "江滨西路", "新昌大道", "泰坦大道", "大佛路",
        "南明路", "羽林路", "沃洲路", "天姥路", "东门路", "环城东路", "梅渚路", "澄潭路", "工业路", "兴业路",
    ]

    /// Shaoxing and other Zhejiang areas for people born outside the county.
    static let zhejiangAreas = [
        330_602, 330_603, 330_604, 330_683, 330_681, 330_102, 330_106, 330_203, 330_302, 330_782, 331_002, 331_023, 330_783,
    ]

    /// Provinces of visitors, with a weight and some of their area codes.
    static let provinces: [(name: String, weight: Int, areas: [Int])] = [
        ("浙江省", 40, zhejiangAreas),
        ("上海市", 13, [310_101, 310_104, 310_105, 310_106, 310_107, 310_110, 310_112, 310_115]),
        ("江苏省", 12, [320_102, 320_106, 320_205, 320_505, 320_583, 320_402, 321_002]),
        ("安徽省", 7, [340_102, 340_104, 340_202, 341_002, 341_302]),
        ("福建省", 5, [350_102, 350_203, 350_502]),
        ("江西省", 5, [360_102, 360_502, 361_102]),
        ("广东省", 4, [440_103, 440_106, 440_304, 440_305, 440_604]),
        ("北京市", 3, [110_101, 110_105, 110_108]),
        ("山东省", 3, [370_102, 370_202, 370_602]),
        ("河南省", 3, [410_102, 410_105, 410_302]),
        ("湖北省", 2, [420_102, 420_106, 420_502]),
        ("四川省", 2, [510_104, 510_107, 511_302]),
        ("湖南省", 1, [430_102, 430_103, 430_602]),
    ]
    static let province = Weighted<Int>(provinces.enumerated().map { ($0.offset, $0.element.weight) })

    /// The province an ID number's area code belongs to.
    static func provinceName(area: Int) -> String {
        let prefix = area / 10_000
        return provinces.first { $0.areas[0] / 10_000 == prefix }?.name ?? "其他"
    }
}
