import Foundation
import Hummingbird
import Mustache
import NIOCore
import PDOPAPI

/// Renders console pages: Mustache templates from the bundle and one string table per language
/// (`Strings/zh-CN.json`, `Strings/en.json`); templates read texts as `{{t.key}}`.
public struct ViewRenderer: Sendable {
    let library: MustacheLibrary
    let strings: [Locale: [String: String]]
    let nested: [Locale: NestedTable]

    /// The string table as nested dictionaries; built once, never mutated.
    struct NestedTable: @unchecked Sendable { let value: [String: Any] }

    init(library: MustacheLibrary, strings: [Locale: [String: String]]) {
        self.library = library
        self.strings = strings
        self.nested = strings.mapValues { NestedTable(value: Self.nest($0)) }
    }

    public static func load() async throws -> ViewRenderer {
        guard let root = Bundle.module.resourcePath else { throw ViewError.missingResources }
        let library = try await MustacheLibrary(directory: root + "/Templates")
        var strings: [Locale: [String: String]] = [:]
        for locale in Locale.allCases {
            guard let data = FileManager.default.contents(atPath: root + "/Strings/\(locale.rawValue).json") else {
                throw ViewError.missingResources
            }
            strings[locale] = try JSONDecoder().decode([String: String].self, from: data)
        }
        return ViewRenderer(library: library, strings: strings)
    }

    enum ViewError: Error { case missingResources, missingTemplate(String) }

    public func text(_ key: String, _ locale: Locale) -> String {
        strings[locale]?[key] ?? strings[.en]?[key] ?? key
    }

    func table(_ locale: Locale) -> [String: Any] { nested[locale]?.value ?? [:] }

    /// Mustache reads `t.nav.home` as t → nav → home, so "nav.home" becomes ["nav": ["home": …]].
    static func nest(_ flat: [String: String]) -> [String: Any] {
        var root: [String: Any] = [:]
        for (key, value) in flat {
            insert(value, at: key.split(separator: ".").map(String.init)[...], into: &root)
        }
        return root
    }

    private static func insert(_ value: String, at path: ArraySlice<String>, into node: inout [String: Any]) {
        guard let head = path.first else { return }
        if path.count == 1 {
            node[head] = value
        } else {
            var child = node[head] as? [String: Any] ?? [:]
            insert(value, at: path.dropFirst(), into: &child)
            node[head] = child
        }
    }

    /// Renders `template` with `model`, adding the string table, the language and the layout's data.
    func render(_ template: String, _ model: [String: Any], locale: Locale, status: HTTPResponse.Status = .ok) -> Response {
        var model = Self.droppingNils(model)
        model["t"] = table(locale)
        model["lang"] = locale.rawValue
        model["otherLang"] = locale == .zhCN ? ["code": "en", "label": "English"] : ["code": "zh-CN", "label": "中文"]
        let html = library.render(model, withTemplate: template) ?? "template \(template) is missing"
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// Mustache treats a boxed `nil` (an `Optional` stored as `Any`) as a present value, so a
    /// `{{#error}}` section would render for no error; absent values are removed instead.
    static func droppingNils(_ model: [String: Any]) -> [String: Any] {
        model.compactMapValues { value in
            let mirror = Mirror(reflecting: value)
            if mirror.displayStyle == .optional {
                guard let wrapped = mirror.children.first?.value else { return nil }
                return (wrapped as? [String: Any]).map(droppingNils) ?? wrapped
            }
            return (value as? [String: Any]).map(droppingNils) ?? value
        }
    }

    func errorPage(_ problem: Problem, locale: Locale) -> Response {
        let title = text("error.\(problem.status)", locale)
        return render("error", [
            "title": title == "error.\(problem.status)" ? problem.title : title,
            "status": problem.status,
            "detail": problem.detail,
            "rule": problem.rule as Any,
            "requestId": problem.requestId ?? "",
        ], locale: locale, status: .init(code: problem.status))
    }
}
