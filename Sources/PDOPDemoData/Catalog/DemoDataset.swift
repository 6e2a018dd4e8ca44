/// One dataset of the demo county as the catalog describes it (R3), and its size at scale 1.
public struct DemoDataset: Sendable, Hashable, Identifiable {
    public enum Key: String, Sendable, Hashable, CaseIterable {
        case enterpriseRegistry = "enterprise_registry"
        case taxReturns = "tax_returns"
        case electricityUse = "electricity_use"
        case socialInsurance = "social_insurance"
        case hospitalVisits = "hospital_visits"
        case medicalInsuranceClaims = "medical_insurance_claims"
        case busRidership = "bus_ridership"
        case hotelStays = "hotel_stays"
        case touristFlows = "tourist_flows"
        case dailyWeather = "daily_weather"
    }

    public enum UpdateFrequency: String, Sendable, Hashable {
        case daily, weekly, monthly, quarterly
    }

    /// 分级: L1 public … L4 highly sensitive.
    public enum Grade: String, Sendable, Hashable {
        case l1 = "L1", l2 = "L2", l3 = "L3", l4 = "L4"
    }

    /// 开放属性. The demo county has no prohibited-open dataset.
    public enum OpenAttribute: String, Sendable, Hashable {
        case unconditional, conditional
    }

    public enum ColumnType: String, Sendable, Hashable {
        case integer, decimal, date, timestamp, text
    }

    public enum Sensitivity: String, Sendable, Hashable {
        case directIdentifier, quasiIdentifier, sensitive, ordinary
    }

    public struct Column: Sendable, Hashable {
        public let name: String
        public let type: ColumnType
        public let description: String
        public let sensitivity: Sensitivity

        init(_ name: String, _ type: ColumnType, _ description: String, _ sensitivity: Sensitivity = .ordinary) {
            self.name = name
            self.type = type
            self.description = description
            self.sensitivity = sensitivity
        }
    }

    public let key: Key
    public let name: String
    public let nameEn: String
    /// The providing department's organization key in the demo county (`market`, `tax`, …).
    public let provider: String
    /// The R21 domain, in Chinese (企业登记监管, 医疗, …).
    public let domain: String
    public let description: String
    public let keywords: [String]
    public let frequency: UpdateFrequency
    public let grade: Grade
    public let openAttribute: OpenAttribute
    public let columns: [Column]
    /// Rows at scale 1.
    public let baseRowCount: Int

    public var id: Key { key }

    /// Rows at `scale`: linear in it, at least one.
    public func rowCount(scale: Double) -> Int {
        DemoDataset.scaled(baseRowCount, scale)
    }

    static func scaled(_ base: Int, _ scale: Double) -> Int {
        max(1, Int((Double(base) * scale).rounded()))
    }
}
