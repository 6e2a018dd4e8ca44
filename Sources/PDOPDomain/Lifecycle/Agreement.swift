import Foundation

/// draft → signed → trial → active ⇄ suspended → expired | terminated (R9.5, R8). The scheduler
/// moves it at its dates; violations suspend it; a deliberation or a missed correction ends it.
public enum AgreementState: String, Codable, Sendable, CaseIterable {
    case draft, signed, trial, active, suspended, expired, terminated

    /// Whether the operator may use its granted data in this state (R10, R11).
    public var grantsDataAccess: Bool { self == .trial || self == .active }
    public var isEnded: Bool { self == .expired || self == .terminated }
}

public enum AgreementEvent: String, Codable, Sendable, CaseIterable {
    /// Both parties signed and the county seal was applied.
    case sealed
    /// The start date came: into the trial period, or straight to active without one.
    case started
    /// The trial period ended.
    case trialEnded = "trial_ended"
    /// A correction order suspended access (R8 case 3).
    case suspended
    /// The authority accepted the correction.
    case restored
    /// The term ran out (R8 case 1).
    case expired
    /// Ended early: by deliberation, by revocation or at a missed correction deadline (R8 cases 2–4).
    case terminated
}

extension AgreementState {
    /// The one transition function of an agreement; `hasTrial` says where `started` leads and
    /// `resumeTo` where `restored` leads.
    public func applying(_ event: AgreementEvent, hasTrial: Bool, resumeTo: AgreementState) throws(DomainError) -> AgreementState {
        switch (self, event) {
        case (.draft, .sealed): return .signed
        case (.signed, .started): return hasTrial ? .trial : .active
        case (.trial, .trialEnded): return .active
        case (.trial, .suspended), (.active, .suspended): return .suspended
        case (.suspended, .restored) where resumeTo == .trial || resumeTo == .active: return resumeTo
        case (.signed, .expired), (.trial, .expired), (.active, .expired), (.suspended, .expired): return .expired
        case (.draft, .terminated), (.signed, .terminated), (.trial, .terminated), (.active, .terminated), (.suspended, .terminated):
            return .terminated
        default:
            throw .wrongState(rawValue, "an agreement in state \(rawValue) cannot take the event \(event.rawValue)")
        }
    }
}

public struct Signature: Codable, Sendable, Equatable {
    public var userID: UserID
    public var name: String
    public var signedAt: Date
}

/// The county contract seal over the canonical document (R1, R9.5).
public struct SealRecord: Codable, Sendable, Equatable {
    public var keyID: String
    public var documentDigest: String
    public var signature: String
    public var sealedAt: Date
}

/// An authorization agreement (协议, R9.5), generated from an approved application.
public struct Agreement: LifecycleRecord, Equatable {
    public static let kind = LifecycleKind.agreement
    public var id: String
    public var applicationID: String
    public var operatorID: OrganizationID
    public var operatorName: String
    public var scenarios: [AgreementScenario]
    public var obligations: [String]
    public var trialMonths: Int
    /// Start of the trial period (or of the term, without one).
    public var startsOn: Date
    /// Start of the two-year term, after the trial period.
    public var termStartsOn: Date
    public var termEndsOn: Date
    public var state: AgreementState
    /// Where a suspension returns to when the correction is accepted.
    public var resumeState: AgreementState?
    public var operatorSignature: Signature?
    public var authoritySignature: Signature?
    public var seal: SealRecord?
    public var emergencyPlanID: String
    public var terminationRequestedAt: Date?
    public var terminationReason: String?
    public var endedAt: Date?
    public var policyVersion: String
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public var ownerID: OrganizationID? { operatorID }
    public var subjectID: String? { applicationID }
    public var stateName: String { state.rawValue }

    /// The document that is sealed: every term of the agreement, canonical (sorted keys, fixed
    /// date form), so anyone with the public key can check it was not changed.
    public var canonicalDocument: Data {
        let document = CanonicalAgreement(
            agreementID: id, applicationID: applicationID, operatorID: operatorID.rawValue, operatorName: operatorName,
            scenarios: scenarios, obligations: obligations, trialMonths: trialMonths, startsOn: Self.day(startsOn),
            termStartsOn: Self.day(termStartsOn), termEndsOn: Self.day(termEndsOn), policyVersion: policyVersion,
            operatorSignedBy: operatorSignature?.name ?? "")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(document)) ?? Data()
    }

    /// Agreement dates are days in China Standard Time, where the county signs them.
    public static func day(_ date: Date) -> String { CivilCalendar.chinaDay(of: date) }
}

public struct AgreementScenario: Codable, Sendable, Equatable {
    public var id: String
    public var domain: String
    public var title: String
    public var dataList: [DataListItem]
}

private struct CanonicalAgreement: Encodable {
    var agreementID, applicationID, operatorID, operatorName: String
    var scenarios: [AgreementScenario]
    var obligations: [String]
    var trialMonths: Int
    var startsOn, termStartsOn, termEndsOn, policyVersion, operatorSignedBy: String
}
