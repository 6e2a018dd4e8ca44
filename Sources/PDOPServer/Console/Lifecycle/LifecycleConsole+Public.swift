import Foundation
import Hummingbird
import PDOPDomain
import PDOPStore

extension LifecycleConsole {
    /// Pages anyone can read without signing in (R9.1, R9.4, R1): open announcements, the disclosure
    /// of approved operators and scenarios with their filing, and the county seal's public key with a
    /// verifier. The province acknowledges filings here too.
    var publicRoutes: [Route] {
        [
            Route(RouteSpec(.get, "/public/announcements", .everyone, audience: .console)) { request, context, caller in
                let result = try await lifecycle.announcements(includeDrafts: false, page: request.pageRequest())
                return page.render("public_announcements", [
                    "items": result.items.map { announcementRow($0, context.locale) },
                    "pager": Pager.model(result.total, limit: result.limit, offset: result.offset, path: "/public/announcements", query: []),
                ], caller: caller, context: context, request: request, active: "")
            },
            Route(RouteSpec(.get, "/public/announcements/{announcementId}", .everyone, audience: .console)) { request, context, caller in
                let announcement = try await lifecycle.announcement(try context.parameter("announcementId"), includeDrafts: false)
                return page.render("public_announcement", ["a": announcementRow(announcement, context.locale),
                                                           "resources": await scopeResources(announcement)],
                                   caller: caller, context: context, request: request, active: "")
            },
            Route(RouteSpec(.get, "/public/disclosures", .everyone, audience: .console)) { request, context, caller in
                let result = try await lifecycle.disclosures(page: request.pageRequest())
                let filings = try await lifecycle.list(Filing.self, page: PageRequest(limit: PageRequest.maxLimit), scope: .all).items
                var agreementStates: [String: String] = [:]
                for application in result.items {
                    let agreements = try await lifecycle.list(Agreement.self, filter: LifecycleFilter(subjectID: application.id), page: .first, scope: .all)
                    agreementStates[application.id] = agreements.items.first.map { text("agreementState.\($0.state.rawValue)", context.locale) } ?? ""
                }
                return page.render("public_disclosures", [
                    "items": result.items.map { application in
                        let filing = filings.first { $0.applicationID == application.id }
                        return ["operator": application.operatorName, "decided": application.decidedAt?.consoleDay ?? "",
                                "scenarios": application.approvedScenarios.map { ["title": $0.title, "domain": scenarioDomainLabel($0.domain, context.locale)] },
                                "filing": filing.map { text("filingState.\($0.state.rawValue)", context.locale) } ?? "",
                                "agreement": agreementStates[application.id] ?? ""] as [String: Any]
                    },
                    "pager": Pager.model(result.total, limit: result.limit, offset: result.offset, path: "/public/disclosures", query: []),
                ], caller: caller, context: context, request: request, active: "")
            },
            Route(RouteSpec(.get, "/public/seal", .everyone, audience: .console)) { request, context, caller in
                var model: [String: Any] = ["keyId": lifecycle.sealKeyID, "publicKey": lifecycle.sealPublicKey]
                if let id = try request.queryText("agreement", maxLength: 100) {
                    model["checked"] = id
                    if let agreement = try? await lifecycle.agreement(id, scope: .all), let seal = agreement.seal {
                        let document = agreement.canonicalDocument
                        model["result"] = ["valid": Ed25519ContractSeal.verify(document, signature: seal.signature, publicKey: lifecycle.sealPublicKey),
                                           "document": String(decoding: document, as: UTF8.self), "digest": seal.documentDigest,
                                           "signature": seal.signature, "sealed": seal.sealedAt.consoleText] as [String: Any]
                    } else {
                        model["notSealed"] = true
                    }
                }
                return page.render("public_seal", model, caller: caller, context: context, request: request, active: "")
            },
            Route(RouteSpec(.get, "/console/filings", .roles([.province: .all, .authority: .all]), audience: .console)) { request, context, caller in
                try await filingList(request, context, caller, error: nil, status: .ok)
            },
            Route(RouteSpec(.post, "/console/filings/{filingId}/acknowledge", .roles([.province: .all]), audience: .console)) { request, context, caller in
                try await FormOutcome.attempt({
                    _ = try await lifecycle.acknowledgeFiling(try context.parameter("filingId"), version: try caller.intField("version"), by: caller.actor)
                    return Response.seeOther("/console/filings")
                }, otherwise: { error, status in try await filingList(request, context, caller, error: error, status: status) })
            },
        ]
    }

    func filingList(_ request: Request, _ context: PDOPRequestContext, _ caller: Caller, error: [String: Any]?,
                    status: HTTPResponse.Status) async throws -> Response {
        let result = try await lifecycle.list(Filing.self, page: request.pageRequest(), scope: .all)
        let isProvince = roles(caller).contains(.province)
        return page.render("filings", [
            "items": result.items.map { filing in
                ["id": filing.id, "operator": filing.operatorName, "application": filing.applicationID,
                 "scenarios": filing.scenarioTitles.joined(separator: text("list.separator", context.locale)),
                 "filed": filing.filedAt.consoleText, "state": text("filingState.\(filing.state.rawValue)", context.locale),
                 "acknowledged": filing.acknowledgedAt?.consoleText ?? "", "version": filing.version,
                 "canAcknowledge": isProvince && filing.state == .filed] as [String: Any]
            },
            "pager": Pager.model(result.total, limit: result.limit, offset: result.offset, path: "/console/filings", query: []),
            "error": error,
        ], caller: caller, context: context, request: request, active: "/console/filings", status: status)
    }
}
