import PDOPDomain

// The standard library's `withUTF8` and `withContiguousStorageIfAvailable` are `rethrows`, which
// erases a typed error; these keep `DomainError` typed through the closure.

extension String {
    mutating func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws(DomainError) -> R) throws(DomainError) -> R {
        try withUTF8 { buffer in Result { () throws(DomainError) in try body(buffer) } }.get()
    }
}

func withContiguousBytes<R>(_ bytes: some Collection<UInt8>,
                            _ body: (UnsafeBufferPointer<UInt8>) throws(DomainError) -> R) throws(DomainError) -> R {
    if let result = bytes.withContiguousStorageIfAvailable({ buffer in Result { () throws(DomainError) in try body(buffer) } }) {
        return try result.get()
    }
    return try Array(bytes).withUnsafeBufferPointer { (buffer) throws(DomainError) in try body(buffer) }
}
