import Logging
import ServiceLifecycle

/// Applies due deadlines (overdue answers to demands and objections) every few seconds.
struct DeadlineService: Service {
    let services: PlatformServices
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let applied = try await services.scheduler.runDue()
                if applied > 0 { logger.info("deadlines applied", metadata: ["count": .stringConvertible(applied)]) }
            } catch {
                logger.error("deadline run failed", metadata: ["error": .string(String(describing: error))])
            }
            try? await Task.sleep(for: .seconds(5))
        }
    }
}
