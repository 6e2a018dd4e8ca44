#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The encodings the demo files are written in: UTF-8, or GB18030 (a superset of GBK), the usual
/// encoding of government spreadsheet exports.
public enum DemoCSVEncoding: String, Sendable, CaseIterable {
    case utf8
    case gb18030
}

public enum DemoDataError: Error, Equatable, CustomStringConvertible {
    /// A file operation failed with `errno`.
    case file(path: String, operation: String, errno: Int32)
    case encoding(String)

    public var description: String {
        switch self {
        case let .file(path, operation, code): "\(operation) \(path): \(String(cString: strerror(code)))"
        case let .encoding(message): message
        }
    }
}

/// Writes CSV rows (RFC 4180: CRLF line ends, fields quoted only when they contain a comma,
/// quote or line break) to a file through a 64 KiB buffer, converting to GB18030 per buffer.
final class CSVFileWriter {
    static let bufferSize = 64 * 1024

    private let path: String
    private var descriptor: Int32
    private let converter: Iconv?
    private var buffer: [UInt8] = []
    private var converted: [UInt8] = []

    init(path: String, encoding: DemoCSVEncoding) throws(DemoDataError) {
        converter = encoding == .gb18030 ? try Iconv(from: "UTF-8", to: "GB18030") : nil
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw .file(path: path, operation: "create", errno: errno) }
        self.path = path
        buffer.reserveCapacity(CSVFileWriter.bufferSize + 4096)
    }

    deinit {
        if descriptor >= 0 { _ = close(descriptor) }
    }

    func writeRow(_ fields: [String]) throws(DemoDataError) {
        for (index, field) in fields.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            append(field)
        }
        buffer.append(contentsOf: [13, 10])
        // Flushing only at a row's end keeps characters whole for the converter.
        if buffer.count >= CSVFileWriter.bufferSize { try flush() }
    }

    /// Flushes and closes; the file is complete only after this returns.
    func finish() throws(DemoDataError) {
        try flush()
        let result = close(descriptor)
        descriptor = -1
        guard result == 0 else { throw .file(path: path, operation: "close", errno: errno) }
    }

    private func append(_ field: String) {
        let needsQuotes = field.utf8.contains { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }
        guard needsQuotes else {
            buffer.append(contentsOf: field.utf8)
            return
        }
        buffer.append(34)
        for byte in field.utf8 {
            if byte == 34 { buffer.append(34) }
            buffer.append(byte)
        }
        buffer.append(34)
    }

    private func flush() throws(DemoDataError) {
        guard !buffer.isEmpty else { return }
        if let converter {
            converted.removeAll(keepingCapacity: true)
            try converter.convert(buffer, appendingTo: &converted)
            try writeAll(converted)
        } else {
            try writeAll(buffer)
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: [UInt8]) throws(DemoDataError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                write(descriptor, raw.baseAddress! + offset, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw .file(path: path, operation: "write", errno: errno)
            }
            offset += written
        }
    }
}
