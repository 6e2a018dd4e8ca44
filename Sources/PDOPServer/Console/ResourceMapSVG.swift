import Foundation
import PDOPDomain

/// Draws the resource map as SVG on the server: three columns (providers, resources, domains),
/// nodes in their order, straight edges between them. No script, so it works everywhere.
enum ResourceMapSVG {
    static let columnX: [ResourceMap.Kind: Double] = [.provider: 20, .resource: 330, .domain: 640]
    static let boxWidth = 260.0
    static let boxHeight = 26.0
    static let rowGap = 34.0

    static func render(_ map: ResourceMap, title: String) -> String {
        var y: [String: Double] = [:]
        var rows: [ResourceMap.Kind: Int] = [:]
        for node in map.nodes {
            let row = rows[node.kind, default: 0]
            rows[node.kind] = row + 1
            y[node.id] = 40 + Double(row) * rowGap
        }
        let height = 60 + Double(rows.values.max() ?? 0) * rowGap
        let kinds = Dictionary(uniqueKeysWithValues: map.nodes.map { ($0.id, $0.kind) })
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" id="resource-map" role="img" aria-label="\(escape(title))" \
            viewBox="0 0 920 \(Int(height))" width="920" height="\(Int(height))" font-family="sans-serif" font-size="13">
            <title>\(escape(title))</title>

            """
        for edge in map.edges {
            guard let fromY = y[edge.from], let toY = y[edge.to], let fromKind = kinds[edge.from], let toKind = kinds[edge.to] else { continue }
            let x1 = columnX[fromKind]! + boxWidth
            let x2 = columnX[toKind]!
            svg += "<line x1=\"\(x1)\" y1=\"\(fromY + boxHeight / 2)\" x2=\"\(x2)\" y2=\"\(toY + boxHeight / 2)\" stroke=\"#9aa5b1\" stroke-width=\"1\"/>\n"
        }
        for node in map.nodes {
            let x = columnX[node.kind]!
            let fill = switch node.kind {
            case .provider: "#fbe9e7"
            case .resource: "#e8f0fe"
            case .domain: "#e3f3e6"
            }
            svg += """
                <g class="\(node.kind.rawValue)"><rect x="\(x)" y="\(y[node.id]!)" width="\(boxWidth)" height="\(boxHeight)" rx="4" \
                fill="\(fill)" stroke="#c5ccd3"/><text x="\(x + 8)" y="\(y[node.id]! + 17)">\(escape(clip(node.label)))</text></g>

                """
        }
        return svg + "</svg>"
    }

    static func clip(_ text: String) -> String { text.count > 18 ? String(text.prefix(17)) + "…" : text }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
