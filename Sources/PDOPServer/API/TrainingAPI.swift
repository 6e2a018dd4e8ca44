import Hummingbird
import PDOPAPI
import PDOPDomain

/// /api/v1/training: courses per staff type and exam results (R10). Recording a pass activates a
/// pending staff account once every staff role it holds is passed.
struct TrainingAPI {
    let services: PlatformServices
    var lifecycle: LifecycleService { services.lifecycle }

    var routes: [Route] {
        [
            Route(RouteSpec(.get, "/api/v1/training/courses", .roles(Reach.everyRoleOwnOrg), audience: .api)) { request, _, _ in
                let page = try await lifecycle.list(TrainingCourse.self, page: request.pageRequest(), scope: .all)
                return try APIResponse.json(PageOut(page, CourseOut.init))
            },
            Route(RouteSpec(.post, "/api/v1/training/courses", .roles(Reach.authorityOnly), audience: .api)) { _, _, caller in
                let input = try caller.input(CourseCreate.self)
                let course = try await lifecycle.createCourse(staffRole: try parseEnum(Role.self, input.staffRole, field: "staffRole"),
                                                              title: input.title, syllabus: input.syllabus, passingScore: input.passingScore,
                                                              by: caller.actor)
                return try APIResponse.json(CourseOut(course), status: .created)
            },
            Route(RouteSpec(.get, "/api/v1/training/results", .roles(LifecycleAPI.caseReaders), audience: .api)) { request, _, caller in
                let page = try await lifecycle.list(TrainingResult.self, filter: try LifecycleAPI.ownerFilter(request), page: request.pageRequest(),
                                                    scope: caller.scope)
                return try APIResponse.json(PageOut(page, ExamResultOut.init))
            },
            Route(RouteSpec(.post, "/api/v1/training/results", .roles(Reach.authorityOnly), audience: .api)) { _, _, caller in
                let input = try caller.input(ExamResultCreate.self)
                let result = try await lifecycle.recordExam(user: UserID(input.userId), course: input.courseId, score: input.score,
                                                            takenOn: input.takenOn, by: caller.actor)
                return try APIResponse.json(ExamResultOut(result), status: .created)
            },
        ]
    }
}
