import Hummingbird
import HTTPTypes

/// Headers every response carries, errors included (SEC-10), plus the request id for support.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = PDOPRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] =
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.pdopReferrerPolicy] = "no-referrer"
        response.headers[.strictTransportSecurity] = "max-age=31536000"
        response.headers[.pdopFrameOptions] = "DENY"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        response.headers[.init("X-Request-Id")!] = context.requestID
        return response
    }
}

extension HTTPField.Name {
    static let pdopFrameOptions = Self("X-Frame-Options")!
    static let secFetchSite = Self("Sec-Fetch-Site")!
    static let pdopReferrerPolicy = Self("Referrer-Policy")!
}
