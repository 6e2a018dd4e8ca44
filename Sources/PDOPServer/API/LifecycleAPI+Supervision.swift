import Foundation
import Hummingbird
import PDOPAPI
import PDOPDomain

/// Supervision and exit: correction orders (R8), the credit file (R18, R19), annual reports (R20),
/// deletion records (R9.6) and the operator's timeline.
extension LifecycleAPI {
    var supervisionRoutes: [Route] {
        [
            Route(RouteSpec(.get, "/api/v1/correction-orders", .roles(Self.caseReaders), audience: .api)) { request, _, caller in
                let page = try await lifecycle.list(CorrectionOrder.self, filter: try Self.stateFilter(request, CorrectionOrder.State.self),
                                                    page: request.pageRequest(), scope: caller.scope)
                return try APIResponse.json(PageOut(page, CorrectionOrderOut.init))
            },
            Route(RouteSpec(.post, "/api/v1/agreements/{agreementId}/correction-orders", .roles(Reach.authorityOnly), audience: .api)) { _, context, caller in
                let input = try caller.input(CorrectionOrderCreate.self)
                let order = try await lifecycle.issueCorrectionOrder(agreement: context.parameter("agreementId"), violation: input.violation,
                                                                     deadline: input.deadline, by: caller.actor)
                return try APIResponse.json(CorrectionOrderOut(order), status: .created)
            },
            Route(RouteSpec(.post, "/api/v1/correction-orders/{orderId}/report", .roles(Self.operatorManagers), audience: .api)) { _, context, caller in
                let input = try caller.input(CorrectionReportIn.self)
                return try APIResponse.json(CorrectionOrderOut(try await lifecycle.reportCorrection(
                    context.parameter("orderId"), report: input.report, version: input.version, scope: caller.scope, by: caller.actor)))
            },
            Route(RouteSpec(.post, "/api/v1/correction-orders/{orderId}/restore", .roles(Reach.authorityOnly), audience: .api)) { _, context, caller in
                let input = try caller.input(VersionIn.self)
                return try APIResponse.json(CorrectionOrderOut(try await lifecycle.restoreAccess(order: context.parameter("orderId"),
                                                                                                 version: input.version, by: caller.actor)))
            },
            Route(RouteSpec(.get, "/api/v1/annual-reports", .roles(Self.caseReaders), audience: .api)) { request, _, caller in
                let page = try await lifecycle.list(AnnualReport.self, filter: try Self.stateFilter(request, AnnualReport.State.self),
                                                    page: request.pageRequest(), scope: caller.scope)
                return try APIResponse.json(PageOut(page, AnnualReportOut.init))
            },
            Route(RouteSpec(.post, "/api/v1/annual-reports/{reportId}/file", .roles(Self.operatorManagers), audience: .api)) { _, context, caller in
                let input = try caller.input(AnnualReportFiling.self)
                return try APIResponse.json(AnnualReportOut(try await lifecycle.fileAnnualReport(
                    context.parameter("reportId"), content: input.content, version: input.version, scope: caller.scope, by: caller.actor)))
            },
            Route(RouteSpec(.get, "/api/v1/deletion-records", .roles(Self.caseReaders), audience: .api)) { request, _, caller in
                let page = try await lifecycle.list(DeletionRecord.self, filter: try Self.ownerFilter(request), page: request.pageRequest(),
                                                    scope: caller.scope)
                return try APIResponse.json(PageOut(page, DeletionRecordOut.init))
            },
            Route(RouteSpec(.get, "/api/v1/credit-records", .roles(Self.caseReaders), audience: .api)) { request, _, caller in
                let page = try await lifecycle.list(CreditRecord.self, filter: try Self.stateFilter(request, CreditRecord.Category.self),
                                                    page: request.pageRequest(), scope: caller.scope)
                return try APIResponse.json(PageOut(page, CreditRecordOut.init))
            },
            Route(RouteSpec(.post, "/api/v1/credit-records", .roles(Reach.supervisors), audience: .api)) { _, _, caller in
                let input = try caller.input(CreditFindingCreate.self)
                let entry = try await lifecycle.recordCreditFinding(
                    operator: OrganizationID(input.operatorId), category: try parseEnum(CreditRecord.Category.self, input.category, field: "category"),
                    description: input.description, by: caller.actor)
                return try APIResponse.json(CreditRecordOut(entry), status: .created)
            },
            Route(RouteSpec(.get, "/api/v1/operators/{organizationId}/timeline", .roles(Self.caseReaders), audience: .api)) { request, context, caller in
                let page = try await lifecycle.timeline(of: OrganizationID(context.parameter("organizationId")), page: request.pageRequest(),
                                                        scope: caller.scope)
                return try APIResponse.json(PageOut(page, TimelineEventOut.init))
            },
        ]
    }
}
