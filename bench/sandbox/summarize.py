#!/usr/bin/env python3
"""bench/sandbox: reads the JSON lines of `pdop sandbox-bench` and snsql_bench.py and prints the
table described in README.md; its last line is `ratio=<PDOP DP median s / raw SQLite median s>`.

Usage: summarize.py FILE.jsonl...
"""
import json
import statistics
import sys

ORDER = ["sqlite_raw", "executor_raw", "sqlite_compiled_dp", "executor_dp", "pdop_threshold", "pdop_dp", "smartnoise",
         "sqlite_raw_join", "pdop_dp_join"]
LABELS = {
    "sqlite_raw": "raw SQLite (plain GROUP BY, no privacy)",
    "executor_raw": "the same plain SQL via PDOP's executor",
    "sqlite_compiled_dp": "PDOP's DP statement run directly",
    "executor_dp": "PDOP's DP statement via the executor",
    "pdop_threshold": "PDOP threshold mode (plan+run+guard)",
    "pdop_dp": "PDOP DP mode (plan+run+noise)",
    "smartnoise": "smartnoise-sql",
    "sqlite_raw_join": "raw SQLite join (no privacy)",
    "pdop_dp_join": "PDOP DP mode, visits ⋈ pension",
}


def read(paths):
    events = []
    for path in paths:
        with open(path, encoding="utf-8") as lines:
            events += [json.loads(line) for line in lines if line.startswith("{")]
    return events


def median(values):
    return statistics.median(values) if values else float("nan")


def errors(runs, exact, average_key):
    """Median absolute relative error of the released count and average against the exact values,
    over every released group of every run; and the median share of true groups released."""
    count_errors, average_errors, released = [], [], []
    for run in runs:
        rows = run.get("rows", [])
        released.append(sum(1 for row in rows if row["group"] in exact) / max(1, len(exact)))
        for row in rows:
            truth = exact.get(row["group"])
            if truth is None:
                continue
            if row.get("persons") is not None and truth["persons"]:
                count_errors.append(abs(row["persons"] - truth["persons"]) / truth["persons"])
            if row.get("avg_cost") is not None and truth[average_key]:
                average_errors.append(abs(row["avg_cost"] - truth[average_key]) / truth[average_key])
    return median(count_errors), median(average_errors), median(released)


def main():
    events = read(sys.argv[1:])
    exact = {e["query"]: {row["group"]: row for row in e["rows"]} for e in events if e["event"] == "exact"}
    runs = {}
    for event in events:
        if event["event"] == "run":
            runs.setdefault(event["engine"], []).append(event)
    medians = {engine: median([r["seconds"] for r in found]) for engine, found in runs.items()}

    for event in events:
        if event["event"] == "loaded":
            print(f"data: {event['dataset']} {event['rows']:,} rows in {event['table']}"
                  + (" (reused)" if event.get("reused") else f", generated and loaded in {event['seconds']:.1f} s"))
    config = next((e for e in events if e["event"] == "config"), None)
    if config:
        print(f"smartnoise-sql {config['version']} (opendp {config['opendp']}): the query is {config['aggregates']:g} noisy aggregates,"
              f" so ε = {config['per_aggregate_epsilon']:g} each for a total of {config['epsilon']:g} (δ {config['delta']:.2g})")
    print()
    print(f"{'engine':44} {'runs':>4} {'median s':>9} {'ε/query':>8} {'count err':>10} {'avg err':>8} {'groups':>7}")
    for engine in ORDER + sorted(set(runs) - set(ORDER)):
        found = runs.get(engine)
        if not found:
            continue
        epsilon = found[0].get("epsilon")
        line = f"{LABELS.get(engine, engine):44} {len(found):>4} {medians[engine]:>9.3f} {'' if epsilon is None else f'{epsilon:g}':>8}"
        if "rows" in found[0]:
            # smartnoise keeps one random visit per person: its AVG estimates the cost per visit;
            # PDOP's avg is per privacy unit (the group's cost over its persons).
            average_key = "avg_visit_cost" if engine == "smartnoise" else "avg_person_cost"
            count_error, average_error, released = errors(found, exact.get(found[0]["query"], {}), average_key)
            line += f" {count_error:>10.2%} {average_error:>8.2%} {released:>7.0%}"
        print(line)
    print()
    overheads = [(name, medians[via] / medians[direct] - 1) for name, direct, via in
                 [("the plain aggregate", "sqlite_raw", "executor_raw"), ("PDOP's DP statement", "sqlite_compiled_dp", "executor_dp")]
                 if direct in medians and via in medians]
    if overheads:
        print("executor overhead (read-only connection, query_only, authorizer, watchdog, decoding): "
              + ", ".join(f"{overhead:+.1%} on {name}" for name, overhead in overheads))
    for event in events:
        if event["event"] == "prepare":
            print(f"threshold mode, once per data version: {event['step'].replace('_', ' ')} in {event['seconds']:.2f} s")
        if event["event"] == "utility":
            print(f"threshold mode utility ({event['query']}, cell-key perturbation): {event['released']} of {event['cells']} cells released,"
                  f" mean relative error {event['persons_mre']:.3%} on persons and {event['cost_mre']:.3%} on cost;"
                  f" over the {event['large_cells']} cells of at least 1,000 persons {event['large_persons_mre']:.3%} and {event['large_cost_mre']:.3%}"
                  " (0% before perturbation: released cells were exact)")
        if event["event"] == "cancel":
            print("cancellation: " + ("the statement finished before the cancel (too little data to probe)"
                                      if event["finished_before_cancel"] else
                                      f"the DP join stopped {event['latency_seconds'] * 1000:.0f} ms after its task was cancelled"))
        if event["event"] == "unsupported":
            print(f"smartnoise-sql on the visits ⋈ pension join: {event['error'] or 'ran (unexpected)'}")
    if "smartnoise" in medians and "pdop_dp" in medians:
        print(f"speed: PDOP DP mode is {medians['smartnoise'] / medians['pdop_dp']:.1f}× as fast as smartnoise-sql at equal total ε")
    if "pdop_threshold" in medians and "sqlite_raw" in medians:
        print(f"threshold_ratio={medians['pdop_threshold'] / medians['sqlite_raw']:.2f}")
    if "pdop_dp" in medians and "sqlite_raw" in medians:
        print(f"ratio={medians['pdop_dp'] / medians['sqlite_raw']:.2f}")


if __name__ == "__main__":
    main()
