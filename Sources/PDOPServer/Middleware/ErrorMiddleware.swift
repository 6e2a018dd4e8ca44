import Foundation
import Hummingbird
import Logging
import NIOCore
import PDOPAPI
import PDOPDomain

/// Turns every error into an answer the caller can act on: problem+json (RFC 9457) under /api,
/// an HTML page in the console. Never a stack trace or SQL; unknown errors are logged with the
/// request id and answered 500 without detail.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = PDOPRequestContext
    let views: ViewRenderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = Self.problem(for: error, requestID: context.requestID)
            if problem.status >= 500 {
                context.logger.error("request failed", metadata: ["request_id": .string(context.requestID), "error": .string(String(reflecting: error))])
            }
            let path = request.uri.path
            if path.hasPrefix("/api/") || path == "/healthz" || path == "/readyz" || path == "/metrics" {
                return Self.problemResponse(problem, retryAfter: (error as? DomainError)?.retryAfterSeconds)
            }
            if problem.status == 401 && request.method == .get {
                let next = request.uri.description
                return Response.seeOther("/login?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/console"))
            }
            var response = views.errorPage(problem, locale: context.locale)
            if let retry = (error as? DomainError)?.retryAfterSeconds { response.headers[.retryAfter] = String(retry) }
            return response
        }
    }

    static func problem(for error: any Error, requestID: String) -> Problem {
        switch error {
        case let error as DomainError:
            let status = status(for: error.kind)
            return Problem(status: status, title: title(for: status), detail: error.message, rule: error.rule,
                           state: error.state, field: error.field, requestId: requestID)
        case is NIOTooManyBytesError:
            return Problem(status: 413, title: title(for: 413), detail: "the request body is larger than allowed", requestId: requestID)
        case let error as any HTTPResponseError:
            let status = Int(error.status.code)
            let detail = (error as? HTTPError)?.body ?? error.status.reasonPhrase
            return Problem(status: status, title: title(for: status), detail: detail, requestId: requestID)
        default:
            return Problem(status: 500, title: title(for: 500), detail: "an internal error occurred; quote the request id to support",
                           requestId: requestID)
        }
    }

    static func status(for kind: DomainError.Kind) -> Int {
        switch kind {
        case .invalidInput: 400
        case .unauthenticated: 401
        case .forbidden: 403
        case .notFound: 404
        case .conflict, .staleVersion: 409
        case .ruleRefusal: 422
        case .rateLimited: 429
        }
    }

    static func title(for status: Int) -> String {
        switch status {
        case 400: "Invalid request"
        case 401: "Authentication required"
        case 403: "Forbidden"
        case 404: "Not found"
        case 405: "Method not allowed"
        case 409: "Conflict"
        case 413: "Request body too large"
        case 422: "Refused by rule"
        case 429: "Too many requests"
        default: status >= 500 ? "Internal error" : "Request failed"
        }
    }

    static func problemResponse(_ problem: Problem, retryAfter: Int?) -> Response {
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        if problem.status == 401 { headers[.wwwAuthenticate] = "Bearer realm=\"pdop\"" }
        let body = (try? APIJSON.encoder.encode(problem)) ?? Data()
        return Response(status: .init(code: problem.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

extension Response {
    static func seeOther(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}
