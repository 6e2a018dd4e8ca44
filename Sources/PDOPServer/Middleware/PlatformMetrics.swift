import Foundation
import Hummingbird
import Prometheus

/// Request counts and latencies per route template, for `/metrics` (Prometheus text format).
/// Uses its own registry (not the global MetricsSystem), so several apps can live in one test process.
public struct PlatformMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()

    static var requests: MetricNameDescriptor { MetricNameDescriptor(namespace: "pdop", subsystem: "http", metricName: "requests", unitName: "total",
                                               helpText: "HTTP requests by method, route template and status") }
    static var latency: MetricNameDescriptor { MetricNameDescriptor(namespace: "pdop", subsystem: "http", metricName: "request_duration", unitName: "seconds",
                                              helpText: "HTTP request latency by route template") }

    public func record(method: String, route: String, status: Int, duration: Duration) {
        let labels = [("method", method), ("route", route), ("status", String(status))]
        registry.makeCounter(descriptor: Self.requests, labels: labels).increment()
        registry.makeDurationHistogram(
            descriptor: Self.latency, labels: [("route", route)],
            buckets: [.milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500), .seconds(2), .seconds(10)]
        ).record(duration)
    }

    public func render() -> String { registry.emitToString() }
}

struct MetricsMiddleware: RouterMiddleware {
    typealias Context = PDOPRequestContext
    let metrics: PlatformMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            metrics.record(method: request.method.rawValue, route: context.endpointPath ?? "unmatched",
                           status: response.status.code, duration: ContinuousClock.now - start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.record(method: request.method.rawValue, route: context.endpointPath ?? "unmatched",
                           status: status, duration: ContinuousClock.now - start)
            throw error
        }
    }
}
