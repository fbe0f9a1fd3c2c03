"""The report: formatting helpers, the markdown table, the PASS/FAIL lines of the targets,
and writing it (after a run, or again from results.json with --report-only)."""
import argparse
import json
import os
import shlex
import sys

from cases import Case, med, rss_mib, rss_max_mib
from flush import flush_section, flush_targets


def fmt_t(s):
    if s is None:
        return "–"
    return "%.2f s" % s if s >= 1 else "%.1f ms" % (s * 1000)


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
    p("Run %s. Timed runs per case: %d for each 1M-row dump (%d for PostgreSQL's "
      "aligned-table dump and the CSV libraries' reads, which no target reads), %d for SQLSoup's 1M-row dump, %d for the "
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
    for line in flush_section(meta.get("flush") or [], fmt_t):
        p(line)
    p()
    p("### Targets (medians of this run)")
    for line in targets(byid, a) + issue25_targets(byid, a, meta):
        p("- " + line)


def issue25_targets(byid, a, meta):
    """Issue 25: start-up, flushing and first entity access close to the native clients."""
    lines = []

    def ratio(name, cid, ref, limit):
        c, r = byid.get(cid), byid.get(ref)
        if c is None or r is None or c.error or r.error or not c.times or not r.times:
            lines.append("NOT MEASURED — %s (%s or %s missing or failed)" % (name, cid, ref))
            return
        k = med(c) / med(r)
        lines.append("%s — %s: %s vs %s = %.2f× (limit %.2g×)" % (
            "PASS" if k <= limit else "FAIL", name, fmt_t(med(c)), fmt_t(med(r)), k, limit))

    ratio("(issue 25) start-up on SQLite ≤ 1.5× sqlite3", "start.soup.sqlite", "start.sqlite3", 1.5)
    lines += flush_targets(meta.get("flush") or [], 1.5, a.pg_url is not None)
    ratio("(issue 25) first entity access in the 1,000-table database ≤ 1.2× sqlite3's own "
          "`select * from t0500 limit 1`, SQLite", "first.soup.sqlite", "first.sqlite3", 1.2)
    if a.pg_url:
        ratio("(issue 25) first entity access in the 1,000-table database ≤ 1.2× psql's own "
              "`select * from t0500 limit 1`, PostgreSQL", "first.soup.pg", "first.psql", 1.2)
    return lines


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
    # issue 25: JSON as fast as CSV, each beside soup's own CSV on the same engine, timed in
    # the same interleaved rounds (the JSON section's `-f csv` case)
    for fmt in ("json", "jsonl"):
        for eng, engine in (("sqlite", "SQLite"), ("pg", "PostgreSQL")) if a.pg_url else (("sqlite", "SQLite"),):
            ratio_target("1M rows → `-f %s` on %s ≤ 1.2× soup's own `-f csv`" % (fmt, engine),
                         "%s.soup.all.%s" % (fmt, eng), "json.soup.csv.%s" % eng, 1.2)
    for v, label in (("all", "`events.all()`"), ("sql", "`SELECT * FROM events`")):
        ratio_target("aligned table of 1M rows no slower than `sqlite3 -column`, at flat memory, "
                     "soup %s" % label, "table.soup.%s.sqlite" % v, "table.sqlite3", 1.0, 60,
                     "; 'flat' taken as issue 12's bound")
    ratio_target("1M-row CSV into SQLite: `soup import --create` (types inferred) ≤ 1.0× `sqlite3 .import` "
                 "into a fresh file, peak < 30 MiB", "import.soup.create.sqlite", "import.sqlite3", 1.0, 30)
    ratio_target("1M-row CSV into an existing SQLite table ≤ 0.8× `sqlite3 .import` into a fresh file, "
                 "peak < 30 MiB", "import.soup.existing.sqlite", "import.sqlite3", 0.8, 30)
    if a.pg_url:
        ratio_target("1M-row CSV into PostgreSQL ≤ 1.1× `psql \\copy` into the same table, peak < 30 MiB",
                     "import.soup.pg", "import.psql", 1.1, 30)
    if a.pg_url:
        ratio_target("`soup copy` of `events` SQLite → PostgreSQL ≤ 1.3× `sqlite3 -csv | psql \\copy`",
                     "copy.soup", "copy.pipe", 1.3)
    abs_target("first entity access in the 1,000-table database < 20 ms, SQLite",
               "first.soup.sqlite", 0.020)
    if a.pg_url:
        abs_target("first entity access in the 1,000-table database < 20 ms, PostgreSQL",
                   "first.soup.pg", 0.020)
    for eng, label in (("sqlite", "SQLite"), ("pg", "PostgreSQL")) if a.pg_url else (("sqlite", "SQLite"),):
        abs_target("Ctrl-C ends a running statement: SIGINT to exit < 1 s, %s" % label, "cancel.%s" % eng, 1.0)
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
    a.out_dir = out_dir  # where the results were read, even if the run wrote them elsewhere
    cases = []
    for d in saved["cases"]:
        c = Case.__new__(Case)
        c.__dict__.update(d)
        cases.append(c)
    write_report(a, cases, saved["meta"])
