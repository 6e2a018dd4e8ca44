import Foundation
import PDOPDomain

/// The fixed audit partition of one dataset version (perturbation.md §3.1–3.2): every column a query
/// may filter or group on is cut into bins — code lists for text, ranges on the column's grid for
/// numbers and dates — merged until each bin's perturbed unit count reaches the minimum. Filters and
/// group keys must select whole bins, so every released cell is a box of bins whatever the query's
/// wording, and the audit compares boxes, never query text.
public struct AuditPartition: Codable, Sendable, Equatable {
    public var resourceID: String
    public var dataVersion: Int
    public var dimensions: [PartitionDimension]

    public func dimension(_ column: String) -> PartitionDimension? { dimensions.first { $0.column == column } }
}

public struct PartitionDimension: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case codes, ranges }

    public var column: String
    public var kind: Kind
    /// Ranges: the width of one atom in stored units (days for dates and timestamps).
    public var grid: Int64
    public var bins: [PartitionBin]

    /// The bin holding a code (text), or the null bin.
    func bin(code: String?) -> Int? {
        guard let code else { return bins.firstIndex { $0.includesNull } }
        return bins.firstIndex { $0.codes.contains(code) } ?? bins.firstIndex { $0.other }
    }

    /// The range bins in order; the first is open below and the last open above, so a value outside
    /// the observed range still falls in a bin.
    var rangeBins: [Int] { bins.indices.filter { bins[$0].lower != nil } }

    /// The bin holding an atom (ranges).
    func bin(atom: Int64) -> Int {
        let ranges = rangeBins
        return ranges.first { atom <= bins[$0].upper! } ?? ranges.last ?? 0
    }
}

/// One bin: a set of codes (plus, for the "other" bin, every rare code), or a range of atoms
/// [lower, upper] on the grid (the first open below, the last open above), possibly with the nulls.
public struct PartitionBin: Codable, Sendable, Equatable {
    public var codes: [String] = []
    public var other = false
    public var lower: Int64?
    public var upper: Int64?
    public var includesNull = false
    /// What a group key releases for this bin.
    public var label: String

    /// A code bin that holds exactly one code and nothing else: a group key releases the code itself.
    var isSingleCode: Bool { codes.count == 1 && !other && !includesNull }
    /// A bin of nulls alone.
    var isNullOnly: Bool { codes.isEmpty && !other && lower == nil }
}

/// Per-atom unit counts and cell keys, as the partition statement returns them.
struct AtomCount: Sendable {
    /// Nil for the null atom; `.text` for codes, `.integer` for range atoms.
    let atom: SQLValue
    let units: Int64
    let key: Int64
}

/// Builds a dimension from atom counts. Counts of merged atoms are added up, which overstates the
/// units of a person seen under several atoms; every cell released later still passes its own
/// perturbed threshold and the audit's checks, so the partition is a first line, not the only one.
struct PartitionBuilder {
    let minimum: Int64
    let perturbation: CellKeyPerturbation

    func perturbed(units: Int64, key: Int64) -> Int64 { perturbation.perturbed(units: units, key: key) }

    func codes(column: String, atoms: [AtomCount], otherLabel: String) -> PartitionDimension {
        var bins: [PartitionBin] = []
        var rare = (units: Int64(0), key: Int64(0))
        var null: AtomCount?
        for atom in atoms.sorted(by: { SQLValueOrder.less([$0.atom], [$1.atom]) }) {
            guard case .text(let code) = atom.atom else { null = atom; continue }
            if perturbed(units: atom.units, key: atom.key) >= minimum {
                bins.append(PartitionBin(codes: [code], label: code))
            } else {
                rare = (rare.units + atom.units, rare.key &+ atom.key)
            }
        }
        var otherBin = PartitionBin(other: true, label: otherLabel)
        if let null {
            if perturbed(units: null.units, key: null.key) >= minimum {
                bins.append(PartitionBin(includesNull: true, label: ""))
            } else {
                otherBin.includesNull = true
                rare = (rare.units + null.units, rare.key &+ null.key)
            }
        }
        if rare.units > 0, perturbed(units: rare.units, key: rare.key) < minimum, let first = bins.indices.first(where: { !bins[$0].includesNull }) {
            // Too few rare units to stand alone: they join the first code's bin.
            bins[first].other = true
            bins[first].includesNull = bins[first].includesNull || otherBin.includesNull
            bins[first].label += "/" + otherLabel
        } else if rare.units > 0 || otherBin.includesNull {
            bins.append(otherBin)
        }
        return PartitionDimension(column: column, kind: .codes, grid: 1, bins: bins)
    }

    func ranges(column: String, grid: Int64, atoms: [AtomCount]) -> PartitionDimension {
        var bins: [PartitionBin] = []
        var open: (lower: Int64, upper: Int64, units: Int64, key: Int64)?
        var null: AtomCount?
        for atom in atoms.sorted(by: { SQLValueOrder.less([$0.atom], [$1.atom]) }) {
            guard atom.atom != .null else { null = atom; continue }
            let value = SQLValueOrder.integer(atom.atom)
            var current = open ?? (value, value, 0, 0)
            current = (current.lower, value, current.units + atom.units, current.key &+ atom.key)
            if perturbed(units: current.units, key: current.key) >= minimum {
                bins.append(PartitionBin(lower: current.lower, upper: current.upper, label: ""))
                open = nil
            } else {
                open = current
            }
        }
        if let open {
            if bins.isEmpty { bins.append(PartitionBin(lower: open.lower, upper: open.upper, label: "")) }
            else { bins[bins.count - 1].upper = open.upper }
        }
        if let null {
            if perturbed(units: null.units, key: null.key) >= minimum || bins.isEmpty {
                bins.append(PartitionBin(includesNull: true, label: ""))
            } else {
                bins[0].includesNull = true
            }
        }
        return PartitionDimension(column: column, kind: .ranges, grid: grid, bins: bins)
    }
}
