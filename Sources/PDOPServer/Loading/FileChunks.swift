import Foundation

/// A file read in chunks, for loading files from the command line and the demo.
public struct FileChunks: AsyncSequence, Sendable {
    public typealias Element = [UInt8]
    let path: String
    static let chunkSize = 256 << 10

    public init(path: String) { self.path = path }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let handle: FileHandle?

        public mutating func next() async throws -> [UInt8]? {
            guard let handle else { throw CocoaError(.fileReadNoSuchFile) }
            let data = try handle.read(upToCount: FileChunks.chunkSize) ?? Data()
            if data.isEmpty {
                try? handle.close()
                return nil
            }
            return [UInt8](data)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(handle: FileHandle(forReadingAtPath: path)) }
}
