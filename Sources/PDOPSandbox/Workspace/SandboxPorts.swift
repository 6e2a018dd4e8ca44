import Foundation
import PDOPDomain

/// The domain store's registry of loaded data: which table holds a resource's current version.
public struct StoredDataset: Sendable, Equatable {
    public var table: String
    public var dataVersion: Int
    public var rowCount: Int

    public init(table: String, dataVersion: Int, rowCount: Int) {
        self.table = table
        self.dataVersion = dataVersion
        self.rowCount = rowCount
    }
}

public protocol DomainDatasetRegistry: Sendable {
    /// Nil when the resource has no data loaded.
    func current(_ resource: ResourceID) async throws -> StoredDataset?

    /// The cell-key method's record keys (perturbation.md §2.1): every unit of `table.unitColumn`
    /// gets a secret random key of `keySpace` once, for life, shared by every dataset of that space;
    /// the table carries its units' keys in a column of its own, whose name is returned. Idempotent
    /// and cheap once done; rows appended later get their keys on the next call (`rowCount` changed).
    func recordKeyColumn(table: String, unitColumn: String, keySpace: String, rowCount: Int) async throws -> String
}

/// Queries and model jobs running now, by workspace, so a stop cancels them at once (R17).
/// Per instance: another instance's runs stop at their next check of the workspace state.
public final class RunningWork: @unchecked Sendable {
    private let lock = NSLock()
    private var tasks: [String: [UUID: Task<Void, Never>]] = [:]
    private var owners: [String: OrganizationID] = [:]

    public init() {}

    /// Runs `work` as a cancellable child of the workspace's registry. A stop while it runs is
    /// answered as the workspace being halted; a limit the executor reports, as an R12 refusal.
    public func run<T: Sendable>(workspace: String, operator operatorID: OrganizationID,
                                 _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        do {
            return try await registered(workspace: workspace, operator: operatorID, work)
        } catch is CancellationError {
            throw DomainError.wrongState("halted", "the workspace was stopped while this ran; nothing was released")
        } catch let failure as any OperatorVisibleFailure {
            guard let message = failure.operatorMessage else { throw failure }
            throw DomainError.refused("R12", message)
        }
    }

    private func registered<T: Sendable>(workspace: String, operator operatorID: OrganizationID,
                                         _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let token = UUID()
        let box = ResultBox<T>()
        let task = Task<Void, Never> { await box.set(await Result(catching: work)) }
        lock.withLock {
            tasks[workspace, default: [:]][token] = task
            owners[workspace] = operatorID
        }
        defer { _ = lock.withLock { tasks[workspace]?.removeValue(forKey: token) } }
        await withTaskCancellationHandler { await task.value } onCancel: { task.cancel() }
        return try await box.get()
    }

    /// Cancels every run of the workspace; returns how many were cancelled.
    @discardableResult
    public func cancel(workspace: String) -> Int {
        let running = lock.withLock { Array(tasks[workspace]?.values ?? [:].values) }
        running.forEach { $0.cancel() }
        return running.count
    }

    /// Cancels every run of the operator's workspaces (suspension, ending).
    public func cancel(operator operatorID: OrganizationID) {
        let workspaces = lock.withLock { owners.filter { $0.value == operatorID }.map(\.key) }
        workspaces.forEach { cancel(workspace: $0) }
    }

    public func count(workspace: String) -> Int { lock.withLock { tasks[workspace]?.count ?? 0 } }
}

private actor ResultBox<T: Sendable> {
    private var result: Result<T, any Error>?
    func set(_ value: Result<T, any Error>) { result = value }
    func get() throws -> T {
        guard let result else { throw CancellationError() }
        return try result.get()
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
