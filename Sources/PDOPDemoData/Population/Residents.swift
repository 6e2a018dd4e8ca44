/// A person in the demo data: a resident of the county or a visitor.
struct Person {
    let id: String
    let name: String
    let isMale: Bool
    let birth: Int
    let area: Int
    /// The township of residence; nil for people from outside the county.
    let township: Int?
    let mobile: String
    /// Covered by employees' insurance (职工) rather than residents' (城乡居民).
    let isEmployee: Bool

    var sex: String { isMale ? "男" : "女" }

    var townshipName: String { township.map { Places.townships[$0].name } ?? "县外" }
}

/// The county's residents, derived on demand from (seed, index): nothing is materialised, and
/// every department that references resident `i` sees the same person.
///
/// Residents `0..<adults` are 18 or older (the social-insurance register is exactly them); the
/// rest have all ages. ID numbers are unique: resident `i` gets a sequence determined by `i % 499`
/// and a birth date congruent to `i / 499` modulo `buckets`, so (birth date, sequence) determines `i`.
struct Residents: Sendable {
    let seed: UInt64
    let count: Int
    let adults: Int
    private let buckets: Int

    init(seed: UInt64, count: Int, adults: Int) {
        self.seed = seed
        self.count = count
        self.adults = min(adults, count)
        buckets = (count + 498) / 499
    }

    /// Population by age band (first age, years), an ageing county; adults alone for the register.
    private static let allAges = Weighted<(Int, Int)>([
        ((0, 10), 8), ((10, 10), 9), ((20, 10), 10), ((30, 10), 13), ((40, 10), 14), ((50, 10), 17), ((60, 10), 15),
        ((70, 10), 9), ((80, 10), 4), ((90, 10), 1),
    ])
    private static let adultAges = Weighted<(Int, Int)>([
        ((18, 12), 12), ((30, 10), 13), ((40, 10), 14), ((50, 10), 17), ((60, 10), 15), ((70, 10), 9), ((80, 8), 3),
    ])

    subscript(index: Int) -> Person {
        var rng = SplitMix64.stream(seed, index)
        let isMale = rng.chance(0.505)
        let (first, years) = (index < adults ? Residents.adultAges : Residents.allAges).pick(&rng)
        let age = first + rng.below(years)
        let bucket = index / 499
        // Sample within a year of the age, then move back to the bucket's residue class.
        let sampled = Day.reference - age * 365 - age / 4 - rng.below(365)
        let birth = sampled - ((sampled - bucket) % buckets + buckets) % buckets
        let area = rng.chance(0.88) ? Places.countyArea : rng.pick(Places.zhejiangAreas)
        // 499 is prime, so multiplying by 307 permutes 0..<499 and hides the index order.
        let sequence = 2 * (1 + index % 499 * 307 % 499) + (isMale ? 1 : 0)
        let township = Places.township.pick(&rng)
        let name = Names.person(&rng, male: isMale)
        let mobile = Names.mobile(&rng)
        return Person(id: IdentityCodes.residentID(area: area, birth: birth, sequence: sequence), name: name,
                      isMale: isMale, birth: birth, area: area, township: township, mobile: mobile,
                      isEmployee: age < 70 && rng.chance(0.55))
    }

    /// Someone from outside the county (a patient from a neighbouring county, a hotel guest):
    /// random, so the same number could in principle recur, as it would for a returning guest.
    static func visitor(_ rng: inout SplitMix64, province: Int, minAge: Int = 18, maxAge: Int = 75) -> Person {
        let isMale = rng.chance(0.52)
        let birth = Day.reference - rng.int(minAge...maxAge) * 365 - rng.below(365)
        let area = rng.pick(Places.provinces[province].areas)
        let sequence = 2 * rng.below(500) + (isMale ? 1 : 0)
        let name = Names.person(&rng, male: isMale)
        return Person(id: IdentityCodes.residentID(area: area, birth: birth, sequence: sequence), name: name,
                      isMale: isMale, birth: birth, area: area, township: nil, mobile: Names.mobile(&rng),
                      isEmployee: rng.chance(0.6))
    }
}
