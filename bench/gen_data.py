#!/usr/bin/env python3
"""Deterministic benchmark data for bench/run (Python 3 standard library only).

Writes into OUT_DIR:
  bench.db           SQLite: users (10,000 rows) and events (1,000,000 rows, user_id -> users.id)
  users.copy,        the same rows in PostgreSQL's COPY text format (tab-separated, \\N = NULL),
  events.copy        loaded by bench/run with \\copy
  pg_schema.sql      PostgreSQL DDL for users/events (keys and the foreign key are added after the load)
  db1000.db          SQLite: 1,000 tables t0000..t0999, 10 columns each, ~530 foreign keys,
                     250 secondary indexes, 3 rows per table
  db1000_pg.sql      the same database as a PostgreSQL script
  data.json          counts that describe the data (printed in the report)

Every value comes from random.Random(SEED), so two runs produce byte-identical files.
The text is meant to hurt: NULLs, empty strings, commas, double quotes, embedded CR/LF,
tabs, backslashes, leading/trailing spaces and non-ASCII (accents, CJK, emoji).
"""
import json
import os
import random
import sqlite3
import sys

SEED = 20261122
N_USERS = 10_000
N_EVENTS = 1_000_000
N_TABLES = 1_000
ROWS_PER_SMALL_TABLE = 3

WORDS = ("alpha beta gamma delta epsilon zeta theta kappa lambda sigma omega apple banana "
         "cherry lemon mango olive pepper salt sugar river stone cloud storm quiet rapid "
         "green amber silver copper north south east west open close start finish").split()
KINDS = ["click", "view", "purchase", "signup", "logout", "error", "refund", "share"]
# Fields a CSV writer must quote, and fields that break naive splitting.
HOSTILE = ['says "hello", then leaves', 'a,b,c', '"quoted"', ' leading and trailing ',
           'tab\tinside', 'back\\slash', "it's", '=cmd|" /C calc"!A0', ',', '"']
NON_ASCII = ["café crème", "Zürich Straße", "日本語のテキスト", "Ελληνικά γράμματα", "naïve façade",
             "emoji 🍲🥣 soup", "Привет, мир", "עברית", "ﬁ ligature", "e\u0301 combining"]
FIRST = ["Ann", "Bob", "Chloé", "Dmitri", "Eve", "François", "Grace", "Håkon", "Ines", "Jürgen",
         "Keiko", "Liam", "Mía", "Nikos", "Olga", "Pedro", "Quinn", "Rosa", "Søren", "Tanaka 太郎"]
LAST = ["Smith", "O'Brien", "Müller", "García", "Nguyen", "Kowalski", "Doe, Jr.", "Øster",
        "Dubois", "Rossi", "Ivanova", "Çelik"]
BASE_EPOCH = 1704067200  # 2024-01-01 00:00:00 UTC


def timestamp(seconds):
    """'YYYY-MM-DD HH:MM:SS' for an epoch second count, without datetime (it is hot here)."""
    days, rest = divmod(seconds, 86400)
    hh, rest = divmod(rest, 3600)
    mm, ss = divmod(rest, 60)
    # civil-from-days (Howard Hinnant's algorithm)
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    y = yoe + era * 400 + (1 if m <= 2 else 0)
    return f"{y:04d}-{m:02d}-{d:02d} {hh:02d}:{mm:02d}:{ss:02d}"


def copy_field(v):
    """One field in PostgreSQL COPY text format."""
    if v is None:
        return "\\N"
    s = str(v)
    if any(c in s for c in "\\\t\n\r"):
        s = s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return s


def copy_line(row):
    return "\t".join(copy_field(v) for v in row) + "\n"


def make_users(rng):
    rows = []
    for uid in range(1, N_USERS + 1):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        email = None if rng.random() < 0.02 else f"user{uid}@example.org"
        created = timestamp(BASE_EPOCH - rng.randrange(0, 365 * 86400))
        rows.append((uid, name, email, created))
    return rows


def make_events(rng, stats):
    """Yields (id, user_id, kind, amount, created_at, payload)."""
    t = BASE_EPOCH
    newline_budget = 200  # rows whose payload holds a line break
    for eid in range(1, N_EVENTS + 1):
        t += rng.randrange(0, 60)
        user_id = rng.randrange(1, N_USERS + 1)
        kind = None if rng.random() < 0.0001 else rng.choice(KINDS)
        amount = None if rng.random() < 0.01 else round(rng.uniform(0, 500), 2)
        r = rng.random()
        if r < 0.01:
            payload = None
            stats["payload_null"] += 1
        elif r < 0.0105:
            payload = ""
            stats["payload_empty"] += 1
        else:
            words = []
            n = 0
            while n < 50:
                w = rng.choice(WORDS)
                words.append(w)
                n += len(w) + 1
            payload = " ".join(words)
            r2 = rng.random()
            if r2 < 0.01:
                payload = rng.choice(HOSTILE) + " " + payload
                stats["payload_hostile"] += 1
            elif r2 < 0.014:
                payload = payload[:40] + " " + rng.choice(NON_ASCII)
                stats["payload_non_ascii"] += 1
            elif r2 < 0.0145 and newline_budget > 0:
                payload = payload[:30] + rng.choice(["\n", "\r\n"]) + payload[30:]
                newline_budget -= 1
                stats["payload_newline"] += 1
        if kind is None:
            stats["kind_null"] += 1
        if amount is None:
            stats["amount_null"] += 1
        yield (eid, user_id, kind, amount, timestamp(t), payload)


SQLITE_EVENTS_SCHEMA = """
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT,
  created_at TEXT NOT NULL
);
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  kind TEXT,
  amount REAL,
  created_at TEXT NOT NULL,
  payload TEXT
);
"""

PG_EVENTS_SCHEMA = """
CREATE TABLE users (
  id integer NOT NULL,
  name text NOT NULL,
  email text,
  created_at timestamp NOT NULL
);
CREATE TABLE events (
  id integer NOT NULL,
  user_id integer NOT NULL,
  kind text,
  amount double precision,
  created_at timestamp NOT NULL,
  payload text
);
"""


def build_events(out, stats):
    rng = random.Random(SEED)
    db_path = os.path.join(out, "bench.db")
    tmp = db_path + ".tmp"
    if os.path.exists(tmp):
        os.remove(tmp)
    con = sqlite3.connect(tmp)
    con.execute("PRAGMA journal_mode = OFF")
    con.execute("PRAGMA synchronous = OFF")
    con.executescript(SQLITE_EVENTS_SCHEMA)
    users = make_users(rng)
    con.executemany("INSERT INTO users VALUES (?, ?, ?, ?)", users)
    with open(os.path.join(out, "users.copy"), "w", encoding="utf-8", newline="") as f:
        f.writelines(copy_line(r) for r in users)
    with open(os.path.join(out, "events.copy"), "w", encoding="utf-8", newline="") as f:
        batch = []
        for row in make_events(rng, stats):
            batch.append(row)
            if len(batch) == 50_000:
                con.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)", batch)
                f.writelines(copy_line(r) for r in batch)
                batch.clear()
        if batch:
            con.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)", batch)
            f.writelines(copy_line(r) for r in batch)
    con.execute("CREATE INDEX events_user_id ON events(user_id)")
    con.commit()
    con.execute("ANALYZE")
    con.close()
    os.replace(tmp, db_path)
    with open(os.path.join(out, "pg_schema.sql"), "w", encoding="utf-8") as f:
        f.write(PG_EVENTS_SCHEMA)


def schema1000(dialect, stats):
    """DDL + rows for the 1,000-table database, as a list of SQL statements."""
    rng = random.Random(SEED + 1)
    real = "REAL" if dialect == "sqlite" else "double precision"
    ts = "TEXT" if dialect == "sqlite" else "timestamp"
    stmts, fks, idx = [], 0, 0
    for i in range(N_TABLES):
        name = f"t{i:04d}"
        cols = [
            "id integer PRIMARY KEY",
            "name text NOT NULL",
            "code varchar(32)",
            "qty integer DEFAULT 0",
            f"price {real}",
            "note text",
            f"created_at {ts}",
        ]
        refs = []
        # a_id / b_id point at earlier tables (so rows can be inserted in table order)
        for col, p in (("a_id", 0.4), ("b_id", 0.133)):
            if i > 0 and rng.random() < p:
                target = f"t{rng.randrange(0, i):04d}"
                cols.append(f"{col} integer REFERENCES {target}(id)")
                refs.append(col)
                fks += 1
            else:
                cols.append(f"{col} integer")
        cols.append("status text")
        stmts.append(f"CREATE TABLE {name} (\n  " + ",\n  ".join(cols) + "\n)")
        if i % 4 == 0:
            stmts.append(f"CREATE INDEX {name}_name ON {name}(name)")
            idx += 1
        values = []
        for r in range(1, ROWS_PER_SMALL_TABLE + 1):
            a = "1" if "a_id" in refs else "NULL"
            b = "1" if "b_id" in refs else "NULL"
            values.append(f"({r}, '{name} row {r}', 'C{i}-{r}', {r * 10}, {r}.5, "
                          f"'note ''{r}''', '2024-01-0{r} 12:00:00', {a}, {b}, 'ok')")
        stmts.append(f"INSERT INTO {name} VALUES " + ", ".join(values))
    stats["db1000_tables"] = N_TABLES
    stats["db1000_foreign_keys"] = fks
    stats["db1000_indexes"] = idx
    return stmts


def build_db1000(out, stats):
    db_path = os.path.join(out, "db1000.db")
    tmp = db_path + ".tmp"
    if os.path.exists(tmp):
        os.remove(tmp)
    con = sqlite3.connect(tmp)
    con.execute("PRAGMA journal_mode = OFF")
    con.execute("PRAGMA synchronous = OFF")
    con.execute("BEGIN")
    for s in schema1000("sqlite", stats):
        con.execute(s)
    con.commit()
    con.close()
    os.replace(tmp, db_path)
    with open(os.path.join(out, "db1000_pg.sql"), "w", encoding="utf-8") as f:
        f.write("BEGIN;\n")
        for s in schema1000("pg", {}):
            f.write(s + ";\n")
        f.write("COMMIT;\n")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "bench/out"
    os.makedirs(out, exist_ok=True)
    stats = {k: 0 for k in ("payload_null", "payload_empty", "payload_hostile",
                            "payload_non_ascii", "payload_newline", "kind_null", "amount_null")}
    stats["users"] = N_USERS
    stats["events"] = N_EVENTS
    stats["seed"] = SEED
    build_events(out, stats)
    build_db1000(out, stats)
    with open(os.path.join(out, "data.json"), "w") as f:
        json.dump(stats, f, indent=1, sort_keys=True)
    print("data: " + ", ".join(f"{k}={v}" for k, v in sorted(stats.items())))


if __name__ == "__main__":
    main()
