import Foundation
import Hummingbird
import PDOPDomain

extension LifecycleConsole {
    /// Pre-job training (R10): the authority sets courses and records exam results; a pending staff
    /// account is activated by passing. Operator staff see their organization's results.
    var trainingRoutes: [Route] {
        let lifecycle = self.lifecycle
        let readers = Self.operatorStaff.merging([.authority: .all, .regulator: .all]) { $1 }
        func post(_ path: String, _ act: @escaping @Sendable (Caller) async throws -> Void) -> Route {
            Route(RouteSpec(.post, "/console/training/\(path)", .roles(Reach.authorityOnly), audience: .console)) { request, context, caller in
                try await FormOutcome.attempt({
                    try await act(caller)
                    return Response.seeOther("/console/training")
                }, otherwise: { error, status in try await trainingPage(request, context, caller, values: caller.form, error: error, status: status) })
            }
        }
        return [
            Route(RouteSpec(.get, "/console/training", .roles(readers), audience: .console)) { request, context, caller in
                try await trainingPage(request, context, caller, values: [:], error: nil, status: .ok)
            },
            post("courses") { caller in
                _ = try await lifecycle.createCourse(staffRole: try parseEnumField(Role.self, caller.field("staff_role"), field: "staffRole"),
                                                     title: caller.field("title"), syllabus: caller.field("syllabus"),
                                                     passingScore: try caller.intField("passing_score"), by: caller.actor)
            },
            post("results") { caller in
                _ = try await lifecycle.recordExam(user: UserID(caller.field("user_id")), course: caller.field("course_id"),
                                                   score: try caller.intField("score"), takenOn: try day(caller, "taken_on"), by: caller.actor)
            },
        ]
    }

    func trainingPage(_ request: Request, _ context: PDOPRequestContext, _ caller: Caller, values: [String: String],
                      error: [String: Any]?, status: HTTPResponse.Status) async throws -> Response {
        let locale = context.locale
        let isAuthority = roles(caller).contains(.authority)
        let courses = try await lifecycle.courses()
        let results = try await lifecycle.list(TrainingResult.self, page: request.pageRequest(), scope: caller.scope)
        var staff: [[String: Any]] = []
        if isAuthority {
            for state in [AccountState.pending, .active] {
                let users = try await services.parties.users(UserFilter(state: state), page: PageRequest(limit: PageRequest.maxLimit), scope: .all)
                staff += users.items.filter { $0.roles.contains(where: \.isOperatorStaff) }.map { user in
                    ["id": user.id.rawValue, "label": "\(user.displayName)（\(user.username)，\(text("state.\(user.state.rawValue)", locale))）",
                     "selected": values["user_id"] == user.id.rawValue] as [String: Any]
                }
            }
        }
        let titles = Dictionary(courses.map { ($0.id, $0.title) }, uniquingKeysWith: { first, _ in first })
        return page.render("training", [
            "courses": courses.map { ["id": $0.id, "title": $0.title, "role": text("role.\($0.staffRole.rawValue)", locale),
                                      "syllabus": $0.syllabus, "passingScore": $0.passingScore] as [String: Any] },
            "results": results.items.map { ["user": $0.username, "course": titles[$0.courseID] ?? $0.courseID, "score": $0.score,
                                            "taken": $0.takenOn.consoleDay, "passed": $0.passed, "by": $0.recordedBy] as [String: Any] },
            "pager": Pager.model(results.total, limit: results.limit, offset: results.offset, path: "/console/training", query: []),
            "canManage": isAuthority, "staff": staff, "today": services.clock.now().consoleDay, "values": values,
            "staffRoles": Role.allCases.filter(\.isOperatorStaff).map { ["value": $0.rawValue, "label": text("role.\($0.rawValue)", locale)] },
            "error": error,
        ], caller: caller, context: context, request: request, active: "/console/training", status: status)
    }
}
