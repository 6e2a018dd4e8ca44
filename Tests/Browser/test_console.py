#!/usr/bin/env python3
"""Real-browser check of the PDOP console: login, create an organization and a user, find both in the audit log,
switch language, logout. Headless Debian Chromium driven by Selenium.

Run: .venv/bin/python Tests/Browser/test_console.py   (server from `pdop serve --demo`)
Env: PDOP_BASE_URL (default http://127.0.0.1:8089).
Screenshots: Tests/Browser/screenshots/NN-name.png, one per step, also on failure.
The last line is `N passed, M failed` (read by the CI log parser); exit 1 on any failure.
"""
import os
import re
import sys
import time
import traceback
from pathlib import Path
from urllib.parse import quote, urlparse

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE = os.environ.get("PDOP_BASE_URL", "http://127.0.0.1:8089").rstrip("/")
SHOTS = Path(__file__).resolve().parent / "screenshots"
ADMIN = ("admin", "xinchang-demo-2026")
OPERATOR_ORG = "新昌数智运营"
NEW_USER = f"browser_{int(time.time())}"
NEW_ORG = f"新昌县浏览器测试局{int(time.time())}"
NEW_PASSWORD = "browser-test-pass-2026"
WAIT = 30  # seconds; a debug build on 2 busy cores can be slow


def make_driver():
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"):
        opts.add_argument(arg)
    # An explicit driver path keeps Selenium Manager from trying to download one (no internet).
    driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=opts)
    driver.set_page_load_timeout(60)
    return driver


class Console:
    def __init__(self, driver):
        self.d = driver
        self.step_no = 0

    def shot(self, name):
        self.d.save_screenshot(str(SHOTS / f"{self.step_no:02d}-{name}.png"))

    def open(self, path):
        self.d.get(BASE + path)

    def wait(self, cond, what):
        try:
            return WebDriverWait(self.d, WAIT).until(cond)
        except Exception:
            raise AssertionError(f"timed out waiting for {what}") from None

    def el(self, css):
        return self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, css)), f"element {css}")

    def body_text(self):
        return self.d.find_element(By.TAG_NAME, "body").text

    def expect_text(self, text):
        self.wait(lambda d: text in d.find_element(By.TAG_NAME, "body").text, f"text {text!r} on the page")

    def expect_no_error_alert(self):
        # A successful page must not carry the layout's error box (role="alert").
        alerts = [a.text.strip() for a in self.d.find_elements(By.CSS_SELECTOR, "[role=alert]")]
        assert not alerts, f"unexpected error alert on a successful page: {alerts}"

    def submit(self, button_css):
        # Wait for the old page to go away so the next checks read the new page. A mark on the
        # old window object is used, not EC.staleness_of: chromedriver sometimes answers "no such
        # element" for an element of the previous page, which WebDriverWait silently retries.
        button = self.el(button_css)
        self.d.execute_script("window.__pdopOldPage = true")
        button.click()

        def new_page(d):
            try:
                return d.execute_script("return window.__pdopOldPage === undefined && document.readyState === 'complete'")
            except WebDriverException:  # mid-navigation
                return False

        self.wait(new_page, f"navigation after clicking {button_css}")


def step_login(c):
    c.open("/login")
    c.el("#username").send_keys(ADMIN[0])
    c.el("#password").send_keys(ADMIN[1])
    c.submit("#login-submit")
    c.wait(lambda d: urlparse(d.current_url).path.startswith("/console"), "a /console URL after login")
    c.el("#nav")
    c.expect_no_error_alert()


def step_catalog_search(c):
    # R3: the demo catalog is searchable in Chinese (no word spaces), from the console form.
    c.open("/console/catalog")
    box = c.el("#catalog-q")
    box.clear()
    box.send_keys("就诊")
    c.submit("#catalog-search")
    results = c.el("#catalog-results").text
    assert "医疗机构就诊记录" in results, f"the hospital-visit resource is not found: {results[:300]}"
    c.open("/console/catalog/map")
    c.el("#resource-map")
    c.expect_text("卫生健康局")


def step_create_organization(c):
    c.open("/console/organizations/new")
    form = c.el("#org-form")
    form.find_element(By.CSS_SELECTOR, "#name").send_keys(NEW_ORG)
    form.find_element(By.CSS_SELECTOR, "#name_en").send_keys("Browser Test Bureau")
    Select(form.find_element(By.CSS_SELECTOR, "#kind")).select_by_value("department")
    c.submit("#submit")
    detail = re.compile(r"^/console/organizations/(?!new/?$)[^/]+/?$")
    c.wait(lambda d: detail.match(urlparse(d.current_url).path), "the organization page /console/organizations/<id>")
    c.expect_text(NEW_ORG)
    c.expect_no_error_alert()


def step_create_user(c):
    c.open("/console/users/new")
    form = c.el("#user-form")
    org = Select(form.find_element(By.CSS_SELECTOR, "#org_id"))
    matches = [o for o in org.options if OPERATOR_ORG in o.text]
    assert matches, f"no #org_id option contains {OPERATOR_ORG!r}: {[o.text for o in org.options]}"
    org.select_by_value(matches[0].get_attribute("value"))
    form.find_element(By.CSS_SELECTOR, "#username").send_keys(NEW_USER)
    form.find_element(By.CSS_SELECTOR, "#display_name").send_keys("浏览器测试 " + NEW_USER[-4:])
    form.find_element(By.CSS_SELECTOR, "#password").send_keys(NEW_PASSWORD)
    Select(form.find_element(By.CSS_SELECTOR, "#role")).select_by_value("operator_technical")
    c.submit("#submit")
    detail = re.compile(r"^/console/users/(?!new/?$)[^/]+/?$")
    c.wait(lambda d: detail.match(urlparse(d.current_url).path), "the user detail page /console/users/<id>")
    c.expect_text(NEW_USER)
    c.expect_no_error_alert()


def step_audit(c):
    c.open("/console/audit?q=" + quote(NEW_USER))
    table = c.el("#audit-results")
    text = table.text
    assert NEW_USER in text, f"{NEW_USER!r} not in #audit-results"
    assert "user.create" in text, "action 'user.create' not in #audit-results"
    c.open("/console/audit?q=" + quote(NEW_ORG))
    text = c.el("#audit-results").text
    assert NEW_ORG in text and "organization.create" in text, f"{NEW_ORG!r} / organization.create not in #audit-results"


def step_language(c):
    c.open("/lang/en?next=/console")
    c.expect_text("Organizations")
    c.shot("lang-en")
    c.open("/lang/zh-CN?next=/console")
    c.expect_text("组织机构")


def step_logout(c):
    c.open("/console")
    c.el("#logout-form")
    c.submit("#logout-submit")
    c.wait(lambda d: urlparse(d.current_url).path == "/login", "/login after logout")
    # The session must really be gone: the console no longer shows its navigation.
    c.open("/console")
    assert not c.d.find_elements(By.CSS_SELECTOR, "#nav"), "after logout /console still shows #nav"


def resident_id(first17):
    # GB 11643 check character, so the file holds well-formed (fictitious) ID numbers.
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights)) % 11]


def step_provider_gbk_upload(c):
    # Issue 3: a provider loads a GBK CSV from the console and sees its profile and the
    # detected personal-data columns.
    # The file carries the catalog schema's columns (R3, R5: another header is refused).
    rows = ["就诊流水号,身份证号,患者姓名,性别,年龄,患者所在乡镇,医疗机构,科室,就诊类型,就诊日期,出院日期,诊断编码,诊断类别,总费用_元"]
    for i in range(40):
        rows.append(f"V{i:06d},{resident_id(f'33062419{80 + i % 20}0{i % 9 + 1}1{i % 9}{i:03d}'[:17])},张{i % 7}{i % 5},"
                    f"{'男' if i % 2 else '女'},{20 + i},南明街道,新昌县人民医院,内科,门诊,2025-03-{i % 28 + 1:02d},,"
                    f"J00-J99,呼吸系统疾病,{100 + i * 3.5:.2f}")
    path = SHOTS / "visits-gbk.csv"
    path.write_bytes(("\n".join(rows) + "\n").encode("gb18030"))
    sign_in_as(c, "health.provider")
    c.open("/console/catalog?q=" + quote("就诊记录"))
    c.d.find_element(By.LINK_TEXT, "医疗机构就诊记录").click()
    c.wait(lambda d: "/console/catalog/res_" in d.current_url, "the resource page")
    c.el("#loads-link").click()
    c.wait(lambda d: d.current_url.endswith("/loads"), "the loads page")
    c.el("#file").send_keys(str(path))
    c.submit("#upload-submit")
    profile = c.el("#load-profile").text
    assert "gb18030" in c.body_text(), "the encoding read is not shown"
    assert "居民身份证号" in profile and "身份证号" in profile, f"personal data not detected: {profile[:300]}"
    assert "33062419" not in profile, "an ID number is shown unmasked"
    path.unlink()


def sign_in_as(c, username):
    c.d.delete_all_cookies()
    c.open("/login")
    c.el("#username").send_keys(username)
    c.el("#password").send_keys(ADMIN[1])
    c.submit("#login-submit")
    c.wait(lambda d: urlparse(d.current_url).path.startswith("/console"), f"the console after {username} signs in")


WALK = {}


def step_apply(c):
    # Issue 4: the operator's manager applies under the demo's open announcement with one scenario.
    sign_in_as(c, "op1.manager")
    c.open("/console/announcements")
    c.el("#announcements a").click()
    c.el("#apply-link").click()
    form = c.el("#application-form")
    form.find_element(By.CSS_SELECTOR, "#facts").send_keys("新昌数智运营有限公司，县属国有企业，具备数据安全管理体系认证。")
    form.find_element(By.CSS_SELECTOR, "#principal_name").send_keys("王建国")
    form.find_element(By.CSS_SELECTOR, "#principal_title").send_keys("总经理")
    form.find_element(By.CSS_SELECTOR, "#principal_phone").send_keys("0575-86000001")
    Select(form.find_element(By.CSS_SELECTOR, "#s0_domain")).select_by_value("health")
    form.find_element(By.CSS_SELECTOR, "#s0_title").send_keys("慢病风险分析")
    form.find_element(By.CSS_SELECTOR, "#s0_description").send_keys("按乡镇统计就诊费用与就诊类型，辅助慢病管理。")
    form.find_element(By.CSS_SELECTOR, "#s0_products").send_keys("慢病风险报告")
    resource = Select(form.find_element(By.CSS_SELECTOR, "#s0_r0_resource"))
    resource.select_by_visible_text("医疗机构就诊记录")
    form.find_element(By.CSS_SELECTOR, "#s0_r0_columns").send_keys("患者所在乡镇,就诊类型,总费用_元")
    form.find_element(By.CSS_SELECTOR, "#s0_r0_purpose").send_keys("统计分析")
    form.find_element(By.CSS_SELECTOR, "#plan").send_keys("数据泄露应急预案：发现即停止处理、2小时内报告数据局。")
    c.shot("application-form")
    c.submit("#application-submit")
    c.wait(lambda d: "/console/applications/app" in d.current_url, "the application page")
    c.expect_text("已提交")
    c.expect_no_error_alert()
    WALK["application"] = urlparse(c.d.current_url).path


def step_review(c):
    # The authority opens the review with its own unit as the coordination member, then every
    # reviewer decides: the authority (twice: it is a member too), the provider, the regulator.
    app = WALK["application"]
    sign_in_as(c, "admin")
    c.open(app)
    form = c.el("#review-form")
    for box in form.find_elements(By.CSS_SELECTOR, "input[type=checkbox]"):
        label = box.find_element(By.XPATH, "..").text
        if ("数据局" in label) != box.is_selected():
            box.click()
    c.submit("#review-submit")
    c.expect_text("审核中")
    for _ in range(2):
        c.submit("#decide-submit-s1")
        c.expect_no_error_alert()
    c.submit("#plan-approve-submit")
    sign_in_as(c, "health.provider")
    c.open(app)
    c.el("#opinion-s1").send_keys("同意，仅限统计字段")
    c.submit("#decide-submit-s1")
    c.expect_no_error_alert()
    sign_in_as(c, "netsec.regulator")
    c.open(app)
    c.submit("#netsec-submit")
    c.expect_no_error_alert()
    c.shot("reviewed")


def step_deliberate(c):
    app = WALK["application"]
    sign_in_as(c, "admin")
    c.open(app)
    form = c.el("#deliberation-form")
    for box in form.find_elements(By.CSS_SELECTOR, "input[type=checkbox]"):
        if "数据局" in box.find_element(By.XPATH, "..").text and not box.is_selected():
            box.click()
    form.find_element(By.CSS_SELECTOR, "#rationale").send_keys("场景价值明确，数据最小化，同意授权。")
    c.submit("#deliberation-submit")
    c.expect_text("已批准")
    c.expect_no_error_alert()
    sign_in_as(c, "province")
    c.open("/console/filings")
    c.submit("#filings button")  # waits for the new page, as every other form step does
    c.expect_text("省级已确认")


def step_agreement(c):
    app = WALK["application"]
    sign_in_as(c, "admin")
    c.open(app)
    c.submit("#agreement-submit")
    c.el("#agreement-link").click()
    c.wait(lambda d: "/console/agreements/agr" in d.current_url, "the agreement page")
    WALK["agreement"] = urlparse(c.d.current_url).path
    sign_in_as(c, "op1.manager")
    c.open(WALK["agreement"])
    c.submit("#sign-submit")
    sign_in_as(c, "admin")
    c.open(WALK["agreement"])
    c.submit("#seal-submit")
    c.expect_text("签章有效")
    # The scheduler starts the agreement at its start date (every few seconds).
    deadline = time.time() + WAIT
    while "正式运营" not in c.el("#agreement-state").text and time.time() < deadline:
        time.sleep(2)
        c.open(WALK["agreement"])
    assert "正式运营" in c.el("#agreement-state").text, "the agreement did not become active"
    c.shot("agreement-active")
    agreement_id = WALK["agreement"].rsplit("/", 1)[-1]
    c.d.delete_all_cookies()
    c.open("/public/seal?agreement=" + agreement_id)
    c.expect_text("签章有效")
    c.open("/public/disclosures")
    c.expect_text("慢病风险分析")


SANDBOX_SCENARIO = "医疗费用与参保结构分析"


def set_value(c, css, text):
    # A textarea's whole content, as a user pasting it would (send_keys would type it character by character).
    c.d.execute_script("arguments[0].value = arguments[1]", c.el(css), text)


def step_sandbox_request(c):
    # Issue 5: the operator's manager asks for the demo scenario's data, choosing resources and columns.
    sign_in_as(c, "op1.manager")
    c.open("/console/sandbox/requests/new")
    choices = c.el("#scenario-choices")
    links = choices.find_elements(By.PARTIAL_LINK_TEXT, SANDBOX_SCENARIO)
    if links:  # with one scenario only it is chosen already
        links[0].click()
        c.wait(lambda d: "scenario=" in d.current_url, "the scenario's request form")
    form = c.el("#request-form")
    c.expect_text(SANDBOX_SCENARIO)
    boxes = form.find_elements(By.CSS_SELECTOR, "input[type=checkbox]")
    assert boxes and all(b.is_selected() for b in boxes), "every listed resource and column starts ticked"
    form.find_element(By.CSS_SELECTOR, "#purpose").send_keys("分乡镇统计就诊费用与参保结构，用于普惠保险定价研究。")
    epsilon = form.find_element(By.CSS_SELECTOR, "#epsilon")
    epsilon.clear()
    epsilon.send_keys("3")
    c.shot("sandbox-request-form")
    c.submit("#request-submit")
    c.wait(lambda d: re.match(r"^/console/sandbox/requests/(?!new)[^/]+$", urlparse(d.current_url).path), "the data request page")
    c.expect_no_error_alert()
    c.expect_text("审批中")
    WALK["data_request"] = urlparse(c.d.current_url).path


def step_sandbox_approve(c):
    # The authority and both providers approve; the last approval opens the workspace.
    request = WALK["data_request"]
    for username in ("admin", "health.provider", "hrss.provider"):
        sign_in_as(c, username)
        c.open(request)
        c.el("#decision-form")
        c.el("#reason").send_keys("同意，限沙箱内统计分析")
        c.submit("#approve-submit")
        c.expect_no_error_alert()
        c.el("#request-approvals")
    c.expect_text("已授权")
    c.shot("sandbox-request-granted")


def open_workspace(c):
    c.open("/console/sandbox/workspaces")
    links = c.el("#sandbox-workspaces").find_elements(By.CSS_SELECTOR, "tbody a")
    assert links, "no workspace is listed"
    for row in c.d.find_elements(By.CSS_SELECTOR, "#sandbox-workspaces tbody tr"):
        if SANDBOX_SCENARIO in row.text:
            row.find_element(By.CSS_SELECTOR, "a").click()
            break
    else:
        links[0].click()
    c.el("#ledger")
    WALK["workspace"] = urlparse(c.d.current_url).path


def step_sandbox_threshold_query(c):
    # The technician opens the workspace (schemas, levels, a synthetic preview marked as such) and
    # runs the prefilled threshold query: a join of the two datasets on 身份证号.
    sign_in_as(c, "op1.tech")
    open_workspace(c)
    c.expect_text("合成数据")
    assert c.d.find_elements(By.CSS_SELECTOR, ".synthetic-preview"), "no synthetic preview"
    spec = c.el("#spec").get_attribute("value")
    assert '"threshold"' in spec and "joins" in spec and "身份证号" in spec, f"the example is not a join on 身份证号: {spec}"
    c.shot("sandbox-workspace")
    c.submit("#run-submit")
    c.wait(lambda d: "/console/sandbox/queries/" in d.current_url, "the query result page")
    c.expect_no_error_alert()
    c.el(".answer-table")
    WALK["threshold_query"] = urlparse(c.d.current_url).path
    # The demo's visits and pension enrolments share thousands of people: townships are released and charted.
    c.el(".answer-chart")
    c.shot("sandbox-threshold-answer")


def step_sandbox_dp_query(c):
    # The DP example: a dry run shows the plan and the ε it will charge, then it runs and is charged.
    open_workspace(c)
    dp = c.el("#dp-example").get_attribute("textContent")
    assert '"dp"' in dp and "privacy" in dp, f"not a DP example: {dp}"
    set_value(c, "#spec", dp)
    c.submit("#dry-run-submit")
    c.expect_no_error_alert()
    assert "0.5" in c.el("#dry-run-epsilon").text, c.el("#dry-run-epsilon").text
    c.el("#dry-run-checks")
    c.shot("sandbox-dry-run")
    assert '"dp"' in c.el("#spec").get_attribute("value"), "the dry run kept the spec"
    c.submit("#run-submit")
    c.wait(lambda d: "/console/sandbox/queries/" in d.current_url, "the DP result page")
    c.expect_no_error_alert()
    c.expect_text("差分隐私")
    assert c.el("#query-epsilon").text.strip() == "0.5", c.el("#query-epsilon").text
    c.shot("sandbox-dp-answer")
    c.open(WALK["workspace"])
    assert c.el("#ledger-spent").text.strip() != "0", "the ledger did not record the DP answer"


def step_sandbox_model(c):
    # The prefilled model job: a linear regression on the granted data; only coefficients and metrics come back.
    open_workspace(c)
    job = c.el("#job").get_attribute("value")
    assert '"linear"' in job and "features" in job, f"not a model job: {job}"
    c.submit("#model-submit")
    c.wait(lambda d: "/console/sandbox/models/" in d.current_url, "the model result page")
    c.expect_no_error_alert()
    c.el("#model-result")
    c.el("#model-intercept")
    c.shot("sandbox-model")


def step_sandbox_export(c):
    # The threshold answer is asked out of quarantine with a justification.
    c.open(WALK["threshold_query"])
    c.el("#justification").send_keys("向合作保险机构提供分乡镇汇总统计")
    c.submit("#export-submit")
    c.wait(lambda d: "/console/sandbox/exports/" in d.current_url, "the export page")
    c.expect_no_error_alert()
    c.expect_text("审核中")
    WALK["export"] = urlparse(c.d.current_url).path


def step_sandbox_export_approve(c):
    # The authority and both providers review the output; then the operator sees the download.
    export = WALK["export"]
    for username in ("admin", "health.provider", "hrss.provider"):
        sign_in_as(c, username)
        c.open(export)
        c.el("#output-summary")
        c.submit("#export-approve-submit")
        c.expect_no_error_alert()
    c.expect_text("已通过")
    sign_in_as(c, "op1.tech")
    c.open(export)
    c.el("#download-link")
    assert "PDOP" in c.el("#export-watermark").text, "no watermark shown"
    c.shot("sandbox-export-approved")


STEPS = [
    ("login", step_login),
    ("catalog-search", step_catalog_search),
    ("create-organization", step_create_organization),
    ("create-user", step_create_user),
    ("audit", step_audit),
    ("language", step_language),
    ("logout", step_logout),
    # The sandbox walk uses the demo's generated visits, before the GBK upload replaces them.
    ("sandbox-request", step_sandbox_request),
    ("sandbox-approve", step_sandbox_approve),
    ("sandbox-threshold-query", step_sandbox_threshold_query),
    ("sandbox-dp-query", step_sandbox_dp_query),
    ("sandbox-model", step_sandbox_model),
    ("sandbox-export", step_sandbox_export),
    ("sandbox-export-approve", step_sandbox_export_approve),
    ("provider-gbk-upload", step_provider_gbk_upload),
    ("lifecycle-apply", step_apply),
    ("lifecycle-review", step_review),
    ("lifecycle-deliberate", step_deliberate),
    ("lifecycle-agreement", step_agreement),
]


def main():
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("*.png"):  # only this run's pictures, so none is mistaken for a current one
        old.unlink()
    passed = failed = 0
    try:
        driver = make_driver()
    except Exception as e:
        print(f"FAIL cannot start headless Chromium: {e}")
        print(f"0 passed, {len(STEPS)} failed")
        return 1
    console = Console(driver)
    try:
        for n, (name, fn) in enumerate(STEPS, start=1):
            console.step_no = n
            try:
                fn(console)
                ok, why = True, ""
            except Exception as e:  # one step's failure must not stop the others from reporting
                ok, why = False, f"{type(e).__name__}: {e}".strip()
                if not isinstance(e, AssertionError):
                    traceback.print_exc()
            try:
                console.shot(name)
            except Exception:
                pass
            if ok:
                passed += 1
                print(f"PASS {n} {name}")
            else:
                failed += 1
                print(f"FAIL {n} {name}: {why}")
                print(f"     at {driver.current_url} — {driver.title!r}")
                if driver.find_elements(By.TAG_NAME, "body"):
                    print("     page: " + " ".join(console.body_text().split())[:400])
    finally:
        driver.quit()
    print(f"screenshots in {SHOTS}")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and passed == len(STEPS) else 1


if __name__ == "__main__":
    sys.exit(main())
