import Foundation
import Hummingbird
import PDOPDomain
import PDOPSandbox

extension SandboxConsole {
    var policyRoutes: [Route] {
        let sandbox = self.sandbox
        return [
            Route(RouteSpec(.get, "/console/sandbox/policies", .roles(SandboxReach.providers), audience: .console)) { request, context, caller in
                let own = caller.principal?.organization.id
                let result = try await services.catalog.search(CatalogFilter(providerID: own), page: request.pageRequest(), scope: caller.scope)
                var items: [[String: Any]] = []
                for resource in result.items {
                    let policy = try? await sandbox.columnPolicy(for: resource.id)
                    items.append(["id": resource.id.rawValue, "name": resource.name, "unit": policy?.unitColumn ?? "",
                                  "minUnits": policy?.minUnits ?? 0, "version": policy?.version ?? 0,
                                  "state": text("resource.\(resource.state.rawValue)", context.locale),
                                  "open": text("open.\(resource.openAttribute.rawValue)", context.locale)])
                }
                return page.render("sandbox_policies", ["items": items, "pager": pager(result, path: "/console/sandbox/policies")],
                                   caller: caller, context: context, request: request, active: "/console/sandbox/policies")
            },
            Route(RouteSpec(.get, "/console/sandbox/policies/{resourceId}", .roles(SandboxReach.providers), audience: .console)) { request, context, caller in
                try await policyForm(request, context, caller, posted: false, error: nil, status: .ok)
            },
            Route(RouteSpec(.post, "/console/sandbox/policies/{resourceId}", .roles(SandboxReach.providers), audience: .console)) { request, context, caller in
                let id = ResourceID(try context.parameter("resourceId"))
                return try await FormOutcome.attempt({
                    let resource = try await services.catalog.resource(id, scope: caller.scope)
                    guard caller.scope.permits(resource.providerID) else { throw DomainError.notFound("resource") }
                    var columns: [ColumnPolicy] = []
                    for (i, column) in resource.columns.enumerated() {
                        let level = try parseEnumField(SandboxLevel.self, caller.field("level_\(i)"), field: "columns.\(i).level")
                        let keySpace = caller.field("keyspace_\(i)").trimmingCharacters(in: .whitespaces)
                        columns.append(ColumnPolicy(name: column.name, level: level,
                                                    lower: try optionalNumber(caller, "lower_\(i)", field: "columns.\(i).lower"),
                                                    upper: try optionalNumber(caller, "upper_\(i)", field: "columns.\(i).upper"),
                                                    keySpace: keySpace.isEmpty ? nil : keySpace,
                                                    bucketWidth: try optionalInteger(caller, "bucket_\(i)", field: "columns.\(i).bucketWidth")))
                    }
                    _ = try await sandbox.setColumnPolicy(for: id, unitColumn: caller.field("unit_column"), unitDomain: caller.field("unit_domain"),
                                                          minUnits: try caller.intField("min_units"), columns: columns,
                                                          version: try optionalInteger(caller, "version"), scope: caller.scope, by: caller.actor)
                    return Response.seeOther("/console/sandbox/policies/\(id.rawValue)?saved=1")
                }, otherwise: { error, status in try await policyForm(request, context, caller, posted: true, error: error, status: status) })
            },
        ]
    }

    /// A provider's column policy of one of its resources: the privacy unit, its domain, the
    /// minimum units, and per column the level, bounds, key space and bucket width.
    func policyForm(_ request: Request, _ context: PDOPRequestContext, _ caller: Caller, posted: Bool, error: [String: Any]?,
                    status: HTTPResponse.Status) async throws -> Response {
        let locale = context.locale
        let resource = try await services.catalog.resource(ResourceID(try context.parameter("resourceId")), scope: caller.scope)
        guard caller.scope.permits(resource.providerID) else { throw DomainError.notFound("resource") }
        let policy = try await sandbox.columnPolicy(for: resource.id)
        func value(_ name: String, _ stored: String) -> String { posted ? caller.field(name) : stored }
        let unit = value("unit_column", policy.unitColumn)
        let domain = value("unit_domain", policy.unitDomain)
        let columns: [[String: Any]] = resource.columns.enumerated().map { i, column in
            let rule = policy.column(column.name)
            let level = value("level_\(i)", (rule?.level ?? column.level).rawValue)
            return ["index": i, "name": column.name, "description": column.description,
                    "type": text("type.\(column.type.rawValue)", locale), "sensitivity": text("sensitivity.\(column.sensitivity.rawValue)", locale),
                    "levels": SandboxLevel.allCases.map { option in
                        ["value": option.rawValue, "label": "\(levelLabel(option, locale)) (\(option.rawValue))", "selected": option.rawValue == level]
                    },
                    "lower": value("lower_\(i)", rule?.lower.map { Self.number($0, decimals: 6) } ?? ""),
                    "upper": value("upper_\(i)", rule?.upper.map { Self.number($0, decimals: 6) } ?? ""),
                    "keySpace": value("keyspace_\(i)", rule?.keySpace ?? ""),
                    "bucket": value("bucket_\(i)", rule?.bucketWidth.map(String.init) ?? ""),
                    "isUnit": column.name == unit] as [String: Any]
        }
        return page.render("sandbox_policy", [
            "resource": ["id": resource.id.rawValue, "name": resource.name] as [String: Any],
            "version": policy.version, "updated": policy.updatedAt.consoleText,
            "units": resource.columns.map { ["name": $0.name, "selected": $0.name == unit] as [String: Any] },
            "domains": ["natural_person", "enterprise"].map { code in
                ["value": code, "label": text("sandbox.unitDomain.\(code)", locale), "selected": code == domain] as [String: Any]
            },
            "minUnits": value("min_units", String(policy.minUnits)), "floor": services.policy.sandboxMinUnits,
            "columns": columns, "saved": !posted && request.uri.queryParameters.get("saved") != nil,
            "levelHelp": SandboxLevel.allCases.map { ["code": $0.rawValue, "label": levelLabel($0, locale),
                                                      "help": text("sandbox.levelHelp.\($0.rawValue)", locale)] },
            "error": error,
        ], caller: caller, context: context, request: request, active: "/console/sandbox/policies", status: status)
    }
}
