import Foundation
import Hummingbird
import HummingbirdTesting
import PDOPDomain
import PDOPServer
import Testing

/// Issue 4's "done when": the demo can be walked from announcement to an active agreement and on to
/// a violation, suspension and termination entirely in the console, by each role, and the timeline
/// shows it. Every page on the way must render without a stray error.
@Suite("Lifecycle console walk (R1, R8, R9, R27)")
struct LifecycleConsoleTests {
    /// A signed-in browser for one role that knows its CSRF token.
    struct Browser {
        var session = ConsoleSession()
        var csrf = ""
        let client: any TestClientProtocol

        static func login(_ client: any TestClientProtocol, _ username: String) async throws -> Browser {
            var browser = Browser(client: client)
            try await browser.session.login(client, username: username)
            let page = try await browser.page("/console/account")
            browser.csrf = ConsoleSession.csrf(in: page) ?? ""
            return browser
        }

        mutating func page(_ uri: String) async throws -> TestResponse {
            let response = try await session.get(client, uri)
            #expect(response.status == .ok, "\(uri): \(response.status)")
            #expect(!response.text.contains("{{"), "\(uri) has an unrendered tag")
            #expect(!response.text.contains("role=\"alert\""), "\(uri) shows an error: \(Self.alert(response.text))")
            return response
        }

        /// Posts a form; returns where it redirected to (failing the test if it did not).
        @discardableResult
        mutating func submit(_ uri: String, _ fields: [String: String]) async throws -> String {
            var fields = fields
            fields["_csrf"] = csrf
            let response = try await session.post(client, uri, fields)
            #expect(response.status == .seeOther, "\(uri): \(response.status) \(Self.alert(response.text))")
            return response.headers[.location] ?? ""
        }

        static func alert(_ html: String) -> String {
            guard let range = html.range(of: "role=\"alert\"") else { return "" }
            return String(html[range.upperBound...].prefix(300))
        }
    }

    @Test("R9 announcement → application → review → deliberation → filing → agreement → violation → termination, in the console")
    func walk() async throws {
        let f = try await LifecycleFixture.make()
        let app = Application(router: buildRouter(f.platform.services))
        do {
            try await app.test(.router) { client in try await Self.walk(f, client) }
            await f.dispose()
        } catch {
            await f.dispose()
            throw error
        }
    }

    /// The day in China Standard Time, as a date input sends it.
    static func day(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }

    static func walk(_ f: LifecycleFixture, _ client: any TestClientProtocol) async throws {
        let today = day(f.clock.now())
        var authority = try await Browser.login(client, "u.authority")
        _ = try await authority.page("/console/announcements")
        let announcementPage = try await authority.submit("/console/announcements", [
            "title": "医疗健康数据授权运营通告", "method": "application_review", "resource_ids": f.open.id.rawValue,
            "conditions": "具备安全能力", "criteria": "场景价值", "requirements": "提交应急预案", "opens_on": today,
            "closes_on": day(f.clock.now().addingTimeInterval(30 * 86_400))])
        let announcementID = String(announcementPage.split(separator: "/").last!)
        _ = try await authority.page(announcementPage)
        try await authority.submit("\(announcementPage)/publish", ["version": "1", "action": "publish"])
        let publicList = try await client.execute(uri: "/public/announcements", method: .get)
        #expect(publicList.status == .ok && publicList.text.contains("医疗健康数据授权运营通告"))

        var manager = try await Browser.login(client, "u.operator_manager")
        #expect(try await manager.page(announcementPage).text.contains("apply-link"))
        _ = try await manager.page("/console/applications/new?announcement=\(announcementID)")
        let applicationPage = try await manager.submit("/console/applications", [
            "announcement_id": announcementID, "facts": "新昌数智科技有限公司", "principal_name": "张伟", "principal_title": "总经理",
            "principal_phone": "0575-86000000", "s0_domain": "finance_insurance", "s0_title": "商业健康险核保", "s0_description": "辅助核保",
            "s0_products": "核保评分", "s0_r0_resource": f.open.id.rawValue, "s0_r0_columns": "district, cost", "s0_r0_purpose": "风险评估",
            "plan": "数据泄露应急预案"])
        #expect(applicationPage.hasPrefix("/console/applications/app"))

        try await authority.submit("\(applicationPage)/review", ["version": "1", "member_\(f.departmentID)": "on"])
        var provider = try await Browser.login(client, "u.provider")
        var member = try await Browser.login(client, "u.coordination_member")
        var regulator = try await Browser.login(client, "u.regulator")
        for index in 0..<3 {
            let decision = ["scenario_id": "s1", "list_version": "1", "decision": "approved", "opinion": "同意"]
            switch index {
            case 0: _ = try await provider.page(applicationPage); try await provider.submit("\(applicationPage)/decision", decision)
            case 1: _ = try await member.page(applicationPage); try await member.submit("\(applicationPage)/decision", decision)
            default: try await authority.submit("\(applicationPage)/decision", decision)
            }
        }
        _ = try await regulator.page(applicationPage)
        try await regulator.submit("\(applicationPage)/network-security", ["decision": "approved", "opinion": "通过"])
        let application = try await f.service.list(PDOPDomain.Application.self, page: .first, scope: .all).items[0]
        try await authority.submit("\(applicationPage)/plan/approve", ["plan_id": application.emergencyPlanID, "revision": "1"])
        try await authority.submit("\(applicationPage)/deliberation", [
            "held_on": today, "member_\(f.departmentID)": "on", "vote_\(f.departmentID)": "approve", "opinion_\(f.departmentID)": "同意",
            "rationale": "经审议同意授权", "decision": "grant"])
        #expect(try await authority.page(applicationPage).text.contains("已批准"))

        var province = try await Browser.login(client, "u.province")
        let filing = try await f.service.list(Filing.self, page: .first, scope: .all).items[0]
        _ = try await province.page("/console/filings")
        try await province.submit("/console/filings/\(filing.id)/acknowledge", ["version": "1"])
        let disclosure = try await client.execute(uri: "/public/disclosures", method: .get)
        #expect(disclosure.text.contains("商业健康险核保") && disclosure.text.contains("省级已确认"))

        try await authority.submit("\(applicationPage)/agreement", ["trial_months": "0", "starts_on": today])
        let agreementID = try await f.service.list(Agreement.self, page: .first, scope: .all).items[0].id
        let agreementPage = "/console/agreements/\(agreementID)"
        #expect(try await manager.page(agreementPage).text.contains("sign-form"))
        try await manager.submit("\(agreementPage)/sign", ["version": "1"])
        try await authority.submit("\(agreementPage)/seal", ["version": "2"])
        try await f.advance(days: 0.01)
        let active = try await authority.page(agreementPage).text
        #expect(active.contains("正式运营") && active.contains("签章有效"))
        let seal = try await client.execute(uri: "/public/seal?agreement=\(agreementID)", method: .get)
        #expect(seal.text.contains("签章有效"))

        // R9.2: a renewal from the agreement page, early enough: a new application of kind renewal.
        let renewalPage = try await manager.submit("\(agreementPage)/renewal", ["plan": "续期应急预案"])
        #expect(try await manager.page(renewalPage).text.contains("续期申请"))
        try await authority.submit("\(agreementPage)/correction", ["violation": "超范围使用数据", "deadline": day(f.clock.now().addingTimeInterval(10 * 86_400))])
        #expect(try await authority.page(agreementPage).text.contains("已暂停"))
        // Suspension closed the operator's sessions: it signs in again to report.
        let expelled = try await manager.session.get(client, agreementPage)
        #expect(expelled.status == .seeOther)
        manager = try await Browser.login(client, "u.operator_manager")
        let order = try await f.service.list(CorrectionOrder.self, page: .first, scope: .all).items[0]
        try await manager.submit("\(agreementPage)/report", ["order_id": order.id, "order_version": "1", "report": "已整改"])
        try await authority.submit("\(agreementPage)/restore", ["order_id": order.id, "order_version": "2"])
        #expect(try await authority.page(agreementPage).text.contains("正式运营"))
        try await authority.submit("\(agreementPage)/deliberation", [
            "held_on": today, "member_\(f.departmentID)": "on", "vote_\(f.departmentID)": "approve", "rationale": "再次违规，撤销授权",
            "decision": "revoke"])
        #expect(try await authority.page(agreementPage).text.contains("已终止"))
        // The public disclosure says the authorization has ended.
        #expect(try await client.execute(uri: "/public/disclosures", method: .get).text.contains("已终止"))

        let file = try await authority.page("/console/operators/\(f.operatorID)").text
        for event in ["提交申请", "场景审核", "批准授权", "加盖合同专用章", "正式运营", "暂停访问（责令整改）", "恢复访问", "授权终止"] {
            #expect(file.contains(event), "timeline lacks \(event)")
        }
        #expect(file.contains("会话与接口令牌") && file.contains("撤销授权"))
        for page in ["/console/applications", "/console/agreements", "/console/operators", "/console/filings", "/console/announcements",
                     "/console/training"] {
            _ = try await authority.page(page)
        }
        // The operator sees its own file, not another operator's.
        manager = try await Browser.login(client, "u.operator_manager")
        _ = try await manager.page("/console/operators/\(f.operatorID)")
        let other = try await manager.session.get(client, "/console/operators/\(f.otherOperator.organizationID!)")
        #expect(other.status == .notFound)
    }
}
