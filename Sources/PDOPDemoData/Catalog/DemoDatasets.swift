/// The demo county's datasets, in catalog order.
public enum DemoDatasets {
    static let sources: [any RowSource.Type] = [
        EnterpriseRegistry.self, TaxReturns.self, ElectricityUse.self, SocialInsurance.self, HospitalVisits.self,
        MedicalInsuranceClaims.self, BusRidership.self, HotelStays.self, TouristFlows.self, DailyWeather.self,
    ]

    public static let all: [DemoDataset] = sources.map { $0.dataset }

    public static subscript(key: DemoDataset.Key) -> DemoDataset {
        all.first { $0.key == key }!
    }

    /// Residents at scale 1: everyone the person-level datasets refer to.
    static let baseResidents = 200_000
}

/// How a dataset's rows are made: `row` is called once per index, with a generator seeded for
/// that index alone.
protocol RowSource: Sendable {
    static var dataset: DemoDataset { get }
    init(_ generator: DemoGenerator, count: Int)
    func row(_ index: Int, _ rng: inout SplitMix64) -> [String]
}
