import Foundation
import HummingbirdTesting
import PDOPAPI
import PDOPDomain
import PDOPServer
import PDOPStore
import Testing

/// Issue 4 through the JSON API: the whole lifecycle as the roles, the public endpoints without a
/// token, and the refusals with their status, state, rule and field pointer.
@Suite("Lifecycle API")
struct LifecycleAPITests {
    @Test("R1 R7 R8 R9 R27 announcement to revocation through the API, as the roles")
    func wholeLifecycle() async throws {
        try await TestPlatform.run { platform, client in
            let api = LifecycleAPIClient(platform: platform, client: client)
            let resource = try await LifecycleAPIClient.prepare(platform)

            // Announcement: a draft is not public; published it is.
            let draft = try await api.call(.post, "/api/v1/announcements", as: "authority", api.announcementBody(resource: resource.id),
                                           expect: .created)
            let announcementID = draft["id"] as! String
            #expect(draft["state"] as? String == "draft")
            try await api.call(.get, "/api/v1/public/announcements/\(announcementID)", as: nil, expect: .notFound)
            try await api.call(.post, "/api/v1/announcements/\(announcementID)/publish", as: "authority", ["version": 1], expect: .ok)
            let again = try await api.call(.post, "/api/v1/announcements/\(announcementID)/publish", as: "authority", ["version": 2],
                                           expect: .conflict)
            #expect(again["state"] as? String == "published")
            let listed = try await api.call(.get, "/api/v1/public/announcements", as: nil, expect: .ok)
            #expect(listed["total"] as? Int == 1)
            let shown = try await api.call(.get, "/api/v1/public/announcements/\(announcementID)", as: nil, expect: .ok)
            #expect(shown["resourceIds"] as? [String] == [resource.id.rawValue])

            // Qualifications (R7), then the application.
            for kind in ["basic_security", "technical_security"] {
                try await api.call(.post, "/api/v1/qualifications", as: "authority",
                                   ["operatorId": api.operatorID, "kind": kind, "passedOn": api.now(plus: -86_400), "reference": "浙安审\(kind)"],
                                   expect: .created)
            }
            let qualifications = try await api.call(.get, "/api/v1/qualifications", as: "operator_manager", expect: .ok)
            #expect(qualifications["total"] as? Int == 2)
            let submitted = try await api.call(.post, "/api/v1/applications", as: "operator_manager",
                                               api.applicationBody(announcement: announcementID, resource: resource.id.rawValue), expect: .created)
            let applicationID = submitted["id"] as! String
            let planID = submitted["emergencyPlanId"] as! String
            #expect(submitted["state"] as? String == "submitted")
            try await api.call(.get, "/api/v1/applications/\(applicationID)", as: "other", expect: .notFound)
            let own = try await api.call(.get, "/api/v1/applications/\(applicationID)", as: "operator_manager", expect: .ok)
            #expect(own["creditRecords"] == nil, "the operator reads its own file elsewhere")

            // Review: slots per scenario, an expert's opinion, the network-security review, the plan.
            let opened = try await api.call(.post, "/api/v1/applications/\(applicationID)/review", as: "authority",
                                            ["coordinationMembers": [api.departmentID], "version": 1], expect: .ok)
            let scenario = (opened["scenarios"] as! [[String: Any]])[0]
            #expect((scenario["reviews"] as! [[String: Any]]).map { $0["role"] as! String } == ["authority", "provider", "coordination"])
            let asked = try await api.call(.post, "/api/v1/applications/\(applicationID)/expert-opinions", as: "authority",
                                           ["expertId": platform.user(.expert).id.rawValue, "question": "数据最小化是否充分？"], expect: .created)
            let opinionID = (asked["expertOpinions"] as! [[String: Any]])[0]["id"] as! String
            try await api.call(.post, "/api/v1/applications/\(applicationID)/expert-opinions/\(opinionID)", as: "expert",
                               ["opinion": "充分"], expect: .ok)
            for reviewer in ["authority", "provider", "coordination_member"] {
                try await api.call(.post, "/api/v1/applications/\(applicationID)/scenarios/s1/decision", as: reviewer,
                                   ["listVersion": 1, "decision": "approved", "opinion": "同意"], expect: .ok)
            }
            try await api.call(.post, "/api/v1/applications/\(applicationID)/network-security", as: "regulator",
                               ["decision": "approved"], expect: .ok)
            try await api.call(.post, "/api/v1/emergency-plans/\(planID)/approve", as: "authority", ["revision": 1], expect: .ok)
            let reviewed = try await api.call(.get, "/api/v1/applications/\(applicationID)", as: "regulator", expect: .ok)
            #expect((reviewed["scenarios"] as! [[String: Any]])[0]["outcome"] as? String == "approved")
            #expect(reviewed["creditRecords"] as? [Any] != nil, "reviewers see the applicant's credit file")

            // Deliberation grants; the disclosure and the filing follow (R1, R9.4).
            let granted = try await api.call(.post, "/api/v1/deliberations", as: "authority", deliberation(applicationID, "grant", api),
                                             expect: .created)
            #expect(granted["decision"] as? String == "grant")
            let disclosures = try await api.call(.get, "/api/v1/public/disclosures", as: nil, expect: .ok)
            let disclosed = (disclosures["items"] as! [[String: Any]])[0]
            #expect(disclosed["operatorName"] as? String == platform.organizations["operator"]!.name)
            #expect(disclosed["scenarios"] as? [[String: String]] == [["title": "商业健康险核保1", "domain": "finance_insurance"]])
            let filings = try await api.call(.get, "/api/v1/filings", as: "province", expect: .ok)
            let filingID = (filings["items"] as! [[String: Any]])[0]["id"] as! String
            let acknowledged = try await api.call(.post, "/api/v1/filings/\(filingID)/acknowledge", as: "province", ["version": 1], expect: .ok)
            #expect(acknowledged["state"] as? String == "acknowledged")

            // Agreement: too long a trial is refused by rule; drawn up, signed, sealed, started by the scheduler.
            let tooLong = try await api.call(.post, "/api/v1/agreements", as: "authority",
                                             ["applicationId": applicationID, "trialMonths": 7, "startsOn": api.now()], expect: .unprocessableContent)
            #expect(tooLong["rule"] as? String == "R9.5")
            let drawn = try await api.call(.post, "/api/v1/agreements", as: "authority",
                                           ["applicationId": applicationID, "trialMonths": 0, "startsOn": api.now()], expect: .created)
            let agreementID = drawn["id"] as! String
            try await api.call(.get, "/api/v1/public/agreements/\(agreementID)/seal", as: nil, expect: .notFound)
            try await api.call(.post, "/api/v1/agreements/\(agreementID)/seal", as: "authority", ["version": 1], expect: .conflict)
            try await api.call(.post, "/api/v1/agreements/\(agreementID)/sign", as: "operator_manager", ["version": 1], expect: .ok)
            let sealed = try await api.call(.post, "/api/v1/agreements/\(agreementID)/seal", as: "authority", ["version": 2], expect: .ok)
            #expect(sealed["state"] as? String == "signed")
            let key = try await api.call(.get, "/api/v1/public/seal", as: nil, expect: .ok)
            let check = try await api.call(.get, "/api/v1/public/agreements/\(agreementID)/seal", as: nil, expect: .ok)
            #expect(check["valid"] as? Bool == true)
            #expect(check["keyId"] as? String == key["keyId"] as? String)
            let document = Data((check["document"] as! String).utf8)
            #expect(Ed25519ContractSeal.verify(document, signature: check["signature"] as! String, publicKey: key["publicKey"] as! String))
            #expect(!Ed25519ContractSeal.verify(Data("{}".utf8), signature: check["signature"] as! String, publicKey: key["publicKey"] as! String))
            platform.clock.advance(by: 60)
            try await platform.services.scheduler.runDue(limit: 100)
            let started = try await api.call(.get, "/api/v1/agreements/\(agreementID)", as: "operator_manager", expect: .ok)
            #expect(started["state"] as? String == "active")

            // A violation suspends at once and revokes the operator's tokens; reported and restored, it resumes.
            let order = try await api.call(.post, "/api/v1/agreements/\(agreementID)/correction-orders", as: "authority",
                                           ["violation": "超范围使用数据", "deadline": api.now(plus: 15 * 86_400)], expect: .created)
            let orderID = order["id"] as! String
            let suspended = try await api.call(.get, "/api/v1/agreements/\(agreementID)", as: "authority", expect: .ok)
            #expect(suspended["state"] as? String == "suspended")
            try await api.call(.get, "/api/v1/correction-orders", as: "operator_manager", expect: .unauthorized)
            api.reissue("operator_manager")
            let orders = try await api.call(.get, "/api/v1/correction-orders", as: "operator_manager", expect: .ok)
            #expect(orders["total"] as? Int == 1)
            try await api.call(.post, "/api/v1/correction-orders/\(orderID)/restore", as: "authority", ["version": 1], expect: .conflict)
            try await api.call(.post, "/api/v1/correction-orders/\(orderID)/report", as: "operator_manager",
                               ["report": "已停止超范围使用", "version": 1], expect: .ok)
            let restored = try await api.call(.post, "/api/v1/correction-orders/\(orderID)/restore", as: "authority", ["version": 2], expect: .ok)
            #expect(restored["state"] as? String == "restored")
            let resumed = try await api.call(.get, "/api/v1/agreements/\(agreementID)", as: "authority", expect: .ok)
            #expect(resumed["state"] as? String == "active")
            let credit = try await api.call(.get, "/api/v1/credit-records", as: "regulator", expect: .ok)
            #expect(Set((credit["items"] as! [[String: Any]]).map { $0["category"] as! String }) == ["violation", "correction"])
            try await api.call(.post, "/api/v1/credit-records", as: "regulator",
                               ["operatorId": api.operatorID, "category": "finding", "description": "日志留存不全"], expect: .created)
            let otherCredit = try await api.call(.get, "/api/v1/credit-records", as: "other", expect: .ok)
            #expect(otherCredit["total"] as? Int == 0, "an operator sees only its own file")

            // Revocation by deliberation ends it: access closed, deletion recorded.
            let revoked = try await api.call(.post, "/api/v1/deliberations", as: "authority", deliberation(agreementID, "revoke", api),
                                             expect: .created)
            #expect(revoked["caseId"] as? String == agreementID)
            let ended = try await api.call(.get, "/api/v1/agreements/\(agreementID)", as: "authority", expect: .ok)
            #expect(ended["state"] as? String == "terminated")
            let deletions = try await api.call(.get, "/api/v1/deletion-records", as: "regulator", expect: .ok)
            #expect((deletions["items"] as! [[String: Any]]).first?["reason"] as? String == "terminated")
            try await api.call(.post, "/api/v1/deliberations", as: "authority", deliberation(agreementID, "revoke", api), expect: .conflict)

            // The operator's story, each line pointing at its audit entry.
            api.reissue("operator_manager")
            let timeline = try await api.call(.get, "/api/v1/operators/\(api.operatorID)/timeline?limit=200", as: "operator_manager", expect: .ok)
            let events = timeline["items"] as! [[String: Any]]
            let sequences = events.map { $0["auditSeq"] as! Int }
            #expect(sequences == sequences.sorted() && !sequences.isEmpty)
            let actions = events.map { $0["action"] as! String }
            for action in ["application.submit", "application.approve", "agreement.seal", "agreement.active", "agreement.suspend",
                           "agreement.restore", "agreement.terminated"] {
                #expect(actions.contains(action), "timeline has \(action)")
            }
            try await api.call(.get, "/api/v1/operators/\(api.operatorID)/timeline", as: "other", expect: .notFound)
            try await api.call(.get, "/api/v1/operators/\(api.operatorID)/timeline", as: "regulator", expect: .ok)
        }
    }

    func deliberation(_ caseID: String, _ decision: String, _ api: LifecycleAPIClient) -> [String: Any] {
        ["caseId": caseID, "heldOn": api.now(), "membersPresent": [api.departmentID],
         "opinions": [["organizationId": api.departmentID, "vote": "approve", "opinion": "同意"]], "decision": decision,
         "rationale": "经协调机制审议"]
    }

    @Test("bad input answers 400 with a pointer at the field, strictly, at every depth")
    func badInput() async throws {
        try await TestPlatform.run { platform, client in
            let api = LifecycleAPIClient(platform: platform, client: client)
            let resource = try await LifecycleAPIClient.prepare(platform)
            let announcement = try await api.publishedAnnouncement(resource: resource.id)
            var body = api.applicationBody(announcement: announcement, resource: resource.id.rawValue)
            func refused(_ body: [String: Any], pointer: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
                let problem = try await api.call(.post, "/api/v1/applications", as: "operator_manager", body, expect: .badRequest,
                                                 sourceLocation: sourceLocation)
                #expect(LifecycleAPIClient.problemPointer(problem) == pointer, "\(problem)", sourceLocation: sourceLocation)
            }
            var unknown = body
            unknown["bogus"] = 1
            try await refused(unknown, pointer: "/bogus")
            var nested = body
            var scenarios = body["scenarios"] as! [[String: Any]]
            var list = scenarios[0]["dataList"] as! [[String: Any]]
            list[0]["rows"] = 10
            scenarios[0]["dataList"] = list
            nested["scenarios"] = scenarios
            try await refused(nested, pointer: "/scenarios/0/dataList/0/rows")
            var principal = body
            principal["principal"] = ["name": "张伟", "title": "总经理", "phone": "1", "email": "x"]
            try await refused(principal, pointer: "/principal/email")
            body["scenarios"] = [Any]()
            try await refused(body, pointer: "/scenarios")
            let unknownResource = api.applicationBody(announcement: announcement, resource: "res_unknown")
            try await refused(unknownResource, pointer: "/scenarios/0/dataList/0/resourceId")
            var badDomain = api.applicationBody(announcement: announcement, resource: resource.id.rawValue)
            var badScenarios = badDomain["scenarios"] as! [[String: Any]]
            badScenarios[0]["domain"] = "astrology"
            badDomain["scenarios"] = badScenarios
            try await refused(badDomain, pointer: "/scenarios/0/domain")

            var badDate = api.announcementBody(resource: resource.id)
            badDate["opensAt"] = "2026-02-30"
            let dateProblem = try await api.call(.post, "/api/v1/announcements", as: "authority", badDate, expect: .badRequest)
            #expect(LifecycleAPIClient.problemPointer(dateProblem) == "/opensAt")
            let drill = try await api.call(.post, "/api/v1/emergency-plans/epl_unknown/drills", as: "authority",
                                           ["heldOn": "yesterday", "scenario": "断网", "participants": "运维", "findings": "无"], expect: .badRequest)
            #expect(LifecycleAPIClient.problemPointer(drill) == "/heldOn")
            let method = try await api.call(.post, "/api/v1/announcements", as: "authority",
                                            api.announcementBody(resource: resource.id).merging(["method": "lottery"]) { $1 }, expect: .badRequest)
            #expect(LifecycleAPIClient.problemPointer(method) == "/method")
            // Nothing was written by the refusals but the one published announcement.
            let applications = try await api.call(.get, "/api/v1/applications", as: "authority", expect: .ok)
            #expect(applications["total"] as? Int == 0)
        }
    }

    @Test("R1 R2 R7 R9 wrong state answers 409 with the state, a rule refusal 422 with the rule, roles 403")
    func refusals() async throws {
        try await TestPlatform.run { platform, client in
            let api = LifecycleAPIClient(platform: platform, client: client)
            let resource = try await LifecycleAPIClient.prepare(platform)
            let announcement = try await api.publishedAnnouncement(resource: resource.id)
            let withdrawn = try await api.call(.post, "/api/v1/announcements/\(announcement)/withdraw", as: "authority", ["version": 2],
                                               expect: .conflict)
            #expect(withdrawn["state"] as? String == "published")
            let submitted = try await api.call(.post, "/api/v1/applications", as: "operator_manager",
                                               api.applicationBody(announcement: announcement, resource: resource.id.rawValue), expect: .created)
            let id = submitted["id"] as! String
            // Another operator cannot touch it; a provider cannot apply; an outsider cannot be a coordination reviewer.
            try await api.call(.post, "/api/v1/applications/\(id)/withdraw", as: "other", ["version": 1], expect: .notFound)
            try await api.call(.post, "/api/v1/applications", as: "provider",
                               api.applicationBody(announcement: announcement, resource: resource.id.rawValue), expect: .forbidden)
            let outsider = try await api.call(.post, "/api/v1/applications/\(id)/review", as: "authority",
                                              ["coordinationMembers": [api.operatorID], "version": 1], expect: .unprocessableContent)
            #expect(outsider["rule"] as? String == "R1")
            let early = try await api.call(.post, "/api/v1/applications/\(id)/scenarios/s1/decision", as: "authority",
                                           ["listVersion": 1, "decision": "approved"], expect: .conflict)
            #expect(early["state"] as? String == "submitted")
            try await api.call(.post, "/api/v1/applications/\(id)/review", as: "authority",
                               ["coordinationMembers": [api.departmentID], "version": 1], expect: .ok)
            // The list changes under review: a decision on the old list is refused with its new version.
            try await api.call(.put, "/api/v1/applications/\(id)/scenarios/s1/data-list", as: "operator_manager",
                               ["dataList": [["resourceId": resource.id.rawValue, "columns": ["district"], "purpose": "核保"]], "version": 2],
                               expect: .ok)
            let stale = try await api.call(.post, "/api/v1/applications/\(id)/scenarios/s1/decision", as: "provider",
                                           ["listVersion": 1, "decision": "approved"], expect: .conflict)
            #expect(stale["state"] as? String == "listVersion 2")
            // A reviewer of another organization has no slot; the expert committee must be asked first.
            try await api.call(.post, "/api/v1/applications/\(id)/expert-opinions/eop_none", as: "expert", ["opinion": "无"], expect: .notFound)
            let notExpert = try await api.call(.post, "/api/v1/applications/\(id)/expert-opinions", as: "authority",
                                               ["expertId": platform.user(.provider).id.rawValue, "question": "？"], expect: .unprocessableContent)
            #expect(notExpert["rule"] as? String == "R2")
            let grant = try await api.call(.post, "/api/v1/deliberations", as: "authority", deliberation(id, "grant", api),
                                           expect: .unprocessableContent)
            #expect(grant["rule"] as? String == "R9.3")
            // Withdrawn, it takes no more changes; the emergency plan of a closed application neither.
            try await api.call(.post, "/api/v1/applications/\(id)/withdraw", as: "operator_manager", ["version": 3], expect: .ok)
            let closed = try await api.call(.post, "/api/v1/applications/\(id)/emergency-plan", as: "operator_manager",
                                            ["content": "新预案"], expect: .conflict)
            #expect(closed["state"] as? String == "withdrawn")
            let staleVersion = try await api.call(.post, "/api/v1/applications/\(id)/withdraw", as: "operator_manager", ["version": 1],
                                                  expect: .conflict)
            #expect(staleVersion["status"] as? Int == 409)
            // Roles: a province cannot open reviews, a provider cannot read filings.
            try await api.call(.post, "/api/v1/applications/\(id)/review", as: "province", ["coordinationMembers": [String](), "version": 1],
                               expect: .forbidden)
            try await api.call(.get, "/api/v1/filings", as: "provider", expect: .forbidden)
        }
    }
}
