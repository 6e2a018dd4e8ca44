import Foundation

/// The tracker check (perturbation.md §3.3 R3; Chin & Özsoyoglu): released cells are vectors over
/// the partition cells of their join path; a partition cell c is answerable alone when the unit
/// vector e_c lies in their span, i.e. when the reduced row echelon form has a row that is e_c.
/// Exact arithmetic modulo a prime, so no rounding decides anything.
struct SpanAudit {
    static let prime: Int64 = 2_147_483_647

    /// Rows of the reduced echelon form, by pivot (the smallest partition cell of the row).
    private(set) var rows: [Int: [Int: Int64]] = [:]

    /// Pivots whose rows are unit vectors: the partition cells answerable on their own.
    var isolated: Set<Int> { Set(rows.filter { $0.value.count == 1 }.keys) }

    /// Adds a vector (a set of partition cells with coefficient 1); returns whether it was independent.
    @discardableResult
    mutating func add(_ cells: Set<Int>) -> Bool {
        var vector: [Int: Int64] = Dictionary(uniqueKeysWithValues: cells.map { ($0, 1) })
        for (pivot, row) in rows {
            guard let factor = vector[pivot], factor != 0 else { continue }
            Self.subtract(&vector, row, times: factor)
        }
        guard let pivot = vector.keys.min() else { return false }
        let inverse = Self.inverse(vector[pivot]!)
        vector = vector.mapValues { $0 * inverse % Self.prime }
        for (other, row) in rows {
            guard let factor = row[pivot], factor != 0 else { continue }
            var reduced = row
            Self.subtract(&reduced, vector, times: factor)
            rows[other] = reduced
        }
        rows[pivot] = vector
        return true
    }

    private static func subtract(_ target: inout [Int: Int64], _ row: [Int: Int64], times factor: Int64) {
        for (cell, coefficient) in row {
            let value = ((target[cell] ?? 0) - factor * coefficient % prime + prime) % prime
            target[cell] = value == 0 ? nil : value
        }
    }

    /// Fermat: a^(p−2) mod p.
    static func inverse(_ value: Int64) -> Int64 {
        var result: Int64 = 1, base = value % prime, exponent = prime - 2
        while exponent > 0 {
            if exponent & 1 == 1 { result = result * base % prime }
            base = base * base % prime
            exponent >>= 1
        }
        return result
    }
}

/// The partition cells of a join path's active dimensions, indexed row-major.
struct PartitionGrid {
    /// Dimension keys in a fixed order, with their bin counts.
    let dimensions: [(key: String, bins: Int)]

    var size: Int { dimensions.reduce(1) { $0 * $1.bins } }

    /// The partition cells a box covers (a dimension it leaves out: every bin).
    func cells(_ box: AuditBox) -> Set<Int> {
        var indices: [Int] = [0]
        for dimension in dimensions {
            let bins = box.bins[dimension.key] ?? Array(0..<dimension.bins)
            indices = indices.flatMap { base in bins.map { base * dimension.bins + $0 } }
        }
        return Set(indices)
    }

    /// The box of one partition cell.
    func box(_ cell: Int) -> AuditBox {
        var remainder = cell
        var bins: [String: [Int]] = [:]
        for dimension in dimensions.reversed() {
            bins[dimension.key] = [remainder % dimension.bins]
            remainder /= dimension.bins
        }
        return AuditBox(bins: bins)
    }
}

/// Per dimension, the classes of bins that every box takes or leaves together (their membership
/// signature over all boxes); the span check runs on the product of these classes.
struct AtomGrid {
    /// Per dimension key, each bin's class, and each class's bins.
    private var classOfBin: [String: [Int]] = [:]
    private var binsOfClass: [String: [[Int]]] = [:]
    let grid: PartitionGrid

    init(boxes: [AuditBox], sizes: [String: Int]) {
        var dimensions: [(key: String, bins: Int)] = []
        for (key, size) in sizes.sorted(by: { $0.key < $1.key }) {
            var signatures: [[Bool]: Int] = [:]
            var classes: [Int] = []
            var members: [[Int]] = []
            for bin in 0..<size {
                let signature = boxes.map { box in box.bins[key].map { $0.contains(bin) } ?? true }
                let index = signatures[signature] ?? {
                    signatures[signature] = members.count
                    members.append([])
                    return members.count - 1
                }()
                classes.append(index)
                members[index].append(bin)
            }
            classOfBin[key] = classes
            binsOfClass[key] = members
            dimensions.append((key, members.count))
        }
        grid = PartitionGrid(dimensions: dimensions)
    }

    /// A box over bins → the same box over classes.
    func coarse(_ box: AuditBox) -> AuditBox {
        var bins: [String: [Int]] = [:]
        for (key, selected) in box.bins {
            guard let classes = classOfBin[key] else { continue }
            bins[key] = Set(selected.map { classes[$0] }).sorted()
        }
        return AuditBox(bins: bins)
    }

    /// A box over classes → the same box over bins.
    func fine(_ box: AuditBox) -> AuditBox {
        var bins: [String: [Int]] = [:]
        for (key, selected) in box.bins {
            guard let members = binsOfClass[key] else { continue }
            bins[key] = selected.flatMap { members[$0] }.sorted()
        }
        return AuditBox(bins: bins)
    }
}
