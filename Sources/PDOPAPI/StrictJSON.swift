import Foundation
import PDOPDomain

/// A request body type. `fields` lists every key it accepts; anything else is refused, so a
/// misspelt field is an error rather than a silently ignored value.
public protocol APIInput: Decodable, Sendable {
    static var fields: Set<String> { get }
    /// Fields holding objects or arrays of objects, with the keys those objects accept; a dotted key
    /// (`scenarios.dataList`) reaches objects nested deeper.
    static var nestedFields: [String: Set<String>] { get }
}

extension APIInput {
    public static var nestedFields: [String: Set<String>] { [:] }
}

/// Decodes request bodies strictly and turns every mistake into a `DomainError` naming the field.
public enum StrictJSON {
    public static func decode<T: APIInput>(_ type: T.Type, from data: Data) throws -> T {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw DomainError.invalid("", "the body is not valid JSON")
        }
        guard let dictionary = object as? [String: Any] else {
            throw DomainError.invalid("", "the body must be a JSON object")
        }
        if let unknown = dictionary.keys.sorted().first(where: { !T.fields.contains($0) }) {
            throw DomainError.invalid(unknown, "unknown field")
        }
        for (key, allowed) in T.nestedFields.sorted(by: { $0.key < $1.key }) {
            for (path, object) in objects(at: key, in: dictionary) {
                if let unknown = object.keys.sorted().first(where: { !allowed.contains($0) }) {
                    throw DomainError.invalid("\(path).\(unknown)", "unknown field")
                }
            }
        }
        try checkStrings(dictionary, path: "")
        do {
            return try decoder.decode(T.self, from: data)
        } catch let error as DecodingError {
            throw describe(error)
        }
    }

    /// The objects a dotted key path reaches (`scenarios.dataList`: every object of every scenario's
    /// data list), each with its path as a field name (`scenarios.0.dataList.1`). Arrays are walked
    /// element by element; anything that is not an object is left to the decoder to refuse.
    static func objects(at keyPath: String, in root: [String: Any]) -> [(String, [String: Any])] {
        var nodes: [(String, [String: Any])] = [("", root)]
        for key in keyPath.split(separator: ".").map(String.init) {
            var next: [(String, [String: Any])] = []
            for (path, node) in nodes {
                let base = path.isEmpty ? key : "\(path).\(key)"
                if let object = node[key] as? [String: Any] {
                    next.append((base, object))
                } else if let array = node[key] as? [Any] {
                    for (index, element) in array.enumerated() {
                        if let object = element as? [String: Any] { next.append(("\(base).\(index)", object)) }
                    }
                }
            }
            nodes = next
        }
        return nodes
    }

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = APIDates.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "must be an RFC 3339 date-time")
            }
            return date
        }
        return decoder
    }()

    /// Control characters (other than tab and line breaks) are refused in every string, at any depth.
    static func checkStrings(_ value: Any, path: String) throws {
        switch value {
        case let string as String:
            if string.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\n" && $0 != "\t" && $0 != "\r") || $0.value == 0x7F }) {
                throw DomainError.invalid(path, "must not contain control characters")
            }
        case let dictionary as [String: Any]:
            for (key, child) in dictionary { try checkStrings(child, path: path.isEmpty ? key : "\(path).\(key)") }
        case let array as [Any]:
            for (index, child) in array.enumerated() { try checkStrings(child, path: "\(path).\(index)") }
        default:
            break
        }
    }

    static func describe(_ error: DecodingError) -> DomainError {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .invalid(path(context.codingPath + [key]), "is required")
        case .typeMismatch(let type, let context):
            return .invalid(path(context.codingPath), "must be \(typeName(type))")
        case .valueNotFound(let type, let context):
            return .invalid(path(context.codingPath), "must be \(typeName(type)), not null")
        case .dataCorrupted(let context):
            return .invalid(path(context.codingPath), context.debugDescription)
        @unknown default:
            return .invalid("", "the body could not be read")
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "an integer"
        case is Bool.Type: "true or false"
        case is [String].Type, is [Any].Type: "an array"
        case is Date.Type: "an RFC 3339 date-time"
        default: "a value of the right type"
        }
    }
}

public enum APIDates {
    public static func parse(_ text: String) -> Date? {
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = fractional.date(from: text) { return date }
        return ISO8601DateFormatter().date(from: text)
    }

    public static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}

/// Parses an enum given as a string, naming the field and the allowed values when it is wrong.
public func parseEnum<E: RawRepresentable & CaseIterable>(_ type: E.Type, _ value: String, field: String) throws -> E
where E.RawValue == String {
    guard let parsed = E(rawValue: value) else {
        throw DomainError.invalid(field, "must be one of: \(E.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    return parsed
}
