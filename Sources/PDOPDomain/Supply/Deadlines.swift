import Foundation

/// A due time the platform must act on (DESIGN.md "Workflows"): every deadline is a row, and the
/// scheduler applies due ones idempotently, safely with several server instances.
public struct Deadline: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case demandAnswer = "demand.answer"
        case objectionAnswer = "objection.answer"
        case announcementClose = "announcement.close"
        case agreementStart = "agreement.start"
        case agreementTrialEnd = "agreement.trial_end"
        case agreementExpiry = "agreement.expiry"
        case correctionDeadline = "correction.deadline"
        case annualReportOpen = "annual_report.open"
        case annualReportDue = "annual_report.due"
    }

    public var id: String
    public var kind: Kind
    public var subjectID: String
    public var dueAt: Date

    public init(id: String, kind: Kind, subjectID: String, dueAt: Date) {
        self.id = id
        self.kind = kind
        self.subjectID = subjectID
        self.dueAt = dueAt
    }
}

public protocol DeadlineRepository: Sendable {
    func schedule(_ deadline: Deadline) async throws
    /// Marks the pending deadline of this kind for this subject as no longer needed.
    func cancel(kind: Deadline.Kind, subjectID: String, at: Date) async throws
    /// Claims up to `limit` pending deadlines due at `now`; other instances skip claimed rows.
    func claimDue(now: Date, limit: Int) async throws -> [Deadline]
    func complete(_ id: String, at: Date) async throws
}

/// Applies due deadlines: each in its own transaction with its effect and audit entry, so a
/// crash leaves it pending and the next run applies it once.
public struct DeadlineScheduler: Sendable {
    let store: any PlatformStore
    let clock: any PlatformClock
    let supply: SupplyService
    let lifecycle: LifecycleService

    public init(store: any PlatformStore, clock: any PlatformClock, supply: SupplyService, lifecycle: LifecycleService) {
        self.store = store
        self.clock = clock
        self.supply = supply
        self.lifecycle = lifecycle
    }

    /// Returns how many deadlines were applied.
    @discardableResult
    public func runDue(limit: Int = 100) async throws -> Int {
        let now = clock.now()
        var applied = 0
        while applied < limit {
            let done = try await store.transaction { tx -> Bool in
                guard let deadline = try await tx.deadlines.claimDue(now: now, limit: 1).first else { return false }
                switch deadline.kind {
                case .demandAnswer: try await supply.markDemandOverdue(deadline, tx: tx, now: now)
                case .objectionAnswer: try await supply.markObjectionOverdue(deadline, tx: tx, now: now)
                default: try await lifecycle.apply(deadline, tx: tx, now: now)
                }
                try await tx.deadlines.complete(deadline.id, at: now)
                return true
            }
            if !done { break }
            applied += 1
        }
        return applied
    }
}
