import Foundation
@testable import PDOPDemoData

/// A fresh temporary directory, removed by the caller with `try? FileManager.default.removeItem`.
func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "pdop-demo-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func fileBytes(_ path: String) -> [UInt8] {
    FileManager.default.contents(atPath: path).map { [UInt8]($0) } ?? []
}

/// A small RFC 4180 reader, independent of the writer under test.
func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = [], row: [String] = [], field = ""
    var quoted = false, fieldWasQuoted = false
    var characters = Array(text.unicodeScalars)[...]
    while let scalar = characters.popFirst() {
        if quoted {
            if scalar == "\"" {
                if characters.first == "\"" { field.unicodeScalars.append("\""); characters.removeFirst() } else { quoted = false }
            } else {
                field.unicodeScalars.append(scalar)
            }
            continue
        }
        switch scalar {
        case "\"" where field.isEmpty && !fieldWasQuoted: quoted = true; fieldWasQuoted = true
        case ",": row.append(field); field = ""; fieldWasQuoted = false
        case "\r": continue
        case "\n": row.append(field); rows.append(row); row = []; field = ""; fieldWasQuoted = false
        default: field.unicodeScalars.append(scalar)
        }
    }
    if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
    return rows
}

/// The index of a column by name, failing loudly if the catalog changed.
func column(_ key: DemoDataset.Key, _ name: String) -> Int {
    DemoDatasets[key].columns.firstIndex { $0.name == name }!
}

func values(_ generator: DemoGenerator, _ key: DemoDataset.Key, _ name: String, limit: Int = .max) -> [String] {
    let index = column(key, name)
    return generator.rows(key).prefix(limit).map { $0[index] }
}
