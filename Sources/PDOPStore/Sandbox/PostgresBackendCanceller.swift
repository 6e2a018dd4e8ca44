import Foundation
import Logging
import NIOConcurrencyHelpers
import PostgresNIO

/// Cancels the statement running on one leased connection: `SELECT pg_cancel_backend(pid)` on
/// another connection of the pool. When no other connection comes free within `leaseWait` (the
/// pool is busy, or has one connection), it closes the leased connection instead: the client side
/// ends at once and, from PostgreSQL 14, the server notices within 250 ms
/// (`client_connection_check_interval`, set by the runner) and stops the statement too.
///
/// `cancel()` is called under the stopper's lock and only starts work; `settle()` waits for it.
final class PostgresBackendCanceller: Sendable {
    private struct State {
        var inFlight: Task<Void, Never>?
        var lastSent: ContinuousClock.Instant?
        var closed = false
    }

    private let client: PostgresClient
    private let backend: Int32
    private let connection: PostgresConnection
    private let logger: Logger
    private let leaseWait: Duration
    /// A cancel is repeated (the statement may not have started when the first arrived), but not more often.
    private let repeatAfter: Duration
    private let state = NIOLockedValueBox(State())

    init(client: PostgresClient, backend: Int32, connection: PostgresConnection, logger: Logger,
         leaseWait: Duration = .milliseconds(400), repeatAfter: Duration = .milliseconds(300)) {
        self.client = client
        self.backend = backend
        self.connection = connection
        self.logger = logger
        self.leaseWait = leaseWait
        self.repeatAfter = repeatAfter
    }

    func cancel() {
        state.withLockedValue { state in
            let now = ContinuousClock.now
            guard !state.closed, state.inFlight == nil || state.lastSent.map({ now - $0 >= repeatAfter }) == true else { return }
            let previous = state.inFlight
            state.lastSent = now
            state.inFlight = Task {
                await previous?.value
                await self.send()
            }
        }
    }

    /// Waits until no cancel request is on its way.
    func settle() async {
        while let task = state.withLockedValue({ $0.inFlight }) {
            await task.value
            let done = state.withLockedValue { state -> Bool in
                guard state.inFlight == task else { return false }
                state.inFlight = nil
                return true
            }
            if done { return }
        }
    }

    private func send() async {
        if state.withLockedValue({ $0.closed }) { return }
        let (client, backend, logger, leaseWait) = (self.client, self.backend, self.logger, self.leaseWait)
        let sent = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                do {
                    try await client.withConnection { other in
                        _ = try await other.query("SELECT pg_cancel_backend(\(backend))", logger: logger).collect()
                    }
                    return true
                } catch {
                    return false
                }
            }
            group.addTask {
                try? await Task.sleep(for: leaseWait)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        if !sent {
            state.withLockedValue { $0.closed = true }
            try? await connection.close()
        }
    }
}
