import Foundation
import PDOPSandbox
import SQLKit

/// A compiled statement as SQL text for one database: identifiers quoted by SQLKit's dialect,
/// values as placeholders (`?n` on SQLite, `$n` on PostgreSQL) with the values alongside, in order.
/// Public for tools that show or time the SQL the sandbox runs (`pdop sandbox-bench`).
public struct SandboxStatementText: Sendable {
    public var sql: String
    public var binds: [SQLValue]

    /// Serialises through `database`'s dialect. Refuses anything but a single SELECT or WITH query
    /// (defence in depth: the databases run the statement read-only anyway).
    public init(_ statement: CompiledStatement, for database: any SQLDatabase) throws {
        guard Self.isSingleQuery(statement.pieces) else { throw SandboxExecutionError.notAQuery }
        var serializer = SQLSerializer(database: database)
        Self.queryString(statement.pieces).serialize(to: &serializer)
        sql = serializer.sql
        binds = statement.pieces.compactMap { piece in
            if case .bind(let value) = piece { value } else { nil }
        }
        guard serializer.binds.count == binds.count else {
            throw SandboxExecutionError.failed("the statement's placeholders do not match its values")
        }
    }

    /// The pieces as one SQLKit query string: keywords raw, identifiers quoted, values bound.
    static func queryString(_ pieces: [SQLPiece]) -> SQLQueryString {
        var query = SQLQueryString("")
        for piece in pieces {
            switch piece {
            case .sql(let text): query.appendInterpolation(unsafeRaw: text)
            case .identifier(let name): query.appendInterpolation(ident: name)
            case .bind(.integer(let value)): query.appendInterpolation(bind: value)
            case .bind(.double(let value)): query.appendInterpolation(bind: value)
            case .bind(.text(let value)): query.appendInterpolation(bind: value)
            case .bind(.null): query.appendInterpolation(bind: String?.none)
            }
        }
        return query
    }

    /// The first piece is SQL starting with the keyword SELECT or WITH, and no SQL piece holds a
    /// statement separator (values and identifiers cannot: they are bound or quoted).
    static func isSingleQuery(_ pieces: [SQLPiece]) -> Bool {
        guard case .sql(let first) = pieces.first else { return false }
        let words = first.drop { $0.isWhitespace }.prefix { $0.isLetter }.uppercased()
        guard words == "SELECT" || words == "WITH" else { return false }
        return !pieces.contains { piece in
            if case .sql(let text) = piece { text.contains(";") } else { false }
        }
    }
}
