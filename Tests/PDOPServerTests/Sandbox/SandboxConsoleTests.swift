import Foundation
import Hummingbird
import HummingbirdTesting
import PDOPDomain
import PDOPSandbox
import PDOPServer
import Testing

/// Issue 5 item 9: the sandbox walked entirely in the console, as each role — a provider's column
/// policy, the operator's data request, every approval, the workspace with its synthetic preview,
/// threshold and DP queries with the chart and the ledger, a model job, a reviewed export and its
/// watermarked download, a halt that refuses queries and the authority's resume.
@Suite("Sandbox console walk (R11, R12, R15, R17)")
struct SandboxConsoleTests {
    typealias Browser = LifecycleConsoleTests.Browser

    /// The value of the first hidden or text input called `name` on a page.
    static func input(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    /// The text of the element with `id`, tags and escapes undone (textarea, pre).
    static func element(_ id: String, in html: String) -> String? {
        guard let start = html.range(of: "id=\"\(id)\""), let open = html[start.upperBound...].firstIndex(of: ">") else { return nil }
        let rest = html[html.index(after: open)...]
        guard let close = rest.range(of: "</") else { return nil }
        return unescape(String(rest[..<close.lowerBound]))
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&#x2F;", with: "/").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// Posts a form expected to be refused: the same page comes back with the error, never a redirect.
    static func refused(_ browser: inout Browser, _ uri: String, _ fields: [String: String]) async throws -> TestResponse {
        var fields = fields
        fields["_csrf"] = browser.csrf
        let response = try await browser.session.post(browser.client, uri, fields)
        #expect(response.status != .seeOther, "\(uri) was accepted")
        #expect(response.text.contains("role=\"alert\""), "\(uri) shows no error")
        #expect(!response.text.contains("{{"), "\(uri) has an unrendered tag")
        return response
    }

    static func id(after prefix: String, in location: String) -> String {
        String(location.dropFirst(prefix.count).prefix { $0 != "?" && $0 != "/" })
    }

    @Test("R11/R12/R17 request → approvals → workspace → threshold and DP queries → model → export → download → halt → resume, in the console")
    func walk() async throws {
        try await withSandbox { f, client in try await Self.walk(f, client) }
    }

    static func walk(_ f: SandboxFixture, _ client: any TestClientProtocol) async throws {
        // The provider keeps the column policy of its resource from the console; a minimum below the floor is refused.
        var provider = try await Browser.login(client, "u.provider")
        #expect(try await provider.page("/console/sandbox/policies").text.contains(f.visits.name))
        let policyPath = "/console/sandbox/policies/\(f.visits.id.rawValue)"
        let policyPage = try await provider.page(policyPath).text
        #expect(policyPage.contains("policy-form") && policyPage.contains("resident_id"))
        var policy: [String: String] = ["unit_column": "person_id", "unit_domain": "natural_person", "min_units": "10",
                                        "version": input("version", in: policyPage) ?? ""]
        let levels: [(String, String, String, String, String)] = [
            ("JOIN_ONLY", "", "", "resident_id", ""), ("DENY", "", "", "", ""), ("DENY", "", "", "", ""), ("GROUP_BY", "", "", "", ""),
            ("GROUP_BY", "0", "120", "", ""), ("GROUP_BY", "", "", "", "1"), ("AGGREGATE", "0", "2000", "", ""), ("GROUP_BY", "", "", "", ""),
        ]
        for (i, level) in levels.enumerated() {
            policy["level_\(i)"] = level.0
            policy["lower_\(i)"] = level.1
            policy["upper_\(i)"] = level.2
            policy["keyspace_\(i)"] = level.3
            policy["bucket_\(i)"] = level.4
        }
        var low = policy
        low["min_units"] = "3"
        let lowPage = try await refused(&provider, policyPath, low)
        #expect(lowPage.status == .unprocessableContent && lowPage.text.contains("R12"))
        #expect(try await provider.submit(policyPath, policy).hasSuffix("?saved=1"))
        #expect(try await provider.page(policyPath + "?saved=1").text.contains("policy-saved"))

        // The operator asks for both datasets of its scenario; a budget above the platform's is refused.
        var op = try await Browser.login(client, "u.operator_technical")
        #expect(try await op.page("/console").text.contains("/console/sandbox/requests"), "the navigation links the sandbox")
        let form = try await op.page("/console/sandbox/requests/new").text
        #expect(form.contains("request-form") && form.contains(f.agreement.scenarios[0].title))
        var request: [String: String] = ["agreement_id": f.agreement.id, "scenario_id": f.scenarioID, "purpose": "分乡镇医疗费用统计",
                                         "epsilon": "99", "res_0": "on", "res_1": "on"]
        for j in 0..<7 { request["col_0_\(j)"] = "on" }
        for j in 0..<5 { request["col_1_\(j)"] = "on" }
        let tooMuch = try await refused(&op, "/console/sandbox/requests", request)
        #expect(tooMuch.text.contains("epsilonBudget") && tooMuch.text.contains("checked"), "the form comes back with the ticks")
        request["epsilon"] = "3"
        let requestPath = try await op.submit("/console/sandbox/requests", request)
        let requestID = id(after: "/console/sandbox/requests/", in: requestPath)
        #expect(try await op.page(requestPath).text.contains("审批中"))
        #expect(try await op.page("/console/sandbox/requests").text.contains(requestID))

        // Each party decides on its own page: the provider narrows a column of its data, the authority lowers ε.
        #expect(try await provider.page("/console/sandbox/requests").text.contains("待您审批"))
        var page = try await provider.page(requestPath).text
        #expect(page.contains("decision-form") && page.contains("narrow_0_6"))
        #expect(!page.contains("narrow_1_"), "a provider narrows only its own resource")
        try await provider.submit(requestPath + "/decision", ["decision": "approve", "narrow_0_6": "DENY", "version": input("version", in: page) ?? ""])
        page = try await provider.page(requestPath).text
        #expect(!page.contains("decision-form"), "a party decides once")
        var provider2 = try await Browser.login(client, "u.provider2")
        page = try await provider2.page(requestPath).text
        try await provider2.submit(requestPath + "/decision", ["decision": "approve", "version": input("version", in: page) ?? ""])
        var authority = try await Browser.login(client, "u.authority")
        page = try await authority.page(requestPath).text
        let wrongEpsilon = try await refused(&authority, requestPath + "/decision",
                                             ["decision": "approve", "epsilon": "5", "version": input("version", in: page) ?? ""])
        #expect(wrongEpsilon.text.contains("epsilonBudget"), "the budget may only be lowered")
        try await authority.submit(requestPath + "/decision", ["decision": "approve", "epsilon": "2.5", "version": input("version", in: page) ?? ""])
        page = try await op.page(requestPath).text
        #expect(page.contains("已授权") && page.contains("workspace-link"))
        #expect(page.contains("DENY") && page.contains("审批时收窄"))
        var province = try await Browser.login(client, "u.province")
        #expect(try await province.page("/console/sandbox/requests").text.contains(requestID))

        // The workspace: schemas and levels, a synthetic preview marked as such, the ledger, and a working example.
        let workspace = Workspace.id(agreement: f.agreement.id, scenario: f.scenarioID)
        let workspacePath = "/console/sandbox/workspaces/\(workspace)"
        #expect(try await op.page("/console/sandbox/workspaces").text.contains(workspace))
        page = try await op.page(workspacePath).text
        #expect(page.contains("合成数据") && page.contains("synthetic-preview"))
        #expect(page.contains(f.visits.name) && page.contains(f.pensions.name) && page.contains("JOIN_ONLY"))
        #expect(!page.contains(">visit_no<"), "a column narrowed to DENY is not in the workspace")
        #expect(element("ledger-budget", in: page) == "2.5")
        for person in f.persons.prefix(20) { #expect(!page.contains(person.id) && !page.contains(person.name)) }
        // The audit partition is published with each dataset; the rare district is among the other codes, not named.
        #expect(page.contains("audit-bins") && page.contains("审计分箱") && page.contains("其他（少见取值）"))
        #expect(!page.contains(">\(SandboxFixture.tinyDistrict)<") && !page.contains("、\(SandboxFixture.tinyDistrict)"))
        let example = try #require(element("spec", in: page))
        let dpExample = try #require(element("dp-example", in: page))
        #expect(example.contains("\"mode\": \"threshold\"") && example.contains("joins") && example.contains("count_units"))

        // The prefilled threshold query runs: a table, the chart, the perturbation's bounds, and no count of withheld cells.
        let queryPath = try await op.submit(workspacePath + "/queries", ["spec": example])
        let queryID = id(after: "/console/sandbox/queries/", in: queryPath)
        page = try await op.page(queryPath).text
        #expect(page.contains("answer-table") && page.contains("<svg") && page.contains("answer-chart"))
        #expect(page.contains("城关") && page.contains("南明") && !page.contains(">\(SandboxFixture.tinyDistrict)<"))
        #expect(element("query-epsilon", in: page) == "0")
        #expect(page.contains("单元格键扰动") && page.contains("不说明原因和数量"), "the answer states its perturbation, not what was withheld")
        // The same query again is answered from the store, at no cost.
        #expect(try await op.submit(workspacePath + "/queries", ["spec": example]).hasSuffix("?cached=1"))

        // A dry run shows the plan and the ε it would charge, and spends nothing; then the DP query charges it.
        var dry = try await op.session.post(client, workspacePath + "/dry-run", ["_csrf": op.csrf, "spec": dpExample])
        #expect(dry.status == .ok && dry.text.contains("dry-run-checks") && !dry.text.contains("role=\"alert\""))
        #expect(element("dry-run-epsilon", in: dry.text)?.contains("0.5") == true && dry.text.contains("dry-run-mode"))
        #expect(element("ledger-spent", in: dry.text) == "0")
        let dpPath = try await op.submit(workspacePath + "/queries", ["spec": dpExample])
        page = try await op.page(dpPath).text
        #expect(page.contains("差分隐私") && element("query-epsilon", in: page) == "0.5")
        page = try await op.page(workspacePath).text
        #expect(element("ledger-spent", in: page) == "0.5" && element("ledger-remaining", in: page) == "2")
        // A refused spec names its JSON pointer next to the textarea, and keeps what was typed.
        let bad = #"{"mode":"threshold","sources":[{"alias":"a","dataset":"x"}],"measures":[{"name":"n","agg":"count_units"}],"sql":"select 1"}"#
        let badPage = try await refused(&op, workspacePath + "/queries", ["spec": bad])
        #expect(element("spec-error-field", in: badPage.text) == "/sql" && badPage.text.contains("select 1"))
        dry = try await refused(&op, workspacePath + "/dry-run", ["spec": bad])
        #expect(element("spec-error-field", in: dry.text) == "/sql")

        // The prefilled model job trains; its coefficients and metrics stay in the workspace.
        let job = try #require(element("job", in: page))
        let modelPath = try await op.submit(workspacePath + "/models", ["job": job])
        page = try await op.page(modelPath).text
        #expect(page.contains("coefficients") && page.contains("model-intercept") && page.contains("线性回归"))
        #expect(element("model-epsilon", in: page) == "1" && page.contains("差分隐私"), "a model is DP and charged its default ε")

        // Export of the threshold answer: reviewed by the authority and both providers, then downloaded with its watermark.
        let exportPath = try await op.submit("/console/sandbox/queries/\(queryID)/export", ["justification": "向合作医院提供分乡镇费用统计"])
        #expect(exportPath.hasPrefix("/console/sandbox/exports/"))
        #expect(!(try await op.page(exportPath).text.contains("download-link")))
        for reviewer in ["u.authority", "u.provider", "u.provider2"] {
            var browser = try await Browser.login(client, reviewer)
            #expect(try await browser.page("/console/sandbox/exports").text.contains("待您审批"))
            page = try await browser.page(exportPath).text
            #expect(page.contains("export-decision-form") && page.contains("output-summary") && page.contains("answer-table"))
            try await browser.submit(exportPath + "/decision", ["decision": "approve", "version": input("version", in: page) ?? ""])
        }
        page = try await op.page(exportPath).text
        #expect(page.contains("已通过") && page.contains("download-link") && page.contains("export-watermark"))
        let file = try await op.session.get(client, exportPath + "/download")
        #expect(file.status == .ok && file.headers[.contentDisposition]?.hasPrefix("attachment") == true)
        #expect(file.text.hasPrefix("# PDOP exp") && file.text.contains("城关"))
        #expect(try await authority.session.get(client, exportPath + "/download").status == .forbidden, "only the operator downloads")

        // Usage is metered and listed for the operator and the authority.
        page = try await op.page("/console/sandbox/usage").text
        #expect(page.contains("下载") && page.contains(queryID))
        #expect(try await authority.page("/console/sandbox/usage?workspace=\(workspace)").text.contains(queryID))

        // A halt stops the workspace: queries are refused with the reason shown; only the authority resumes it.
        try await op.submit(workspacePath + "/halt", ["reason": "发现疑似重识别风险"])
        page = try await op.page(workspacePath).text
        #expect(page.contains("已停止") && page.contains("发现疑似重识别风险") && !page.contains("query-form"))
        let haltedPage = try await refused(&op, workspacePath + "/queries", ["spec": example])
        #expect(haltedPage.status == .conflict && haltedPage.text.contains("halted"))
        page = try await authority.page(workspacePath).text
        #expect(page.contains("resume-form") && !page.contains("halt-form"))
        try await authority.submit(workspacePath + "/resume", ["resolution": "核查无泄露，恢复使用", "version": input("version", in: page) ?? ""])
        page = try await op.page(workspacePath).text
        #expect(page.contains("运行中") && page.contains("核查无泄露，恢复使用") && page.contains("query-form"))
        #expect(try await authority.page("/console/sandbox/risks").text.contains("发现疑似重识别风险"))

        // Who may see what: regulators read workspaces, a provider sees no workspace, a buyer nothing of the sandbox.
        var regulator = try await Browser.login(client, "u.regulator")
        #expect(try await regulator.page(workspacePath).text.contains("synthetic-preview"))
        #expect(try await provider.session.get(client, workspacePath).status == .forbidden)
        let buyer = try await Browser.login(client, "u.buyer")
        var buyerSession = buyer.session
        #expect(try await buyerSession.get(client, "/console/sandbox/requests").status == .forbidden)
        #expect(try await op.session.get(client, "/console/sandbox/policies").status == .forbidden)
        // The other operator sees none of it.
        var other = try await Browser.login(client, "u.other.operator")
        #expect(!(try await other.page("/console/sandbox/requests").text.contains(requestID)))
        #expect(try await other.session.get(client, workspacePath).status == .notFound)

        // The pages speak English too.
        _ = try await op.session.get(client, "/lang/en?next=/console")
        page = try await op.page(workspacePath).text
        #expect(page.contains("Synthetic data") && page.contains("Privacy budget ledger"))
    }
}
