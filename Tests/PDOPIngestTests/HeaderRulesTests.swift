import PDOPDomain
@testable import PDOPIngest
import Testing

@Suite("Header rules: column names become identifiers (R5, issue 3)")
struct HeaderRulesTests {
    @Test("Names are trimmed; Chinese letters, digits and underscores are accepted")
    func acceptedNames() throws {
        #expect(try parseCSV(" 姓名 ,电话_1,\u{3000}_note\t\nx,y,z\n").columns == ["姓名", "电话_1", "_note"])
    }

    @Test("An empty column name is refused with its position")
    func emptyName() {
        #expect(throws: refusal("line 1, column 2", "the column name is empty")) { try parseCSV("a, ,c\n1,2,3\n") }
        #expect(throws: refusal("line 1, column 3", "the column name is empty")) { try parseCSV("a,b,\n1,2,3\n") }
    }

    @Test("A duplicate name, ignoring case, is refused naming both columns")
    func duplicateName() {
        #expect(throws: refusal("line 1, column 3", "column name Phone duplicates column 1 (phone); names are compared ignoring case")) {
            try parseCSV("phone,name,Phone\n1,2,3\n")
        }
    }

    @Test("Names with quotes, semicolons, spaces, dashes or a leading digit are refused")
    func badCharacters() {
        for bad in ["\"\"\"x\"\"\"", "a;b", "first name", "a-b", "1st", "x'y", "a.b"] {
            let shown = bad == "\"\"\"x\"\"\"" ? "\"x\"" : bad
            #expect(throws: refusal("line 1, column 2", "column name \(shown) may use only letters, digits and underscores, not starting with a digit")) {
                try parseCSV("ok,\(bad)\n1,2\n")
            }
        }
    }

    @Test("SQL reserved words of SQLite and PostgreSQL are refused, in any case")
    func reservedWords() {
        let words = ["select", "from", "where", "table", "drop", "insert", "update", "delete", "group", "order", "by", "union",
                     "join", "and", "or", "not", "null", "index", "create", "alter", "primary", "key", "references", "limit",
                     "offset", "having", "distinct", "as", "on", "in", "is", "like", "case", "when", "then", "else", "end",
                     "user", "all", "any", "check", "default", "column", "constraint", "grant", "into", "values", "set"]
        for word in words + ["SELECT", "Table"] {
            #expect(throws: refusal("line 1, column 1", "column name \(word) is an SQL reserved word")) {
                try parseCSV("\(word),b\n1,2\n")
            }
        }
    }

    @Test("A name longer than 63 characters is refused")
    func tooLong() throws {
        #expect(try parseCSV(String(repeating: "名", count: 63) + "\n1\n").columns.count == 1)
        #expect(throws: refusal("line 1, column 1", "a column name must be at most 63 characters")) {
            try parseCSV(String(repeating: "名", count: 64) + "\n1\n")
        }
    }
}
