"""Ctrl-C on a statement that would run for ever, timed from the signal to soup's exit. The
test suite checks that it works (and fails only on a hang); how fast it is is claimed here, on
a machine bench/run measures alone. (TAB completion latency is bench/typing's.)

A case measured here has `interactive = ["cancel", DB]` instead of a command to time:
`soup query DB SQL --echo` on a statement that never ends (SQLite), or sleeps ten minutes
(PostgreSQL); once it runs (echoed, and for PostgreSQL shown in pg_stat_activity), SIGINT; the
time from the signal to soup's exit, which must be 130.

Python 3 standard library only.
"""
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time

TIMEOUT = 60  # seconds for any one step: a hang, not a slow run


class Failure(Exception):
    pass


def _environment(home):
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.update({"HOME": home, "XDG_CONFIG_HOME": home + "/.config", "XDG_DATA_HOME": home + "/.local/share",
                "XDG_STATE_HOME": home + "/.local/state"})
    return env


def _running_on_server(psql, url, sql):
    r = subprocess.run([psql, "-X", "-Atc",
                        "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                        "AND starts_with(query, '%s')" % sql.replace("'", "''"), url],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=TIMEOUT)
    return r.stdout.strip() not in (b"", b"0")


def _cancel(soup, database, sql, psql=None, server_url=None):
    home = tempfile.mkdtemp(prefix="soup-bench-home.")
    try:
        proc = subprocess.Popen([soup, "query", database, sql, "--echo"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, env=_environment(home))
        try:
            # --echo writes the statement just before sending it.
            errors = b""
            deadline = time.perf_counter() + TIMEOUT
            while sql.encode() not in errors:
                if time.perf_counter() > deadline or not select.select([proc.stderr], [], [], TIMEOUT)[0]:
                    raise Failure("the statement was not echoed: %r" % errors[-300:])
                chunk = os.read(proc.stderr.fileno(), 65536)
                if not chunk:
                    raise Failure("soup ended before running the statement: %r" % errors[-300:])
                errors += chunk
            if server_url:
                while not _running_on_server(psql, server_url, sql):
                    if time.perf_counter() > deadline:
                        raise Failure("the server never showed the statement running")
                    time.sleep(0.01)
            else:
                # SQLite shows nothing from outside: give sqlite3_step a moment to begin,
                # since an interrupt before it is lost.
                time.sleep(0.2)
            sent = time.perf_counter()
            proc.send_signal(signal.SIGINT)
            status = proc.wait(timeout=TIMEOUT)
            elapsed = time.perf_counter() - sent
            rest = proc.stderr.read()
            if status != 130:
                raise Failure("exit %d after SIGINT: %r" % (status, (errors + rest)[-300:]))
            return elapsed
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stderr.close()
    finally:
        shutil.rmtree(home, ignore_errors=True)


def sample(case, psql=None):
    """One timed sample of an interactive case, in seconds; raises Failure when it fails."""
    kind, argument = case.interactive
    soup = case.argv[0]
    if kind == "cancel":
        if argument.startswith("postgresql://"):
            return _cancel(soup, argument, "SELECT pg_sleep(600)", psql, argument)
        return _cancel(soup, argument,
                       "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c")
    raise Failure("unknown interactive case %r" % kind)
