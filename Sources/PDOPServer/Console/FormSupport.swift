import Hummingbird
import PDOPDomain

/// Form posts that fail on a rule come back as the same form with the message and the values typed
/// (passwords excepted), answered with the status the API would give.
enum FormOutcome {
    static func attempt(_ body: () async throws -> Response,
                        otherwise render: (_ error: [String: Any], _ status: HTTPResponse.Status) async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let error as DomainError where error.kind != .unauthenticated && error.kind != .forbidden {
            var model: [String: Any] = ["message": error.message]
            if let field = error.field { model["field"] = field }
            if let rule = error.rule { model["rule"] = rule }
            if let state = error.state { model["state"] = state }
            return try await render(model, .init(code: ErrorMiddleware.status(for: error.kind)))
        }
    }
}

extension Caller {
    func field(_ name: String) -> String { form[name] ?? "" }

    func intField(_ name: String) throws -> Int {
        guard let value = Int(field(name)) else { throw DomainError.invalid(name, "must be an integer") }
        return value
    }
}

/// Options for a `<select>`, with the current value marked.
func options<E: RawRepresentable & CaseIterable>(_ type: E.Type, selected: String?, views: ViewRenderer, locale: Locale,
                                                 prefix: String) -> [[String: Any]] where E.RawValue == String {
    E.allCases.map { value in
        ["value": value.rawValue, "label": views.text("\(prefix).\(value.rawValue)", locale), "selected": value.rawValue == selected]
    }
}
