/// A business registered in the county.
struct Enterprise {
    let code: String
    let name: String
    let kind: String
    let industry: Industry
    let township: Int
    let established: Int
    let status: String
    let employees: Int
    /// Registered capital in 10k yuan.
    let capital: Double
    /// Annual revenue in 10k yuan, which tax and electricity figures follow.
    let revenue: Double
    /// 纳税信用等级, stable for a business across periods.
    let taxRating: String

    var isActive: Bool { status == "存续" }
}

/// The county's businesses, derived on demand from (seed, index) like `Residents`. Credit codes
/// are unique: their organisation part is a bijection of the index. Names are unique up to
/// 54,600 businesses (scale 1.09): the place prefix and trade name are a bijection of the index too.
struct Enterprises: Sendable {
    let seed: UInt64
    let count: Int
    /// Per-seed offsets of the code and name bijections, so other seeds give other codes.
    private let codeOffset: Int
    private let nameOffset: Int

    init(seed: UInt64, count: Int) {
        self.seed = seed
        self.count = count
        codeOffset = Int(seed % 887_503_681)
        nameOffset = Int((seed >> 32) % UInt64(Enterprises.nameSpace))
    }

    /// Characters of trade names (字号); a name uses two different ones.
    private static let tradeChars = Array("鑫恒泰达盛华宏远丰昌隆兴腾飞正嘉信诚和益德康力永金中天海科创锐博宇航立通安顺佳美明晨东银龙凯元亿汇众联合强振同精川峰荣瑞祥福欣捷迅源成星光辉越沃洲姥梅茗禅剡鼓岩江湖山林森竹香润泽澄清泉钧铭锦绿宝万千世纪环球亚欧")
        .map(String.init)
    private static let placePrefixes = ["新昌县", "浙江新昌", "绍兴", "浙江", "新昌"]
    private static let nameSpace = tradeChars.count * (tradeChars.count - 1) * placePrefixes.count

    private static let kinds = Weighted<(kind: String, suffix: String)>([
        (("有限责任公司（自然人投资或控股）", "有限公司"), 62), (("有限责任公司（自然人独资）", "有限公司"), 15),
        (("股份有限公司（非上市、自然人投资或控股）", "股份有限公司"), 3), (("个人独资企业", "厂"), 8), (("普通合伙企业", "（普通合伙）"), 2),
    ])
    private static let capitals: Weighted<Double> = Weighted([(10, 10), (30, 8), (50, 14), (100, 20), (200, 12), (300, 8), (500, 12), (1000, 8), (2000, 4), (5000, 3), (10000, 1)])
    private static let ratings = Weighted<String>([("A", 20), ("B", 50), ("M", 20), ("C", 7), ("D", 3)])

    subscript(index: Int) -> Enterprise {
        var rng = SplitMix64.stream(seed, index)
        let industry = Industry.all[Industry.weighted.index(&rng)]
        let cooperative = industry.cooperativeWord != nil && rng.chance(0.5)
        var (kind, suffix) = Enterprises.kinds.pick(&rng)
        var word = industry.word
        if cooperative, let cooperativeWord = industry.cooperativeWord {
            (kind, word, suffix) = ("农民专业合作社", cooperativeWord, "专业合作社")
        }
        // More businesses were founded in recent years; all before the tax and electricity periods.
        let year = 2024 - Int(Double(rng.below(35)) * rng.unit())
        let established = Day.from(year, 1, 1) + rng.below(365)
        // Multipliers coprime with 31⁶ and 10⁸ (near the golden ratio of each, to scatter
        // neighbours) make the organisation part a bijection of the index.
        let organisation = year >= 2016
            ? IdentityCodes.recentOrganisationCode((index * 548_504_171 + codeOffset) % 887_503_681)
            : IdentityCodes.legacyOrganisationCode((index * 61_803_399 + codeOffset) % 100_000_000)
        let code = IdentityCodes.creditCode(prefix: cooperative ? "93330624" : "91330624", organisation: organisation)

        // A prime larger than the name space makes this a bijection of the index.
        let slot = (index * 100_003 + nameOffset) % Enterprises.nameSpace
        let chars = Enterprises.tradeChars.count
        let first = slot % chars
        let second = (first + 1 + slot / chars % (chars - 1)) % chars
        let prefix = Enterprises.placePrefixes[slot / (chars * (chars - 1))]
        let name = prefix + Enterprises.tradeChars[first] + Enterprises.tradeChars[second] + word + suffix

        let status = year < 2023 && rng.chance(0.1) ? (rng.chance(0.75) ? "注销" : "吊销") : "存续"
        // A few large groups (bearings, pharmaceuticals) employ hundreds or thousands.
        let employees = max(1, Int((Double(industry.staff) * rng.skewed(wide: true) * (rng.chance(0.005) ? 25 : 1)).rounded()))
        let capital = Enterprises.capitals.pick(&rng) * (rng.chance(0.2) ? rng.wobble(0.5) : 1)
        return Enterprise(code: code, name: name, kind: kind, industry: industry, township: Places.township.pick(&rng),
                          established: established, status: status, employees: employees, capital: capital,
                          revenue: Double(employees) * industry.revenuePerHead * rng.skewed(),
                          taxRating: Enterprises.ratings.pick(&rng))
    }
}
