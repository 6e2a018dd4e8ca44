import Foundation
import PDOPDomain

// Pre-job training (R10): courses per staff type and exam results.

public struct CourseCreate: APIInput {
    public static let fields: Set<String> = ["staffRole", "title", "syllabus", "passingScore"]
    public var staffRole: String
    public var title: String
    public var syllabus: String
    public var passingScore: Int
}

public struct ExamResultCreate: APIInput {
    public static let fields: Set<String> = ["userId", "courseId", "score", "takenOn"]
    public var userId: String
    public var courseId: String
    public var score: Int
    public var takenOn: Date
}

public struct CourseOut: Encodable, Sendable {
    public var id, staffRole, title, syllabus: String
    public var passingScore, version: Int
    public var createdAt, updatedAt: Date

    public init(_ c: TrainingCourse) {
        id = c.id; staffRole = c.staffRole.rawValue; title = c.title; syllabus = c.syllabus; passingScore = c.passingScore
        version = c.version; createdAt = c.createdAt; updatedAt = c.updatedAt
    }
}

public struct ExamResultOut: Encodable, Sendable {
    public var id, userId, username, operatorId, courseId, staffRole, recordedBy: String
    public var score, version: Int
    public var passed: Bool
    public var takenOn, createdAt, updatedAt: Date

    public init(_ r: TrainingResult) {
        id = r.id; userId = r.userID.rawValue; username = r.username; operatorId = r.operatorID.rawValue; courseId = r.courseID
        staffRole = r.staffRole.rawValue; recordedBy = r.recordedBy; score = r.score; version = r.version; passed = r.passed
        takenOn = r.takenOn; createdAt = r.createdAt; updatedAt = r.updatedAt
    }
}
