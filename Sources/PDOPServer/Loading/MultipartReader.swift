import Foundation
import PDOPDomain

/// Reads a `multipart/form-data` body as it arrives: the small fields before the file part
/// (the CSRF token, the load options), then the file's bytes as a stream, so an upload from the
/// console goes into the store without being held in memory (browsers send parts in form order).
///
/// One upload's state, read by one task at a time: the route reads the fields, then hands the
/// chunks to the loader, which iterates them once. That is why it may be `@unchecked Sendable`.
final class MultipartReader<Body: AsyncSequence>: @unchecked Sendable where Body.Element == [UInt8] {
    private var iterator: Body.AsyncIterator
    private var buffer: [UInt8] = []
    private var exhausted = false
    private let delimiter: [UInt8]
    private(set) var fileName: String?
    /// Bytes of field headers and values allowed before the file part.
    static var fieldLimit: Int { 64 << 10 }

    init(boundary: String, body: Body) {
        iterator = body.makeAsyncIterator()
        delimiter = Array("\r\n--\(boundary)".utf8)
        // The body starts with the boundary line, without the leading CRLF.
        buffer = Array("\r\n".utf8)
    }

    /// The boundary of a `multipart/form-data; boundary=…` content type.
    static func boundary(of contentType: String?) -> String? {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return (1...70).contains(value.count) ? value : nil
            }
        }
        return nil
    }

    /// Reads the fields that come before the first file part, and that part's headers.
    func fieldsBeforeFile() async throws -> [String: String] {
        var fields: [String: String] = [:]
        var consumed = 0
        while true {
            try await fill(untilContains: delimiter)
            guard let start = Self.find(delimiter, in: buffer) else { throw Self.malformed }
            buffer.removeFirst(start + delimiter.count)
            try await fill(minimum: 2)
            if buffer.starts(with: Array("--".utf8)) { throw DomainError.invalid("file", "choose a file to upload") }
            let headerEnd = Array("\r\n\r\n".utf8)
            try await fill(untilContains: headerEnd)
            guard let end = Self.find(headerEnd, in: buffer) else { throw Self.malformed }
            let headers = String(decoding: buffer[..<end], as: UTF8.self)
            buffer.removeFirst(end + headerEnd.count)
            consumed += end
            guard let name = Self.attribute("name", in: headers) else { throw Self.malformed }
            if let file = Self.attribute("filename", in: headers) {
                fileName = file
                return fields
            }
            try await fill(untilContains: delimiter)
            guard let valueEnd = Self.find(delimiter, in: buffer) else { throw Self.malformed }
            fields[name] = String(decoding: buffer[..<valueEnd], as: UTF8.self)
            consumed += valueEnd
            if consumed > Self.fieldLimit { throw DomainError.invalid("", "the form fields are too large") }
        }
    }

    /// The file part's bytes, ending at the next boundary.
    var fileChunks: AsyncThrowingStream<[UInt8], any Error> {
        AsyncThrowingStream(unfolding: { [self] in try await self.nextFileChunk() })
    }

    private var fileDone = false

    private func nextFileChunk() async throws -> [UInt8]? {
        if fileDone { return nil }
        while true {
            if let end = Self.find(delimiter, in: buffer) {
                fileDone = true
                let chunk = Array(buffer[..<end])
                buffer.removeAll()
                return chunk
            }
            // Keep a tail that could be the start of the delimiter; hand on the rest.
            if buffer.count > delimiter.count + (64 << 10) {
                let cut = buffer.count - delimiter.count
                let chunk = Array(buffer[..<cut])
                buffer.removeFirst(cut)
                return chunk
            }
            guard try await readMore() else { throw Self.malformed }
        }
    }

    private func readMore() async throws -> Bool {
        guard !exhausted, let next = try await iterator.next() else {
            exhausted = true
            return false
        }
        buffer += next
        return true
    }

    private func fill(untilContains needle: [UInt8]) async throws {
        while Self.find(needle, in: buffer) == nil {
            if buffer.count > Self.fieldLimit { throw Self.malformed }
            guard try await readMore() else { return }
        }
    }

    private func fill(minimum: Int) async throws {
        while buffer.count < minimum { guard try await readMore() else { return } }
    }

    static var malformed: DomainError { DomainError.invalid("", "the upload form is not well-formed multipart data") }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count, let first = needle.first else { return nil }
        var index = 0
        while index <= haystack.count - needle.count {
            guard let candidate = haystack[index...].firstIndex(of: first), candidate <= haystack.count - needle.count else { return nil }
            if haystack[candidate..<candidate + needle.count].elementsEqual(needle) { return candidate }
            index = candidate + 1
        }
        return nil
    }

    /// `name="…"` or `filename="…"` in a Content-Disposition header.
    static func attribute(_ key: String, in headers: String) -> String? {
        for line in headers.split(separator: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
            for part in line.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
                if pair.count == 2, pair[0] == key { return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            }
        }
        return nil
    }
}
