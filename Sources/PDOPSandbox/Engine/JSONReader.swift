import Foundation
import PDOPDomain

/// Untyped JSON, read first so every error can name the JSON pointer of the offending part.
enum JSONValue: Decodable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    static func parse(_ data: Data, maxBytes: Int) throws(DomainError) -> JSONValue {
        guard data.count <= maxBytes else { throw .invalid("/", "the specification is larger than \(maxBytes) bytes") }
        do {
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw .invalid("/", "the specification is not valid JSON")
        }
    }
}

/// Typed access to a JSON value at a pointer; every failure is a 400 naming that pointer.
struct JSONReader {
    let value: JSONValue
    let pointer: String

    init(_ value: JSONValue, at pointer: String = "") {
        self.value = value
        self.pointer = pointer
    }

    var fieldPointer: String { pointer.isEmpty ? "/" : pointer }

    func child(_ key: String) -> String { pointer + "/" + Self.escape(key) }

    static func escape(_ key: String) -> String {
        key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    func fail(_ message: String) -> DomainError { .invalid(fieldPointer, message) }

    /// The object's members; any key outside `allowed` is refused so typos never pass silently.
    func object(allowed: Set<String>) throws(DomainError) -> ObjectReader {
        guard case .object(let members) = value else { throw fail("must be an object") }
        if let unknown = members.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw .invalid(child(unknown), "unknown key")
        }
        return ObjectReader(members: members, pointer: pointer)
    }

    func array(maxCount: Int? = nil, minCount: Int = 0) throws(DomainError) -> [JSONReader] {
        guard case .array(let items) = value else { throw fail("must be an array") }
        if let maxCount, items.count > maxCount { throw fail("at most \(maxCount) items are allowed") }
        if items.count < minCount { throw fail("at least \(minCount) item(s) required") }
        return items.enumerated().map { JSONReader($0.element, at: pointer + "/\($0.offset)") }
    }

    func string() throws(DomainError) -> String {
        guard case .string(let text) = value else { throw fail("must be a string") }
        return text
    }

    func number() throws(DomainError) -> Double {
        guard case .number(let number) = value, number.isFinite else { throw fail("must be a number") }
        return number
    }

    func integer() throws(DomainError) -> Int {
        let number = try number()
        guard number == number.rounded(), abs(number) < 9.0e15 else { throw fail("must be an integer") }
        return Int(number)
    }

    func bool() throws(DomainError) -> Bool {
        guard case .bool(let flag) = value else { throw fail("must be true or false") }
        return flag
    }

    func enumeration<E: RawRepresentable & CaseIterable>(_ type: E.Type) throws(DomainError) -> E where E.RawValue == String {
        let text = try string()
        guard let parsed = E(rawValue: text) else {
            throw fail("must be one of " + E.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return parsed
    }

    func literal() throws(DomainError) -> Literal {
        switch value {
        case .number(let number) where number.isFinite: return .number(number)
        case .string(let text): return .text(text)
        case .bool(let flag): return .bool(flag)
        default: throw fail("must be a number, a string or a boolean")
        }
    }
}

/// The members of one JSON object, read by key.
struct ObjectReader {
    let members: [String: JSONValue]
    let pointer: String

    func has(_ key: String) -> Bool {
        if let value = members[key], value != .null { return true }
        return false
    }

    func required(_ key: String) throws(DomainError) -> JSONReader {
        guard let value = members[key], value != .null else {
            throw .invalid(pointer + "/" + JSONReader.escape(key), "is required")
        }
        return JSONReader(value, at: pointer + "/" + JSONReader.escape(key))
    }

    func optional(_ key: String) -> JSONReader? {
        guard let value = members[key], value != .null else { return nil }
        return JSONReader(value, at: pointer + "/" + JSONReader.escape(key))
    }
}

enum NamePattern {
    /// `[a-z][a-z0-9_]{0,maxTail}`: aliases and measure names, checked by hand to stay allocation-free.
    static func matches(_ name: String, maxTail: Int) -> Bool {
        let scalars = Array(name.unicodeScalars)
        guard let first = scalars.first, ("a"..."z").contains(first), scalars.count <= maxTail + 1 else { return false }
        return scalars.dropFirst().allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}
