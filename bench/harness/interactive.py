"""Latencies a user feels, which are not one command's run time: a TAB completion in the REPL
on a 1,000-table database, and Ctrl-C on a statement that would run for ever. The test suite
checks that both work (and fails only on a hang); how fast they are is claimed here, on a
machine bench/run measures alone.

A case measured here has `interactive = [kind, argument]` instead of a command to time:

- `complete-table`: a fresh REPL on the database; type `t050`, then TAB TAB; the time from the
  TABs to the listing's last name (`t0509`).
- `complete-column`: a fresh REPL; type `t0500.cre`, then TAB; the time until `ated_at`
  completes the column (the table is reflected on that first use).
- `cancel`: `soup query DB SQL --echo` on a statement that never ends (SQLite), or sleeps ten
  minutes (PostgreSQL); once it runs (echoed, and for PostgreSQL shown in pg_stat_activity),
  SIGINT; the time from the signal to soup's exit, which must be 130.

Python 3 standard library only (pty, select).
"""
import fcntl
import os
import pty
import select
import shutil
import signal
import struct
import subprocess
import tempfile
import termios
import time

TIMEOUT = 60  # seconds for any one step: a hang, not a slow run


class Failure(Exception):
    pass


def _environment(home):
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.update({"HOME": home, "XDG_CONFIG_HOME": home + "/.config", "XDG_DATA_HOME": home + "/.local/share",
                "XDG_STATE_HOME": home + "/.local/state", "TERM": "dumb"})
    return env


class Terminal:
    """soup on a new pseudo-terminal of 24 x 100, as at a keyboard."""

    def __init__(self, argv, home):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the terminal is its controlling terminal now
            try:
                os.execve(argv[0], argv, _environment(home))
            finally:
                os._exit(127)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
        self.output = b""
        self.seen = 0

    def send(self, text):
        os.write(self.fd, text.encode())

    def expect(self, text):
        """Waits until `text` shows after the previous match; returns when it did."""
        needle = text.encode()
        deadline = time.perf_counter() + TIMEOUT
        while True:
            at = self.output.find(needle, self.seen)
            if at >= 0:
                self.seen = at + len(needle)
                return time.perf_counter()
            left = deadline - time.perf_counter()
            if left <= 0 or not select.select([self.fd], [], [], left)[0]:
                raise Failure("no %r within %d s; terminal: %r" % (text, TIMEOUT, self.output[-300:]))
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                raise Failure("the REPL ended before %r; terminal: %r" % (text, self.output[-300:]))
            self.output += chunk

    def close(self):
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def _completion(soup, database, typed, keys, shown):
    home = tempfile.mkdtemp(prefix="soup-bench-home.")
    terminal = Terminal([soup, database], home)
    try:
        terminal.expect("> ")
        terminal.send(typed)
        terminal.expect(typed)
        pressed = time.perf_counter()
        terminal.send(keys)
        return terminal.expect(shown) - pressed
    finally:
        terminal.close()
        shutil.rmtree(home, ignore_errors=True)


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
    if kind == "complete-table":
        return _completion(soup, argument, "t050", "\t\t", "t0509")
    if kind == "complete-column":
        return _completion(soup, argument, "t0500.cre", "\t", "ated_at")
    if kind == "cancel":
        if argument.startswith("postgresql://"):
            return _cancel(soup, argument, "SELECT pg_sleep(600)", psql, argument)
        return _cancel(soup, argument,
                       "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c")
    raise Failure("unknown interactive case %r" % kind)
