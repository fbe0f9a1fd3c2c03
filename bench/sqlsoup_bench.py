#!/usr/bin/env python3
"""The Python SQLSoup 0.9.1 side of bench/run (runs in bench/.venv: SQLAlchemy 1.3, psycopg2).

Usage: sqlsoup_bench.py MODE URL [ARG]
  startup URL          create the SQLSoup object and run `select 1`
  dump URL             db.events.all(), written as CSV to stdout (what `soup query DB
                       'events.all()' -f csv` does)
  agg URL              the GROUP BY aggregate through session.query + func
  first URL TABLE      first entity access: db.entity(TABLE).first(), printed
"""
import csv
import sys

from sqlalchemy import func
from sqlsoup import SQLSoup


def main():
    mode, url = sys.argv[1], sys.argv[2]
    db = SQLSoup(url)
    out = sys.stdout
    if mode == "startup":
        print(db.execute("select 1").scalar())
    elif mode == "dump":
        events = db.events
        cols = list(events.c.keys())
        w = csv.writer(out, lineterminator="\n")
        w.writerow(cols)
        for row in events.all():
            w.writerow([getattr(row, c) for c in cols])
    elif mode == "agg":
        e = db.events
        q = (db.session.query(e.kind, func.count().label("n"), func.sum(e.amount).label("total"),
                              func.avg(e.amount).label("mean"))
             .filter(e.amount > 100).group_by(e.kind).order_by(e.kind))
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["kind", "n", "total", "mean"])
        w.writerows(q.all())
    elif mode == "first":
        print(repr(db.entity(sys.argv[3]).first()))
    else:
        sys.exit(f"unknown mode {mode}")
    out.flush()


if __name__ == "__main__":
    main()
