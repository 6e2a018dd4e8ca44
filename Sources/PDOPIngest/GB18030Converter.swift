import Glibc
import PDOPDomain

/// GB18030 (a superset of GBK and GB2312) to UTF-8 through glibc's iconv. A class so that the
/// iconv handle is closed exactly once, in `deinit`; not Sendable, because an iconv handle keeps
/// state and must not be used from two threads at once.
final class GB18030Converter {
    enum Outcome {
        /// Everything was converted, or everything but a character cut off at the end.
        case converted(consumed: Int)
        /// Bytes at `offset` are not GB18030.
        case invalid(offset: Int)
    }

    private let handle: iconv_t

    init() throws(DomainError) {
        guard let handle = iconv_open("UTF-8", "GB18030"), handle != iconv_t(bitPattern: -1) else {
            // Only a server without glibc's gconv modules gets here; the provider can convert to UTF-8.
            throw IngestError.file("GB18030 decoding is not available on this server; upload the file as UTF-8")
        }
        self.handle = handle
    }

    deinit {
        iconv_close(handle)
    }

    /// Appends the UTF-8 of `input` to `output`. A multibyte character cut off at the end of
    /// `input` (EINVAL) is left unconsumed, for the caller to carry into the next chunk.
    func convert(_ input: UnsafeBufferPointer<UInt8>, appendingTo output: inout [UInt8]) -> Outcome {
        guard let base = input.baseAddress, !input.isEmpty else { return .converted(consumed: 0) }
        var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: base).assumingMemoryBound(to: CChar.self)
        var inLeft = input.count
        // A two-byte character becomes at most three UTF-8 bytes, a four-byte one at most four.
        var scratch = [UInt8](repeating: 0, count: input.count * 3 / 2 + 16)
        while true {
            let (result, error, produced) = scratch.withUnsafeMutableBufferPointer { out in
                var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(out.baseAddress!).assumingMemoryBound(to: CChar.self)
                var outLeft = out.count
                let result = iconv(handle, &inPointer, &inLeft, &outPointer, &outLeft)
                return (result, errno, out.count - outLeft)
            }
            output.append(contentsOf: scratch[0..<produced])
            let consumed = input.count - inLeft
            if result != -1 { return .converted(consumed: consumed) }
            switch error {
            case E2BIG: continue
            case EINVAL: return .converted(consumed: consumed)
            default: return .invalid(offset: consumed)
            }
        }
    }
}
