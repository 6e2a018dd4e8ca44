import Foundation
import PDOPDomain

/// The noise of one cell, a pure function of its cell key (perturbation.md §2.4, §2.9): no random
/// number generator on this path, so repeating a query or reaching the same units another way
/// returns the same numbers, while cells of different units get independent noise.
public struct CellKeyPerturbation: Sendable {
    public let table: PerturbationTable
    /// A magnitude's noise is sign · top · (floor + (ceiling − floor) · u) / 100, u uniform in [0, 1).
    public let ceilingPercent: Int
    public let floorPercent: Int
    let dominancePercent: Int

    public init(policy: PolicySettings) {
        table = PerturbationTable.shared(maxNoise: policy.sandboxCellKeyMaxNoise, variance: policy.sandboxCellKeyVariance)
        ceilingPercent = policy.sandboxSumNoisePercent
        floorPercent = policy.sandboxSumNoiseFloorPercent
        dominancePercent = policy.sandboxDominancePercent
    }

    /// `key` is the sum of the units' record keys; only its low 32 bits are the cell key.
    public func countNoise(units: Int64, key: Int64) -> Int64 {
        table.noise(count: units, key: UInt64(bitPattern: key) & 0xFFFF_FFFF)
    }

    /// The count a cell of `units` units releases: a legitimate query on the same units gets exactly this.
    public func perturbed(units: Int64, key: Int64) -> Int64 { units + countNoise(units: units, key: key) }

    /// Noise for a sum (or a row count) whose largest per-unit contribution in the cell is `top`
    /// (already clamped, in the sum's scaled units). A cell dominated by its top contributors is
    /// "sensitive" and always gets the ceiling (cellKey's μ_c), never a smaller share.
    public func magnitudeNoise(top: Int64, key: Int64, salt: UInt64, sensitive: Bool) -> Int64 {
        guard top > 0 else { return 0 }
        let mixed = Self.mix(UInt64(bitPattern: key) & 0xFFFF_FFFF, salt: salt)
        let negative = mixed >> 63 == 1
        let uniform = Double(mixed & ((1 << 53) - 1)) / Double(UInt64(1) << 53)
        let floor = Double(sensitive ? ceilingPercent : floorPercent)
        let share = (floor + (Double(ceilingPercent) - floor) * uniform) / 100
        let magnitude = Int64((Double(top) * share).rounded(.up))
        return negative ? -magnitude : magnitude
    }

    /// The top contributors hold more than the dominance percentage of the cell's absolute total.
    func dominated(top: Int64, total: Int64) -> Bool {
        total > 0 && Double(top) * 100 > Double(dominancePercent) * Double(total)
    }

    /// SplitMix64's finaliser over the cell key and a per-measure salt: each measure of a cell gets
    /// its own, still deterministic, share of the key's randomness.
    static func mix(_ key: UInt64, salt: UInt64) -> UInt64 {
        var z = key &+ (salt &+ 1) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The most a released count or sum moves, stated on every threshold answer.
    public var countNoiseAtMost: Int { table.maxNoise }
}
