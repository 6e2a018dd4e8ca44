import ArgumentParser
import Foundation
import Logging
import PDOPDomain
import PDOPIngest
import PDOPServer
import PDOPStore

@main
struct PDOP: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pdop",
        abstract: "Public Data Operation Platform (公共数据授权运营平台).",
        subcommands: [Serve.self, Demo.self, Load.self, Migrate.self, UserCommand.self, TokenCommand.self, AuditCommand.self, SandboxBenchCommand.self])
}

/// Where the data lives; flags win over the environment (PDOP_DATA_DIR, PDOP_DATABASE_URL, PDOP_POLICY_FILE).
struct StoreOptions: ParsableArguments {
    @Option(help: "Data directory for the SQLite stores and the platform keys (env PDOP_DATA_DIR).")
    var dataDir: String?

    @Option(help: "postgres://user:password@host:port/db to keep both stores in PostgreSQL (env PDOP_DATABASE_URL).")
    var databaseURL: String?

    @Option(help: "JSON file overriding PolicySettings (env PDOP_POLICY_FILE).")
    var policyFile: String?

    func configuration() throws -> ServerConfiguration {
        var configuration = try ServerConfiguration.fromEnvironment()
        if let dataDir { configuration.store.dataDirectory = dataDir }
        if let databaseURL { configuration.store.databaseURL = databaseURL }
        if let policyFile { configuration.policy = try ServerConfiguration.loadPolicy(policyFile) }
        return configuration
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the platform (console and API).")

    @OptionGroup var store: StoreOptions
    @Option(help: "Address to listen on (env PDOP_HOST).") var host: String?
    @Option(help: "Port to listen on (env PDOP_PORT).") var port: Int?
    @Flag(help: "Load the demo county on first start and print the demo logins.") var demo = false
    @Option(help: "Size of the demo datasets with --demo (1 = a million hospital visits).") var demoScale: Double = 0.01
    @Flag(help: "Mark cookies Secure (when served behind TLS).") var secureCookies = false

    func run() async throws {
        var configuration = try store.configuration()
        if let host { configuration.host = host }
        if let port { configuration.port = port }
        configuration.loadDemo = demo
        configuration.demoScale = demoScale
        configuration.secureCookies = secureCookies
        let (app, _) = try await buildApplication(configuration)
        print("PDOP console: http://\(configuration.host):\(configuration.port)/console")
        if demo { printDemoLogins() }
        try await app.runService()
    }
}

func printDemoLogins() {
    print("Demo logins (password for all: \(DemoCounty.password)):")
    for login in DemoCounty.logins { print("  \(login.username.padding(toLength: 22, withPad: " ", startingAt: 0)) \(login.organization)") }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Load the demo county and its datasets into the stores (once) and exit.")
    @OptionGroup var store: StoreOptions
    @Option(help: "Size of the generated datasets (1 = a million hospital visits; 0.01 for a quick look).") var scale: Double = 0.01

    func run() async throws {
        guard scale > 0, scale <= 10 else { throw ValidationError("--scale must be above 0 and at most 10") }
        let services = try await buildServices(try store.configuration())
        let logger = Logger(label: "pdop.demo")
        let loaded = try await DemoCounty.load(into: services, stores: services.stores, logger: logger)
        print(loaded ? "demo county loaded" : "demo county already present")
        let rows = try await DemoCounty.loadDatasets(into: services, scale: scale, logger: logger)
        print("demo datasets: \(rows) rows loaded")
        printDemoLogins()
        await services.stores.close()
    }
}

struct Load: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Load a CSV or JSON Lines file into a catalogued resource (as the authority).")
    @OptionGroup var store: StoreOptions
    @Argument(help: "The resource id, e.g. res_demo000005.") var resource: String
    @Argument(help: "The file to load.") var file: String
    @Option(help: "replace (a new data version) or append.") var mode: String = "replace"
    @Option(help: "csv or jsonl.") var format: String = "csv"
    @Option(help: "utf8, gb18030 or auto.") var encoding: String = "auto"

    func run() async throws {
        guard let mode = LoadMode(rawValue: mode), let format = IngestFormat(rawValue: format),
              let encoding = TextEncoding(rawValue: encoding) else { throw ValidationError("unknown --mode, --format or --encoding") }
        let services = try await buildServices(try store.configuration())
        let started = ContinuousClock.now
        let load = try await DataLoadService(services: services).load(ResourceID(resource), mode: mode, format: format, encoding: encoding,
                                                                     scope: .all, by: Actor.system("cli"), chunks: FileChunks(path: file))
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        await services.stores.close()
        if load.state == .failed { throw ValidationError(load.error ?? "the load failed") }
        print("loaded \(load.rowCount ?? 0) rows into data version \(load.dataVersion ?? 0) in \(String(format: "%.2f", seconds)) s")
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or upgrade both stores' schemas and exit.")
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let stores = try await StoreBootstrap.open(try store.configuration().store)
        print(stores.appliedMigrations.isEmpty ? "schema up to date (version \(PlatformSchema.runner.latest))"
              : "applied migrations \(stores.appliedMigrations.map(String.init).joined(separator: ", "))")
        await stores.close()
    }
}

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage accounts.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an account; the password is read from PDOP_NEW_PASSWORD or the first line of standard input.")
        @OptionGroup var store: StoreOptions
        @Option(help: "Exact name of the organization.") var organization: String
        @Option(help: "Create the organization with this kind if it does not exist (e.g. authority).") var createOrganization: String?
        @Option(help: "Login name.") var username: String
        @Option(help: "Display name.") var displayName: String
        @Option(help: "Comma-separated roles, e.g. authority,coordination_member.") var roles: String

        func run() async throws {
            let services = try await buildServices(try store.configuration())
            let actor = Actor.system("cli")
            let found = try await services.parties.organizations(OrganizationFilter(text: organization), page: .first, scope: .all)
                .items.first(where: { $0.name == organization })
            let org: Organization
            if let found {
                org = found
            } else if let kind = createOrganization {
                guard let kind = OrganizationKind(rawValue: kind) else { throw ValidationError("unknown organization kind \(kind)") }
                org = try await services.parties.createOrganization(NewOrganization(name: organization, kind: kind), by: actor)
            } else {
                throw ValidationError("no organization named \(organization); pass --create-organization KIND to create it")
            }
            let password = ProcessInfo.processInfo.environment["PDOP_NEW_PASSWORD"] ?? readLine(strippingNewline: true) ?? ""
            let roleSet = Set(try roles.split(separator: ",").map { name in
                guard let role = Role(rawValue: String(name)) else { throw ValidationError("unknown role \(name)") }
                return role
            })
            let user = try await services.parties.createUser(NewUser(
                organizationID: org.id, username: username, displayName: displayName, password: password, roles: roleSet), by: actor)
            await services.stores.close()
            print("created \(user.username) (\(user.id)) in \(org.name), state \(user.state.rawValue)")
        }
    }
}

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "token", abstract: "Issue API tokens.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue an API token for a user; prints the token as the last line.")
        @OptionGroup var store: StoreOptions
        @Option(help: "Username the token acts for.") var user: String
        @Option(help: "A name to recognise the token by.") var name: String
        @Option(help: "Days until it expires (1–365).") var days: Int = 30

        func run() async throws {
            let services = try await buildServices(try store.configuration())
            let found = try await services.parties.users(UserFilter(text: user), page: .first, scope: .all)
                .items.first(where: { $0.username == user })
            guard let found else { throw ValidationError("no user named \(user)") }
            let organization = try await services.parties.organization(found.organizationID, scope: .all)
            let principal = Principal(user: found, organization: organization, sessionDigest: nil, csrfToken: nil, tokenID: nil)
            let issued = try await services.auth.issueToken(for: principal, name: name, expiresInDays: days,
                                                            actor: Actor.system("cli"))
            await services.stores.close()
            print("token \(issued.token.id) for \(found.username), expires \(issued.token.expiresAt.map { "\($0)" } ?? "never")")
            print(issued.secret)
        }
    }
}

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "Check the audit log.",
                                                    subcommands: [Verify.self, Checkpoint.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the hash chain and check every signed checkpoint; prints OK <count> or the first bad sequence number.")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let configuration = try store.configuration()
            let stores = try await StoreBootstrap.open(configuration.store)
            let result = try await AuditIntegrity(database: stores.platform, key: stores.auditKey).verify()
            await stores.close()
            print(result.summary)
            if !result.ok { throw ExitCode(1) }
        }
    }

    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sign a checkpoint of the current head now.")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let stores = try await StoreBootstrap.open(try store.configuration().store)
            let size = try await AuditIntegrity(database: stores.platform, key: stores.auditKey).checkpoint(now: Date())
            await stores.close()
            print(size.map { "checkpoint signed at size \($0)" } ?? "no new entries since the last checkpoint")
        }
    }
}
