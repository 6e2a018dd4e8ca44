import Foundation
import Hummingbird
import NIOCore
import PDOPAPI
import PDOPDomain

enum APIResponse {
    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try APIJSON.encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func noContent() -> Response { Response(status: .noContent) }
}

extension Caller {
    /// The request body decoded strictly as `T`.
    func input<T: APIInput>(_ type: T.Type) throws -> T {
        guard let body, body.readableBytes > 0 else { throw DomainError.invalid("", "a JSON body is required") }
        return try StrictJSON.decode(T.self, from: Data(buffer: body))
    }
}

extension Request {
    /// `limit` and `offset` query parameters, validated.
    func pageRequest() throws -> PageRequest {
        let query = uri.queryParameters
        func number(_ name: String, _ fallback: Int) throws -> Int {
            guard let text = query.get(name) else { return fallback }
            guard let value = Int(text) else { throw DomainError.invalid(name, "must be an integer") }
            return value
        }
        return try PageRequest(limit: number("limit", 50), offset: number("offset", 0))
    }

    func queryText(_ name: String, maxLength: Int = 200) throws -> String? {
        guard let value = uri.queryParameters.get(name), !value.isEmpty else { return nil }
        if value.count > maxLength { throw DomainError.invalid(name, "must be at most \(maxLength) characters") }
        if value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw DomainError.invalid(name, "must not contain control characters")
        }
        return value
    }

    func queryEnum<E: RawRepresentable & CaseIterable>(_ name: String, _ type: E.Type) throws -> E? where E.RawValue == String {
        try queryText(name).map { try parseEnum(E.self, $0, field: name) }
    }

    func queryDate(_ name: String) throws -> Date? {
        guard let text = try queryText(name, maxLength: 40) else { return nil }
        guard let date = APIDates.parse(text) else { throw DomainError.invalid(name, "must be an RFC 3339 date-time") }
        return date
    }
}

extension PDOPRequestContext {
    /// A path parameter; the router only matches when it is present.
    func parameter(_ name: String) throws -> String {
        guard let value = parameters.get(name), !value.isEmpty, value.count <= 100 else {
            throw DomainError.notFound(name)
        }
        return value
    }
}

func parseRoles(_ values: [String], field: String = "roles") throws -> Set<Role> {
    var roles = Set<Role>()
    for (index, value) in values.enumerated() {
        roles.insert(try parseEnum(Role.self, value, field: "\(field).\(index)"))
    }
    return roles
}
