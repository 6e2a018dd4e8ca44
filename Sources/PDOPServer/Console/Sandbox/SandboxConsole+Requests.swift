import Foundation
import Hummingbird
import PDOPDomain
import PDOPSandbox

extension SandboxConsole {
    var requestRoutes: [Route] {
        let sandbox = self.sandbox
        return [
            Route(RouteSpec(.get, "/console/sandbox/requests", .roles(SandboxReach.requestReaders), audience: .console)) { request, context, caller in
                let locale = context.locale
                let result = try await sandbox.dataRequests(scope: caller.scope, provider: SandboxReach.providerView(caller), page: request.pageRequest())
                return page.render("sandbox_requests", [
                    "items": result.items.map { item in
                        ["id": item.id, "operator": item.operatorName, "scenario": item.scenarioTitle,
                         "resources": item.resources.map(\.resourceName).joined(separator: text("list.separator", locale)),
                         "epsilon": Self.epsilon(item.epsilonBudget), "state": text("sandbox.requestState.\(item.state.rawValue)", locale),
                         "stateCode": item.state.rawValue, "created": item.createdAt.consoleText,
                         "awaitsMe": parties(caller).contains { item.awaits($0) }] as [String: Any]
                    },
                    "canRequest": !roles(caller).isDisjoint(with: [.operatorManager, .operatorTechnical]),
                    "pager": pager(result, path: "/console/sandbox/requests"),
                ], caller: caller, context: context, request: request, active: "/console/sandbox/requests")
            },
            Route(RouteSpec(.get, "/console/sandbox/requests/new", .roles(SandboxReach.analysts), audience: .console)) { request, context, caller in
                try await requestForm(request, context, caller, agreementID: request.uri.queryParameters.get("agreement"),
                                      scenarioID: request.uri.queryParameters.get("scenario"), posted: false, error: nil, status: .ok)
            },
            Route(RouteSpec(.post, "/console/sandbox/requests", .roles(SandboxReach.analysts), audience: .console)) { request, context, caller in
                try await FormOutcome.attempt({
                    let agreement = try await services.lifecycle.agreement(caller.field("agreement_id"), scope: caller.scope)
                    guard let scenario = agreement.scenarios.first(where: { $0.id == caller.field("scenario_id") }) else {
                        throw DomainError.invalid("scenarioId", "not a scenario of this agreement", rule: "R11")
                    }
                    var items: [DataRequestItem] = []
                    for (i, listed) in scenario.dataList.enumerated() where caller.form["res_\(i)"] == "on" {
                        let columns = listed.columns.enumerated().filter { caller.form["col_\(i)_\($0.offset)"] == "on" }.map(\.element)
                        items.append(DataRequestItem(resourceID: listed.resourceID, columns: columns))
                    }
                    let created = try await sandbox.requestData(agreementID: agreement.id, scenarioID: scenario.id, purpose: caller.field("purpose"),
                                                                items: items, epsilonBudget: try optionalNumber(caller, "epsilon", field: "epsilonBudget"),
                                                                scope: caller.scope, by: caller.actor)
                    return Response.seeOther("/console/sandbox/requests/\(created.id)")
                }, otherwise: { error, status in
                    try await requestForm(request, context, caller, agreementID: caller.field("agreement_id"), scenarioID: caller.field("scenario_id"),
                                          posted: true, error: error, status: status)
                })
            },
            Route(RouteSpec(.get, "/console/sandbox/requests/{requestId}", .roles(SandboxReach.requestReaders), audience: .console)) { request, context, caller in
                try await requestDetail(request, context, caller, error: nil, status: .ok)
            },
            Route(RouteSpec(.post, "/console/sandbox/requests/{requestId}/decision", .roles(SandboxReach.requestDeciders), audience: .console)) { request, context, caller in
                let id = try context.parameter("requestId")
                return try await FormOutcome.attempt({
                    let current = try await sandbox.dataRequest(id, scope: caller.scope, provider: SandboxReach.providerView(caller))
                    var narrowed: [String: [String: SandboxLevel]] = [:]
                    for (i, item) in current.resources.enumerated() {
                        for (j, column) in item.columns.enumerated() {
                            let value = caller.field("narrow_\(i)_\(j)")
                            guard !value.isEmpty else { continue }
                            narrowed[item.resourceID.rawValue, default: [:]][column] = try parseEnumField(
                                SandboxLevel.self, value, field: "narrowed.\(item.resourceID.rawValue).\(column)")
                        }
                    }
                    let reason = caller.field("reason").trimmingCharacters(in: .whitespacesAndNewlines)
                    _ = try await sandbox.decideDataRequest(id, approve: caller.field("decision") != "refuse", reason: reason.isEmpty ? nil : reason,
                                                            narrowed: narrowed, epsilonBudget: try optionalNumber(caller, "epsilon", field: "epsilonBudget"),
                                                            version: try caller.intField("version"), by: caller.actor)
                    return Response.seeOther("/console/sandbox/requests/\(id)")
                }, otherwise: { error, status in try await requestDetail(request, context, caller, error: error, status: status) })
            },
        ]
    }

    /// The new-request form: the operator's scenarios under trial or active agreements; once one is
    /// chosen, its data list with a checkbox per resource and per column, the purpose and ε budget.
    func requestForm(_ request: Request, _ context: PDOPRequestContext, _ caller: Caller, agreementID: String?, scenarioID: String?,
                     posted: Bool, error: [String: Any]?, status: HTTPResponse.Status) async throws -> Response {
        let agreements = try await services.lifecycle.list(
            Agreement.self, filter: LifecycleFilter(owner: caller.principal?.organization.id, states: ["trial", "active"]),
            page: try PageRequest(limit: PageRequest.maxLimit), scope: caller.scope)
        let choices = agreements.items.flatMap { agreement in agreement.scenarios.map { (agreement, $0) } }
        var chosen = choices.first { $0.0.id == agreementID && $0.1.id == scenarioID }
        if chosen == nil, choices.count == 1 { chosen = choices[0] }
        var model: [String: Any] = [
            "scenarios": choices.map { agreement, scenario in
                ["agreementId": agreement.id, "scenarioId": scenario.id, "title": scenario.title,
                 "agreementState": text("agreementState.\(agreement.state.rawValue)", context.locale),
                 "chosen": chosen.map { $0.0.id == agreement.id && $0.1.id == scenario.id } ?? false] as [String: Any]
            },
            "defaultEpsilon": Self.epsilon(services.policy.sandboxDefaultEpsilonBudget),
            "error": error,
        ]
        if let (agreement, scenario) = chosen {
            var rows: [[String: Any]] = []
            for (i, item) in scenario.dataList.enumerated() {
                let resource = try? await services.catalog.resource(item.resourceID, scope: .all)
                rows.append([
                    "key": "res_\(i)", "name": resource?.name ?? item.resourceID.rawValue, "resourceId": item.resourceID.rawValue,
                    "purpose": item.purpose, "checked": posted ? caller.form["res_\(i)"] == "on" : true,
                    "columns": item.columns.enumerated().map { j, column in
                        let spec = resource?.columns.first { $0.name == column }
                        return ["key": "col_\(i)_\(j)", "name": column,
                                "level": spec.map { levelLabel($0.level, context.locale) } ?? "",
                                "checked": posted ? caller.form["col_\(i)_\(j)"] == "on" : true] as [String: Any]
                    },
                ])
            }
            model["form"] = ["agreementId": agreement.id, "scenarioId": scenario.id, "title": scenario.title, "rows": rows,
                             "purpose": posted ? caller.field("purpose") : "",
                             "epsilon": posted ? caller.field("epsilon") : Self.epsilon(services.policy.sandboxDefaultEpsilonBudget)] as [String: Any]
        }
        return page.render("sandbox_request_new", model, caller: caller, context: context, request: request,
                           active: "/console/sandbox/requests", status: status)
    }

    func requestDetail(_ request: Request, _ context: PDOPRequestContext, _ caller: Caller, error: [String: Any]?,
                       status: HTTPResponse.Status) async throws -> Response {
        let locale = context.locale
        let item = try await sandbox.dataRequest(try context.parameter("requestId"), scope: caller.scope, provider: SandboxReach.providerView(caller))
        let names = try await names()
        let deciding = parties(caller).first { item.awaits($0) }
        var providerOf: OrganizationID?
        if case .provider(let org) = deciding { providerOf = org }
        var resources: [[String: Any]] = []
        for (i, resource) in item.resources.enumerated() {
            let policy = try? await sandbox.columnPolicy(for: resource.resourceID)
            let mine = providerOf == resource.providerID
            resources.append([
                "name": resource.resourceName, "resourceId": resource.resourceID.rawValue,
                "provider": names[resource.providerID] ?? resource.providerID.rawValue, "narrowable": mine,
                "columns": resource.columns.enumerated().map { j, column in
                    let base = policy?.column(column)?.level ?? .deny
                    let current = resource.narrowed[column] ?? base
                    var row: [String: Any] = ["name": column, "level": levelLabel(current, locale), "levelCode": current.rawValue,
                                              "narrowed": resource.narrowed[column] != nil, "key": "narrow_\(i)_\(j)"]
                    if mine {
                        row["options"] = SandboxLevel.allCases.filter { $0 != current && current.permitsNarrowing(to: $0) }.map { level in
                            ["value": level.rawValue, "label": "\(levelLabel(level, locale)) (\(level.rawValue))",
                             "selected": caller.field("narrow_\(i)_\(j)") == level.rawValue] as [String: Any]
                        }
                    }
                    return row
                },
            ])
        }
        let workspaceID = Workspace.id(agreement: item.agreementID, scenario: item.scenarioID)
        return page.render("sandbox_request", [
            "r": ["id": item.id, "operator": item.operatorName, "agreementId": item.agreementID, "scenario": item.scenarioTitle,
                  "purpose": item.purpose, "epsilon": Self.epsilon(item.epsilonBudget), "state": text("sandbox.requestState.\(item.state.rawValue)", locale),
                  "stateCode": item.state.rawValue, "by": item.requestedBy, "created": item.createdAt.consoleText,
                  "decided": item.decidedAt?.consoleText ?? "", "version": item.version] as [String: Any],
            "resources": resources, "slots": slotRows(item.approvals, names, locale),
            "canDecide": deciding != nil, "decidingAs": deciding.map { partyLabel($0, names, locale) } ?? "",
            "workspaceId": item.state == .granted && (isStaff(caller, of: item.operatorID) || roles(caller).contains(.authority)) ? workspaceID : "",
            "reason": caller.field("reason"), "epsilonTyped": caller.field("epsilon"),
            "error": error,
        ], caller: caller, context: context, request: request, active: "/console/sandbox/requests", status: status)
    }
}
