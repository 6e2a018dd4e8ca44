import Foundation
import PDOPDomain
import Testing

@Suite("Lifecycle: announcements and applications (R9.1, R9.2, R7, R21)")
struct EntryRulesTests {
    @Test("R21 an announcement's scope refuses a prohibited-open resource")
    func announcementRefusesProhibited() async throws {
        try await withLifecycle { f in
            await #expect(throws: DomainError.refused("R21", "\(f.prohibited.name) is prohibited from opening and can never be authorized",
                                                      field: "resources")) {
                _ = try await f.service.draftAnnouncement(f.announcementDraft(resources: [f.open.id, f.prohibited.id]), by: f.actor(.authority))
            }
            await #expect(throws: DomainError.invalid("resourceIds", "unknown resource res_nope")) {
                _ = try await f.service.draftAnnouncement(f.announcementDraft(resources: [ResourceID("res_nope")]), by: f.actor(.authority))
            }
            await #expect(throws: DomainError.invalid("closesAt", "the window must close after it opens")) {
                _ = try await f.service.draftAnnouncement(f.announcementDraft(opensIn: 100, closesIn: 50), by: f.actor(.authority))
            }
        }
    }

    @Test("R9.1 only published announcements are public, and the scheduler closes the window")
    func publishAndClose() async throws {
        try await withLifecycle { f in
            let draft = try await f.service.draftAnnouncement(f.announcementDraft(), by: f.actor(.authority))
            #expect(try await f.service.announcements(includeDrafts: false, page: .first).total == 0)
            await #expect(throws: DomainError.notFound("announcement")) { _ = try await f.service.announcement(draft.id, includeDrafts: false) }
            let published = try await f.service.publishAnnouncement(draft.id, version: draft.version, by: f.actor(.authority))
            #expect(published.state == .published)
            await #expect(throws: DomainError.wrongState("published", "only a draft announcement can be published")) {
                _ = try await f.service.publishAnnouncement(draft.id, version: published.version, by: f.actor(.authority))
            }
            #expect(try await f.service.announcements(includeDrafts: false, page: .first).total == 1)
            try await f.advance(days: 31)
            #expect(try await f.service.announcement(draft.id, includeDrafts: false).state == .closed)
        }
    }

    @Test("R9.2 an application outside the window is refused with the rule")
    func applicationWindow() async throws {
        try await withLifecycle { f in
            let early = try await f.service.draftAnnouncement(f.announcementDraft(opensIn: 86_400), by: f.actor(.authority))
            let notYet = try await f.service.publishAnnouncement(early.id, version: early.version, by: f.actor(.authority))
            let refusal = DomainError.refused("R9.2", "applications are taken only inside the announcement's window", field: "announcementId")
            await #expect(throws: refusal) {
                _ = try await f.service.apply(f.applicationDraft(announcement: notYet.id), by: f.actor(.operatorManager))
            }
            let announcement = try await f.publishedAnnouncement()
            let application = try await f.service.apply(f.applicationDraft(announcement: announcement.id), by: f.actor(.operatorManager))
            #expect(application.state == .submitted)
            #expect(application.scenarios.first?.providers == [f.departmentID])
            try await f.advance(days: 31)
            await #expect(throws: refusal) {
                _ = try await f.service.apply(f.applicationDraft(announcement: announcement.id), by: f.actor(.operatorManager))
            }
        }
    }

    @Test("R9.2 bad applications: no scenario, unknown resource or column, out of scope, prohibited — nothing written")
    func badApplications() async throws {
        try await withLifecycle { f in
            let announcement = try await f.publishedAnnouncement()
            let before = try await f.platform.auditHead()
            await #expect(throws: DomainError.invalid("scenarios", "an application needs at least one scenario")) {
                _ = try await f.service.apply(f.applicationDraft(announcement: announcement.id, scenarios: []), by: f.actor(.operatorManager))
            }
            var unknown = f.scenario()
            unknown.dataList = [DataListItem(resourceID: ResourceID("res_missing"), columns: ["x"], purpose: "p")]
            await #expect(throws: DomainError.invalid("scenarios.0.dataList.0.resourceId", "unknown resource res_missing")) {
                _ = try await f.service.apply(f.applicationDraft(announcement: announcement.id, scenarios: [unknown]), by: f.actor(.operatorManager))
            }
            await #expect(throws: DomainError.invalid("scenarios.0.dataList.0.columns", "\(f.open.name) has no column salary")) {
                _ = try await f.service.apply(f.applicationDraft(announcement: announcement.id, scenarios: [f.scenario(columns: ["salary"])]),
                                              by: f.actor(.operatorManager))
            }
            var empty = f.scenario()
            empty.dataList = []
            await #expect(throws: DomainError.invalid("scenarios.0.dataList", "each scenario needs its own data list")) {
                _ = try await f.service.apply(f.applicationDraft(announcement: announcement.id, scenarios: [empty]), by: f.actor(.operatorManager))
            }
            var prohibited = f.scenario()
            prohibited.dataList = [DataListItem(resourceID: f.prohibited.id, columns: ["district"], purpose: "p")]
            await #expect(throws: DomainError.self) {
                _ = try await f.service.apply(f.applicationDraft(announcement: announcement.id, scenarios: [prohibited]), by: f.actor(.operatorManager))
            }
            var domain = f.scenario()
            domain.domain = "medical"
            await #expect(throws: DomainError.invalid("scenarios.0.domain", "must be one of the R22 scenario domains")) {
                _ = try await f.service.apply(f.applicationDraft(announcement: announcement.id, scenarios: [domain]), by: f.actor(.operatorManager))
            }
            #expect(try await f.platform.auditHead() == before)
            #expect(try await f.service.list(Application.self, page: .first, scope: .all).total == 0)
        }
    }

    @Test("R7 a security review is valid two years and reused; an expired one blocks the grant")
    func qualificationValidity() async throws {
        try await withLifecycle(qualified: false) { f in
            let authority = f.actor(.authority)
            let old = f.clock.now().addingMonths(-25)
            _ = try await f.service.recordQualification(operator: f.operatorID, kind: .basicSecurity, passedOn: old, reference: "旧审查", by: authority)
            let technical = try await f.service.recordQualification(operator: f.operatorID, kind: .technicalSecurity,
                                                                    passedOn: f.clock.now(), reference: "技审", by: authority)
            #expect(technical.validUntil == f.clock.now().addingMonths(24))
            let application = try await f.reviewedApplication()
            await #expect(throws: DomainError.refused("R7", "no valid basic_security review on record (valid 24 months)", field: "basic_security")) {
                _ = try await f.service.deliberate(caseID: application.id, f.deliberation(.grant), by: authority)
            }
            #expect(try await f.service.application(application.id, scope: .all, actor: authority).state == .underReview)
            _ = try await f.service.recordQualification(operator: f.operatorID, kind: .basicSecurity, passedOn: f.clock.now(), reference: "新审查",
                                                        by: authority)
            _ = try await f.service.deliberate(caseID: application.id, f.deliberation(.grant), by: authority)
            // The same reviews serve a second application while valid.
            let second = try await f.reviewedApplication()
            _ = try await f.service.deliberate(caseID: second.id, f.deliberation(.grant), by: authority)
            #expect(try await f.service.application(second.id, scope: .all, actor: authority).state == .approved)
        }
    }
}
