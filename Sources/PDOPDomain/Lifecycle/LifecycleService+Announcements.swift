import Foundation

extension LifecycleService {
    /// The authority drafts an announcement (R9.1); its scope may never hold a prohibited-open resource (R21).
    public func draftAnnouncement(_ draft: AnnouncementDraft, by actor: Actor) async throws -> Announcement {
        let title = try TextRules.name(draft.title, field: "title")
        let conditions = try TextRules.text(draft.conditions, field: "conditions", limit: 8000)
        let criteria = try TextRules.text(draft.criteria, field: "criteria", limit: 8000)
        let requirements = try TextRules.text(draft.requirements, field: "requirements", limit: 8000)
        if let unknown = draft.domains.first(where: { DomainArea.named($0) == nil }) {
            throw DomainError.invalid("domains", "\(unknown) is not one of the R21 domains")
        }
        if draft.domains.isEmpty && draft.resourceIDs.isEmpty {
            throw DomainError.invalid("domains", "name at least one domain or catalog resource in scope")
        }
        guard draft.opensAt < draft.closesAt else { throw DomainError.invalid("closesAt", "the window must close after it opens") }
        let now = clock.now()
        guard draft.closesAt > now else { throw DomainError.invalid("closesAt", "the window must close in the future") }
        return try await store.transaction { tx in
            var resources: [DataResource] = []
            for id in Self.unique(draft.resourceIDs) {
                guard let resource = try await tx.catalog.get(id) else { throw DomainError.invalid("resourceIds", "unknown resource \(id)") }
                resources.append(resource)
            }
            _ = try GrantableResources(resources)
            let announcement = Announcement(
                id: newID("ann"), title: title, method: draft.method, domains: Self.unique(draft.domains),
                resourceIDs: resources.map(\.id), conditions: conditions, criteria: criteria, requirements: requirements,
                opensAt: draft.opensAt, closesAt: draft.closesAt, state: .draft, policyVersion: policy.version, publishedAt: nil,
                version: 1, createdAt: now, updatedAt: now)
            try await tx.lifecycle.insert(announcement)
            try await record(AuditEvent(actor: actor, action: "announcement.draft", objectType: "announcement", objectID: announcement.id,
                                        objectLabel: title, details: ["policy": policy.version]),
                             operator: nil, summary: title, tx: tx, at: now)
            return announcement
        }
    }

    /// Publishing opens it on the public page; the scheduler closes it when the window ends.
    public func publishAnnouncement(_ id: String, version: Int, by actor: Actor) async throws -> Announcement {
        try await amend(Announcement.self, id, version: version, scope: .all, by: actor, action: "announcement.publish",
                        label: \.title, summary: \.title) { announcement, tx, now in
            guard announcement.state == .draft else {
                throw DomainError.wrongState(announcement.state.rawValue, "only a draft announcement can be published")
            }
            guard announcement.closesAt > now else { throw DomainError.invalid("closesAt", "the window has already closed") }
            announcement.state = .published
            announcement.publishedAt = now
            try await tx.deadlines.schedule(Deadline(id: newID("ddl"), kind: .announcementClose, subjectID: id, dueAt: announcement.closesAt))
        }
    }

    public func withdrawAnnouncement(_ id: String, version: Int, by actor: Actor) async throws -> Announcement {
        try await amend(Announcement.self, id, version: version, scope: .all, by: actor, action: "announcement.withdraw",
                        label: \.title, summary: \.title) { announcement, _, _ in
            guard announcement.state == .draft else {
                throw DomainError.wrongState(announcement.state.rawValue, "only a draft announcement can be withdrawn")
            }
            announcement.state = .withdrawn
        }
    }

    /// The public sees published and closed announcements; the authority sees drafts too.
    public func announcement(_ id: String, includeDrafts: Bool) async throws -> Announcement {
        let announcement = try await store.transaction { try await fetch(Announcement.self, id, scope: .all, tx: $0) }
        guard includeDrafts || announcement.state == .published || announcement.state == .closed else {
            throw DomainError.notFound("announcement")
        }
        return announcement
    }

    public func announcements(includeDrafts: Bool, page: PageRequest) async throws -> Page<Announcement> {
        let states = includeDrafts ? nil : [AnnouncementState.published.rawValue, AnnouncementState.closed.rawValue]
        return try await list(Announcement.self, filter: LifecycleFilter(states: states), page: page, scope: .all)
    }

    func closeAnnouncement(_ deadline: Deadline, tx: any StoreTransaction, now: Date) async throws {
        guard var announcement = try await tx.lifecycle.get(Announcement.self, id: deadline.subjectID),
              announcement.state == .published else { return }
        announcement.state = .closed
        try await save(&announcement, tx: tx, at: now)
        try await record(AuditEvent(actor: .system("scheduler"), action: "announcement.close", objectType: "announcement",
                                    objectID: announcement.id, objectLabel: announcement.title),
                         operator: nil, summary: announcement.title, tx: tx, at: now)
    }

    static func unique<T: Hashable>(_ values: [T]) -> [T] {
        var seen = Set<T>()
        return values.filter { seen.insert($0).inserted }
    }
}
