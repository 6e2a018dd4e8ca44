import Foundation
import PDOPDomain

/// How the catalog pages show categories and quality figures.
struct CatalogViewModels {
    let views: ViewRenderer
    let locale: Locale

    func name(_ category: CatalogCategory) -> String { locale == .zhCN ? category.nameZh : category.nameEn }

    /// 主题信息 › 医疗健康
    func path(_ code: String, in tree: CategoryTree) -> String {
        let path = tree.path(code)
        return path.isEmpty ? code : path.map(name).joined(separator: " › ")
    }

    /// The tree as `<select>` options, indented by depth.
    func options(_ tree: CategoryTree, selected: String?) -> [[String: Any]] {
        tree.ordered.map { item in
            ["value": item.category.code, "label": String(repeating: "　", count: item.depth) + name(item.category),
             "selected": item.category.code == selected] as [String: Any]
        }
    }

    /// Rows, completeness, freshness and last load, as the list and the detail show them.
    func quality(_ quality: ResourceQuality?) -> [String: Any] {
        guard let quality else { return [:] }
        let freshness = quality.freshness
        var model: [String: Any] = [
            "freshness": views.text("freshness.\(freshness.state.rawValue)", locale), "freshnessCode": freshness.state.rawValue,
            "rows": quality.data.map { String($0.rowCount) } ?? "—",
            "completeness": quality.data?.completeness.map { String(format: "%.1f%%", $0 * 100) } ?? "—",
            "lastLoad": quality.data?.lastLoadedAt.consoleText ?? "—",
            "dataVersion": quality.data.map { String($0.dataVersion) } ?? "—",
        ]
        if let age = freshness.ageDays {
            model["age"] = freshness.limitDays.map {
                views.text("freshness.ageOfLimit", locale).replacingOccurrences(of: "{age}", with: String(age))
                    .replacingOccurrences(of: "{limit}", with: String($0))
            } ?? views.text("freshness.age", locale).replacingOccurrences(of: "{age}", with: String(age))
        }
        return model
    }
}
