import Foundation
import PDOPDomain

public struct SignatureOut: Encodable, Sendable {
    public var userId, name: String
    public var signedAt: Date
    public init(_ s: Signature) { userId = s.userID.rawValue; name = s.name; signedAt = s.signedAt }
}

public struct SealRecordOut: Encodable, Sendable {
    public var keyId, documentDigest, signature: String
    public var sealedAt: Date
    public init(_ s: SealRecord) { keyId = s.keyID; documentDigest = s.documentDigest; signature = s.signature; sealedAt = s.sealedAt }
}

public struct AgreementScenarioOut: Encodable, Sendable {
    public var id, domain, title: String
    public var dataList: [DataListItemOut]
    public init(_ s: AgreementScenario) { id = s.id; domain = s.domain; title = s.title; dataList = s.dataList.map(DataListItemOut.init) }
}

public struct AgreementOut: Encodable, Sendable {
    public var id, applicationId, operatorId, operatorName, state, emergencyPlanId, policyVersion: String
    public var scenarios: [AgreementScenarioOut]
    public var obligations: [String]
    public var trialMonths: Int
    public var startsOn, termStartsOn, termEndsOn: Date
    public var resumeState: String?
    public var operatorSignature, authoritySignature: SignatureOut?
    public var seal: SealRecordOut?
    public var terminationRequestedAt: Date?
    public var terminationReason: String?
    public var endedAt: Date?
    public var version: Int
    public var createdAt, updatedAt: Date

    public init(_ a: Agreement) {
        id = a.id; applicationId = a.applicationID; operatorId = a.operatorID.rawValue; operatorName = a.operatorName
        state = a.state.rawValue; emergencyPlanId = a.emergencyPlanID; policyVersion = a.policyVersion
        scenarios = a.scenarios.map(AgreementScenarioOut.init); obligations = a.obligations; trialMonths = a.trialMonths
        startsOn = a.startsOn; termStartsOn = a.termStartsOn; termEndsOn = a.termEndsOn; resumeState = a.resumeState?.rawValue
        operatorSignature = a.operatorSignature.map(SignatureOut.init); authoritySignature = a.authoritySignature.map(SignatureOut.init)
        seal = a.seal.map(SealRecordOut.init); terminationRequestedAt = a.terminationRequestedAt
        terminationReason = a.terminationReason; endedAt = a.endedAt
        version = a.version; createdAt = a.createdAt; updatedAt = a.updatedAt
    }
}

// Public, no login (R9.4, R1): what anyone may know and check.

/// An approved authorization as disclosed: who, for which scenarios, since when.
public struct DisclosureOut: Encodable, Sendable {
    public struct ScenarioLine: Encodable, Sendable {
        public var title, domain: String
    }

    public var operatorName: String
    public var scenarios: [ScenarioLine]
    public var approvedAt: Date?

    public init(_ a: Application) {
        operatorName = a.operatorName
        scenarios = a.approvedScenarios.map { ScenarioLine(title: $0.title, domain: $0.domain) }
        approvedAt = a.decidedAt
    }
}

/// The county contract seal's public key.
public struct SealKeyOut: Encodable, Sendable {
    public var keyId: String
    public var algorithm = "Ed25519"
    /// The raw 32-byte public key, base64.
    public var publicKey: String
    public init(keyId: String, publicKey: String) { self.keyId = keyId; self.publicKey = publicKey }
}

/// A sealed agreement's document and seal, with the verdict of checking them against the published key.
public struct SealVerificationOut: Encodable, Sendable {
    public var agreementId, keyId, algorithm, document, documentDigest, signature: String
    public var sealedAt: Date
    public var valid: Bool

    public init(agreementID: String, document: String, seal: SealRecord, valid: Bool) {
        agreementId = agreementID; keyId = seal.keyID; algorithm = "Ed25519"; self.document = document
        documentDigest = seal.documentDigest; signature = seal.signature; sealedAt = seal.sealedAt; self.valid = valid
    }
}
