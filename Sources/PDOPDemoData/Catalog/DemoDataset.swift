import PDOPDomain

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

    // The catalog's own vocabulary (R3), so a demo dataset is described exactly as a provider would.
    public typealias UpdateFrequency = PDOPDomain.UpdateFrequency
    public typealias Grade = DataGrade
    public typealias OpenAttribute = PDOPDomain.OpenAttribute
    public typealias ColumnType = PDOPDomain.ColumnType
    public typealias Sensitivity = PDOPDomain.Sensitivity

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
