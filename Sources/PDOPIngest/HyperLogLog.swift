/// A HyperLogLog sketch with 2^14 one-byte registers (16 KiB, standard error about 0.8%), for
/// the distinct count of columns past the exact limit. The estimate is Ertl's improved raw
/// estimator ("New cardinality estimation algorithms for HyperLogLog sketches", 2017), which
/// needs neither bias tables nor a switch to linear counting.
struct HyperLogLog: Sendable {
    static let precision = 14
    static let registerCount = 1 << precision
    /// Bits of the hash left after the register index; ranks go up to this plus one.
    private static let rankBits = 64 - precision

    private(set) var registers = [UInt8](repeating: 0, count: registerCount)

    mutating func insert(_ hash: UInt64) {
        let index = Int(hash >> UInt64(Self.rankBits))
        // A sentinel bit after the rank bits caps the rank at rankBits + 1.
        let rank = UInt8((hash << UInt64(Self.precision) | 1 << UInt64(Self.precision - 1)).leadingZeroBitCount + 1)
        if rank > registers[index] { registers[index] = rank }
    }

    var estimate: Int {
        var histogram = [Int](repeating: 0, count: Self.rankBits + 2)
        for rank in registers { histogram[Int(rank)] += 1 }
        let m = Double(Self.registerCount)
        var z = m * Self.tau(1 - Double(histogram[Self.rankBits + 1]) / m)
        for rank in stride(from: Self.rankBits, through: 1, by: -1) {
            z = 0.5 * (z + Double(histogram[rank]))
        }
        z += m * Self.sigma(Double(histogram[0]) / m)
        let alphaInfinity = 0.721_347_520_444_481_7 // 1 / (2 ln 2)
        return Int((alphaInfinity * m * m / z).rounded())
    }

    private static func sigma(_ x: Double) -> Double {
        guard x < 1 else { return .infinity }
        var x = x, y = 1.0, z = x
        while true {
            x *= x
            let next = z + x * y
            y += y
            if next == z { return z }
            z = next
        }
    }

    private static func tau(_ x: Double) -> Double {
        guard x > 0, x < 1 else { return 0 }
        var x = x, y = 1.0, z = 1 - x
        while true {
            x = x.squareRoot()
            let previous = z
            y *= 0.5
            z -= (1 - x) * (1 - x) * y
            if previous == z { return z / 3 }
        }
    }
}
