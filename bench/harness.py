#!/usr/bin/env python3
"""Measures soup beside sqlite3, psql and Python SQLSoup; prints a markdown report.

Called by bench/run, which builds soup, generates the data and starts PostgreSQL; run
`bench/run --help` rather than this file. Python 3 standard library only.

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
import argparse
import csv
import hashlib
import json
import os
import platform
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

TIME_BIN = "/usr/bin/time"
AGG_SQL = ("SELECT kind, count(*) AS n, sum(amount) AS total, avg(amount) AS mean "
           "FROM events WHERE amount > 100 GROUP BY kind ORDER BY kind")
AGG_SOUP = ("events.with_entities(events.kind, func.count().label('n'), "
            "func.sum(events.amount).label('total'), func.avg(events.amount).label('mean'))"
            ".filter(events.amount > 100).group_by(events.kind).order_by(events.kind).all()")
KEEP_OUTPUTS = os.environ.get("SOUP_BENCH_KEEP_OUTPUTS") == "1"  # keep the 100 MB dumps too

# runs per speed class: (timed runs, hyperfine warm-ups besides the probe)
# fast: start-ups and the 1,000-table cases; medium: the aggregate and SQLSoup's short cases;
# slow: the 1M-row dumps; slow3: 1M-row dumps that no target reads (PostgreSQL JSON and
# aligned table); sqlsoup: SQLSoup's 1M-row dump. SQLSoup's dump gets no probe and no warm-up:
# the tables are in the page cache by then (the probes of the section read them) and each
# run costs 30-50 s.
RUNS = {
    "default": {"fast": (30, 3), "medium": (7, 0), "slow": (5, 0), "slow3": (3, 0),
                "sqlsoup": (3, 0)},
    "quick": {"fast": (10, 2), "medium": (3, 0), "slow": (2, 0), "slow3": (1, 0),
              "sqlsoup": (1, 0)},
}


class Case:
    def __init__(self, cid, section, engine, tool, argv, speed, ref=None, check=None,
                 timeout=600):
        self.id = cid            # short unique key, also used by the targets
        self.section_short, self.section = section
        self.engine = engine     # sqlite | pg
        self.tool = tool
        self.argv = argv
        self.speed = speed       # fast | medium | slow | sqlsoup
        self.ref = ref           # id of the case the ratio column divides by
        self.check = check       # None | "csv" | "json": parse soup's output and count rows
        self.timeout = timeout
        # results
        self.error = None
        self.times = []
        self.rss_kib = []
        self.out_bytes = None
        self.out_sha = None
        self.out_sha_psql_style = None
        self.rows = None
        self.load = None         # 1-minute load average when the case started


def build_cases(a):
    """The benchmark plan. Reference rows come first in each section."""
    S, DB, D1 = a.soup, a.sqlite_db, a.db1000
    PSQL = a.psql
    SS = [a.venv_python, os.path.join(a.bench_dir, "sqlsoup_bench.py")]
    sq_url = "sqlite:///" + DB
    sq1000_url = "sqlite:///" + D1
    cases = []

    def add(*args, **kw):
        cases.append(Case(*args, **kw))

    pg = a.pg_url is not None
    if pg:
        PG, PG1000 = a.pg_url, a.pg1000_url
        pghost = ["-X", "-h", a.pg_host, "-p", str(a.pg_port), "-U", a.pg_user]
        ss_pg = "postgresql+psycopg2://%s@%s:%s/%s" % (a.pg_user, a.pg_host, a.pg_port, a.pg_db)
        ss_pg1000 = "postgresql+psycopg2://%s@%s:%s/%s" % (a.pg_user, a.pg_host, a.pg_port,
                                                           a.pg_db1000)

    sec = ("startup", "start-up, `select 1`")
    add("start.sqlite3", sec, "sqlite", "sqlite3 CLI", ["sqlite3", DB, "select 1"], "fast")
    add("start.soup.sqlite", sec, "sqlite", "soup", [S, "query", DB, "SELECT 1"], "fast",
        ref="start.sqlite3")
    if a.sqlsoup:
        add("start.sqlsoup.sqlite", sec, "sqlite", "SQLSoup", SS + ["startup", sq_url], "medium",
            ref="start.sqlite3")
    if pg:
        add("start.psql", sec, "pg", "psql", [PSQL] + pghost + ["-d", a.pg_db, "-Atc", "select 1"],
            "fast")
        add("start.soup.pg", sec, "pg", "soup", [S, "query", PG, "SELECT 1"], "fast",
            ref="start.psql")
        if a.sqlsoup:
            add("start.sqlsoup.pg", sec, "pg", "SQLSoup", SS + ["startup", ss_pg], "medium",
                ref="start.psql")

    sec = ("1M→csv", "the full `events` table (1,000,000 rows) to CSV")
    add("csv.sqlite3", sec, "sqlite", "sqlite3 -csv", ["sqlite3", "-csv", "-header", DB,
        "select * from events"], "slow")
    add("csv.soup.all.sqlite", sec, "sqlite", "soup `events.all()`",
        [S, "query", DB, "events.all()", "-f", "csv"], "slow", ref="csv.sqlite3",
        check="csv")
    add("csv.soup.sql.sqlite", sec, "sqlite", "soup `SELECT *`",
        [S, "query", DB, "SELECT * FROM events", "-f", "csv"], "slow", ref="csv.sqlite3",
        check="csv")
    if a.sqlsoup:
        add("csv.sqlsoup.sqlite", sec, "sqlite", "SQLSoup `db.events.all()`",
            SS + ["dump", sq_url], "sqlsoup", ref="csv.sqlite3", timeout=900)
    if pg:
        add("csv.psql", sec, "pg", "psql --csv", [PSQL] + pghost + ["-d", a.pg_db, "--csv", "-c",
            "select * from events"], "slow")
        add("csv.soup.all.pg", sec, "pg", "soup `events.all()`",
            [S, "query", PG, "events.all()", "-f", "csv"], "slow", ref="csv.psql",
            check="csv")
        add("csv.soup.sql.pg", sec, "pg", "soup `SELECT *`",
            [S, "query", PG, "SELECT * FROM events", "-f", "csv"], "slow", ref="csv.psql",
            check="csv")
        if a.sqlsoup:
            add("csv.sqlsoup.pg", sec, "pg", "SQLSoup `db.events.all()`", SS + ["dump", ss_pg],
                "sqlsoup", ref="csv.psql", timeout=900)

    sec = ("1M→json", "the same to JSON")
    add("json.sqlite3", sec, "sqlite", "sqlite3 -json", ["sqlite3", "-json", DB,
        "select * from events"], "slow")
    add("json.soup.all.sqlite", sec, "sqlite", "soup `events.all()`",
        [S, "query", DB, "events.all()", "-f", "json"], "slow", ref="json.sqlite3",
        check="json")
    if pg:
        add("json.soup.all.pg", sec, "pg", "soup `events.all()`",
            [S, "query", PG, "events.all()", "-f", "json"], "slow3", ref="csv.psql",
            check="json")

    sec = ("1M→table", "the same as the aligned table (default format)")
    add("table.sqlite3", sec, "sqlite", "sqlite3 -column", ["sqlite3", "-column", "-header", DB,
        "select * from events"], "slow")
    add("table.soup.all.sqlite", sec, "sqlite", "soup `events.all()`",
        [S, "query", DB, "events.all()"], "slow", ref="table.sqlite3")
    add("table.soup.sql.sqlite", sec, "sqlite", "soup `SELECT *`",
        [S, "query", DB, "SELECT * FROM events"], "slow", ref="table.sqlite3")
    if pg:
        add("table.psql", sec, "pg", "psql aligned", [PSQL] + pghost + ["-d", a.pg_db, "-P",
            "pager=off", "-c", "select * from events"], "slow3")
        add("table.soup.all.pg", sec, "pg", "soup `events.all()`",
            [S, "query", PG, "events.all()"], "slow3", ref="table.psql")

    sec = ("group-by", "`%s` (soup statement: `%s`)" % (AGG_SQL, AGG_SOUP))
    add("agg.sqlite3", sec, "sqlite", "sqlite3 -csv", ["sqlite3", "-csv", DB, AGG_SQL], "medium")
    add("agg.soup.sql.sqlite", sec, "sqlite", "soup SQL", [S, "query", DB, AGG_SQL, "-f", "csv"],
        "medium", ref="agg.sqlite3")
    add("agg.soup.stmt.sqlite", sec, "sqlite", "soup statement",
        [S, "query", DB, AGG_SOUP, "-f", "csv"], "medium", ref="agg.sqlite3")
    if a.sqlsoup:
        add("agg.sqlsoup.sqlite", sec, "sqlite", "SQLSoup query+func", SS + ["agg", sq_url],
            "medium", ref="agg.sqlite3")
    if pg:
        add("agg.psql", sec, "pg", "psql --csv", [PSQL] + pghost + ["-d", a.pg_db, "--csv", "-c",
            AGG_SQL], "medium")
        add("agg.soup.sql.pg", sec, "pg", "soup SQL", [S, "query", PG, AGG_SQL, "-f", "csv"],
            "medium", ref="agg.psql")
        add("agg.soup.stmt.pg", sec, "pg", "soup statement", [S, "query", PG, AGG_SOUP, "-f", "csv"],
            "medium", ref="agg.psql")
        if a.sqlsoup:
            add("agg.sqlsoup.pg", sec, "pg", "SQLSoup query+func", SS + ["agg", ss_pg], "medium",
                ref="agg.psql")

    sec = ("db1000", "1,000-table database: first entity access (`t0500.first()`) and table listing")
    add("first.sqlite3", sec, "sqlite", "sqlite3 `select ... limit 1`",
        ["sqlite3", D1, "select * from t0500 limit 1"], "fast")
    add("first.soup.sqlite", sec, "sqlite", "soup `t0500.first()`",
        [S, "query", D1, "t0500.first()"], "fast", ref="first.sqlite3")
    if a.sqlsoup:
        add("first.sqlsoup.sqlite", sec, "sqlite", "SQLSoup `db.t0500.first()`",
            SS + ["first", sq1000_url, "t0500"], "medium", ref="first.sqlite3")
    add("tables.sqlite3", sec, "sqlite", "sqlite3 .tables", ["sqlite3", D1, ".tables"], "fast")
    add("tables.soup.sqlite", sec, "sqlite", "soup tables", [S, "tables", D1], "fast",
        ref="tables.sqlite3")
    if pg:
        add("first.psql", sec, "pg", "psql `select ... limit 1`",
            [PSQL] + pghost + ["-d", a.pg_db1000, "-c", "select * from t0500 limit 1"], "fast")
        add("first.soup.pg", sec, "pg", "soup `t0500.first()`",
            [S, "query", PG1000, "t0500.first()"], "fast", ref="first.psql")
        if a.sqlsoup:
            add("first.sqlsoup.pg", sec, "pg", "SQLSoup `db.t0500.first()`",
                SS + ["first", ss_pg1000, "t0500"], "medium", ref="first.psql")
        add("tables.psql", sec, "pg", "psql \\dt", [PSQL] + pghost + ["-d", a.pg_db1000, "-P",
            "pager=off", "-c", "\\dt"], "fast")
        add("tables.soup.pg", sec, "pg", "soup tables", [S, "tables", PG1000], "fast",
            ref="tables.psql")
    return cases


# ---------------------------------------------------------------------------------------------
# running


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
        # psql --csv prints '' like NULL (an empty field); soup writes "" as SPEC 2.7 says.
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


# ---------------------------------------------------------------------------------------------
# reporting


def fmt_t(s):
    if s is None:
        return "–"
    return "%.2f s" % s if s >= 1 else "%.1f ms" % (s * 1000)


def med(c):
    return statistics.median(c.times) if c.times else None


def rss_mib(c):
    return statistics.median(c.rss_kib) / 1024 if c.rss_kib else None


def rss_max_mib(c):
    return max(c.rss_kib) / 1024 if c.rss_kib else None


def show_arg(s):
    """shlex.quote, but "..." for arguments that hold single quotes (easier to read)."""
    if "'" in s and not any(ch in s for ch in '"$`\\!'):
        return '"%s"' % s
    return shlex.quote(s)


def short_cmd(c, subst):
    s = " ".join(show_arg(x) for x in c.argv)
    for long, short in subst:
        if long:
            s = s.replace(long, short)
    return s.replace("|", "\\|")


def report(cases, a, meta, out):
    byid = {c.id: c for c in cases}
    subst = [(a.venv_python or "", "$PY"),  # placeholder when SQLSoup is skipped
             (a.soup, "$SOUP"), ("sqlite:///" + a.sqlite_db, "sqlite:///$DB"),
             ("sqlite:///" + a.db1000, "sqlite:///$DB1000"), (a.sqlite_db, "$DB"),
             (a.db1000, "$DB1000"), (a.psql, "$PSQL")]
    if a.venv_python:
        subst[0] = (a.venv_python + " " + os.path.join(a.bench_dir, "sqlsoup_bench.py"),
                    "$SQLSOUP")
    else:
        subst.pop(0)
    if a.pg_url:
        subst = [(a.pg_url, "$PG"), (a.pg1000_url, "$PG1000")] + subst
        subst.append(("-X -h %s -p %s -U %s" % (a.pg_host, a.pg_port, a.pg_user), "$PGOPTS"))
        subst.append(("postgresql+psycopg2://%s@%s:%s/" % (a.pg_user, a.pg_host, a.pg_port),
                      "$SSPG/"))
    p = lambda s="": print(s, file=out)
    p("## soup benchmark")
    p()
    r = meta["runs"]
    p("Run %s. Timed runs per case: %d for each 1M-row dump (%d for PostgreSQL's JSON and "
      "aligned-table dumps, which no target reads), %d for SQLSoup's 1M-row dump, %d for the "
      "aggregate and SQLSoup's short cases, %d for start-ups and the 1,000-table cases. Each "
      "case first gets one checked probe run (exit status, output size, rows; it also warms "
      "the caches; none for SQLSoup's dump); then the cases of a section are timed in "
      "interleaved rounds (every case once per round, order rotated), each run timed by "
      "`hyperfine -N`. Wall-clock times of whole processes, output to /dev/null. Peak RSS: "
      "median (max) of `/usr/bin/time -f %%M` samples, client process only. `× ref` = this "
      "median ÷ the median of the tool named there, in this run; on a shared VM treat "
      "differences under ~1.3× as noise."
      % (meta["started"], r["slow"][0], r["slow3"][0], r["sqlsoup"][0], r["medium"][0],
         r["fast"][0]))
    p()
    loads = [c.load for c in cases if getattr(c, "load", None) is not None]
    p("Machine: %s. 1-minute load average while measuring: %.1f–%.1f (2 cores; one benchmark "
      "process alone gives about 1)." % (meta["machine"], min(loads, default=meta["load_start"]),
                                          max(loads, default=meta["load_end"])))
    p()
    legend = ["`$SOUP` = %s (%s)" % (a.soup, meta["soup_version"]),
              "`$DB` = bench.db (%s)" % meta["data_events"],
              "`$DB1000` = db1000.db (%s)" % meta["data_1000"]]
    if a.pg_url:
        legend += ["`$PG` = `%s`, `$PG1000` = `%s` (the same data in a private PostgreSQL "
                   "server on loopback; `created_at` is `timestamp`, `amount` `double precision`)"
                   % (a.pg_url, a.pg1000_url),
                   "`$PSQL` = %s, `$PGOPTS` = `-X -h %s -p %s -U %s`"
                   % (a.psql, a.pg_host, a.pg_port, a.pg_user)]
    else:
        legend.append("PostgreSQL skipped (--no-pg)")
    if a.venv_python:
        legend.append("`$SQLSOUP` = `bench/.venv/bin/python bench/sqlsoup_bench.py` (SQLSoup "
                      "0.9.1, SQLAlchemy 1.3)" + (", `$SSPG` = `postgresql+psycopg2://%s@%s:%s`"
                                                 % (a.pg_user, a.pg_host, a.pg_port)
                                                 if a.pg_url else ""))
    else:
        legend.append("SQLSoup skipped (--no-sqlsoup)")
    p("; ".join(legend) + ".")
    p()
    p("| case | engine | tool | median | min | max | × ref | peak RSS MiB (max) | output | command |")
    p("| --- | --- | --- | ---: | ---: | ---: | --- | ---: | ---: | --- |")
    for c in cases:
        m = med(c)
        ratio = "–"
        ref = byid.get(c.ref)
        if ref is not None and m is not None and med(ref) is not None:
            ratio = "%.2f× %s" % (m / med(ref), ref.tool.split(" `")[0])
        elif c.ref is None:
            ratio = "ref"
        rss = "%.0f (%.0f)" % (rss_mib(c), rss_max_mib(c)) if c.rss_kib else "–"
        if c.out_bytes is None:
            outs = "–"
        elif c.out_bytes >= 1e6:
            outs = "%.1f MB" % (c.out_bytes / 1e6)
        else:
            outs = "%d B" % c.out_bytes
        if c.rows is not None:
            outs += ", %d rows" % c.rows
        tool = c.tool + (" **FAILED**" if c.error else "")
        p("| %s | %s | %s | %s | %s | %s | %s | %s | %s | `%s` |" % (
            c.section_short, c.engine, tool,
            fmt_t(m), fmt_t(min(c.times)) if c.times else "–",
            fmt_t(max(c.times)) if c.times else "–", ratio, rss, outs, short_cmd(c, subst)))
    p()
    p("Cases: " + "; ".join("**%s** = %s" % (k, v) for k, v in meta["sections"]))
    failed = [c for c in cases if c.error]
    if failed:
        p()
        p("### Failures")
        for c in failed:
            p("- `%s` (%s): %s" % (short_cmd(c, subst), c.id, c.error.replace("\n", " | ")))
    notes = meta.get("notes") or []
    if notes:
        p()
        p("### Checks")
        for n in notes:
            p("- " + n)
    p()
    p("### Targets (medians of this run)")
    for line in targets(byid, a):
        p("- " + line)


def targets(byid, a):
    """PASS/FAIL lines. A target whose rows are missing or failed is NOT MEASURED."""
    lines = []

    def get(cid):
        c = byid.get(cid)
        if c is None:
            return None, "not run"
        if c.error:
            return None, "%s failed: %s" % (c.tool, c.error[:160])
        if not c.times:
            return None, "no timings"
        return c, None

    def ratio_target(name, cid, ref, limit, mem_limit=None, mem_label=""):
        c, e1 = get(cid)
        r, e2 = get(ref)
        if c is None or r is None:
            lines.append("NOT MEASURED — %s (%s)" % (name, e1 or e2))
            return
        ratio = med(c) / med(r)
        ok = ratio <= limit
        detail = "%s vs %s = %.2f× (limit %.2g×)" % (fmt_t(med(c)), fmt_t(med(r)), ratio, limit)
        if mem_limit is not None:
            peak = rss_max_mib(c)
            ok_mem = peak is not None and peak < mem_limit
            detail += "; peak RSS %.1f MiB (limit < %d MiB%s)" % (peak or -1, mem_limit, mem_label)
            ok = ok and ok_mem
        lines.append("%s — %s: %s" % ("PASS" if ok else "FAIL", name, detail))

    def faster_target(name, cid, slow_id, factor):
        c, e1 = get(cid)
        s, e2 = get(slow_id)
        if c is None or s is None:
            lines.append("NOT MEASURED — %s (%s)" % (name, e1 or e2))
            return
        k = med(s) / med(c)
        lines.append("%s — %s: SQLSoup %s ÷ soup %s = %.1f× (need ≥ %d×)" % (
            "PASS" if k >= factor else "FAIL", name, fmt_t(med(s)), fmt_t(med(c)), k, factor))

    def abs_target(name, cid, limit_s):
        c, e = get(cid)
        if c is None:
            lines.append("NOT MEASURED — %s (%s)" % (name, e))
            return
        ok = med(c) < limit_s
        lines.append("%s — %s: %s (limit < %s)" % ("PASS" if ok else "FAIL", name, fmt_t(med(c)),
                                                   fmt_t(limit_s)))

    ratio_target("start-up on SQLite ≤ 3× sqlite3", "start.soup.sqlite", "start.sqlite3", 3.0)
    for v, label in (("all", "`events.all()`"), ("sql", "`SELECT * FROM events`")):
        ratio_target("1M rows → CSV on SQLite ≤ 1.3× `sqlite3 -csv`, peak < 30 MB, soup %s" % label,
                     "csv.soup.%s.sqlite" % v, "csv.sqlite3", 1.3, 30, "")
        if a.pg_url:
            ratio_target("1M rows → CSV on PostgreSQL ≤ 1.0× `psql --csv`, peak < 30 MB, soup %s"
                         % label, "csv.soup.%s.pg" % v, "csv.psql", 1.0, 30, "")
    if a.sqlsoup:
        for v, label in (("all", "`events.all()`"), ("sql", "`SELECT * FROM events`")):
            faster_target("same dump ≥ 15× faster than SQLSoup `db.events.all()`, SQLite, soup %s"
                          % label, "csv.soup.%s.sqlite" % v, "csv.sqlsoup.sqlite", 15)
            if a.pg_url:
                faster_target("same dump ≥ 15× faster than SQLSoup `db.events.all()`, PostgreSQL, "
                              "soup %s" % label, "csv.soup.%s.pg" % v, "csv.sqlsoup.pg", 15)
    for v, label in (("all", "`events.all()`"), ("sql", "`SELECT * FROM events`")):
        ratio_target("aligned table of 1M rows no slower than `sqlite3 -column`, at flat memory, "
                     "soup %s" % label, "table.soup.%s.sqlite" % v, "table.sqlite3", 1.0, 60,
                     "; 'flat' taken as issue 12's bound")
    abs_target("first entity access in the 1,000-table database < 20 ms, SQLite",
               "first.soup.sqlite", 0.020)
    if a.pg_url:
        abs_target("first entity access in the 1,000-table database < 20 ms, PostgreSQL",
                   "first.soup.pg", 0.020)
    # issue 12: memory of the three formats
    for eng in ("sqlite", "pg") if a.pg_url else ("sqlite",):
        for fmt in ("csv", "json", "table"):
            cid = "%s.soup.all.%s" % (fmt, eng)
            c, e = get(cid)
            name = "(issue 12) peak memory of `soup query DB 'events.all()' -f %s` < 60 MB, %s" % (
                fmt, "SQLite" if eng == "sqlite" else "PostgreSQL")
            if c is None:
                lines.append("NOT MEASURED — %s (%s)" % (name, e))
                continue
            peak = rss_max_mib(c)
            lines.append("%s — %s: %.1f MiB" % ("PASS" if peak < 60 else "FAIL", name, peak))
    return lines


# ---------------------------------------------------------------------------------------------


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
    meta["load_end"] = loadavg()
    print("measured in %.0f s" % (time.perf_counter() - t_all), file=sys.stderr)

    # output checks that compare bytes between tools
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
                           "follows SPEC §2.7)")
            else:
                verdict = "differ (%d vs %d bytes)" % (cx.out_bytes, cy.out_bytes)
            notes.append("%s CSV vs `psql --csv` (PostgreSQL): %s" % (cx.tool, verdict))
    same("csv.soup.all.sqlite", "csv.soup.sql.sqlite", "soup `events.all()` vs `SELECT *` CSV (SQLite)")
    same("agg.soup.sql.sqlite", "agg.soup.stmt.sqlite", "soup aggregate, SQL vs statement (SQLite)")
    # (not on PostgreSQL: a parallel sum of doubles depends on the order the workers add)
    for c in cases:
        if c.check and c.rows is not None and c.rows != data["events"]:
            notes.append("%s printed %d rows, expected %d" % (c.id, c.rows, data["events"]))
    meta["notes"] = notes

    # raw numbers first, so that a reporting bug never loses a measurement
    results = os.path.join(a.out_dir, "results.json")
    with open(results, "w") as f:
        json.dump({"args": vars(a), "meta": meta, "cases": [vars(c) for c in cases]}, f,
                  indent=1, ensure_ascii=False)
    write_report(a, cases, meta)


def write_report(a, cases, meta):
    path = os.path.join(a.out_dir, "report.md")
    with open(path, "w") as f:
        report(cases, a, meta, f)
    report(cases, a, meta, sys.stdout)
    print("\n(report also in %s; raw numbers in %s)" % (
        path, os.path.join(a.out_dir, "results.json")), file=sys.stderr)


def report_only(out_dir):
    """--report-only: print the report again from bench/out/results.json."""
    with open(os.path.join(out_dir, "results.json")) as f:
        saved = json.load(f)
    a = argparse.Namespace(**saved["args"])
    cases = []
    for d in saved["cases"]:
        c = Case.__new__(Case)
        c.__dict__.update(d)
        cases.append(c)
    write_report(a, cases, saved["meta"])

if __name__ == "__main__":
    main()
