import Foundation

/// The one source of "now" for every time rule; tests inject a clock they can move.
public protocol PlatformClock: Sendable {
    func now() -> Date
}

public struct SystemClock: PlatformClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that only moves when told to.
public final class ManualClock: PlatformClock, @unchecked Sendable {
    // Invariant: `current` is only touched while holding `lock`.
    private let lock = NSLock()
    private var current: Date

    /// Starts on 2025-01-01 UTC by default: far enough in the past that the database's own retention
    /// guard (which reads the real clock) treats test entries as old when a test moves the clock on.
    public init(_ start: Date = Date(timeIntervalSince1970: 1_735_689_600)) { current = start }

    public func now() -> Date { lock.withLock { current } }

    public func advance(by seconds: TimeInterval) {
        lock.withLock { current = current.addingTimeInterval(seconds) }
    }

    public func set(_ date: Date) { lock.withLock { current = date } }
}

extension Date {
    /// Calendar arithmetic in UTC, for policy periods stated in months.
    public func addingMonths(_ months: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(byAdding: .month, value: months, to: self)!
    }
}
