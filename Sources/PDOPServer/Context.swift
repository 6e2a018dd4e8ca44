import Foundation
import Hummingbird
import NIOCore
import PDOPDomain

/// Per-request state: the request id, the caller once authenticated, and the client address.
public struct PDOPRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var requestID: String
    public var remoteAddress: SocketAddress?
    public var locale: Locale = .zhCN

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        requestID = UUID().uuidString.lowercased()
    }

    /// Bodies are read through `RequestBodyReader`, which enforces the policy limit itself.
    public var maxUploadSize: Int { 8 << 20 }

    public var sourceIP: String { remoteAddress?.ipAddress ?? "unknown" }
}

public enum Locale: String, Sendable, CaseIterable {
    case zhCN = "zh-CN"
    case en = "en"

    static func from(cookie: String?) -> Locale { cookie.flatMap(Locale.init(rawValue:)) ?? .zhCN }
}
