#!/usr/bin/env python3
"""bench/ingest: PDOP's ingestion against `sqlite3 .import` on the same CSV (issue 3 item 12).

Builds a CSV of N rows (default 1,000,000) shaped like a hospital-visit export (ID numbers with
valid check digits, mobiles, dates, Chinese text, amounts), then times, each into a fresh
database:
  - PDOP: `pdop load` into the embedded SQLite domain store, which also decodes, validates,
    types, detects personal data and profiles every column;
  - baseline: `sqlite3 DB ".import --csv FILE t"`, which does none of that.
Prints both rates, peak resident memory and CPU time (user + system; on a shared machine the
wall-clock times depend on the other load, CPU time much less), and as its last line
`ratio=<PDOP seconds / sqlite3 seconds>`.

Usage: python3 bench/ingest/run.py [--rows N] [--pdop PATH]
The pdop binary defaults to a release build in .build-release (`swift build -c release
--product pdop --scratch-path .build-release`). Needs the sqlite3 command (scripts/install-deps.sh).
"""
import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
HOSPITALS = ["新昌县人民医院", "新昌县中医院", "南明街道社区卫生服务中心", "七星街道社区卫生服务中心", "儒岙镇卫生院"]
DEPARTMENTS = ["内科", "外科", "儿科", "妇产科", "骨科", "眼科", "中医科", "急诊科"]


def resident_id(rng):
    first17 = f"330624{rng.randint(1940, 2020)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]


def write_csv(path, rows):
    rng = random.Random(330624)
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("就诊流水号,身份证号,手机号码,就诊日期,医疗机构,科室,就诊类型,总费用_元\n")
        lines = []
        for index in range(rows):
            lines.append(f"V{index:09d},{resident_id(rng)},1{rng.randint(3, 9)}{rng.randint(0, 999_999_999):09d},"
                         f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d},{rng.choice(HOSPITALS)},"
                         f"{rng.choice(DEPARTMENTS)},{'住院' if rng.random() < 0.1 else '门诊'},{rng.randint(10, 90_000) / 10:.2f}\n")
            if len(lines) == 50_000:
                out.writelines(lines)
                lines.clear()
        out.writelines(lines)


def timed(command, **kwargs):
    """Runs a command; returns (seconds, peak RSS in MB of that process, stdout, CPU seconds user+system)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    stdout, stderr = process.stdout.read(), process.stderr.read()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{command[0]} failed:\n{stdout}\n{stderr}")
    return seconds, usage.ru_maxrss / 1024, stdout, usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--pdop", default=str(ROOT / ".build-release/release/pdop"))
    args = parser.parse_args()
    if not Path(args.pdop).exists():
        sys.exit(f"no pdop binary at {args.pdop}; build it: swift build -c release --product pdop --scratch-path .build-release")
    if not shutil.which("sqlite3"):
        sys.exit("sqlite3 is missing: bash scripts/install-deps.sh")
    work = Path(tempfile.mkdtemp(prefix="pdop-bench-ingest-"))
    try:
        csv = work / "visits.csv"
        write_csv(csv, args.rows)
        size_mb = csv.stat().st_size / 1e6
        print(f"input: {args.rows:,} rows, {size_mb:.1f} MB ({csv})")

        data = work / "data"
        # The smallest demo county gives a catalogued resource to load into (res_demo000005: hospital visits).
        subprocess.run([args.pdop, "demo", "--data-dir", str(data), "--scale", "0.00001"], check=True, capture_output=True)
        pdop_seconds, pdop_rss, out, pdop_cpu = timed([args.pdop, "load", "res_demo000005", str(csv), "--data-dir", str(data),
                                             "--encoding", "utf8"])
        print(f"PDOP    {pdop_seconds:7.2f} s  {args.rows / pdop_seconds:12,.0f} rows/s  peak RSS {pdop_rss:6.0f} MB  CPU {pdop_cpu:6.2f} s  ({out.strip()})")

        baseline_db = work / "baseline.sqlite"
        sqlite_seconds, sqlite_rss, _, sqlite_cpu = timed(["sqlite3", str(baseline_db), f".import --csv {csv} t"])
        print(f"sqlite3 {sqlite_seconds:7.2f} s  {args.rows / sqlite_seconds:12,.0f} rows/s  peak RSS {sqlite_rss:6.0f} MB  CPU {sqlite_cpu:6.2f} s  (.import)")
        print(f"ratio={pdop_seconds / sqlite_seconds:.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
