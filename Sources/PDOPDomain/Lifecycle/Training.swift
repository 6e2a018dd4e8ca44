import Foundation

/// A pre-job training course with its exam, for one type of operator staff (R10).
public struct TrainingCourse: LifecycleRecord, Equatable {
    public static let kind = LifecycleKind.trainingCourse
    public var id: String
    /// operator_manager, operator_technical or operator_operations.
    public var staffRole: Role
    public var title: String
    public var syllabus: String
    public var passingScore: Int
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public var ownerID: OrganizationID? { nil }
    public var subjectID: String? { staffRole.rawValue }
    public var stateName: String { "open" }
}

/// One exam result: score and date; passing is decided by the course's passing score (R10).
public struct TrainingResult: LifecycleRecord, Equatable {
    public static let kind = LifecycleKind.trainingResult
    public var id: String
    public var userID: UserID
    public var username: String
    public var operatorID: OrganizationID
    public var courseID: String
    public var staffRole: Role
    public var score: Int
    public var takenOn: Date
    public var passed: Bool
    public var recordedBy: String
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public var ownerID: OrganizationID? { operatorID }
    public var subjectID: String? { userID.rawValue }
    public var stateName: String { passed ? "passed" : "failed" }
}

/// R10: operator staff reach the platform only after passing the training of every staff role they hold.
public enum TrainingRule {
    public static func hasPassed(_ user: User, results: [TrainingResult]) -> Bool {
        user.roles.filter(\.isOperatorStaff).allSatisfy { role in results.contains { $0.staffRole == role && $0.passed } }
    }

    static func results(of user: UserID, tx: any StoreTransaction) async throws -> [TrainingResult] {
        try await tx.lifecycle.list(TrainingResult.self, LifecycleFilter(subjectID: user.rawValue), page: try PageRequest(limit: 200)).items
    }

    /// Refuses to activate operator staff who have not passed (R10).
    static func requirePassed(_ user: User, tx: any StoreTransaction) async throws {
        guard user.roles.contains(where: \.isOperatorStaff) else { return }
        guard hasPassed(user, results: try await results(of: user.id, tx: tx)) else {
            throw DomainError.refused("R10", "operator staff are activated only after passing pre-job training", field: "state")
        }
    }
}

extension LifecycleService {
    /// The authority sets up a course and its exam for one staff type (R10).
    public func createCourse(staffRole: Role, title: String, syllabus: String, passingScore: Int, by actor: Actor) async throws -> TrainingCourse {
        guard staffRole.isOperatorStaff else { throw DomainError.invalid("staffRole", "courses are for operator staff roles") }
        guard (1...100).contains(passingScore) else { throw DomainError.invalid("passingScore", "must be between 1 and 100") }
        let title = try TextRules.name(title, field: "title")
        let syllabus = try TextRules.text(syllabus, field: "syllabus", limit: 8000)
        let now = clock.now()
        return try await store.transaction { tx in
            let course = TrainingCourse(id: newID("crs"), staffRole: staffRole, title: title, syllabus: syllabus, passingScore: passingScore,
                                        version: 1, createdAt: now, updatedAt: now)
            try await tx.lifecycle.insert(course)
            try await record(AuditEvent(actor: actor, action: "training.course", objectType: "training_course", objectID: course.id,
                                        objectLabel: title, details: ["role": staffRole.rawValue, "passingScore": String(passingScore)]),
                             operator: nil, summary: title, tx: tx, at: now)
            return course
        }
    }

    /// The authority records an exam result. A pending staff account is activated, in the same
    /// transaction, once its holder has passed the course of every staff role they hold (R10).
    public func recordExam(user id: UserID, course courseID: String, score: Int, takenOn: Date, by actor: Actor) async throws -> TrainingResult {
        guard (0...100).contains(score) else { throw DomainError.invalid("score", "must be between 0 and 100") }
        let now = clock.now()
        guard takenOn <= now else { throw DomainError.invalid("takenOn", "an exam is recorded after it was taken") }
        return try await store.transaction { tx in
            guard let course = try await tx.lifecycle.get(TrainingCourse.self, id: courseID) else { throw DomainError.invalid("courseId", "unknown course") }
            guard var user = try await tx.users.get(id) else { throw DomainError.invalid("userId", "unknown user") }
            guard user.roles.contains(course.staffRole) else {
                throw DomainError.refused("R10", "this course is for \(course.staffRole.rawValue) staff", field: "courseId")
            }
            let result = TrainingResult(id: newID("trn"), userID: id, username: user.username, operatorID: user.organizationID, courseID: courseID,
                                        staffRole: course.staffRole, score: score, takenOn: takenOn, passed: score >= course.passingScore,
                                        recordedBy: actor.username, version: 1, createdAt: now, updatedAt: now)
            try await tx.lifecycle.insert(result)
            try await record(AuditEvent(actor: actor, action: "training.exam", objectType: "user", objectID: id.rawValue, objectLabel: user.username,
                                        details: ["course": courseID, "score": String(score), "passed": String(result.passed)]),
                             operator: user.organizationID, summary: "\(user.username): \(course.title) \(score)", tx: tx, at: now)
            if user.state == .pending, TrainingRule.hasPassed(user, results: try await TrainingRule.results(of: id, tx: tx)) {
                user.state = try user.state.transition(to: .active)
                user.version += 1
                user.updatedAt = now
                try await tx.users.update(user)
                try await record(AuditEvent(actor: actor, action: "user.state", objectType: "user", objectID: id.rawValue, objectLabel: user.username,
                                            reason: "R10 pre-job training passed", details: ["from": "pending", "to": "active", "credentialsRevoked": "0"]),
                                 operator: user.organizationID, summary: "\(user.username) activated after training", tx: tx, at: now)
            }
            return result
        }
    }

    public func courses() async throws -> [TrainingCourse] {
        try await list(TrainingCourse.self, page: try PageRequest(limit: 200), scope: .all).items
    }
}
