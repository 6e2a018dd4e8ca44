import Foundation
import PDOPDomain
import Testing

@Suite("PolicySettings")
struct PolicySettingsTests {
    @Test("R9.5 R9.2 R7 R9.6 the defaults are the plan's numbers")
    func defaultsAreThePlans() {
        let plan = PolicySettings.plan
        #expect(plan.agreementTermMonths == 24)
        #expect(plan.trialPeriodMaxMonths == 6)
        #expect(plan.renewalLeadMonths == 3)
        #expect(plan.securityReviewValidityMonths == 24)
        #expect(plan.logRetentionDays >= PolicySettings.logRetentionFloorDays)
        #expect(PolicySettings.logRetentionFloorDays >= 182)
        #expect(plan.securityReportIntervalMonths == 6)
        #expect(plan.annualReportAfterMonths == 12)
        #expect(plan.sessionIdleMinutes == 30 && plan.sessionAbsoluteHours == 12)
        #expect(throws: Never.self) { try plan.validate() }
    }

    @Test("a settings file overrides only the keys it names")
    func partialFileKeepsDefaults() throws {
        let settings = try PolicySettings.load(json: Data(#"{"version": "other-county-2", "renewalLeadMonths": 4}"#.utf8))
        #expect(settings.version == "other-county-2")
        #expect(settings.renewalLeadMonths == 4)
        #expect(settings.agreementTermMonths == 24)
    }

    @Test("R9.6 a file may not set log retention below six months")
    func retentionFloorHolds() {
        #expect(throws: DomainError.refused("R9.6", "log retention may not be shorter than six months", field: "logRetentionDays")) {
            try PolicySettings.load(json: Data(#"{"logRetentionDays": 90}"#.utf8))
        }
    }

    @Test("unknown or mistyped settings are refused, not ignored")
    func unknownSettingsRefused() {
        #expect(throws: DomainError.invalid("agreementTermMonth", "unknown policy setting")) {
            try PolicySettings.load(json: Data(#"{"agreementTermMonth": 12}"#.utf8))
        }
        #expect(throws: DomainError.self) { try PolicySettings.load(json: Data(#"{"agreementTermMonths": "two years"}"#.utf8)) }
        #expect(throws: DomainError.self) { try PolicySettings.load(json: Data(#"[1, 2]"#.utf8)) }
    }

    @Test("R9.5 a trial period longer than the agreement term is refused")
    func trialWithinTerm() {
        #expect(throws: DomainError.self) { try PolicySettings.load(json: Data(#"{"trialPeriodMaxMonths": 30}"#.utf8)) }
    }
}

@Suite("Account states")
struct AccountStateTests {
    @Test("pending → active ⇄ suspended → closed; closed is final")
    func transitions() throws {
        #expect(try AccountState.pending.transition(to: .active) == .active)
        #expect(try AccountState.active.transition(to: .suspended) == .suspended)
        #expect(try AccountState.suspended.transition(to: .active) == .active)
        #expect(try AccountState.suspended.transition(to: .closed) == .closed)
        for target in AccountState.allCases {
            #expect(throws: DomainError.self) { try AccountState.closed.transition(to: target) }
        }
        #expect(throws: DomainError.self) { try AccountState.active.transition(to: .pending) }
        #expect(throws: DomainError.self) { try AccountState.active.transition(to: .active) }
    }

    @Test("only suspension and closing revoke credentials; only active grants access")
    func accessFlags() {
        #expect(AccountState.allCases.filter(\.grantsAccess) == [.active])
        #expect(Set(AccountState.allCases.filter(\.revokesCredentials)) == [.suspended, .closed])
    }
}
