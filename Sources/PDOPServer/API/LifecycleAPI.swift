import Foundation
import Hummingbird
import PDOPAPI
import PDOPDomain
import PDOPStore

/// The authorization lifecycle (R1, R2, R7–R10, R18, R20, R27): the public disclosure and seal
/// check, announcements, applications and their review, deliberations, filings, agreements,
/// supervision and exit. Handlers parse, call one `LifecycleService` method and map the result.
struct LifecycleAPI {
    let services: PlatformServices
    var lifecycle: LifecycleService { services.lifecycle }

    static let operatorManagers: [Role: ScopeKind] = [.operatorManager: .own]
    /// An operator's cases: its staff (own), the authority and regulators (all).
    static let caseReaders: [Role: ScopeKind] = SupplyAPI.operatorStaff.merging(Reach.supervisors) { $1 }
    /// Applications also show to their reviewers; the service decides which ones (R9.3).
    static let applicationReaders: [Role: ScopeKind] = caseReaders.merging([.provider: .own, .coordinationMember: .own, .expert: .own]) { $1 }
    /// Deliberations are the coordination mechanism's own records (R1).
    static let deliberationReaders: [Role: ScopeKind] = caseReaders.merging([.coordinationMember: .all]) { $1 }
    static let filingReaders: [Role: ScopeKind] = Reach.supervisors.merging([.province: .all]) { $1 }
    /// The slots of a scenario's review: the authority, its providers and the assigned coordination members.
    static let scenarioReviewers: [Role: ScopeKind] = [.authority: .all, .provider: .own, .coordinationMember: .own]
    static let experts: [Role: ScopeKind] = [.expert: .own]
    static let drillWriters: [Role: ScopeKind] = [.operatorManager: .own, .authority: .all]

    var routes: [Route] {
        publicRoutes + announcementRoutes + applicationRoutes + reviewRoutes + decisionRoutes + agreementRoutes + supervisionRoutes
    }

    /// No login: the announcements, the disclosure of approved operators (R9.4) and the seal check (R1, R9.5).
    var publicRoutes: [Route] {
        [
            Route(RouteSpec(.get, "/api/v1/public/announcements", .everyone, audience: .api)) { request, _, _ in
                let page = try await lifecycle.announcements(includeDrafts: false, page: request.pageRequest())
                return try APIResponse.json(PageOut(page, AnnouncementOut.init))
            },
            Route(RouteSpec(.get, "/api/v1/public/announcements/{announcementId}", .everyone, audience: .api)) { _, context, _ in
                try APIResponse.json(AnnouncementOut(try await lifecycle.announcement(context.parameter("announcementId"), includeDrafts: false)))
            },
            Route(RouteSpec(.get, "/api/v1/public/disclosures", .everyone, audience: .api)) { request, _, _ in
                try APIResponse.json(PageOut(try await lifecycle.disclosures(page: request.pageRequest()), DisclosureOut.init))
            },
            Route(RouteSpec(.get, "/api/v1/public/seal", .everyone, audience: .api)) { _, _, _ in
                try APIResponse.json(SealKeyOut(keyId: lifecycle.sealKeyID, publicKey: lifecycle.sealPublicKey))
            },
            Route(RouteSpec(.get, "/api/v1/public/agreements/{agreementId}/seal", .everyone, audience: .api)) { _, context, _ in
                let agreement = try await lifecycle.agreement(context.parameter("agreementId"), scope: .all)
                guard let seal = agreement.seal else { throw DomainError.notFound("seal") }
                let document = agreement.canonicalDocument
                return try APIResponse.json(SealVerificationOut(
                    agreementID: agreement.id, document: String(decoding: document, as: UTF8.self), seal: seal,
                    valid: Self.verify(document, seal: seal, keyID: lifecycle.sealKeyID, publicKey: lifecycle.sealPublicKey)))
            },
        ]
    }

    /// What anyone holding the published key can check: the key is the county's, the digest is the
    /// document's and the signature is over the document.
    static func verify(_ document: Data, seal: SealRecord, keyID: String, publicKey: String) -> Bool {
        seal.keyID == keyID && Ed25519ContractSeal.digest(of: document) == seal.documentDigest
            && Ed25519ContractSeal.verify(document, signature: seal.signature, publicKey: publicKey)
    }

    var announcementRoutes: [Route] {
        [
            Route(RouteSpec(.get, "/api/v1/announcements", .roles(Reach.authorityOnly), audience: .api)) { request, _, _ in
                try APIResponse.json(PageOut(try await lifecycle.announcements(includeDrafts: true, page: request.pageRequest()),
                                             AnnouncementOut.init))
            },
            Route(RouteSpec(.post, "/api/v1/announcements", .roles(Reach.authorityOnly), audience: .api)) { _, _, caller in
                let input = try caller.input(AnnouncementCreate.self)
                let draft = AnnouncementDraft(
                    title: input.title, method: try parseEnum(AuthorizationMethod.self, input.method, field: "method"),
                    domains: input.domains ?? [], resourceIDs: (input.resourceIds ?? []).map(ResourceID.init), conditions: input.conditions,
                    criteria: input.criteria, requirements: input.requirements, opensAt: input.opensAt, closesAt: input.closesAt)
                return try APIResponse.json(AnnouncementOut(try await lifecycle.draftAnnouncement(draft, by: caller.actor)), status: .created)
            },
            Route(RouteSpec(.get, "/api/v1/announcements/{announcementId}", .roles(Reach.authorityOnly), audience: .api)) { _, context, _ in
                try APIResponse.json(AnnouncementOut(try await lifecycle.announcement(context.parameter("announcementId"), includeDrafts: true)))
            },
            Route(RouteSpec(.post, "/api/v1/announcements/{announcementId}/publish", .roles(Reach.authorityOnly), audience: .api)) { _, context, caller in
                let input = try caller.input(VersionIn.self)
                return try APIResponse.json(AnnouncementOut(try await lifecycle.publishAnnouncement(
                    context.parameter("announcementId"), version: input.version, by: caller.actor)))
            },
            Route(RouteSpec(.post, "/api/v1/announcements/{announcementId}/withdraw", .roles(Reach.authorityOnly), audience: .api)) { _, context, caller in
                let input = try caller.input(VersionIn.self)
                return try APIResponse.json(AnnouncementOut(try await lifecycle.withdrawAnnouncement(
                    context.parameter("announcementId"), version: input.version, by: caller.actor)))
            },
            Route(RouteSpec(.get, "/api/v1/qualifications", .roles(Self.caseReaders), audience: .api)) { request, _, caller in
                let page = try await lifecycle.list(Qualification.self, filter: try Self.ownerFilter(request), page: request.pageRequest(),
                                                    scope: caller.scope)
                return try APIResponse.json(PageOut(page, QualificationOut.init))
            },
            Route(RouteSpec(.post, "/api/v1/qualifications", .roles(Reach.authorityOnly), audience: .api)) { _, _, caller in
                let input = try caller.input(QualificationCreate.self)
                let qualification = try await lifecycle.recordQualification(
                    operator: OrganizationID(input.operatorId), kind: try parseEnum(QualificationKind.self, input.kind, field: "kind"),
                    passedOn: input.passedOn, reference: input.reference, by: caller.actor)
                return try APIResponse.json(QualificationOut(qualification), status: .created)
            },
        ]
    }

    /// `operatorId` and `state` query filters; a caller limited to its own organization is kept to it by the service.
    static func ownerFilter(_ request: Request, states: [String]? = nil) throws -> LifecycleFilter {
        LifecycleFilter(owner: try request.queryText("operatorId").map(OrganizationID.init), states: states)
    }

    static func stateFilter<E: RawRepresentable & CaseIterable>(_ request: Request, _ type: E.Type) throws -> LifecycleFilter
    where E.RawValue == String {
        try ownerFilter(request, states: try request.queryEnum("state", E.self).map { [$0.rawValue] })
    }
}

