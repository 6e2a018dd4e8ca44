import Foundation
import Hummingbird
import Logging
import PDOPDomain
import PDOPStore
import ServiceLifecycle

/// Every route of the platform, in one table: tests walk it, and the router is built from it.
public func routeTable(_ services: PlatformServices) -> [Route] {
    func build(_ page: ConsolePage) -> [Route] {
        SessionController(services: services, page: page).routes
            + OrganizationsController(services: services, page: page).routes
            + UsersController(services: services, page: page).routes
            + AccountController(services: services, page: page).routes
            + AuditController(services: services, page: page).routes
            + CatalogController(services: services, page: page).routes
            + SupplyController(services: services, page: page).routes
            + LoadsController(services: services, page: page).routes
            + LifecycleConsole(services: services, page: page).routes
            + CategoriesController(services: services, page: page).routes
            + SamplesController(services: services, page: page).routes
            + SandboxConsole(services: services, page: page).routes
            + PartiesAPI(services: services).routes
            + AccountAPI(services: services).routes
            + AuditAPI(services: services).routes
            + CatalogAPI(services: services).routes
            + CategoriesAPI(services: services).routes
            + CatalogDataAPI(services: services).routes
            + SupplyAPI(services: services).routes
            + LifecycleAPI(services: services).routes
            + TrainingAPI(services: services).routes
            + SandboxAPI(services: services).routes
            + SystemRoutes(services: services).routes
    }
    // Navigation links take their access from the routes they link to, so a link shows only to
    // those the route admits: a first pass reads the table, the second builds it with the links.
    let draft = build(ConsolePage(services: services, navigation: []))
    return build(ConsolePage(services: services, navigation: ConsolePage.navigation(from: draft)))
}

/// The router with its middleware, for the server and for router-level tests.
public func buildRouter(_ services: PlatformServices) -> Router<PDOPRequestContext> {
    let router = Router(context: PDOPRequestContext.self)
    router.add(middleware: MetricsMiddleware(metrics: services.metrics))
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ErrorMiddleware(views: services.views))
    router.add(middleware: FileMiddleware(Bundle.module.resourcePath! + "/Public", urlBasePath: "/static",
                                          searchForIndexHtml: false))
    let gatekeeper = Gatekeeper(services: services)
    for route in routeTable(services) {
        router.on(RouterPath(route.spec.path), method: route.spec.method) { request, context in
            try await gatekeeper.handle(route, request, context)
        }
    }
    return router
}

/// The one composition root: opens the stores, builds the services, the router and the
/// background work, and returns the application ready to run.
public func buildApplication(_ configuration: ServerConfiguration, clock: any PlatformClock = SystemClock(),
                             logger: Logger = Logger(label: "pdop")) async throws -> (any ApplicationProtocol, PlatformServices) {
    let services = try await buildServices(configuration, clock: clock, logger: logger)
    let stores = services.stores
    if configuration.loadDemo {
        try await DemoCounty.load(into: services, stores: stores, logger: logger)
        try await DemoCounty.loadDatasets(into: services, scale: configuration.demoScale, logger: logger)
    }
    let app = Application(
        router: buildRouter(services),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "pdop"),
        services: [AuditCheckpointService(services: services, logger: logger), DeadlineService(services: services, logger: logger),
                   StoreCloser(stores: stores)],
        logger: logger)
    return (app, services)
}

/// Opens and migrates the stores and builds the services; the CLI's commands use this too.
public func buildServices(_ configuration: ServerConfiguration, clock: any PlatformClock = SystemClock(),
                          logger: Logger = Logger(label: "pdop")) async throws -> PlatformServices {
    let stores = try await StoreBootstrap.open(configuration.store, logger: logger, now: clock.now())
    return PlatformServices(stores: stores, policy: configuration.policy, clock: clock, ids: RandomIdentifiers(),
                            hasher: BcryptHasher(cost: configuration.passwordCost), views: try await ViewRenderer.load(),
                            secureCookies: configuration.secureCookies)
}

/// Closes the stores when the application shuts down.
struct StoreCloser: Service {
    let stores: OpenedStores
    func run() async throws {
        try? await gracefulShutdown()
        await stores.close()
    }
}
