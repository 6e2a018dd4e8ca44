#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A conversion between two encodings through the C library's iconv; the handle is closed when
/// the converter goes away, whatever path led there.
final class Iconv {
    private let handle: iconv_t

    init(from source: String, to target: String) throws(DemoDataError) {
        let opened = iconv_open(target, source)
        guard let opened, Int(bitPattern: opened) != -1 else {
            throw .encoding("iconv cannot convert \(source) to \(target) on this system")
        }
        handle = opened
    }

    deinit { iconv_close(handle) }

    /// Converts complete characters of `input`, appending to `output`.
    func convert(_ input: [UInt8], appendingTo output: inout [UInt8]) throws(DemoDataError) {
        var source = input
        var chunk = [UInt8](repeating: 0, count: max(64, input.count * 2))
        let result: Int = source.withUnsafeMutableBufferPointer { sourceBuffer in
            chunk.withUnsafeMutableBufferPointer { chunkBuffer in
                var inPointer = UnsafeMutableRawPointer(sourceBuffer.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var inLeft = sourceBuffer.count
                while inLeft > 0 {
                    var outPointer = UnsafeMutableRawPointer(chunkBuffer.baseAddress)?.assumingMemoryBound(to: CChar.self)
                    var outLeft = chunkBuffer.count
                    let converted = iconv(handle, &inPointer, &inLeft, &outPointer, &outLeft)
                    output.append(contentsOf: chunkBuffer[0..<(chunkBuffer.count - outLeft)])
                    // E2BIG only means the chunk is full: it was emptied above, so go on.
                    if converted == -1 && errno != E2BIG { return -1 }
                }
                return 0
            }
        }
        guard result == 0 else { throw .encoding("a character cannot be represented in the target encoding") }
    }
}
