/// A 64-bit hash of a typed value for distinct counting: FNV-1a over text's UTF-8, then
/// MurmurHash3's finalizer, whose avalanche gives HyperLogLog the uniform bits it needs (FNV's
/// high bits alone are weak). Numbers, dates and times go straight to the finalizer, a bijection,
/// so they never collide.
enum ValueHash {
    static func of(_ value: TypedValue) -> UInt64 {
        switch value {
        case .null: 0
        case .integer(let number): mix(UInt64(bitPattern: number))
        case .decimal(let number): mix((number == 0 ? 0.0 : number).bitPattern) // -0.0 and 0.0 are one value
        case .date(let date): mix(UInt64(bitPattern: Int64(date.daysSinceEpoch)))
        case .timestamp(let timestamp): mix(UInt64(bitPattern: timestamp.microsecondsSinceEpoch))
        case .boolean(let flag): mix(flag ? 1 : 2)
        case .text(let text): mix(fnv1a(text))
        }
    }

    static func fnv1a(_ text: String) -> UInt64 {
        var text = text
        return text.withUTF8 { bytes in
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            for byte in bytes {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            }
            return hash
        }
    }

    static func mix(_ value: UInt64) -> UInt64 {
        var bits = value
        bits ^= bits >> 33
        bits &*= 0xFF51_AFD7_ED55_8CCD
        bits ^= bits >> 33
        bits &*= 0xC4CE_B9FE_1A85_EC53
        bits ^= bits >> 33
        return bits
    }
}
