#!/usr/bin/env python3
"""bench/sandbox: smartnoise-sql's side. Times the bench query on the same SQLite file as PDOP.

Creates two views with ASCII names over the domain store's tables (smartnoise-sql's parser takes
no Chinese identifiers), reads the metadata in snsql_visits.yaml, finds how many noisy
aggregates smartnoise charges for the query, and sets its per-aggregate epsilon so the query's
total equals --epsilon (basic composition, as its odometer reports). Prints JSON lines like
`pdop sandbox-bench`: one "config" line, one "run" line per run with the released rows, and an
"unsupported" line for the two-department join it cannot express.

Usage: snsql_bench.py --db FILE --visits-table T --pension-table T [--runs N] [--epsilon E] [--delta D]
"""
import argparse
import json
import sqlite3
import sys
import time
from datetime import date
from importlib.metadata import version
from pathlib import Path

import snsql
from snsql import Privacy

HERE = Path(__file__).resolve().parent
FIRST_DAY = (date(2024, 1, 1) - date(1970, 1, 1)).days
LAST_DAY = (date(2024, 12, 31) - date(1970, 1, 1)).days
QUERY = ("SELECT district, COUNT(*) AS n, AVG(cost) AS avg_cost FROM main.visits "
         f"WHERE visit_day >= {FIRST_DAY} AND visit_day <= {LAST_DAY} GROUP BY district")
JOIN = ("SELECT p.scheme, COUNT(*) AS n, AVG(v.cost) AS avg_cost FROM main.visits AS v JOIN main.pension AS p ON v.pid = p.pid "
        f"WHERE v.visit_day >= {FIRST_DAY} AND v.visit_day <= {LAST_DAY} GROUP BY p.scheme")


def emit(**fields):
    print(json.dumps(fields, ensure_ascii=False, sort_keys=True), flush=True)


def quoted(name):
    return '"' + name.replace('"', '""') + '"'


def create_views(conn, visits, pension):
    conn.executescript(f"""
        DROP VIEW IF EXISTS visits;
        DROP VIEW IF EXISTS pension;
        CREATE VIEW visits AS SELECT "患者所在乡镇" AS district, "总费用_元" AS cost, "就诊日期" AS visit_day, "身份证号" AS pid
            FROM {quoted(visits)};
        CREATE VIEW pension AS SELECT "身份证号" AS pid, "险种" AS scheme FROM {quoted(pension)};
    """)
    conn.commit()


def reader(conn, epsilon, delta):
    return snsql.from_connection(conn, privacy=Privacy(epsilon=epsilon, delta=delta),
                                 metadata=str(HERE / "snsql_visits.yaml"), engine="sqlite")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--visits-table", required=True)
    parser.add_argument("--pension-table", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--epsilon", type=float, default=1.0, help="total epsilon of the query")
    parser.add_argument("--delta", type=float, default=1e-7)
    args = parser.parse_args()

    conn = sqlite3.connect(args.db)
    create_views(conn, args.visits_table, args.pension_table)

    # Cost per unit of per-aggregate epsilon, then the per-aggregate epsilon that spends the total.
    unit_cost, _ = reader(conn, 1.0, args.delta).get_privacy_cost(QUERY)
    per_aggregate = args.epsilon / unit_cost
    private = reader(conn, per_aggregate, args.delta)
    charged, delta_charged = private.get_privacy_cost(QUERY)
    emit(event="config", engine="smartnoise", version=version("smartnoise-sql"), opendp=version("opendp"),
         aggregates=round(unit_cost, 6), per_aggregate_epsilon=per_aggregate, epsilon=charged, delta=delta_charged,
         query=QUERY)

    for run in range(1, args.runs + 1):
        started = time.perf_counter()
        result = private.execute(QUERY)
        seconds = time.perf_counter() - started
        header, rows = result[0], result[1:]
        index = {name: i for i, name in enumerate(header)}
        emit(event="run", engine="smartnoise", query="by_district", run=run, seconds=seconds, epsilon=charged,
             rows=[{"group": row[index["district"]], "persons": float(row[index["n"]]),
                    "avg_cost": None if row[index["avg_cost"]] is None else float(row[index["avg_cost"]])} for row in rows])

    try:
        private.execute(JOIN)
        emit(event="unsupported", engine="smartnoise", query="by_scheme", error=None)
    except Exception as error:  # smartnoise refuses joins; record what it says
        emit(event="unsupported", engine="smartnoise", query="by_scheme", error=f"{type(error).__name__}: {error}"[:300])
    conn.close()


if __name__ == "__main__":
    sys.exit(main())
