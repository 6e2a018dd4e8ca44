import Foundation
import HTTPTypes
import HummingbirdTesting
import PDOPAPI
import PDOPDomain
import PDOPServer
import Testing

/// The lifecycle part of `AuditCoverageTests`: one successful call of every state-changing
/// lifecycle route, by the second operator (the first is suspended by then), on the resource the
/// coverage test catalogued.
enum LifecycleAuditWalk {
    typealias Succeed = (HTTPRequest.Method, String, String, String?, String, Int64) async throws -> TestResponse

    static func run(platform: TestPlatform, resourceID: String, authority token: String, providerToken: String,
                    succeed: Succeed) async throws {
        func at(_ seconds: TimeInterval) -> String { APIDates.format(platform.clock.now().addingTimeInterval(seconds)) }
        func id(_ response: TestResponse) throws -> String { try response.json()["id"] as! String }
        let operatorUser = platform.users["other"]!
        var operatorToken = try await platform.token(for: operatorUser)
        let department = platform.organizations["department"]!.id.rawValue
        let announcement = #"{"title":"授权通告","method":"application_review","resourceIds":["\#(resourceID)"],"conditions":"条件","criteria":"标准","requirements":"要求","opensAt":"\#(at(-3600))","closesAt":"\#(at(30 * 86_400))"}"#

        let announcementID = try id(try await succeed(.post, "/api/v1/announcements", "/api/v1/announcements", announcement, token, 1))
        _ = try await succeed(.post, "/api/v1/announcements/{announcementId}/publish", "/api/v1/announcements/\(announcementID)/publish",
                              #"{"version":1}"#, token, 1)
        let spareID = try id(try await succeed(.post, "/api/v1/announcements", "/api/v1/announcements", announcement, token, 1))
        _ = try await succeed(.post, "/api/v1/announcements/{announcementId}/withdraw", "/api/v1/announcements/\(spareID)/withdraw",
                              #"{"version":1}"#, token, 1)
        // R10: a course, and a pass that activates a pending staff account (the result and the state change).
        let course = try id(try await succeed(.post, "/api/v1/training/courses", "/api/v1/training/courses",
                                              #"{"staffRole":"operator_operations","title":"运维岗前培训","syllabus":"应急处置","passingScore":70}"#,
                                              token, 1))
        let trainee = try await platform.services.parties.createUser(NewUser(
            organizationID: operatorUser.organizationID, username: "audit.trainee", displayName: "运维学员", password: TestPlatform.password,
            roles: [.operatorOperations]), by: .system("test"))
        _ = try await succeed(.post, "/api/v1/training/results", "/api/v1/training/results",
                              #"{"userId":"\#(trainee.id)","courseId":"\#(course)","score":82,"takenOn":"\#(at(-60))"}"#, token, 2)
        #expect(try await platform.services.parties.user(trainee.id, scope: .all).state == .active)
        for kind in QualificationKind.allCases {
            _ = try await succeed(.post, "/api/v1/qualifications", "/api/v1/qualifications",
                                  #"{"operatorId":"\#(operatorUser.organizationID)","kind":"\#(kind.rawValue)","passedOn":"\#(at(-86_400))","reference":"浙安审"}"#,
                                  token, 1)
        }
        let application = #"{"announcementId":"\#(announcementID)","organizationFacts":"公司概况","principal":{"name":"李四","title":"总经理","phone":"0575-1"},"scenarios":[{"domain":"health","title":"慢病管理","description":"慢病随访","intendedProducts":"随访提醒","dataList":[{"resourceId":"\#(resourceID)","columns":["费用"],"purpose":"统计"}]}],"emergencyPlan":"预案"}"#
        let submitted = try await succeed(.post, "/api/v1/applications", "/api/v1/applications", application, operatorToken, 1)
        let applicationID = try id(submitted)
        let planID = try submitted.json()["emergencyPlanId"] as! String
        let spareApplication = try id(try await succeed(.post, "/api/v1/applications", "/api/v1/applications", application, operatorToken, 1))
        _ = try await succeed(.post, "/api/v1/applications/{applicationId}/withdraw", "/api/v1/applications/\(spareApplication)/withdraw",
                              #"{"version":1}"#, operatorToken, 1)
        let base = "/api/v1/applications/\(applicationID)"
        _ = try await succeed(.put, "/api/v1/applications/{applicationId}/scenarios/{scenarioId}/data-list", "\(base)/scenarios/s1/data-list",
                              #"{"dataList":[{"resourceId":"\#(resourceID)","columns":["费用","就诊日期"],"purpose":"统计"}],"version":1}"#,
                              operatorToken, 1)
        _ = try await succeed(.post, "/api/v1/applications/{applicationId}/emergency-plan", "\(base)/emergency-plan",
                              #"{"content":"预案第二版"}"#, operatorToken, 1)
        _ = try await succeed(.post, "/api/v1/applications/{applicationId}/review", "\(base)/review",
                              #"{"coordinationMembers":["\#(department)"],"version":2}"#, token, 1)
        let asked = try await succeed(.post, "/api/v1/applications/{applicationId}/expert-opinions", "\(base)/expert-opinions",
                                      #"{"expertId":"\#(platform.user(.expert).id)","question":"是否必要？"}"#, token, 1)
        let opinionID = ((try asked.json()["expertOpinions"] as! [[String: Any]])[0]["id"] as! String)
        _ = try await succeed(.post, "/api/v1/applications/{applicationId}/expert-opinions/{opinionId}", "\(base)/expert-opinions/\(opinionID)",
                              #"{"opinion":"必要"}"#, try await platform.token(.expert), 1)
        for reviewer in [token, providerToken, try await platform.token(.coordinationMember)] {
            _ = try await succeed(.post, "/api/v1/applications/{applicationId}/scenarios/{scenarioId}/decision", "\(base)/scenarios/s1/decision",
                                  #"{"listVersion":2,"decision":"approved"}"#, reviewer, 1)
        }
        _ = try await succeed(.post, "/api/v1/applications/{applicationId}/network-security", "\(base)/network-security",
                              #"{"decision":"approved","opinion":"通过"}"#, try await platform.token(.regulator), 1)
        _ = try await succeed(.post, "/api/v1/emergency-plans/{planId}/approve", "/api/v1/emergency-plans/\(planID)/approve",
                              #"{"revision":2}"#, token, 1)
        _ = try await succeed(.post, "/api/v1/emergency-plans/{planId}/drills", "/api/v1/emergency-plans/\(planID)/drills",
                              #"{"heldOn":"\#(at(-60))","scenario":"断网演练","participants":"运维组","findings":"恢复及时"}"#, operatorToken, 1)
        let deliberation = #"{"caseId":"\#(applicationID)","heldOn":"\#(at(0))","membersPresent":["\#(department)"],"decision":"grant","rationale":"审议通过"}"#
        _ = try await succeed(.post, "/api/v1/deliberations", "/api/v1/deliberations", deliberation, token, 3)

        let province = try await platform.token(.province)
        let filings = try await platform.services.lifecycle.list(Filing.self, page: .first, scope: .all)
        _ = try await succeed(.post, "/api/v1/filings/{filingId}/acknowledge", "/api/v1/filings/\(filings.items[0].id)/acknowledge",
                              #"{"version":1}"#, province, 1)
        let agreementID = try id(try await succeed(.post, "/api/v1/agreements", "/api/v1/agreements",
                                                   #"{"applicationId":"\#(applicationID)","trialMonths":0,"startsOn":"\#(at(0))"}"#, token, 1))
        let agreement = "/api/v1/agreements/\(agreementID)"
        _ = try await succeed(.post, "/api/v1/agreements/{agreementId}/sign", "\(agreement)/sign", #"{"version":1}"#, operatorToken, 1)
        _ = try await succeed(.post, "/api/v1/agreements/{agreementId}/seal", "\(agreement)/seal", #"{"version":2}"#, token, 1)
        platform.clock.advance(by: 60)
        try await platform.services.scheduler.runDue(limit: 100)
        let orderID = try id(try await succeed(.post, "/api/v1/agreements/{agreementId}/correction-orders", "\(agreement)/correction-orders",
                                               #"{"violation":"超范围","deadline":"\#(at(15 * 86_400))"}"#, token, 1))
        operatorToken = try await platform.token(for: operatorUser) // the suspension revoked the old one
        _ = try await succeed(.post, "/api/v1/correction-orders/{orderId}/report", "/api/v1/correction-orders/\(orderID)/report",
                              #"{"report":"已整改","version":1}"#, operatorToken, 1)
        _ = try await succeed(.post, "/api/v1/correction-orders/{orderId}/restore", "/api/v1/correction-orders/\(orderID)/restore",
                              #"{"version":2}"#, token, 1)
        let version = try await platform.services.lifecycle.agreement(agreementID, scope: .all).version
        _ = try await succeed(.post, "/api/v1/agreements/{agreementId}/termination-request", "\(agreement)/termination-request",
                              #"{"reason":"业务调整","version":\#(version)}"#, operatorToken, 1)
        _ = try await succeed(.post, "/api/v1/credit-records", "/api/v1/credit-records",
                              #"{"operatorId":"\#(operatorUser.organizationID)","category":"finding","description":"日志不全"}"#,
                              try await platform.token(.regulator), 1)
        // A year on, the first annual report falls due (R20); tokens issued before have expired.
        platform.clock.advance(by: 366 * 86_400)
        try await platform.services.scheduler.runDue(limit: 1000)
        let reports = try await platform.services.lifecycle.list(AnnualReport.self, page: .first, scope: .all)
        #expect(reports.total == 1)
        _ = try await succeed(.post, "/api/v1/annual-reports/{reportId}/file", "/api/v1/annual-reports/\(reports.items[0].id)/file",
                              #"{"content":"年度报告","version":1}"#, try await platform.token(for: operatorUser), 1)
    }
}
