import Foundation

/// A piece of a statement under construction. SQL text only ever comes from string literals in this
/// module (`ExpressibleByStringLiteral`); catalog names go in as identifiers and every value as a bind.
struct SQLFragment: Sendable, Equatable, ExpressibleByStringLiteral {
    private(set) var pieces: [SQLPiece]

    init(pieces: [SQLPiece] = []) { self.pieces = pieces }
    init(stringLiteral text: StaticString) { pieces = [.sql(text.description)] }

    static func bind(_ value: SQLValue) -> SQLFragment { SQLFragment(pieces: [.bind(value)]) }
    static func bind(_ value: Int64) -> SQLFragment { bind(.integer(value)) }
    static func identifier(_ name: String) -> SQLFragment { SQLFragment(pieces: [.identifier(name)]) }
    /// Compiler-made names (t0, g1, s2, …), never operator text.
    static func generated(_ name: GeneratedName) -> SQLFragment { SQLFragment(pieces: [.sql(name.text)]) }

    static func column(_ column: ResolvedColumn) -> SQLFragment {
        .generated(GeneratedName(column.tableAlias)) + "." + .identifier(column.column.name)
    }

    static func + (lhs: SQLFragment, rhs: SQLFragment) -> SQLFragment {
        var result = lhs
        result.append(rhs)
        return result
    }

    mutating func append(_ other: SQLFragment) {
        for piece in other.pieces {
            if case .sql(let next) = piece, case .sql(let previous)? = pieces.last {
                pieces[pieces.count - 1] = .sql(previous + next)
            } else {
                pieces.append(piece)
            }
        }
    }

    static func joined(_ parts: [SQLFragment], separator: SQLFragment = ", ") -> SQLFragment {
        var result = SQLFragment()
        for (index, part) in parts.enumerated() {
            if index > 0 { result.append(separator) }
            result.append(part)
        }
        return result
    }
}

/// A name the compiler made up: letters, digits and underscores only, checked when made.
struct GeneratedName: Sendable, Equatable {
    let text: String
    init(_ text: String) {
        precondition(text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") })
        self.text = text
    }
    static func indexed(_ prefix: StaticString, _ index: Int) -> GeneratedName { GeneratedName("\(prefix)\(index + 1)") }
}

/// The few places where SQLite and PostgreSQL differ.
struct DialectFunctions: Sendable {
    let dialect: SQLDialect

    /// x limited to [low, high]; a NULL stays NULL (PostgreSQL's GREATEST would turn it into `low`).
    func clamp(_ x: SQLFragment, _ low: SQLValue, _ high: SQLValue, nullable: Bool) -> SQLFragment {
        switch dialect {
        case .sqlite:
            return "MIN(MAX(" + x + ", " + .bind(low) + "), " + .bind(high) + ")"
        case .postgres:
            let clamped: SQLFragment = "LEAST(GREATEST(" + x + ", " + .bind(low) + "), " + .bind(high) + ")"
            return nullable ? "CASE WHEN " + x + " IS NULL THEN NULL ELSE " + clamped + " END" : clamped
        }
    }

    func atMost(_ x: SQLFragment, _ high: Int64) -> SQLFragment {
        let name: SQLFragment = dialect == .sqlite ? "MIN(" : "LEAST("
        return name + x + ", " + .bind(high) + ")"
    }

    /// Floor of an integer expression to a multiple of `width`, exact for negative values too.
    func floorInteger(_ x: SQLFragment, _ width: Int64) -> SQLFragment {
        "(" + x + " - ((" + x + " % " + .bind(width) + ") + " + .bind(width) + ") % " + .bind(width) + ")"
    }

    /// Floor of a DOUBLE expression to a multiple of `width`, as an integer.
    func floorDecimal(_ x: SQLFragment, _ width: Int64) -> SQLFragment {
        switch dialect {
        case .sqlite:
            // SQLite has no FLOOR unless built with math functions: truncate, then step down below zero.
            let truncated: SQLFragment = "CAST(" + x + " / " + .bind(width) + " AS INTEGER)"
            return "((" + truncated + " - (" + x + " < " + truncated + " * " + .bind(width) + ")) * " + .bind(width) + ")"
        case .postgres:
            return "(CAST(floor(" + x + " / " + .bind(width) + ") AS BIGINT) * " + .bind(width) + ")"
        }
    }

    func floorDivide(_ x: SQLFragment, _ divisor: Int64) -> SQLFragment {
        "(" + floorInteger(x, divisor) + " / " + .bind(divisor) + ")"
    }

    /// "YYYY-MM" or "YYYY" text of a days-since-1970 expression, in UTC.
    func calendarText(days: SQLFragment, unit: Bucket.CalendarUnit) -> SQLFragment {
        let seconds: SQLFragment = "(" + days + " * " + .bind(86_400) + ")"
        switch (dialect, unit) {
        case (.sqlite, .year): return "strftime('%Y', " + seconds + ", 'unixepoch')"
        case (.sqlite, _): return "strftime('%Y-%m', " + seconds + ", 'unixepoch')"
        case (.postgres, .year): return "to_char(to_timestamp(" + seconds + ") AT TIME ZONE 'UTC', 'YYYY')"
        case (.postgres, _): return "to_char(to_timestamp(" + seconds + ") AT TIME ZONE 'UTC', 'YYYY-MM')"
        }
    }

    func bigint(_ x: SQLFragment) -> SQLFragment { "CAST(" + x + " AS BIGINT)" }

    /// A clamped DOUBLE in hundredths, rounded to an integer so sums stay exact.
    func scaledDecimal(_ clamped: SQLFragment, scale: Int64) -> SQLFragment {
        "CAST(ROUND(" + clamped + " * " + .bind(.double(Double(scale))) + ") AS BIGINT)"
    }
}
