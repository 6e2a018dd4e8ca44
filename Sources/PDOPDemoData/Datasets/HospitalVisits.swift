/// 医疗机构就诊记录 from the health bureau: outpatient, emergency and inpatient visits of
/// 2023–2025, keyed by ID number (residents, and a few patients from elsewhere) and by visit number,
/// which medical-insurance claims refer to.
struct HospitalVisits: RowSource {
    static let dataset = DemoDataset(
        key: .hospitalVisits, name: "医疗机构就诊记录", nameEn: "Hospital visits", provider: "health", domain: "医疗",
        description: "县人民医院、县中医院、县妇幼保健院及各乡镇卫生院（社区卫生服务中心）的门诊、急诊和住院就诊记录，含诊断类别（ICD-10 章）和费用。",
        keywords: ["就诊", "门诊", "住院", "医院", "卫生院", "诊断", "ICD-10", "医疗费用", "hospital", "visits", "health"],
        frequency: .daily, grade: .l4, openAttribute: .conditional,
        columns: [
            .init("就诊流水号", .text, "就诊记录编号，医保结算据此关联", .quasiIdentifier),
            .init("身份证号", .text, "患者公民身份号码", .directIdentifier),
            .init("患者姓名", .text, "患者姓名", .directIdentifier),
            .init("性别", .text, "男或女", .quasiIdentifier),
            .init("年龄", .integer, "就诊时周岁年龄", .quasiIdentifier),
            .init("患者所在乡镇", .text, "患者居住乡镇（街道），县外患者为“县外”", .quasiIdentifier),
            .init("医疗机构", .text, "就诊医疗机构名称"),
            .init("科室", .text, "就诊科室", .sensitive),
            .init("就诊类型", .text, "门诊、急诊或住院"),
            .init("就诊日期", .date, "就诊（入院）日期", .quasiIdentifier),
            .init("出院日期", .date, "住院患者出院日期；门急诊及在院患者为空", .quasiIdentifier),
            .init("诊断编码", .text, "主要诊断所属 ICD-10 章的编码范围", .sensitive),
            .init("诊断类别", .text, "主要诊断所属 ICD-10 章", .sensitive),
            .init("总费用_元", .decimal, "本次就诊医疗总费用，元", .sensitive),
        ],
        baseRowCount: 1_000_000)

    struct Visit {
        let number: String
        let person: Person
        let age: Int
        let hospital: String
        let atHealthCentre: Bool
        let department: String
        let kind: String
        let day: Int
        /// Nil for outpatients and for inpatients still in hospital at the end of 2025.
        let discharge: Int?
        let chapter: Medical.Chapter
        let cents: Int
    }

    let residents: Residents
    private static let firstDay = Day.from(2023, 1, 1)

    init(_ generator: DemoGenerator, count: Int) { residents = generator.residents }

    func row(_ index: Int, _ rng: inout SplitMix64) -> [String] {
        let visit = self.visit(index, &rng)
        return [
            visit.number, visit.person.id, visit.person.name, visit.person.sex, String(visit.age), visit.person.townshipName,
            visit.hospital, visit.department, visit.kind, Format.date(visit.day), visit.discharge.map(Format.date) ?? "",
            visit.chapter.code, visit.chapter.label, Format.hundredths(visit.cents),
        ]
    }

    func visit(_ index: Int, _ rng: inout SplitMix64) -> Visit {
        var day = HospitalVisits.firstDay + rng.below(Day.reference - HospitalVisits.firstDay + 1)
        let weekday = Day.weekday(day)
        if weekday >= 5 && rng.chance(0.4) { day -= weekday - 4 }  // clinics are quieter at weekends

        var person: Person
        if rng.chance(0.05) {
            person = Residents.visitor(&rng, province: 0, minAge: 0, maxAge: 90)
        } else {
            person = residents[rng.below(residents.count)]
            // Older people visit more often: give younger picks one chance to be replaced.
            if Day.age(born: person.birth, on: day) < 60 && rng.chance(0.35) { person = residents[rng.below(residents.count)] }
        }
        if day < person.birth { day = person.birth + rng.below(Day.reference - person.birth + 1) }
        let age = Day.age(born: person.birth, on: day)

        let chapter = Medical.chapters[Medical.chapters(age: age, male: person.isMale).index(&rng)]
        let roll = rng.unit()
        let kind = roll < (age < 14 ? 0.04 : 0.08) ? "住院" : roll < 0.18 ? "急诊" : "门诊"
        var healthCentre: String?
        if let township = person.township, kind == "门诊", !Places.isUrban(township), rng.chance(0.45) {
            healthCentre = Medical.healthCentre(township)
        }
        let hospital: String
        let department: String
        if let healthCentre {
            hospital = healthCentre
            department = chapter.code.hasPrefix("Z") ? "预防保健科" : "全科医学科"
        } else {
            let maternal = age < 14 || chapter.code.hasPrefix("O") || chapter.code.hasPrefix("P")
            hospital = maternal && rng.chance(0.5) ? "新昌县妇幼保健院" : rng.chance(0.65) ? "新昌县人民医院" : "新昌县中医院"
            department = kind == "急诊" ? "急诊科" : age < 14 && !chapter.code.hasPrefix("P") ? "儿科" : rng.pick(chapter.departments)
        }

        var discharge: Int?
        var cost: Double
        switch kind {
        case "住院":
            let stay = min(60, 2 + Int(5 * rng.skewed(wide: true)))
            if day + stay <= Day.reference { discharge = day + stay }
            cost = 2_000 + 800 * Double(stay) * rng.skewed()
        case "急诊":
            cost = 380 * rng.skewed(wide: true)
        default:
            cost = (healthCentre != nil ? 85 : 220) * rng.skewed(wide: true)
        }
        cost *= chapter.cost * (age >= 60 ? 1.2 : 1)
        return Visit(
            number: "JZ" + Format.compactDate(day) + Format.padded(index, width: 8), person: person, age: age,
            hospital: hospital, atHealthCentre: healthCentre != nil, department: department, kind: kind, day: day,
            discharge: discharge, chapter: chapter, cents: max(500, Int((cost * 100).rounded())))
    }
}
