import Foundation

extension LifecycleService {
    /// Applies one due lifecycle deadline inside the scheduler's transaction; a deadline whose case
    /// has moved on does nothing, so applying it twice is harmless.
    func apply(_ deadline: Deadline, tx: any StoreTransaction, now: Date) async throws {
        let scheduler = Actor.system("scheduler")
        switch deadline.kind {
        case .announcementClose:
            try await closeAnnouncement(deadline, tx: tx, now: now)
        case .agreementStart, .agreementTrialEnd:
            guard var agreement = try await tx.lifecycle.get(Agreement.self, id: deadline.subjectID) else { return }
            let event: AgreementEvent = deadline.kind == .agreementStart ? .started : .trialEnded
            guard (event == .started && agreement.state == .signed) || (event == .trialEnded && agreement.state == .trial) else {
                // Suspended at the trial's end: it resumes as active once restored.
                if event == .trialEnded, agreement.state == .suspended, agreement.resumeState == .trial {
                    agreement.resumeState = .active
                    try await save(&agreement, tx: tx, at: now)
                }
                return
            }
            let from = agreement.state
            agreement.state = try from.applying(event, hasTrial: agreement.trialMonths > 0, resumeTo: .active)
            try await save(&agreement, tx: tx, at: now)
            try await record(AuditEvent(actor: scheduler, action: "agreement.\(agreement.state.rawValue)", objectType: "agreement",
                                        objectID: agreement.id, objectLabel: agreement.operatorName,
                                        details: ["from": from.rawValue, "event": event.rawValue]),
                             operator: agreement.operatorID, summary: "agreement \(agreement.state.rawValue)", tx: tx, at: now)
        case .agreementExpiry:
            guard let agreement = try await tx.lifecycle.get(Agreement.self, id: deadline.subjectID), !agreement.state.isEnded,
                  agreement.state != .draft else { return }
            try await end(agreement.id, as: .expired, reason: "term ended", by: scheduler, tx: tx, at: now)
        case .correctionDeadline:
            guard var order = try await tx.lifecycle.get(CorrectionOrder.self, id: deadline.subjectID),
                  order.state == .open || order.state == .reported else { return }
            order.state = .lapsed
            order.closedAt = now
            try await save(&order, tx: tx, at: now)
            try await addCredit(order.operatorID, .violation, "not corrected by the deadline: \(order.violation)", caseID: order.id,
                                by: scheduler.username, tx: tx, at: now)
            if let agreement = try await tx.lifecycle.get(Agreement.self, id: order.agreementID), !agreement.state.isEnded {
                try await end(agreement.id, as: .terminated, reason: "correction deadline missed", by: scheduler, tx: tx, at: now)
            }
        case .annualReportOpen:
            try await openAnnualReport(deadline, tx: tx, now: now)
        case .annualReportDue:
            guard var report = try await tx.lifecycle.get(AnnualReport.self, id: deadline.subjectID), report.state == .due, !report.overdue else {
                return
            }
            report.overdue = true
            try await save(&report, tx: tx, at: now)
            try await record(AuditEvent(actor: scheduler, action: "annual_report.overdue", objectType: "annual_report", objectID: report.id,
                                        objectLabel: report.agreementID, details: ["year": String(report.year)]),
                             operator: report.operatorID, summary: "annual report \(report.year) overdue", tx: tx, at: now)
        case .demandAnswer, .objectionAnswer:
            return
        }
    }

    /// After each year of a running agreement an annual report falls due (R20); the next year's is
    /// scheduled while the term lasts.
    func openAnnualReport(_ deadline: Deadline, tx: any StoreTransaction, now: Date) async throws {
        let parts = deadline.subjectID.split(separator: "#")
        guard parts.count == 2, let year = Int(parts[1]),
              let agreement = try await tx.lifecycle.get(Agreement.self, id: String(parts[0])),
              agreement.state != .terminated, agreement.state != .draft else { return }
        // An expired agreement still owes the report of its last full year.
        let report = AnnualReport(id: newID("anr"), agreementID: agreement.id, operatorID: agreement.operatorID, year: year,
                                  dueAt: now.addingTimeInterval(TimeInterval(policy.annualReportFilingDays * 86_400)), overdue: false,
                                  state: .due, content: nil, filedAt: nil, version: 1, createdAt: now, updatedAt: now)
        try await tx.lifecycle.insert(report)
        try await tx.deadlines.schedule(Deadline(id: newID("ddl"), kind: .annualReportDue, subjectID: report.id, dueAt: report.dueAt))
        let next = agreement.termStartsOn.addingMonths(policy.annualReportAfterMonths * (year + 1))
        if next <= agreement.termEndsOn {
            try await tx.deadlines.schedule(Deadline(id: newID("ddl"), kind: .annualReportOpen, subjectID: "\(agreement.id)#\(year + 1)", dueAt: next))
        }
        try await record(AuditEvent(actor: .system("scheduler"), action: "annual_report.open", objectType: "annual_report", objectID: report.id,
                                    objectLabel: agreement.operatorName, details: ["year": String(year), "dueAt": Self.day(report.dueAt)]),
                         operator: agreement.operatorID, summary: "annual report \(year) due", tx: tx, at: now)
    }

    /// The operator files its annual report; it goes into its file (R20).
    public func fileAnnualReport(_ id: String, content: String, version: Int, scope: AccessScope, by actor: Actor) async throws -> AnnualReport {
        let content = try TextRules.text(content, field: "content", limit: 20_000)
        return try await amend(AnnualReport.self, id, version: version, scope: scope, by: actor, action: "annual_report.file",
                               label: \.agreementID, summary: { "annual report \($0.year) filed" }) { report, tx, now in
            guard report.state == .due else { throw DomainError.wrongState(report.state.rawValue, "this report is already filed") }
            report.state = .filed
            report.content = content
            report.filedAt = now
            try await tx.deadlines.cancel(kind: .annualReportDue, subjectID: id, at: now)
        }
    }
}
