"""Flushing 10,000 dirty rows: runs bench/flush (soup-flush-bench, built beside soup) on
SQLite and PostgreSQL, and reads the medians it prints on its `result` line."""
import json
import os
import subprocess

ROWS = 10000


def measure_flush(a, runs, log):
    """One result dict per engine: engine, rows, runs, prepared/soup medians (s), ratio; or
    an error. Nothing when no soup-flush-bench was built."""
    if not a.flush_bench or not os.path.exists(a.flush_bench):
        return []
    targets = [("sqlite", "sqlite")] + ([("pg", a.pg_url)] if a.pg_url else [])
    results = []
    for engine, target in targets:
        log("-- flush (%s)" % engine)
        argv = [a.flush_bench, target, str(ROWS), str(runs)]
        try:
            r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=1800)
            text = r.stdout.decode("utf-8", "replace")
            line = next((l for l in text.splitlines() if l.startswith("result ")), None)
            if r.returncode != 0 or line is None:
                results.append({"engine": engine, "error": text.strip()[-400:] or "exit %d" % r.returncode})
                continue
            result = json.loads(line[len("result "):])
            result["engine"] = engine
            results.append(result)
        except subprocess.TimeoutExpired:
            results.append({"engine": engine, "error": "timed out"})
    return results


def flush_section(results, fmt_t):
    """The report's lines for the flush results."""
    if not results:
        return []
    lines = ["", "### Flushing %d dirty rows" % ROWS, "",
             "`soup-flush-bench` (bench/flush): load the rows, change one column of each, time "
             "`flush()` + `commit()` beside the same UPDATEs through one prepared statement, "
             "each in one transaction; medians of the runs.", "",
             "| engine | prepared UPDATEs | soup flush | × prepared |", "| --- | ---: | ---: | ---: |"]
    for r in results:
        if "error" in r:
            lines.append("| %s | – | – | **FAILED**: %s |" % (r["engine"], r["error"].replace("\n", " ")[:200]))
        else:
            lines.append("| %s | %s | %s | %.2f× |" % (r["engine"], fmt_t(r["prepared_median"]),
                                                     fmt_t(r["soup_median"]), r["ratio"]))
    return lines


def flush_targets(results, limit, pg):
    lines = []
    for engine, label in (("sqlite", "SQLite"), ("pg", "PostgreSQL")):
        if engine == "pg" and not pg:
            continue
        name = "(issue 25) flushing %d rows ≤ %.2g× the same UPDATEs through one prepared statement, %s" % (
            ROWS, limit, label)
        r = next((r for r in results if r["engine"] == engine), None)
        if r is None:
            lines.append("NOT MEASURED — %s (no soup-flush-bench)" % name)
        elif "error" in r:
            lines.append("NOT MEASURED — %s (%s)" % (name, r["error"].replace("\n", " ")[:160]))
        else:
            lines.append("%s — %s: %.3f s vs %.3f s = %.2f×" % (
                "PASS" if r["ratio"] <= limit else "FAIL", name, r["soup_median"], r["prepared_median"],
                r["ratio"]))
    return lines
