#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One written dataset file.
public struct DemoManifestEntry: Sendable, Hashable {
    public let key: DemoDataset.Key
    public let path: String
    public let rows: Int
}

extension DemoGenerator {
    /// Streams a dataset to a CSV file with a header row of the column names.
    /// - Returns: the number of data rows written.
    @discardableResult
    public func writeCSV(_ key: DemoDataset.Key, to path: String, encoding: DemoCSVEncoding = .utf8) throws(DemoDataError) -> Int {
        let writer = try CSVFileWriter(path: path, encoding: encoding)
        try writer.writeRow(DemoDatasets[key].columns.map(\.name))
        let rows = rows(key)
        for row in rows { try writer.writeRow(row) }
        try writer.finish()
        return rows.count
    }

    /// Writes every dataset as `<key>.csv` into `directory`, created if missing (its parent must exist).
    public func writeAll(to directory: String, encoding: DemoCSVEncoding = .utf8) throws(DemoDataError) -> [DemoManifestEntry] {
        if mkdir(directory, 0o755) != 0 && errno != EEXIST {
            throw .file(path: directory, operation: "create directory", errno: errno)
        }
        var manifest: [DemoManifestEntry] = []
        for dataset in DemoDatasets.all {
            let path = directory + "/" + dataset.key.rawValue + ".csv"
            manifest.append(DemoManifestEntry(key: dataset.key, path: path, rows: try writeCSV(dataset.key, to: path, encoding: encoding)))
        }
        return manifest
    }
}
