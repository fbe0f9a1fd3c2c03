"""Measures soup beside sqlite3, psql and Python SQLSoup; prints a markdown report.

Called by bench/run, which builds soup, generates the data and starts PostgreSQL; run
`bench/run --help` rather than this directory. Python 3 standard library only.

The modules: cases.py (what is measured), measure.py (how: probes, timed runs, memory
samples, output checks), report.py (the markdown report and the targets).
"""
import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

from cases import build_cases
from flush import measure_flush
from measure import PSQL, RUNS, TIME_BIN, check_outputs, loadavg, measure_section
from report import report_only, write_report


def tool_version(argv):
    try:
        r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=10)
        return r.stdout.decode("utf-8", "replace").strip().splitlines()[0]
    except Exception:
        return "?"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--report-only", action="store_true",
                    help="print the report of the last run again (from OUT_DIR/results.json)")
    ap.add_argument("--soup")
    ap.add_argument("--sqlite-db")
    ap.add_argument("--db1000")
    ap.add_argument("--bench-dir")
    ap.add_argument("--psql")
    ap.add_argument("--pg-host", default="127.0.0.1")
    ap.add_argument("--pg-port", type=int)
    ap.add_argument("--pg-user", default="bench")
    ap.add_argument("--pg-db", default="bench")
    ap.add_argument("--pg-db1000", default="db1000")
    ap.add_argument("--venv-python")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--runs", type=int, help="timed runs of each 1M-row case")
    ap.add_argument("--only", help="comma-separated case id prefixes to run (for debugging)")
    ap.add_argument("--flush-bench", help="soup-flush-bench, to time flushes (bench/flush)")
    ap.add_argument("--flush-runs", type=int, default=5)
    a = ap.parse_args()
    if a.report_only:
        return report_only(a.out_dir)
    for need in ("soup", "sqlite_db", "db1000", "bench_dir"):
        if getattr(a, need) is None:
            ap.error("--%s is required" % need.replace("_", "-"))
    a.sqlsoup = a.venv_python is not None
    if a.pg_port:
        a.pg_url = "postgresql://%s@%s:%d/%s" % (a.pg_user, a.pg_host, a.pg_port, a.pg_db)
        a.pg1000_url = "postgresql://%s@%s:%d/%s" % (a.pg_user, a.pg_host, a.pg_port, a.pg_db1000)
    else:
        a.pg_url = a.pg1000_url = None
    runs = dict(RUNS["quick" if a.quick else "default"])
    if a.runs:
        runs["slow"] = (a.runs, 0)
        runs["slow3"] = (min(a.runs, runs["slow3"][0]), 0)
    hyperfine = shutil.which("hyperfine")
    if not os.path.exists(TIME_BIN):
        sys.exit("harness: %s is missing (apt-get install time)" % TIME_BIN)

    PSQL[0] = a.psql
    cases = build_cases(a)
    if a.only:
        prefixes = a.only.split(",")
        cases = [c for c in cases if any(c.id.startswith(p) for p in prefixes)]

    with open(os.path.join(a.out_dir, "data.json")) as f:
        data = json.load(f)
    meta = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
        "runs": runs,
        "load_start": loadavg(),
        "soup_version": tool_version([a.soup, "--version"]),
        "machine": "%d cores, %s; sqlite3 %s; %s; hyperfine %s; Python %s" % (
            os.cpu_count(), platform.platform(terse=True),
            tool_version(["sqlite3", "--version"]).split(" ")[0],
            tool_version([a.psql, "--version"]) if a.psql else "no psql",
            tool_version([hyperfine, "--version"]).split(" ")[-1] if hyperfine else "missing (plain loop)",
            platform.python_version()),
        "data_events": "users %d rows, events %d rows: NULL payload %d, empty payload %d, "
                       "CSV-hostile %d, non-ASCII %d, with CR/LF %d, NULL kind %d, NULL amount %d"
                       % (data["users"], data["events"], data["payload_null"],
                          data["payload_empty"], data["payload_hostile"],
                          data["payload_non_ascii"], data["payload_newline"], data["kind_null"],
                          data["amount_null"]),
        "data_1000": "%d tables, %d foreign keys, %d indexes, 3 rows each" % (
            data["db1000_tables"], data["db1000_foreign_keys"], data["db1000_indexes"]),
        "sections": [],
    }
    seen = []
    for c in cases:
        if (c.section_short, c.section) not in seen:
            seen.append((c.section_short, c.section))
    meta["sections"] = seen
    meta["data_rows"] = data["events"]

    work = tempfile.mkdtemp(prefix="probe.", dir=a.out_dir)
    shutil.rmtree(os.path.join(a.out_dir, "outputs"), ignore_errors=True)
    os.makedirs(os.path.join(a.out_dir, "outputs"))
    t_all = time.perf_counter()
    log = lambda msg: print(msg, file=sys.stderr, flush=True)
    for key, title in meta["sections"]:
        log("-- %s (%.0f s so far)" % (key, time.perf_counter() - t_all))
        measure_section([c for c in cases if c.section_short == key], runs, work, hyperfine, log)
    shutil.rmtree(work, ignore_errors=True)
    if not a.only or any("flush".startswith(p) or p.startswith("flush") for p in a.only.split(",")):
        meta["load_flush"] = loadavg()
        meta["flush"] = measure_flush(a, 3 if a.quick else a.flush_runs, log)
    meta["load_end"] = loadavg()
    print("measured in %.0f s" % (time.perf_counter() - t_all), file=sys.stderr)

    meta["notes"] = check_outputs(cases, data["events"])

    # raw numbers first, so that a reporting bug never loses a measurement
    results = os.path.join(a.out_dir, "results.json")
    with open(results, "w") as f:
        json.dump({"args": vars(a), "meta": meta, "cases": [vars(c) for c in cases]}, f,
                  indent=1, ensure_ascii=False)
    write_report(a, cases, meta)


if __name__ == "__main__":
    main()
