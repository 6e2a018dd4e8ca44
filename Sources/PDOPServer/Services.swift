import Foundation
import PDOPDomain
import PDOPSandbox
import PDOPStore

/// Everything handlers need, built once by the composition root.
public struct PlatformServices: Sendable {
    public let policy: PolicySettings
    public let clock: any PlatformClock
    public let ids: any IdentifierGenerator
    public let store: SQLPlatformStore
    public let stores: OpenedStores
    public let parties: PartyService
    public let auth: AuthService
    public let audit: AuditService
    public let catalog: CatalogService
    public let categories: CategoryService
    public let quality: ResourceQualityService
    public let supply: SupplyService
    public let lifecycle: LifecycleService
    public let sandbox: SandboxService
    public let scheduler: DeadlineScheduler
    public let integrity: AuditIntegrity
    public let views: ViewRenderer
    public let metrics: PlatformMetrics
    public let secureCookies: Bool

    public init(stores: OpenedStores, policy: PolicySettings, clock: any PlatformClock, ids: any IdentifierGenerator,
                hasher: any PasswordHasher, views: ViewRenderer, secureCookies: Bool) {
        let store = SQLPlatformStore(database: stores.platform)
        self.policy = policy
        self.clock = clock
        self.ids = ids
        self.store = store
        self.stores = stores
        self.parties = PartyService(store: store, clock: clock, ids: ids, hasher: hasher, policy: policy)
        self.auth = AuthService(store: store, clock: clock, ids: ids, hasher: hasher, secrets: RandomSecretMinter(), policy: policy)
        self.audit = AuditService(store: store, clock: clock, policy: policy)
        self.catalog = CatalogService(store: store, clock: clock, ids: ids)
        self.categories = CategoryService(store: store, clock: clock)
        self.quality = ResourceQualityService(store: store, clock: clock, policy: policy)
        self.supply = SupplyService(store: store, clock: clock, ids: ids, policy: policy)
        // A suspension or ending stops the operator's running sandbox work at once (R17).
        let running = RunningWork()
        self.lifecycle = LifecycleService(store: store, clock: clock, ids: ids, policy: policy, seal: Ed25519ContractSeal(key: stores.sealKey),
                                          accessClosed: { running.cancel(operator: $0) })
        self.sandbox = SandboxService(store: store, clock: clock, ids: ids, policy: policy,
                                      executor: DomainSandboxExecutor(database: stores.domain),
                                      registry: SQLDomainDatasetRegistry(database: stores.domain), running: running)
        self.scheduler = DeadlineScheduler(store: store, clock: clock, supply: supply, lifecycle: lifecycle)
        self.integrity = AuditIntegrity(database: stores.platform, key: stores.auditKey)
        self.views = views
        self.metrics = PlatformMetrics()
        self.secureCookies = secureCookies
    }

    /// Both stores answer a trivial query.
    public func ready() async -> Bool {
        do {
            for database in [stores.platform, stores.domain] {
                try await database.withConnection { db in try await db.raw("SELECT 1").run() }
            }
            return true
        } catch {
            return false
        }
    }
}
