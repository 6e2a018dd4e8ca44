import Foundation
import Logging
import ServiceLifecycle

/// Signs an audit checkpoint when enough entries have been appended or enough time has passed
/// since the last one (PolicySettings: every N entries or T seconds).
struct AuditCheckpointService: Service {
    let services: PlatformServices
    let logger: Logger

    func run() async throws {
        let policy = services.policy
        var lastCheckpoint = ContinuousClock.now
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await Task.sleep(for: .seconds(2))
            do {
                let pending = try await services.integrity.entriesSinceCheckpoint()
                let due = ContinuousClock.now - lastCheckpoint >= .seconds(policy.auditCheckpointEverySeconds)
                if pending >= policy.auditCheckpointEveryEntries || (pending > 0 && due) {
                    try await services.integrity.checkpoint(now: services.clock.now())
                    lastCheckpoint = ContinuousClock.now
                }
            } catch {
                logger.error("audit checkpoint failed", metadata: ["error": .string(String(describing: error))])
            }
        }
    }
}
