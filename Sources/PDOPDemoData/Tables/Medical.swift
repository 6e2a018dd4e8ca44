/// Hospitals, departments and diagnosis categories for hospital visits.
enum Medical {
    /// The health centre of a township, where its residents see a general practitioner:
    /// community centres in the subdistricts, 卫生院 elsewhere.
    static func healthCentre(_ township: Int) -> String {
        let name = Places.townships[township].name
        return "新昌县" + name + (Places.isUrban(township) ? "社区卫生服务中心" : "卫生院")
    }

    struct Chapter: Sendable {
        let code: String
        let label: String
        let departments: [String]
        /// Cost relative to the average visit.
        let cost: Double
    }

    /// ICD-10 chapters (章) with Chinese labels.
    static let chapters: [Chapter] = [
        Chapter(code: "A00-B99", label: "某些传染病和寄生虫病", departments: ["感染科", "内科"], cost: 0.9),
        Chapter(code: "C00-D48", label: "肿瘤", departments: ["肿瘤科", "普外科"], cost: 3.0),
        Chapter(code: "D50-D89", label: "血液及造血器官疾病和某些涉及免疫机制的疾患", departments: ["血液内科"], cost: 1.4),
        Chapter(code: "E00-E90", label: "内分泌、营养和代谢疾病", departments: ["内分泌科"], cost: 1.0),
        Chapter(code: "F00-F99", label: "精神和行为障碍", departments: ["精神心理科"], cost: 1.1),
        Chapter(code: "G00-G99", label: "神经系统疾病", departments: ["神经内科"], cost: 1.3),
        Chapter(code: "H00-H59", label: "眼和附器疾病", departments: ["眼科"], cost: 0.8),
        Chapter(code: "H60-H95", label: "耳和乳突疾病", departments: ["耳鼻咽喉科"], cost: 0.8),
        Chapter(code: "I00-I99", label: "循环系统疾病", departments: ["心血管内科", "神经内科"], cost: 1.5),
        Chapter(code: "J00-J99", label: "呼吸系统疾病", departments: ["呼吸内科", "内科"], cost: 0.8),
        Chapter(code: "K00-K93", label: "消化系统疾病", departments: ["消化内科", "普外科", "口腔科"], cost: 1.1),
        Chapter(code: "L00-L99", label: "皮肤和皮下组织疾病", departments: ["皮肤科"], cost: 0.6),
        Chapter(code: "M00-M99", label: "肌肉骨骼系统和结缔组织疾病", departments: ["骨科", "中医科", "康复医学科"], cost: 1.0),
        Chapter(code: "N00-N99", label: "泌尿生殖系统疾病", departments: ["泌尿外科", "肾内科"], cost: 1.1),
        Chapter(code: "O00-O99", label: "妊娠、分娩和产褥期", departments: ["产科"], cost: 1.6),
        Chapter(code: "P00-P96", label: "起源于围生期的某些情况", departments: ["新生儿科"], cost: 1.8),
        Chapter(code: "Q00-Q99", label: "先天性畸形、变形和染色体异常", departments: ["儿科"], cost: 1.5),
        Chapter(code: "R00-R99", label: "症状、体征和临床与实验室异常所见", departments: ["全科医学科", "急诊科"], cost: 0.7),
        Chapter(code: "S00-T98", label: "损伤、中毒和外因的某些其他后果", departments: ["急诊科", "骨科"], cost: 1.3),
        Chapter(code: "Z00-Z99", label: "影响健康状态和与保健机构接触的因素", departments: ["体检中心", "预防保健科"], cost: 0.5),
    ]

    /// Weights per chapter (in `chapters` order) for an age group and sex: children have more
    /// respiratory and infectious disease, older people more circulatory disease and tumours;
    /// only women of childbearing age have pregnancy visits.
    private static func table(_ weights: [Int]) -> Weighted<Int> {
        Weighted(weights.enumerated().map { ($0.offset, $0.element) })
    }
    static let infant = table([6, 0, 1, 1, 0, 1, 2, 2, 0, 30, 8, 6, 0, 1, 0, 15, 4, 12, 2, 15])
    static let child = table([8, 1, 1, 1, 1, 2, 4, 4, 1, 30, 8, 5, 2, 1, 0, 0, 2, 12, 8, 7])
    static let adultMale = table([3, 3, 1, 6, 2, 4, 4, 2, 10, 16, 12, 5, 12, 5, 0, 0, 0, 10, 8, 7])
    static let adultFemale = table([3, 4, 2, 6, 3, 4, 4, 2, 7, 15, 11, 5, 11, 8, 8, 0, 0, 10, 5, 7])
    static let elderMale = table([2, 7, 2, 10, 2, 6, 6, 2, 24, 14, 10, 3, 13, 7, 0, 0, 0, 8, 6, 5])
    static let elderFemale = table([2, 6, 2, 11, 2, 6, 7, 2, 22, 13, 10, 3, 15, 6, 0, 0, 0, 8, 6, 5])

    static func chapters(age: Int, male: Bool) -> Weighted<Int> {
        if age < 1 { return infant }
        if age < 14 { return child }
        if age < 60 { return male || age > 45 ? adultMale : adultFemale }
        return male ? elderMale : elderFemale
    }
}
