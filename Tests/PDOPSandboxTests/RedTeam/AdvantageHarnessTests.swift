import Foundation
import PDOPDomain
import Testing
@testable import PDOPSandbox

/// The red-team harness of perturbation.md §6.6 on a synthetic population: an attacker who knows
/// each planted target's district and age band tries to learn the target's binary attribute.
/// Without the audit the harness must reproduce the published baselines (the equality oracle of
/// consistent noise; tracker averaging), which proves it can see a leak; with the audit's rules the
/// attacker's advantage (TPR − FPR) must stay within 0.1 — with and without using refusals as a signal.
@Suite("R12 red-team harness: the attacker's advantage")
struct AdvantageHarnessTests {
    struct Person { let district: Int; let band: Int; let flag: Bool; let key: UInt32 }

    /// 4,000 ordinary persons in 10 districts × 20 age bands, plus 100 planted targets, each alone in
    /// a band (20…29) of its district.
    static func population(seed: UInt64) -> (persons: [Person], targets: [Int]) {
        var random = SplitMix64(seed: seed)
        var persons = (0..<4_000).map { index in
            Person(district: index % 10, band: Int(random.next() % 20), flag: random.next() % 10 < 3, key: UInt32(truncatingIfNeeded: random.next()))
        }
        let targets = (0..<100).map { index -> Int in
            persons.append(Person(district: index % 10, band: 20 + index / 10, flag: random.next() % 2 == 0, key: UInt32(truncatingIfNeeded: random.next())))
            return persons.count - 1
        }
        return (persons, targets)
    }

    static let perturbation = CellKeyPerturbation(policy: .plan)
    static let minimum = Int64(PolicySettings.plan.sandboxMinUnits)

    /// What a released cell says: its perturbed count, as the production code computes it.
    static func perturbed(_ members: [Int], _ persons: [Person]) -> Int64 {
        let key = members.reduce(Int64(0)) { $0 &+ Int64(persons[$1].key) }
        let units = Int64(members.count)
        return units + perturbation.countNoise(units: units, key: key)
    }

    /// Advantage = TPR − FPR of guesses against the truth.
    static func advantage(_ guesses: [(guess: Bool, truth: Bool)]) -> Double {
        let positives = guesses.filter(\.truth), negatives = guesses.filter { !$0.truth }
        let tpr = Double(positives.filter(\.guess).count) / Double(max(positives.count, 1))
        let fpr = Double(negatives.filter(\.guess).count) / Double(max(negatives.count, 1))
        return tpr - fpr
    }

    /// The equality oracle (perturbation.md §2.7.1): q1 = flagged persons of the target's district,
    /// q2 = the same without the target's band. Equal answers ⇔ equal contributor sets.
    static func equalityAttack(audited: Bool, refusalAsSignal: Bool, seed: UInt64) -> Double {
        let (persons, targets) = population(seed: seed)
        var guesses: [(Bool, Bool)] = []
        for target in targets {
            let district = persons[target].district, band = persons[target].band
            let q1 = persons.indices.filter { persons[$0].district == district && persons[$0].flag }
            let q2 = q1.filter { persons[$0].band != band }
            let first = perturbed(q1, persons), second = perturbed(q2, persons)
            guard first >= minimum, second >= minimum else { guesses.append((false, persons[target].flag)); continue }
            // R2: the two cells overlap and differ; their symmetric difference must have a perturbed count ≥ k.
            let difference = Set(q1).symmetricDifference(q2)
            if audited && perturbed(Array(difference), persons) < minimum {
                guesses.append((refusalAsSignal, persons[target].flag))   // q2 held back
                continue
            }
            guesses.append((first != second, persons[target].flag))
        }
        return advantage(guesses)
    }

    /// Averaging over different cells (§2.7.2): m trackers T − H with different paddings, each
    /// isolating the target's cell; the attacker averages the m estimates. The audit's span check
    /// (R3) is what stops it here: the target's partition cell enters the span at the first pair.
    static func trackerAttack(trackers m: Int, audited: Bool, seed: UInt64) -> Double {
        let (persons, targets) = population(seed: seed)
        var guesses: [(Bool, Bool)] = []
        for target in targets.prefix(40) {
            let district = persons[target].district, band = persons[target].band
            var span = SpanAudit()
            let grid = PartitionGrid(dimensions: [("district", 10), ("band", 30), ("flag", 2)])
            func box(_ districts: [Int], bands: [Int]) -> AuditBox {
                AuditBox(bins: ["district": districts.sorted(), "flag": [1], "band": bands.sorted()])
            }
            func members(_ box: AuditBox) -> [Int] {
                persons.indices.filter { index in
                    let person = persons[index]
                    return person.flag && box.bins["district"]!.contains(person.district) && box.bins["band"]!.contains(person.band)
                }
            }
            var estimates: [Double] = []
            var picks = SplitMix64(seed: seed &+ UInt64(target))
            for _ in 0..<m {
                // T − H = the target's cell; a different random padding B of ordinary bands each time,
                // so each pair has contributor sets of its own and noise of its own to average away.
                let padding = (0..<20).filter { _ in picks.next() % 2 == 0 }
                let total = box([district], bands: padding + [band])
                let rest = box([district], bands: padding)
                var answers: [Int64] = []
                for query in [total, rest] {
                    let released = perturbed(members(query), persons)
                    var next = span
                    let before = next.isolated
                    next.add(grid.cells(query))
                    let isolatedSmall = next.isolated.subtracting(before).contains { cell in
                        perturbed(members(grid.box(cell)), persons) < minimum
                    }
                    if audited && isolatedSmall { break }
                    span = next
                    answers.append(released)
                }
                if answers.count == 2 { estimates.append(Double(answers[0] - answers[1])) }
            }
            let estimate = estimates.isEmpty ? 0 : estimates.reduce(0, +) / Double(estimates.count)
            guesses.append((estimate >= 0.5, persons[target].flag))
        }
        return advantage(guesses)
    }

    @Test("R12 without the audit the harness reproduces the equality oracle (advantage ≥ 0.8), so it can see a leak")
    func baselineEqualityLeak() {
        #expect(Self.equalityAttack(audited: false, refusalAsSignal: false, seed: 1) >= 0.8)
    }

    @Test("R12 with the audit the equality attack's advantage is at most 0.1, whether or not refusals are used as a signal")
    func auditedEqualityAttack() {
        for seed in [1, 2, 3] as [UInt64] {
            #expect(abs(Self.equalityAttack(audited: true, refusalAsSignal: false, seed: seed)) <= 0.1)
            #expect(abs(Self.equalityAttack(audited: true, refusalAsSignal: true, seed: seed)) <= 0.1)
        }
    }

    @Test("R12 without the audit averaging 30 trackers recovers the targets' attribute; with it the advantage is at most 0.1")
    func trackerAveraging() {
        #expect(Self.trackerAttack(trackers: 30, audited: false, seed: 4) >= 0.7)
        #expect(abs(Self.trackerAttack(trackers: 30, audited: true, seed: 4)) <= 0.1)
    }
}
