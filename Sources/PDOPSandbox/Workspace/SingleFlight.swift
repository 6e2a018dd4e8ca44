import Foundation

/// One execution per key at a time (R12): a caller arriving while the work for its key is in flight
/// waits for that work and gets the same value, instead of running it again. For DP queries this
/// means identical questions asked at once share one noisy answer, so the noise cannot be averaged
/// away by firing them concurrently (Go's `singleflight.Group.Do`, as an actor).
///
/// The work runs in a task of its own, so a leader's caller going away neither cancels it nor
/// strands the callers waiting on it. Its entry is removed only after the work returned, and the
/// work persists its answer before returning: a caller that arrives later finds the answer stored.
actor SingleFlight<Key: Hashable & Sendable, Value: Sendable> {
    private var inFlight: [Key: Task<Value, any Error>] = [:]

    /// The value of `work` for `key` and whether it was shared from another caller's execution.
    func run(_ key: Key, _ work: @escaping @Sendable () async throws -> Value) async throws -> (value: Value, shared: Bool) {
        if let running = inFlight[key] {
            return (try await running.value, true)
        }
        let task = Task { try await work() }
        inFlight[key] = task
        defer { inFlight[key] = nil }
        return (try await task.value, false)
    }

    /// Keys being worked on now (for tests and diagnostics).
    var count: Int { inFlight.count }
}
