"""What is measured: the Case class (one command of the plan, and its results), the plan
itself (build_cases) and the summaries of a case's samples."""
import os
import statistics

AGG_SQL = ("SELECT kind, count(*) AS n, sum(amount) AS total, avg(amount) AS mean "
           "FROM events WHERE amount > 100 GROUP BY kind ORDER BY kind")
EVENTS_DDL = ("CREATE TABLE t (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, kind TEXT, "
              "amount REAL, created_at TEXT NOT NULL, payload TEXT)")
PG_EVENTS_DDL = ("CREATE TABLE events (id bigint NOT NULL PRIMARY KEY, user_id bigint NOT NULL, kind text, "
                 "amount double precision, created_at timestamp NOT NULL, payload text)")
AGG_SOUP = ("events.with_entities(events.kind, func.count().label('n'), "
            "func.sum(events.amount).label('total'), func.avg(events.amount).label('mean'))"
            ".filter(events.amount > 100).group_by(events.kind).order_by(events.kind).all()")


class Case:
    def __init__(self, cid, section, engine, tool, argv, speed, ref=None, check=None,
                 timeout=600, interactive=None):
        self.id = cid            # short unique key, also used by the targets
        self.section_short, self.section = section
        self.engine = engine     # sqlite | pg
        self.tool = tool
        self.argv = argv
        self.speed = speed       # fast | medium | slow | sqlsoup
        self.ref = ref           # id of the case the ratio column divides by
        self.check = check       # None | "csv" | "json" | "jsonl": parse soup's output, count rows
        self.timeout = timeout
        self.interactive = interactive  # [kind, DB]: measured by interactive.py, not timed as a command
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
    # The JSON targets compare with soup's own CSV timed in this section, interleaved with the
    # JSON runs: the CSV section's runs are minutes apart, and this VM's speed drifts by more
    # than the 1.2x the targets allow.
    add("json.soup.csv.sqlite", sec, "sqlite", "soup `events.all()` -f csv",
        [S, "query", DB, "events.all()", "-f", "csv"], "slow", ref="json.sqlite3", check="csv")
    add("json.soup.all.sqlite", sec, "sqlite", "soup `events.all()`",
        [S, "query", DB, "events.all()", "-f", "json"], "slow", ref="json.sqlite3",
        check="json")
    add("jsonl.soup.all.sqlite", sec, "sqlite", "soup `events.all()` -f jsonl",
        [S, "query", DB, "events.all()", "-f", "jsonl"], "slow", ref="json.sqlite3",
        check="jsonl")
    if pg:
        add("json.soup.csv.pg", sec, "pg", "soup `events.all()` -f csv",
            [S, "query", PG, "events.all()", "-f", "csv"], "slow", ref="csv.psql", check="csv")
        add("json.soup.all.pg", sec, "pg", "soup `events.all()`",
            [S, "query", PG, "events.all()", "-f", "json"], "slow", ref="csv.psql",
            check="json")
        add("jsonl.soup.all.pg", sec, "pg", "soup `events.all()` -f jsonl",
            [S, "query", PG, "events.all()", "-f", "jsonl"], "slow", ref="csv.psql",
            check="jsonl")

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

    # soup import: the 1M-row CSV that soup writes of `events` (NULLs, quotes, non-ASCII), into
    # a fresh file (sqlite3 .import infers nothing; soup --create infers every column's type
    # in a first pass), into an existing table, and into PostgreSQL beside psql's \copy into
    # the same table. Each run starts from an empty file or table (the rm/TRUNCATE is part of
    # both sides' command).
    csv = a.events_csv
    work = a.import_dir
    sec = ("import", "the 1M-row CSV of `events` (%s) into a table" % os.path.basename(csv))
    fresh = os.path.join(work, "fresh.db")
    add("import.sqlite3", sec, "sqlite", "sqlite3 .import", ["sh", "-c",
        "rm -f %s && sqlite3 -cmd '.mode csv' -cmd '.import %s t' %s </dev/null" % (fresh, csv, fresh)], "slow")
    add("import.soup.create.sqlite", sec, "sqlite", "soup import --create", ["sh", "-c",
        "rm -f %s && exec %s import %s t %s --create" % (fresh, S, fresh, csv)], "slow", ref="import.sqlite3")
    add("import.soup.existing.sqlite", sec, "sqlite", "soup import (existing table)", ["sh", "-c",
        "rm -f %s && sqlite3 %s '%s' && exec %s import %s t %s" % (fresh, fresh, EVENTS_DDL, S, fresh, csv)],
        "slow", ref="import.sqlite3")
    # The CSV libraries of the local package mirror, reading the same file (bench/csvlib),
    # beside soup's reader alone: --dry-run reads the file twice (types, then rows) and
    # checks every value, writing nothing.
    add("import.reader.soup", sec, "sqlite", "soup import --create --dry-run (reader only)", ["sh", "-c",
        "rm -f %s && exec %s import %s t %s --create --dry-run" % (fresh, S, fresh, csv)], "slow",
        ref="import.sqlite3")
    if a.csvlib:
        add("import.reader.csvswift", sec, "sqlite", "yaslab/CSV.swift 2.5.2 (reader only)",
            [a.csvlib, "csvswift", csv], "slow3", ref="import.sqlite3")
        add("import.reader.swiftcsv", sec, "sqlite", "swiftcsv/SwiftCSV 0.10.0 (reader only)",
            [a.csvlib, "swiftcsv", csv], "slow3", ref="import.sqlite3")
    if pg:
        psql_c = " ".join([PSQL] + pghost + ["-d", a.pg_db, "-q"])
        add("import.psql", sec, "pg", "psql \\copy", ["sh", "-c",
            "%s -c 'TRUNCATE events_import' && exec %s -c \"\\copy events_import FROM '%s' CSV HEADER\""
            % (psql_c, psql_c, csv)], "slow")
        add("import.soup.pg", sec, "pg", "soup import", ["sh", "-c",
            "%s -c 'TRUNCATE events_import' && exec %s import %s events_import %s" % (psql_c, S, PG, csv)],
            "slow", ref="import.psql")

    if pg:
        # soup copy of `events` from SQLite into PostgreSQL (its database `copydest`), beside
        # sqlite3 -csv piped into psql's \copy into a table made the same way.
        sec = ("copy", "`events` (1,000,000 rows) copied from SQLite into PostgreSQL")
        dest = " ".join([PSQL] + pghost + ["-d", "copydest", "-q"])
        dest_url = "postgresql://%s@%s:%d/copydest" % (a.pg_user, a.pg_host, a.pg_port)
        add("copy.pipe", sec, "pg", "sqlite3 -csv | psql \\copy", ["sh", "-c",
            "%s -c 'DROP TABLE IF EXISTS events' -c '%s' && sqlite3 -csv %s 'SELECT * FROM events' | %s -c "
            "\"\\copy events FROM STDIN CSV\"" % (dest, PG_EVENTS_DDL, DB, dest)], "slow")
        add("copy.soup", sec, "pg", "soup copy", ["sh", "-c",
            "%s -c 'DROP TABLE IF EXISTS events' && exec %s copy %s %s events" % (dest, S, DB, dest_url)],
            "slow", ref="copy.pipe")

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

    sec = ("cancel", "Ctrl-C on a running statement (`--echo`, and on PostgreSQL seen in "
           "pg_stat_activity) until soup exits 130")
    engines = [("sqlite", "sqlite::memory:")]
    if pg:
        engines.append(("pg", PG1000))
    for engine, cancel_db in engines:
        add("cancel.%s" % engine, sec, engine, "soup query, SIGINT to exit",
            [S, "query", cancel_db, "--echo", "SELECT pg_sleep(600)" if engine == "pg" else
             "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"],
            "medium", interactive=["cancel", cancel_db])
    return cases


def med(c):
    return statistics.median(c.times) if c.times else None


def rss_mib(c):
    return statistics.median(c.rss_kib) / 1024 if c.rss_kib else None


def rss_max_mib(c):
    return max(c.rss_kib) / 1024 if c.rss_kib else None
