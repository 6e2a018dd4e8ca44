import Foundation

/// Every number of the plan in one value (DESIGN.md "PolicySettings"). Defaults are Xinchang's plan
/// under the 2023 provincial measure; another county loads its own file. A case records the
/// `version` it was decided under.
public struct PolicySettings: Codable, Equatable, Sendable {
    /// Rule-set version, e.g. "zj-2023-44/xinchang-1".
    public var version: String

    // R9.5 agreement
    public var agreementTermMonths: Int
    public var trialPeriodMaxMonths: Int
    // R9.2 renewal
    public var renewalLeadMonths: Int
    // R7 security review validity
    public var securityReviewValidityMonths: Int
    // R9.6 log retention; never below `logRetentionFloorDays`
    public var logRetentionDays: Int
    // R17 security report cadence, R20 annual report
    public var securityReportIntervalMonths: Int
    public var annualReportAfterMonths: Int
    /// R20: days the operator has to file an annual report once it falls due
    public var annualReportFilingDays: Int

    // Platform security settings (issue 2)
    public var sessionIdleMinutes: Int
    public var sessionAbsoluteHours: Int
    public var passwordMinLength: Int
    public var loginFailuresPerAccount: Int
    public var loginFailuresPerIP: Int
    public var loginWindowMinutes: Int
    public var jsonBodyLimitBytes: Int
    public var auditCheckpointEveryEntries: Int
    public var auditCheckpointEverySeconds: Int

    // R4 supply and demand: how long a provider has to answer
    public var demandAnswerDays: Int
    public var objectionAnswerDays: Int
    // R5 ingestion: the largest file one upload may be
    public var uploadLimitMegabytes: Int
    // R3 quality figures: data counts as due for its next load from this share of its frequency's period
    public var freshnessDuePercent: Int
    // Masked sample rows a provider and the authority see of a resource's current data
    public var sampleRows: Int

    // R11, R12 sandbox (issue 5)
    /// Platform floor of distinct privacy units behind every released row; a provider may ask for more, never less.
    public var sandboxMinUnits: Int = 10
    /// Dominance rule for sums: a cell whose top N units contribute more than this percentage is sensitive and
    /// always gets the ceiling of the sum noise (it is no longer suppressed: the perturbation covers it).
    public var sandboxDominanceTopUnits: Int = 2
    public var sandboxDominancePercent: Int = 85
    public var sandboxMaxSources: Int = 4
    public var sandboxMaxFilters: Int = 8
    public var sandboxMaxListValues: Int = 20
    /// The most rows one answer may have.
    public var sandboxMaxResultRows: Int = 10_000
    public var sandboxSpecMaxBytes: Int = 16_384
    public var sandboxStatementTimeoutSeconds: Int = 30
    /// DP mode: the most ε one query may spend, and the budget a grant gets unless it says less.
    public var sandboxMaxEpsilonPerQuery: Double = 1.0
    public var sandboxDefaultEpsilonBudget: Double = 10.0
    /// Synthetic preview rows shown per dataset in a workspace.
    public var sandboxPreviewRows: Int = 20
    /// Model jobs read at most this many joined rows.
    public var sandboxMaxModelRows: Int = 2_000_000
    /// DP mode: one unit's rows counted in one group are capped here (the sensitivity of count_rows).
    public var sandboxMaxRowsPerUnit: Int = 20
    /// DP mode: the most groups a query may let one unit contribute to.
    public var sandboxMaxContributions: Int = 5
    /// DP mode: δ for the Laplace release threshold when a query names none, and the ceiling any δ stays below.
    public var sandboxDefaultDelta: Double = 1e-7
    public var sandboxMaxDelta: Double = 1e-3
    // Models (DP, issue 10 item 4)
    /// The ε a model job spends when its spec names none; at most `sandboxMaxEpsilonPerQuery`.
    public var sandboxModelDefaultEpsilon: Double = 1.0

    // Threshold mode: cell-key perturbation and the audit of released cells (issue 10, perturbation.md §2–3)
    /// The perturbation table's widest count noise D and its variance V (ABS/ONS cell-key method; max-entropy rows).
    public var sandboxCellKeyMaxNoise: Int = 3
    public var sandboxCellKeyVariance: Double = 1.5
    /// A sum's noise lies between `sandboxSumNoiseFloorPercent` and `sandboxSumNoisePercent` percent of the
    /// cell's largest per-unit contribution (clamped), so a difference of two sums never shows one unit exactly.
    public var sandboxSumNoisePercent: Int = 25
    public var sandboxSumNoiseFloorPercent: Int = 10
    /// New released cells one workspace may receive per calendar month, across all its staff (averaging cap).
    public var sandboxReleasedCellsPerMonth: Int = 5_000
    /// The audit's linear-span check works on at most this many partition cells for one join path and measure.
    public var sandboxAuditMaxCells: Int = 20_000

    /// Six months: the plan's floor for keeping network and audit logs (R9.6). No file may go lower.
    public static let logRetentionFloorDays = 183

    public static let plan = PolicySettings(
        version: "zj-2023-44/xinchang-1",
        agreementTermMonths: 24,
        trialPeriodMaxMonths: 6,
        renewalLeadMonths: 3,
        securityReviewValidityMonths: 24,
        logRetentionDays: 365,
        securityReportIntervalMonths: 6,
        annualReportAfterMonths: 12,
        annualReportFilingDays: 30,
        sessionIdleMinutes: 30,
        sessionAbsoluteHours: 12,
        passwordMinLength: 8,
        loginFailuresPerAccount: 5,
        loginFailuresPerIP: 20,
        loginWindowMinutes: 15,
        jsonBodyLimitBytes: 1 << 20,
        auditCheckpointEveryEntries: 1000,
        auditCheckpointEverySeconds: 60,
        demandAnswerDays: 15,
        objectionAnswerDays: 5,
        uploadLimitMegabytes: 4096,
        freshnessDuePercent: 80,
        sampleRows: 10
    )

    public init(version: String, agreementTermMonths: Int, trialPeriodMaxMonths: Int, renewalLeadMonths: Int,
                securityReviewValidityMonths: Int, logRetentionDays: Int, securityReportIntervalMonths: Int,
                annualReportAfterMonths: Int, annualReportFilingDays: Int, sessionIdleMinutes: Int, sessionAbsoluteHours: Int,
                passwordMinLength: Int, loginFailuresPerAccount: Int, loginFailuresPerIP: Int,
                loginWindowMinutes: Int, jsonBodyLimitBytes: Int, auditCheckpointEveryEntries: Int,
                auditCheckpointEverySeconds: Int, demandAnswerDays: Int, objectionAnswerDays: Int,
                uploadLimitMegabytes: Int, freshnessDuePercent: Int = 80, sampleRows: Int = 10) {
        self.version = version
        self.agreementTermMonths = agreementTermMonths
        self.trialPeriodMaxMonths = trialPeriodMaxMonths
        self.renewalLeadMonths = renewalLeadMonths
        self.securityReviewValidityMonths = securityReviewValidityMonths
        self.logRetentionDays = logRetentionDays
        self.securityReportIntervalMonths = securityReportIntervalMonths
        self.annualReportAfterMonths = annualReportAfterMonths
        self.annualReportFilingDays = annualReportFilingDays
        self.sessionIdleMinutes = sessionIdleMinutes
        self.sessionAbsoluteHours = sessionAbsoluteHours
        self.passwordMinLength = passwordMinLength
        self.loginFailuresPerAccount = loginFailuresPerAccount
        self.loginFailuresPerIP = loginFailuresPerIP
        self.loginWindowMinutes = loginWindowMinutes
        self.jsonBodyLimitBytes = jsonBodyLimitBytes
        self.auditCheckpointEveryEntries = auditCheckpointEveryEntries
        self.auditCheckpointEverySeconds = auditCheckpointEverySeconds
        self.demandAnswerDays = demandAnswerDays
        self.objectionAnswerDays = objectionAnswerDays
        self.uploadLimitMegabytes = uploadLimitMegabytes
        self.freshnessDuePercent = freshnessDuePercent
        self.sampleRows = sampleRows
    }

    /// Reads a settings file: any key left out keeps the plan's default; unknown keys are refused
    /// so a misspelt setting cannot silently fall back to the default.
    public static func load(json data: Data) throws -> PolicySettings {
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw DomainError.invalid("/", "policy file must be a JSON object")
        }
        let defaults = try JSONSerialization.jsonObject(with: JSONEncoder().encode(plan)) as! [String: Any]
        if let unknown = object.keys.sorted().first(where: { defaults[$0] == nil }) {
            throw DomainError.invalid(unknown, "unknown policy setting")
        }
        let merged = defaults.merging(object) { _, new in new }
        let settings: PolicySettings
        do {
            settings = try JSONDecoder().decode(PolicySettings.self,
                                                from: JSONSerialization.data(withJSONObject: merged))
        } catch {
            throw DomainError.invalid("/", "policy file has a value of the wrong type")
        }
        try settings.validate()
        return settings
    }

    public func validate() throws(DomainError) {
        if logRetentionDays < Self.logRetentionFloorDays {
            throw .refused("R9.6", "log retention may not be shorter than six months", field: "logRetentionDays")
        }
        if trialPeriodMaxMonths < 0 || trialPeriodMaxMonths > agreementTermMonths {
            throw .invalid("trialPeriodMaxMonths", "trial period must be between 0 and the agreement term")
        }
        let positive: [(String, Int)] = [
            ("agreementTermMonths", agreementTermMonths), ("renewalLeadMonths", renewalLeadMonths),
            ("securityReviewValidityMonths", securityReviewValidityMonths),
            ("securityReportIntervalMonths", securityReportIntervalMonths),
            ("annualReportAfterMonths", annualReportAfterMonths), ("annualReportFilingDays", annualReportFilingDays),
            ("sessionIdleMinutes", sessionIdleMinutes),
            ("sessionAbsoluteHours", sessionAbsoluteHours), ("loginFailuresPerAccount", loginFailuresPerAccount),
            ("loginFailuresPerIP", loginFailuresPerIP), ("loginWindowMinutes", loginWindowMinutes),
            ("jsonBodyLimitBytes", jsonBodyLimitBytes), ("auditCheckpointEveryEntries", auditCheckpointEveryEntries),
            ("auditCheckpointEverySeconds", auditCheckpointEverySeconds), ("demandAnswerDays", demandAnswerDays),
            ("objectionAnswerDays", objectionAnswerDays), ("uploadLimitMegabytes", uploadLimitMegabytes),
        ]
        if let (name, _) = positive.first(where: { $0.1 <= 0 }) {
            throw .invalid(name, "must be a positive number")
        }
        if !(1...100).contains(freshnessDuePercent) {
            throw .invalid("freshnessDuePercent", "must be between 1 and 100")
        }
        if !(1...100).contains(sampleRows) {
            throw .invalid("sampleRows", "must be between 1 and 100")
        }
        let sandboxPositive: [(String, Int)] = [
            ("sandboxMinUnits", sandboxMinUnits), ("sandboxDominanceTopUnits", sandboxDominanceTopUnits),
            ("sandboxMaxSources", sandboxMaxSources),
            ("sandboxMaxFilters", sandboxMaxFilters), ("sandboxMaxListValues", sandboxMaxListValues),
            ("sandboxMaxResultRows", sandboxMaxResultRows), ("sandboxSpecMaxBytes", sandboxSpecMaxBytes),
            ("sandboxStatementTimeoutSeconds", sandboxStatementTimeoutSeconds), ("sandboxPreviewRows", sandboxPreviewRows),
            ("sandboxMaxModelRows", sandboxMaxModelRows), ("sandboxMaxRowsPerUnit", sandboxMaxRowsPerUnit),
            ("sandboxMaxContributions", sandboxMaxContributions),
        ]
        if let (name, _) = sandboxPositive.first(where: { $0.1 <= 0 }) {
            throw .invalid(name, "must be a positive number")
        }
        if sandboxMinUnits < 2 { throw .invalid("sandboxMinUnits", "may not be below 2") }
        if !(1...10).contains(sandboxCellKeyMaxNoise) { throw .invalid("sandboxCellKeyMaxNoise", "must be between 1 and 10") }
        // V above D²/2 cannot be met by a zero-mean row bounded by ±D with mass at the centre; below 0.5 the noise is too thin.
        if !(sandboxCellKeyVariance >= 0.5 && sandboxCellKeyVariance <= Double(sandboxCellKeyMaxNoise * sandboxCellKeyMaxNoise) / 2) {
            throw .invalid("sandboxCellKeyVariance", "must be at least 0.5 and at most sandboxCellKeyMaxNoise² / 2")
        }
        if !(1...1_000).contains(sandboxSumNoisePercent) { throw .invalid("sandboxSumNoisePercent", "must be between 1 and 1000") }
        if !(1...sandboxSumNoisePercent).contains(sandboxSumNoiseFloorPercent) {
            throw .invalid("sandboxSumNoiseFloorPercent", "must be between 1 and sandboxSumNoisePercent")
        }
        if sandboxReleasedCellsPerMonth <= 0 { throw .invalid("sandboxReleasedCellsPerMonth", "must be a positive number") }
        if !(100...1_000_000).contains(sandboxAuditMaxCells) { throw .invalid("sandboxAuditMaxCells", "must be between 100 and 1000000") }
        if !(1...100).contains(sandboxDominancePercent) {
            throw .invalid("sandboxDominancePercent", "must be between 1 and 100")
        }
        if !(sandboxMaxDelta > 0 && sandboxMaxDelta < 1) {
            throw .invalid("sandboxMaxDelta", "must be between 0 and 1")
        }
        if !(sandboxDefaultDelta > 0 && sandboxDefaultDelta < sandboxMaxDelta) {
            throw .invalid("sandboxDefaultDelta", "must be above 0 and below sandboxMaxDelta")
        }
        if !(sandboxMaxEpsilonPerQuery > 0 && sandboxMaxEpsilonPerQuery <= sandboxDefaultEpsilonBudget) {
            throw .invalid("sandboxMaxEpsilonPerQuery", "must be positive and no more than sandboxDefaultEpsilonBudget")
        }
        if !(sandboxModelDefaultEpsilon > 0 && sandboxModelDefaultEpsilon <= sandboxMaxEpsilonPerQuery) {
            throw .invalid("sandboxModelDefaultEpsilon", "must be positive and no more than sandboxMaxEpsilonPerQuery")
        }
        if passwordMinLength < 8 {
            throw .invalid("passwordMinLength", "may not be below 8")
        }
        if version.isEmpty { throw .invalid("version", "must not be empty") }
    }

    public var sessionIdleTimeout: TimeInterval { TimeInterval(sessionIdleMinutes * 60) }
    public var sessionAbsoluteTimeout: TimeInterval { TimeInterval(sessionAbsoluteHours * 3600) }
    public var loginWindow: TimeInterval { TimeInterval(loginWindowMinutes * 60) }
    public var logRetention: TimeInterval { TimeInterval(logRetentionDays * 86_400) }
}
