"""How a case is measured: the probe run, the timed runs, the peak-RSS samples, and the
checks that compare the outputs of the tools.

For every case:
  1. a probe run (doubles as the cache warm-up; skipped for SQLSoup's 30-50 s dump): stdout
     to a file, exit status checked, the output's size recorded (and for soup's CSV/JSON,
     parsed and its rows counted), peak RSS from `/usr/bin/time -f %M`, stderr kept when the
     command fails or times out;
  2. timed runs, interleaved per section: every case once per round, the order rotated
     each round, so the drifts of a shared VM hit a tool and its reference alike. Each run
     is timed by `hyperfine -N --runs 1` (a plain timer if hyperfine is missing), output to
     /dev/null. Long cases run under `/usr/bin/time -f %M` inside hyperfine, so every timed
     run also yields a peak RSS (the extra fork costs microseconds); short cases run bare
     (a wrapper would blur a 2 ms start-up) and get two extra memory-only runs.
Medians decide the targets; min/max show the spread. Ratios are within this one run.
"""
import csv
import hashlib
import json
import os
import shlex
import signal
import subprocess
import time

import interactive
from cases import med, rss_max_mib
from report import fmt_t

TIME_BIN = "/usr/bin/time"
PSQL = [None]  # the psql binary, for the interactive cases that watch pg_stat_activity
KEEP_OUTPUTS = os.environ.get("SOUP_BENCH_KEEP_OUTPUTS") == "1"  # keep the 100 MB dumps too

# runs per speed class: (timed runs, hyperfine warm-ups besides the probe)
# fast: start-ups and the 1,000-table cases; medium: the aggregate and SQLSoup's short cases;
# slow: the 1M-row dumps; slow3: 1M-row dumps that no target reads (PostgreSQL's aligned
# table, the CSV libraries' reads); sqlsoup: SQLSoup's 1M-row dump. SQLSoup's dump gets no probe and no warm-up:
# the tables are in the page cache by then (the probes of the section read them) and each
# run costs 30-50 s.
RUNS = {
    "default": {"fast": (30, 3), "medium": (7, 0), "slow": (5, 0), "slow3": (3, 0),
                "sqlsoup": (3, 0)},
    "quick": {"fast": (10, 2), "medium": (3, 0), "slow": (2, 0), "slow3": (1, 0),
              "sqlsoup": (1, 0)},
}


def read_rss(path):
    """Peak RSS values (KiB) that /usr/bin/time -f %M wrote, one a line."""
    vals = []
    try:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line.isdigit():
                    vals.append(int(line))
    except FileNotFoundError:
        pass
    return vals


def count_rows(path, kind):
    if kind == "csv":
        with open(path, newline="", encoding="utf-8") as f:
            return sum(1 for _ in csv.reader(f)) - 1  # minus the header
    if kind == "json":
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        return len(doc) if isinstance(doc, list) else None
    if kind == "jsonl":
        with open(path, encoding="utf-8") as f:
            return sum(1 for line in f if isinstance(json.loads(line), dict))
    return None


def probe(case, work):
    """One checked run: exit status, output size/hash/rows, peak RSS, stderr on failure."""
    out_path = os.path.join(work, "probe.out")
    rss_path = os.path.join(work, "probe.rss")
    if os.path.exists(rss_path):
        os.remove(rss_path)
    argv = [TIME_BIN, "-o", rss_path, "-f", "%M"] + case.argv
    t0 = time.perf_counter()
    with open(out_path, "wb") as out:
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.PIPE, start_new_session=True)
        try:
            _, err = proc.communicate(timeout=case.timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            _, err = proc.communicate()
            case.error = "timed out after %d s" % case.timeout
    wall = time.perf_counter() - t0
    if case.error is None and proc.returncode != 0:
        tail = err.decode("utf-8", "replace").strip().splitlines()[-6:]
        tail = [l for l in tail if not l.startswith("Command exited with non-zero status")]
        case.error = "exit %d: %s" % (proc.returncode, " | ".join(tail) or "(no stderr)")
    size = os.path.getsize(out_path)
    h = hashlib.sha256()
    with open(out_path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    case.out_bytes, case.out_sha = size, h.hexdigest()
    if case.check == "csv":
        # psql --csv prints '' like NULL (an empty field); soup writes "" (soup-language(7), OUTPUT).
        # Hash soup's CSV with a trailing "" field emptied, to compare the rest with psql.
        h = hashlib.sha256()
        with open(out_path, "rb") as f:
            for line in f:
                h.update(line[:-3] + b"\n" if line.endswith(b',""\n') else line)
        case.out_sha_psql_style = h.hexdigest()
    if case.error is None and case.check:
        try:
            case.rows = count_rows(out_path, case.check)
        except Exception as e:  # malformed output is a finding, not a crash of the bench
            case.error = "output is not valid %s: %s" % (case.check, e)
    if size < 1 << 20 or KEEP_OUTPUTS:  # kept for inspection in bench/out/outputs/ID.out
        os.replace(out_path, os.path.join(work, "..", "outputs", case.id + ".out"))
    else:
        os.remove(out_path)
    case.rss_kib.extend(read_rss(rss_path))
    return wall


def one_sample(case, work, hyperfine, record=True):
    """One timed run (hyperfine -N --runs 1, else a plain timer). Long cases run under
    `/usr/bin/time -f %M` and so also add a peak-RSS sample. Returns False on failure."""
    if case.interactive:
        try:
            dt = interactive.sample(case, PSQL[0])
        except (interactive.Failure, OSError, subprocess.SubprocessError) as e:
            case.error = str(e)
            return False
        if record:
            case.times.append(dt)
        return True
    inline_rss = case.speed in ("slow", "slow3", "sqlsoup")
    rss_path = os.path.join(work, "run.rss")
    if os.path.exists(rss_path):
        os.remove(rss_path)
    argv = case.argv
    if inline_rss:
        argv = [TIME_BIN, "-o", rss_path, "-f", "%M"] + argv
    if hyperfine:
        js = os.path.join(work, "hf.json")
        cmd = [hyperfine, "-N", "--style", "none", "--runs", "1", "--export-json", js,
               shlex.join(argv)]
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if r.returncode != 0:
            # hyperfine hides the command's stderr: run it once more to show it
            again = subprocess.run(case.argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            tail = " | ".join(again.stderr.decode("utf-8", "replace").strip().splitlines()[-6:])
            case.error = "hyperfine: %s; rerun: exit %d: %s" % (
                r.stderr.decode("utf-8", "replace").strip()[-200:], again.returncode, tail)
            return False
        with open(js) as f:
            dt = json.load(f)["results"][0]["times"][0]
    else:
        t0 = time.perf_counter()
        r = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        dt = time.perf_counter() - t0
        if r.returncode != 0:
            case.error = "exit %d in a timed run" % r.returncode
            return False
    if record:
        case.times.append(dt)
        if inline_rss:
            case.rss_kib.extend(read_rss(rss_path))
    return True


def extra_memory_samples(case, work, n=2):
    """Short cases are timed bare (a wrapper would blur a 2 ms start-up): sample their peak
    RSS in separate runs (the probe gave the first sample)."""
    for _ in range(n):
        rp = os.path.join(work, "extra.rss")
        subprocess.run([TIME_BIN, "-o", rp, "-f", "%M"] + case.argv,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        case.rss_kib.extend(read_rss(rp))


def measure_section(cases, runs, work, hyperfine, log):
    """Probe every case of one section, then time them in interleaved rounds: each round
    runs every case that still needs samples once, in an order rotated by one each round,
    so the slow drifts of a shared machine hit the tool and its reference alike."""
    live = []
    for c in cases:
        c.load = loadavg()
        if c.interactive:  # no command to probe: one untimed sample checks that it works
            if one_sample(c, work, hyperfine, record=False):
                log("  %-24s %-30s probe ok" % (c.id, c.tool))
                live.append(c)
            else:
                log("  %-24s %-30s probe FAILED: %s" % (c.id, c.tool, c.error))
            continue
        if c.speed == "sqlsoup":  # SQLSoup's dump is too slow to run once more (30-50 s)
            log("  %-24s %-30s (no probe)" % (c.id, c.tool))
            live.append(c)
            continue
        pw = probe(c, work)
        if c.error:
            log("  %-24s %-30s probe FAILED: %s" % (c.id, c.tool, c.error))
            continue
        log("  %-24s %-30s probe %7.2f s  peak %.1f MiB" % (c.id, c.tool, pw,
                                                            rss_max_mib(c) or -1))
        if c.speed not in ("slow", "slow3", "sqlsoup"):
            extra_memory_samples(c, work)
        live.append(c)
    warmup = max((runs[c.speed][1] for c in live), default=0)
    total = max((runs[c.speed][0] for c in live), default=0)
    for rnd in range(warmup + total):
        k = rnd % len(live) if live else 0
        for c in live[k:] + live[:k]:
            n, w = runs[c.speed]
            if c.error or (rnd >= warmup and len(c.times) >= n) or (rnd < warmup and rnd >= w):
                continue
            one_sample(c, work, hyperfine, record=rnd >= warmup)
        if rnd >= warmup and any(c.speed not in ("fast", "medium") for c in live):
            log("  round %d/%d done (load %.1f)" % (rnd - warmup + 1, total, loadavg()))
    for c in live:
        if c.error:
            log("  %-24s FAILED: %s" % (c.id, c.error))
        else:
            log("  %-24s %-30s median %-9s min %-9s max %-9s peak %.1f MiB" % (
                c.id, c.tool, fmt_t(med(c)), fmt_t(min(c.times)), fmt_t(max(c.times)),
                rss_max_mib(c) or -1))


def loadavg():
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def check_outputs(cases, expected_rows):
    """Notes on the probes' outputs: byte comparisons between tools, row counts."""
    byid = {c.id: c for c in cases}
    notes = []

    def same(x, y, what):
        cx, cy = byid.get(x), byid.get(y)
        if cx and cy and cx.out_sha and cy.out_sha and not cx.error and not cy.error:
            notes.append("%s: %s" % (what, "byte-identical" if cx.out_sha == cy.out_sha else
                                     "differ (%d vs %d bytes)" % (cx.out_bytes, cy.out_bytes)))
    for cid in ("csv.soup.all.pg", "csv.soup.sql.pg"):
        cx, cy = byid.get(cid), byid.get("csv.psql")
        if cx and cy and cx.out_sha and cy.out_sha and not cx.error and not cy.error:
            if cx.out_sha == cy.out_sha:
                verdict = "byte-identical"
            elif cx.out_sha_psql_style == cy.out_sha:
                verdict = ("identical except that soup writes the empty string as `\"\"` "
                           "where psql writes an empty field, as it does for NULL (soup "
                           "keeps NULL and the empty string apart)")
            else:
                verdict = "differ (%d vs %d bytes)" % (cx.out_bytes, cy.out_bytes)
            notes.append("%s CSV vs `psql --csv` (PostgreSQL): %s" % (cx.tool, verdict))
    same("csv.soup.all.sqlite", "csv.soup.sql.sqlite", "soup `events.all()` vs `SELECT *` CSV (SQLite)")
    same("agg.soup.sql.sqlite", "agg.soup.stmt.sqlite", "soup aggregate, SQL vs statement (SQLite)")
    # (not on PostgreSQL: a parallel sum of doubles depends on the order the workers add)
    for c in cases:
        if c.check and c.rows is not None and c.rows != expected_rows:
            notes.append("%s printed %d rows, expected %d" % (c.id, c.rows, expected_rows))
    return notes
