import Foundation
import NIOConcurrencyHelpers
import PDOPSandbox

/// Stops one running statement for the first of three reasons, by a database-specific means
/// (`interrupt`), and never after the statement has ended: `disarm()` is called before the
/// connection is released, and no interrupt starts after it returns.
///
/// The interrupt is repeated on every `pulse()` while a reason is set, because a request that
/// arrives just before the database starts executing would otherwise be lost.
final class StatementStopper: Sendable {
    enum Reason: Sendable, Equatable { case cancelled, timedOut, tooManyRows }

    private struct State {
        var reason: Reason?
        var armed = true
    }

    private let state = NIOLockedValueBox(State())
    private let interrupt: @Sendable () -> Void

    init(interrupt: @escaping @Sendable () -> Void) {
        self.interrupt = interrupt
    }

    var reason: Reason? { state.withLockedValue { $0.reason } }

    /// Asks the statement to stop; the first reason is kept.
    func stop(_ reason: Reason) {
        state.withLockedValue { state in
            guard state.armed else { return }
            if state.reason == nil { state.reason = reason }
            interrupt()
        }
    }

    /// Interrupts again if a stop was asked for (see the type's note).
    func pulse() {
        state.withLockedValue { state in
            guard state.armed, state.reason != nil else { return }
            interrupt()
        }
    }

    /// No interrupt reaches the connection once this returns. The reason a stop was asked for, if any.
    @discardableResult
    func disarm() -> Reason? {
        state.withLockedValue { state in
            state.armed = false
            return state.reason
        }
    }
}

extension StatementStopper {
    /// Runs `body` (the statement) so that it is stopped when the calling task is cancelled or
    /// `timeout` passes. A watchdog checks the deadline and repeats a pending interrupt every `tick`.
    func guarding<T: Sendable>(timeout: Double, tick: Duration = .milliseconds(50),
                               _ body: () async throws -> T) async throws -> T {
        let deadline = ContinuousClock.now + .seconds(timeout)
        let watchdog = Task { [self] in
            while !Task.isCancelled {
                if ContinuousClock.now >= deadline { stop(.timedOut) }
                pulse()
                try? await Task.sleep(for: tick)
            }
        }
        defer { watchdog.cancel() }
        // `onCancel` also runs at once when the task is already cancelled.
        return try await withTaskCancellationHandler {
            try await body()
        } onCancel: {
            stop(.cancelled)
        }
    }

    /// The error for a stopped statement: cancellation as `CancellationError`, like any task.
    static func error(for reason: Reason, limits: ExecutionLimits) -> any Error {
        switch reason {
        case .cancelled: CancellationError()
        case .timedOut: SandboxExecutionError.timedOut(seconds: limits.timeoutSeconds)
        case .tooManyRows: SandboxExecutionError.tooManyRows(limit: limits.maxRows)
        }
    }
}
