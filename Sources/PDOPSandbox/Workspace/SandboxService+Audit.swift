import Foundation
import PDOPDomain

/// The audit of released cells (issue 10 item 3; perturbation.md §3): every threshold-mode cell is
/// a box of partition bins on its join path, compared with every cell the workspace released
/// before — by any of its staff, for its whole life — before it leaves:
/// - R2: a box that differs from an earlier overlapping one by a set of units whose perturbed count
///   is below the minimum is held back (the equality oracle and two-query differencing);
/// - R3: a box that would make one partition cell answerable by a linear combination (a tracker)
///   whose perturbed count is below the minimum is held back;
/// - R4: at most `sandboxReleasedCellsPerMonth` new cells a month.
/// Decisions use the boxes and perturbed counts a legitimate query could have had, never exact
/// counts, and a held-back cell looks exactly like a cell below the threshold.
extension SandboxService {
    struct AuditOutcome: Sendable {
        var withheld: Set<Int>
        /// The history's version when it was read: the keeping transaction re-audits if it moved.
        var historyVersion: Int?
    }

    /// The datasets, those a spec names (all when nil) with their record-key column (drawn on first
    /// use, perturbation.md §2.1).
    func keyed(_ datasets: [SandboxDataset], naming sources: [QuerySpec.Source]? = nil) async throws -> [SandboxDataset] {
        let named = sources.map { Set($0.map(\.dataset)) }
        var keyed: [SandboxDataset] = []
        for var dataset in datasets {
            guard named?.contains(dataset.resourceID) ?? true else {
                keyed.append(dataset)
                continue
            }
            let space = dataset.columns.first { $0.name == dataset.unitColumn }?.keySpace ?? dataset.unitDomain
            dataset.recordKeyColumn = try await registry.recordKeyColumn(table: dataset.table, unitColumn: dataset.unitColumn,
                                                                         keySpace: space, rowCount: dataset.rowCount)
            keyed.append(dataset)
        }
        return keyed
    }

    /// The audit partitions of the datasets a query names, computed once per data version and policy.
    func partitions(for spec: [QuerySpec.Source], datasets: [SandboxDataset]) async throws -> [String: AuditPartition] {
        var result: [String: AuditPartition] = [:]
        let limits = ExecutionLimits(timeoutSeconds: Double(policy.sandboxStatementTimeoutSeconds) * 4, maxRows: 1_000_000)
        for name in Set(spec.map(\.dataset)) {
            guard let dataset = datasets.first(where: { $0.resourceID == name }) else { continue }
            let key = PartitionCache.key(dataset, policy: policy)
            if let cached = partitionCache.get(key) {
                result[name] = cached
                continue
            }
            var outputs: [ExecutionOutput] = []
            for statement in engine.partitionStatements(dataset, dialect: executor.dialect) {
                outputs.append(try await executor.run(statement, limits: limits))
            }
            let partition = engine.partition(dataset, outputs: outputs)
            partitionCache.set(key, partition)
            result[name] = partition
        }
        return result
    }

    /// The published audit partitions of a workspace's datasets (by resource id): the bins that
    /// threshold filters and group keys must follow. Computed (and record keys drawn) on first use.
    public func publishedPartitions(_ workspaceID: String, scope: AccessScope) async throws -> [String: AuditPartition] {
        let granted: [SandboxDataset] = try await store.transaction { tx in
            let workspace = try await fetch(Workspace.self, workspaceID, scope: scope, tx: tx)
            return try await self.datasets(of: workspace, tx: tx)
        }
        let keyedDatasets = try await keyed(granted)
        return try await partitions(for: keyedDatasets.map { QuerySpec.Source(alias: "d", dataset: $0.resourceID) }, datasets: keyedDatasets)
    }

    /// R2, R3 and R4 for the cells a threshold query would release.
    func audit(_ plan: QueryPlan, _ released: ReleasedRows, workspaceID: String, partitions: [String: AuditPartition],
               limits: ExecutionLimits) async throws -> AuditOutcome {
        guard let canonical = plan.resolved.canonical, !released.cells.isEmpty else { return AuditOutcome(withheld: [], historyVersion: nil) }
        let history = try await store.transaction { try await $0.lifecycle.get(ReleaseAudit.self, id: ReleaseAudit.id(workspace: workspaceID)) }
        let earlier = (history?.cells ?? []).filter { $0.path == canonical.path }.map { AuditBox(bins: $0.bins) }
        let boxes = released.cells.map { canonical.box(keys: $0.keys) }
        try requireCellBudget(new: Set(boxes).subtracting(earlier).count, history: history)
        let statements = AuditStatements(context: plan.resolved.context, partitions: partitions, functions: DialectFunctions(dialect: executor.dialect))
        let minimum = Int64(plan.minUnits)
        let perturbation = CellKeyPerturbation(policy: policy)
        var withheld: Set<Int> = []
        // R2: pairwise differences with every earlier overlapping cell.
        var pairs: [(cell: Int, a: SQLFragment, b: SQLFragment)] = []
        let earlierSet = Set(earlier)
        for (index, box) in boxes.enumerated() where !earlierSet.contains(box) {
            guard let mine = statements.predicate(box) else { continue }
            for other in earlierSet where other.overlaps(box) {
                guard let theirs = statements.predicate(other) else { continue }
                pairs.append((index, mine, theirs))
            }
        }
        for (position, perturbed) in try await perturbedCounts(pairs.map { ($0.a, $0.b) }, statements, perturbation, limits).enumerated()
        where perturbed < minimum {
            withheld.insert(pairs[position].cell)
        }
        // R3: trackers, on the partition cells of the path's active dimensions.
        withheld.formUnion(try await trackers(boxes: boxes, earlier: earlier, withheld: withheld, released: released, statements: statements,
                                              perturbation: perturbation, minimum: minimum, limits: limits))
        return AuditOutcome(withheld: withheld, historyVersion: history?.version ?? 0)
    }

    private func trackers(boxes: [AuditBox], earlier: [AuditBox], withheld: Set<Int>, released: ReleasedRows, statements: AuditStatements,
                          perturbation: CellKeyPerturbation, minimum: Int64, limits: ExecutionLimits) async throws -> Set<Int> {
        var sizes: [String: Int] = [:]
        for box in earlier + boxes {
            for key in box.bins.keys where sizes[key] == nil {
                guard let dimension = statements.dimension(key) else { continue }
                sizes[key] = dimension.partition.bins.count
            }
        }
        let usable = (earlier + boxes).filter { $0.bins.keys.allSatisfy { sizes[$0] != nil } }
        // Bins that every box takes or leaves together act as one: the span lives on these coarser
        // cells, so a query by year over day bins stays a small problem.
        let atoms = AtomGrid(boxes: usable, sizes: sizes)
        let grid = atoms.grid
        guard grid.size <= policy.sandboxAuditMaxCells else {
            throw DomainError.refused("R12", "this combination of filters and group keys, with the workspace's earlier answers, is finer than the audit can follow; use coarser bins or fewer columns")
        }
        var base = SpanAudit()
        for box in earlier where box.bins.keys.allSatisfy({ sizes[$0] != nil }) { base.add(grid.cells(atoms.coarse(box))) }
        let candidates = boxes.indices.filter { !withheld.contains($0) }
        // Pass 1: which partition cells could the new cells isolate? Their perturbed counts decide.
        var trial = base
        var known: [Int: Int64] = [:]
        var needed: Set<Int> = []
        for index in candidates {
            let cells = grid.cells(atoms.coarse(boxes[index]))
            if cells.count == 1, let only = cells.first { known[only] = released.cells[index].perturbedUnits }
            let before = trial.isolated
            trial.add(cells)
            needed.formUnion(trial.isolated.subtracting(before))
        }
        let unknown = needed.filter { known[$0] == nil }.sorted()
        let predicates = unknown.compactMap { statements.predicate(atoms.fine(grid.box($0))).map { ($0, SQLFragment("1 = 0")) } }
        if predicates.count == unknown.count {
            for (cell, count) in zip(unknown, try await perturbedCounts(predicates, statements, perturbation, limits)) { known[cell] = count }
        }
        // Pass 2: add the new cells in order; one that isolates a small or unknown cell is held back.
        var held: Set<Int> = []
        var span = base
        for index in candidates {
            var next = span
            let before = next.isolated
            next.add(grid.cells(atoms.coarse(boxes[index])))
            if next.isolated.subtracting(before).contains(where: { (known[$0] ?? -1) < minimum }) {
                held.insert(index)
            } else {
                span = next
            }
        }
        return held
    }

    /// The perturbed unit counts of the symmetric differences of the pairs (a pair with "1 = 0": one set).
    private func perturbedCounts(_ pairs: [(SQLFragment, SQLFragment)], _ statements: AuditStatements, _ perturbation: CellKeyPerturbation,
                                 _ limits: ExecutionLimits) async throws -> [Int64] {
        var counts: [Int64] = []
        for start in stride(from: 0, to: pairs.count, by: AuditStatements.pairsPerStatement) {
            let batch = Array(pairs[start..<min(start + AuditStatements.pairsPerStatement, pairs.count)])
            let output = try await executor.run(statements.symmetricDifferences(batch), limits: limits)
            let row = output.rows.first ?? []
            for index in batch.indices {
                let units = index * 2 < row.count ? SQLValueOrder.integer(row[index * 2]) : 0
                let key = index * 2 + 1 < row.count ? SQLValueOrder.integer(row[index * 2 + 1]) : 0
                counts.append(perturbation.perturbed(units: units, key: key))
            }
        }
        return counts
    }

    /// Adds the released boxes to the workspace's history in the keeping transaction; if the history
    /// moved since the audit read it (`expectedVersion`; nil for a model job, which no R2/R3 audit
    /// read), nothing is kept and the audit runs again.
    func recordReleases(_ boxes: [AuditBox], path: String, expectedVersion: Int?, workspace: Workspace, runID: String,
                        tx: any StoreTransaction, at now: Date) async throws {
        let existing = try await tx.lifecycle.get(ReleaseAudit.self, id: ReleaseAudit.id(workspace: workspace.id))
        if let expectedVersion, (existing?.version ?? 0) != expectedVersion { throw AuditHistoryMoved.moved }
        var history = existing ?? ReleaseAudit(workspaceID: workspace.id, operatorID: workspace.operatorID, at: now)
        let known = Set(history.cells.filter { $0.path == path }.map(\.bins))
        let fresh = boxes.filter { !known.contains($0.bins) }
        try requireCellBudget(new: Set(fresh).count, history: existing)
        history.cells += Set(fresh).map { AuditedCell(path: path, bins: $0.bins, at: now, runID: runID) }
        if existing == nil { try await tx.lifecycle.insert(history) } else { try await save(&history, tx: tx, at: now) }
    }

    /// R4: new cells this calendar month (China time, yyyy-MM) within the policy's budget.
    func requireCellBudget(new: Int, history: ReleaseAudit?) throws {
        func month(_ date: Date) -> Substring { CivilCalendar.chinaDay(of: date).prefix(7) }
        let current = month(clock.now())
        let used = history?.cells.filter { month($0.at) == current }.count ?? 0
        guard used + new <= policy.sandboxReleasedCellsPerMonth else {
            throw DomainError.refused("R12", "the workspace has released its \(policy.sandboxReleasedCellsPerMonth) cells for this month")
        }
    }
}

/// Audit partitions by dataset version and column policy, per server instance (they are a
/// deterministic function of the data and the record keys, so instances agree).
public final class PartitionCache: @unchecked Sendable {
    private let lock = NSLock()
    private var partitions: [String: AuditPartition] = [:]

    public init() {}

    static func key(_ dataset: SandboxDataset, policy: PolicySettings) -> String {
        let columns = dataset.columns.map { "\($0.name):\($0.type.rawValue):\($0.level.rawValue):\($0.bucketWidth ?? 1)" }.joined(separator: ",")
        return "\(dataset.table)|\(dataset.rowCount)|\(dataset.recordKeyColumn ?? "")|\(dataset.minUnits)|\(policy.sandboxCellKeyMaxNoise)|"
            + "\(policy.sandboxCellKeyVariance)|\(columns)"
    }

    func get(_ key: String) -> AuditPartition? { lock.withLock { partitions[key] } }
    func set(_ key: String, _ partition: AuditPartition) { lock.withLock { partitions[key] = partition } }
}
