/// 医保结算 from the healthcare security bureau: the insured settlements of two in five hospital
/// visits. Claim `i` settles visit `i · visits / claims`, regenerated from the visits' own stream,
/// so ID number, visit number, hospital, dates and cost agree with hospital visits.
struct MedicalInsuranceClaims: RowSource {
    static let dataset = DemoDataset(
        key: .medicalInsuranceClaims, name: "医保结算信息", nameEn: "Medical insurance claims", provider: "medinsure", domain: "医保",
        description: "参保人员在定点医疗机构就医的医保结算明细，包括医疗总费用、统筹基金支付、个人账户支付、个人现金支付和异地就医标识。",
        keywords: ["医保", "结算", "统筹基金", "个人账户", "异地就医", "报销", "medical insurance", "claims", "reimbursement"],
        frequency: .weekly, grade: .l4, openAttribute: .conditional,
        columns: [
            .init("结算单号", .text, "医保结算单号", .quasiIdentifier),
            .init("就诊流水号", .text, "对应的就诊记录编号", .quasiIdentifier),
            .init("身份证号", .text, "参保人公民身份号码", .directIdentifier),
            .init("姓名", .text, "参保人姓名", .directIdentifier),
            .init("险种类型", .text, "职工基本医疗保险或城乡居民基本医疗保险"),
            .init("定点医疗机构", .text, "结算的定点医疗机构"),
            .init("就诊类型", .text, "门诊、急诊或住院"),
            .init("结算日期", .date, "结算日期", .quasiIdentifier),
            .init("医疗总费用_元", .decimal, "医疗总费用，元", .sensitive),
            .init("统筹基金支付_元", .decimal, "基本医疗保险统筹基金支付，元", .sensitive),
            .init("个人账户支付_元", .decimal, "职工医保个人账户支付，元", .sensitive),
            .init("个人现金支付_元", .decimal, "个人现金支付，元", .sensitive),
            .init("是否异地就医", .text, "参保地不在本县为“是”"),
        ],
        baseRowCount: 400_000)

    let visits: HospitalVisits
    let visitCount: Int
    let visitSeed: UInt64
    let count: Int

    init(_ generator: DemoGenerator, count: Int) {
        visits = HospitalVisits(generator, count: generator.rowCount(.hospitalVisits))
        visitCount = generator.rowCount(.hospitalVisits)
        visitSeed = generator.streamSeed(.hospitalVisits)
        self.count = count
    }

    func row(_ index: Int, _ rng: inout SplitMix64) -> [String] {
        let visitIndex = index * visitCount / count % visitCount
        var visitRNG = SplitMix64.stream(visitSeed, visitIndex)
        let visit = visits.visit(visitIndex, &visitRNG)
        let elsewhere = visit.person.township == nil
        let employee = visit.person.isEmployee
        // Deductible and reimbursement ratio by scheme and care level, lower for out-of-county patients.
        let (deductible, ratio): (Int, Double) = switch (visit.kind == "住院", employee) {
        case (true, true): (60_000, 0.85)
        case (true, false): (80_000, 0.72)
        case (false, true): (0, visit.atHealthCentre ? 0.75 : 0.6)
        case (false, false): (0, visit.atHealthCentre ? 0.6 : 0.5)
        }
        let fund = Int(Double(max(0, visit.cents - deductible)) * ratio * (elsewhere ? 0.9 : 1))
        let rest = visit.cents - fund
        let account = employee ? Int(Double(rest) * (0.3 + 0.5 * rng.unit())) : 0
        return [
            "JS" + Format.padded(index, width: 10), visit.number, visit.person.id, visit.person.name,
            employee ? "职工基本医疗保险" : "城乡居民基本医疗保险", visit.hospital, visit.kind,
            Format.date(visit.discharge ?? (visit.kind == "住院" ? Day.reference : visit.day)),
            Format.hundredths(visit.cents), Format.hundredths(fund), Format.hundredths(account),
            Format.hundredths(rest - account), elsewhere ? "是" : "否",
        ]
    }
}
