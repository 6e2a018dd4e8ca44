/// 旅馆住宿登记 from the police: hotel check-ins of 2023–2025, keyed by ID number. A quarter of the
/// guests are residents of the county (so stays join social insurance), the rest come from elsewhere.
struct HotelStays: RowSource {
    static let dataset = DemoDataset(
        key: .hotelStays, name: "旅馆业住宿登记信息", nameEn: "Hotel stays", provider: "police", domain: "公共安全",
        description: "全县旅馆、宾馆、民宿的旅客住宿登记信息，包括旅客身份、户籍省份、入住和退房时间。",
        keywords: ["旅馆", "住宿", "登记", "旅客", "民宿", "入住", "hotel", "stays", "lodging", "guests"],
        frequency: .daily, grade: .l3, openAttribute: .conditional,
        columns: [
            .init("旅馆名称", .text, "旅馆（宾馆、民宿）名称"),
            .init("旅馆所在乡镇", .text, "旅馆所在乡镇（街道）"),
            .init("房间号", .text, "入住房间号", .quasiIdentifier),
            .init("旅客姓名", .text, "旅客姓名", .directIdentifier),
            .init("证件类型", .text, "登记证件类型"),
            .init("证件号码", .text, "旅客公民身份号码", .directIdentifier),
            .init("性别", .text, "男或女", .quasiIdentifier),
            .init("民族", .text, "民族", .sensitive),
            .init("户籍省份", .text, "证件号码所属省份", .quasiIdentifier),
            .init("入住时间", .timestamp, "入住登记时间", .quasiIdentifier),
            .init("退房时间", .timestamp, "退房时间；在住为空", .quasiIdentifier),
            .init("住宿天数", .integer, "住宿晚数"),
        ],
        baseRowCount: 150_000)

    let residents: Residents
    private static let firstDay = Day.from(2023, 1, 1)

    init(_ generator: DemoGenerator, count: Int) { residents = generator.residents }

    func row(_ index: Int, _ rng: inout SplitMix64) -> [String] {
        let hotel = Travel.hotels[Travel.hotel.index(&rng)]
        var day = HotelStays.firstDay + rng.below(Day.reference - HotelStays.firstDay + 1)
        // Trips cluster on busy days: redraw a quiet day once, weighted by its demand.
        if rng.unit() > Travel.demand(day) / 2.8 { day = HotelStays.firstDay + rng.below(Day.reference - HotelStays.firstDay + 1) }
        let guest: Person
        if rng.chance(0.25) {
            guest = residents[rng.below(residents.adults)]
        } else {
            let province = Places.province.index(&rng)
            guest = Residents.visitor(&rng, province: province)
        }
        let nights = rng.chance(0.6) ? 1 : rng.chance(0.6) ? 2 : rng.int(3...7)
        let checkIn = 12 * 3600 + rng.below(12 * 3600)
        let checkOut = 7 * 3600 + rng.below(6 * 3600)
        let leaves = day + nights
        let room = Format.padded((2 + rng.below(max(1, hotel.rooms / 25))) * 100 + 1 + rng.below(25), width: 4)
        return [
            hotel.name, hotel.township, room, guest.name, "居民身份证", guest.id, guest.sex, Names.ethnicities.pick(&rng),
            Places.provinceName(area: guest.area), Format.timestamp(day, seconds: checkIn),
            leaves <= Day.reference ? Format.timestamp(leaves, seconds: checkOut) : "", String(nights),
        ]
    }
}
