import Foundation
import PDOPDomain
import Testing

@Suite("Lifecycle: pre-job training (R10)")
struct TrainingRulesTests {
    @Test("R10 operator staff stay pending until they pass their role's exam; activation by hand is refused")
    func staffPendingUntilTrained() async throws {
        try await withLifecycle { f in
            let parties = f.platform.services.parties
            let system = Actor.system("test")
            let staff = try await parties.createUser(NewUser(organizationID: f.operatorID, username: "new.tech", displayName: "新技术员",
                                                             password: TestPlatform.password, roles: [.operatorTechnical, .operatorOperations]),
                                                     by: system)
            #expect(staff.state == .pending)
            await #expect(throws: DomainError.refused("R10", "operator staff are activated only after passing pre-job training", field: "state")) {
                _ = try await parties.changeUserState(staff.id, to: .active, version: staff.version, reason: "直接激活", by: f.actor(.authority))
            }
            // A pending account cannot sign in, so it reaches no operator workspace.
            await #expect(throws: DomainError.self) {
                _ = try await f.platform.services.auth.login(username: "new.tech", password: TestPlatform.password, actor: .system("browser"))
            }
            let courses = try await f.service.courses()
            let technical = try #require(courses.first { $0.staffRole == .operatorTechnical })
            let operations = try #require(courses.first { $0.staffRole == .operatorOperations })
            let manager = try #require(courses.first { $0.staffRole == .operatorManager })
            await #expect(throws: DomainError.refused("R10", "this course is for operator_manager staff", field: "courseId")) {
                _ = try await f.service.recordExam(user: staff.id, course: manager.id, score: 100, takenOn: f.clock.now(), by: f.actor(.authority))
            }
            await #expect(throws: DomainError.invalid("score", "must be between 0 and 100")) {
                _ = try await f.service.recordExam(user: staff.id, course: technical.id, score: 101, takenOn: f.clock.now(), by: f.actor(.authority))
            }
            let failed = try await f.service.recordExam(user: staff.id, course: technical.id, score: 59, takenOn: f.clock.now(), by: f.actor(.authority))
            #expect(!failed.passed)
            _ = try await f.service.recordExam(user: staff.id, course: technical.id, score: 75, takenOn: f.clock.now(), by: f.actor(.authority))
            // One of two roles passed: still pending.
            #expect(try await parties.user(staff.id, scope: .all).state == .pending)
            _ = try await f.service.recordExam(user: staff.id, course: operations.id, score: 88, takenOn: f.clock.now(), by: f.actor(.authority))
            #expect(try await parties.user(staff.id, scope: .all).state == .active)
            #expect(try await f.platform.auditCount(action: "training.exam") >= 3)
            let results = try await f.service.list(TrainingResult.self, page: .first, scope: .organization(f.operatorID)).items
            #expect(results.filter { $0.userID == staff.id }.map(\.score).sorted() == [59, 75, 88])
            #expect(try await f.service.list(TrainingResult.self, page: .first, scope: .organization(f.otherOperator.organizationID!))
                .items.allSatisfy { $0.operatorID != f.operatorID })
        }
    }

    @Test("R10 a course is only for operator staff and has a sane passing score")
    func courseRules() async throws {
        try await withLifecycle { f in
            await #expect(throws: DomainError.invalid("staffRole", "courses are for operator staff roles")) {
                _ = try await f.service.createCourse(staffRole: .provider, title: "x", syllabus: "y", passingScore: 60, by: f.actor(.authority))
            }
            await #expect(throws: DomainError.invalid("passingScore", "must be between 1 and 100")) {
                _ = try await f.service.createCourse(staffRole: .operatorManager, title: "x", syllabus: "y", passingScore: 0, by: f.actor(.authority))
            }
        }
    }
}
