"""Proof under load and faults (issue 16, parts 5 and 6; a benchmark, not CI).

One command starts everything on this machine, drives it and checks what it left:

  .venv/bin/python bench/load/run.py --users 50 --minutes 5 --faults
  .venv/bin/python bench/load/run.py --minutes 1             # smoke run, no faults

- its own PostgreSQL cluster (initdb into a temporary directory, port 5433, trust auth; never
  the shared server on 5432), migrated, with `manage.py demo` and the load users
  (setup_users.py);
- the app as deploy/ runs it: gunicorn with deploy/gunicorn.conf.py (4 workers, on a free port),
  2 `db_worker` processes restarted when they exit (systemd's Restart=always), `sweep_leads`
  every --sweep-seconds (the timer's 5 minutes would only lengthen the drain), DEBUG=0 and the
  production settings, SMTP to a local aiosmtpd sink (smtp_sink.py) that records every message;
- locust headless (locustfile.py): --users across CSR, QC Lead, State Monitor, PAL
  Representative and Assister for --minutes;
- with --faults, on a schedule relative to the run: the SMTP sink stopped for two minutes, a task
  worker killed with SIGKILL while it sends a lead, PostgreSQL restarted (pg_ctl restart -m fast);
- then it waits until no lead is left to send, checks (check.py) and prints the per-action table
  (requests, failures, p50, p95), the 5xx (during the PostgreSQL restart and outside it) and the
  faults table (fault, when, effect, recovered, lost, duplicated).

Everything is written under --workdir (a new temporary directory by default): logs of each
process, the sink's and locust's files, results.json.
"""

import argparse
import csv
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
VENV_BIN = Path(sys.executable).parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
# 5xx that start this long after PostgreSQL came back are not the restart's.
PG_RESTART_GRACE = 10.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


class Postgres:
    """A throw-away cluster. initdb refuses root, so as root it runs as the postgres user."""

    def __init__(self, workdir: Path, port: int):
        self.dir = workdir / "pgdata"
        self.port = port
        self.logfile = workdir / "postgres.log"
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def run(self, *args, check=True):
        return subprocess.run([*self.as_user, *map(str, args)], check=check, capture_output=True)

    def init(self):
        self.dir.mkdir()
        if self.as_user:
            shutil.chown(self.dir, "postgres", "postgres")
            shutil.chown(self.dir.parent, "postgres", "postgres")
        self.run(PG_BIN / "initdb", "-D", self.dir, "-A", "trust", "-U", "postgres", "-E", "UTF8")
        self.start()
        self.run(
            PG_BIN / "createdb", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres", "tracker"
        )

    def options(self) -> str:
        return (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=200 "
            "-c fsync=on"
        )

    def start(self):
        self.run(PG_BIN / "pg_ctl", "-D", self.dir, "-o", self.options(), "-l", self.logfile,
                 "-w", "start")  # fmt: skip

    def restart(self):
        self.run(PG_BIN / "pg_ctl", "-D", self.dir, "-o", self.options(), "-l", self.logfile,
                 "-m", "fast", "-w", "restart")  # fmt: skip

    def stop(self):
        self.run(PG_BIN / "pg_ctl", "-D", self.dir, "-m", "fast", "-w", "stop", check=False)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/tracker"


class Harness:
    def __init__(self, args):
        self.args = args
        self.workdir = Path(args.workdir or tempfile.mkdtemp(prefix="exchange-load-"))
        self.workdir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.workdir, 0o755)
        self.pg = Postgres(self.workdir, args.pg_port)
        self.web_port = free_port()
        self.smtp_port = free_port()
        self.processes: dict[str, subprocess.Popen] = {}
        self.workers: dict[str, subprocess.Popen] = {}
        self.worker_restarts = 0
        self.stopping = threading.Event()
        self.faults: list[dict] = []
        self.pg_restart_window: tuple[float, float] | None = None
        self.sink_file = self.workdir / "sink.jsonl"
        self.actions_file = self.workdir / "actions.jsonl"
        self.errors_file = self.workdir / "errors.jsonl"
        self.env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{self.web_port}",
            "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
            "SITE_URL": f"https://127.0.0.1:{self.web_port}",
            "DATABASE_URL": self.pg.url,
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp_port),
            "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "BLIND_INDEX_KEY": secrets.token_urlsafe(40),
            "MEDIA_ROOT": str(self.workdir / "media"),
            "LOG_LEVEL": "WARNING",
            "LOAD_PASSWORD": secrets.token_urlsafe(18),
            "LOAD_SETUP": str(self.workdir / "setup.json"),
            "LOAD_ACTIONS": str(self.actions_file),
            "LOAD_ERRORS": str(self.errors_file),
        }

    # ---- processes ------------------------------------------------------------------------
    def manage(self, *args, **env):
        result = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            env={**self.env, **env}, cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip
        if result.returncode:
            raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def spawn(self, name: str, command: list[str]) -> subprocess.Popen:
        out = open(self.workdir / f"{name}.log", "a")
        return subprocess.Popen(command, env=self.env, cwd=ROOT, stdout=out, stderr=out,
                                start_new_session=True)  # fmt: skip

    def start_sink(self):
        self.processes["sink"] = self.spawn(
            "sink",
            [sys.executable, str(HERE / "smtp_sink.py"), "--port", str(self.smtp_port),
             "--out", str(self.sink_file), "--delay", str(self.args.smtp_delay)],
        )  # fmt: skip
        self.wait_for_port(self.smtp_port)

    def stop_sink(self):
        sink = self.processes.pop("sink")
        sink.terminate()
        sink.wait(10)

    def start_worker(self, number: int):
        name = f"worker{number}"
        self.workers[name] = self.spawn(
            name,
            [sys.executable, str(ROOT / "manage.py"), "db_worker", "--no-reload",
             "--worker-id", name],
        )  # fmt: skip

    def supervise(self):
        """systemd's Restart=always for the workers, and the sweep_leads timer."""
        last_sweep = time.monotonic()
        while not self.stopping.wait(1):
            for name, process in list(self.workers.items()):
                if process.poll() is not None:
                    log(f"{name} exited ({process.returncode}); starting it again")
                    self.worker_restarts += 1
                    time.sleep(2)
                    self.start_worker(int(name.removeprefix("worker")))
            if time.monotonic() - last_sweep >= self.args.sweep_seconds:
                last_sweep = time.monotonic()
                subprocess.run(
                    [sys.executable, str(ROOT / "manage.py"), "sweep_leads"],
                    env=self.env, cwd=ROOT, capture_output=True,
                )  # fmt: skip

    def wait_for_port(self, port: int, timeout: float = 30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    return
            time.sleep(0.2)
        raise SystemExit(f"nothing listens on {port}; see {self.workdir}")

    # ---- faults -----------------------------------------------------------------------------
    def at(self, start: float, offset: float) -> bool:
        """Wait until start + offset; False if the run is being stopped (then no more faults:
        nothing may start again after shutdown)."""
        while not self.stopping.is_set() and time.time() < start + offset:
            time.sleep(0.2)
        return not self.stopping.is_set()

    def schedule_faults(self, start: float):
        duration = self.args.minutes * 60
        sink_down = min(120.0, duration * 0.4)
        # SMTP down from 15 % of the run, for two minutes (less on a short run).
        if not self.at(start, duration * 0.15):
            return
        began = time.time()
        self.stop_sink()
        log(f"fault: SMTP sink stopped for {sink_down:.0f} s")
        if not self.at(began, sink_down):
            return
        self.start_sink()
        self.faults.append({"fault": f"SMTP sink stopped {sink_down:.0f} s", "at": began - start,
                            "until": time.time() - start})  # fmt: skip
        log("fault: SMTP sink back")
        # A worker killed while it sends a lead: after its attempt is written, before the
        # sink's reply (the sink holds its reply --smtp-delay seconds). Its own thread, polling
        # until the load ends, so the PostgreSQL restart keeps its time.
        killer = threading.Thread(target=self.kill_worker_mid_send, args=(start,))
        if not self.at(start, duration * 0.6):
            return
        killer.start()
        # PostgreSQL restarted under load.
        if not self.at(start, duration * 0.75):
            killer.join()
            return
        began = time.time()
        log("fault: restarting PostgreSQL")
        self.pg.restart()
        ended = time.time()
        self.pg_restart_window = (began, ended + PG_RESTART_GRACE)
        self.faults.append({"fault": "PostgreSQL restart (-m fast)", "at": began - start,
                            "until": ended - start})  # fmt: skip
        log(f"fault: PostgreSQL back after {ended - began:.1f} s")
        killer.join()

    def kill_worker_mid_send(self, start: float) -> None:
        """SIGKILL the worker that holds a lead attempt in progress (polls until the load
        ends)."""
        query = (
            "select r.worker_ids from django_tasks_database_dbtaskresult r "
            "join referrals_deliveryattempt a on a.outcome = 'in_progress' "
            "join referrals_leaddelivery d on d.id = a.delivery_id "
            "where r.status = 'RUNNING' and r.task_path like '%deliver_lead' "
            "and r.args_kwargs->'args'->>0 = d.id::text limit 1"
        )
        deadline = start + self.args.minutes * 60
        while time.time() < deadline and not self.stopping.is_set():
            found = subprocess.run(
                [PG_BIN / "psql", "-h", "127.0.0.1", "-p", str(self.pg.port), "-U", "postgres",
                 "-d", "tracker", "-Atc", query], capture_output=True, text=True,
            ).stdout.strip()  # fmt: skip
            for name, process in self.workers.items():
                if name in found:
                    os.kill(process.pid, signal.SIGKILL)
                    log(f"fault: {name} killed (SIGKILL) while sending a lead")
                    self.faults.append({"fault": f"SIGKILL {name} mid-send",
                                        "at": time.time() - start, "until": time.time() - start,
                                        "killed": True})  # fmt: skip
                    return
            time.sleep(0.05)
        self.faults.append({"fault": "SIGKILL a worker mid-send", "at": time.time() - start,
                            "until": time.time() - start, "killed": False})  # fmt: skip

    # ---- the run ----------------------------------------------------------------------------
    def setup(self):
        log(f"work directory {self.workdir}")
        self.pg.init()
        log(f"PostgreSQL on 127.0.0.1:{self.pg.port} ({self.pg.dir})")
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput")
        # `demo` refuses DEBUG=0 (its users share a published password): it runs with DEBUG=1
        # and the run's own keys, only to give the database MCOs, teams, organizations.
        self.manage("demo", DEBUG="1")
        setup = subprocess.run(
            [sys.executable, str(HERE / "setup_users.py"), str(self.args.users)],
            env=self.env, cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        Path(self.env["LOAD_SETUP"]).write_text(setup)

    def start_app(self):
        self.start_sink()
        self.processes["gunicorn"] = self.spawn(
            "gunicorn",
            [str(VENV_BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
             "--bind", f"127.0.0.1:{self.web_port}", "--workers", str(self.args.web_workers),
             "tracker.wsgi"],
        )  # fmt: skip
        for number in range(1, self.args.task_workers + 1):
            self.start_worker(number)
        self.wait_for_port(self.web_port)
        threading.Thread(target=self.supervise, daemon=True).start()
        log(f"gunicorn on 127.0.0.1:{self.web_port} ({self.args.web_workers} workers), "
            f"{self.args.task_workers} task workers, SMTP sink on {self.smtp_port}")  # fmt: skip

    def run_locust(self) -> float:
        start = time.time()
        self.fault_thread = None
        if self.args.faults:
            self.fault_thread = threading.Thread(target=self.schedule_faults, args=(start,))
            self.fault_thread.start()
        log(f"locust: {self.args.users} users for {self.args.minutes} min")
        subprocess.run(
            [str(VENV_BIN / "locust"), "-f", str(HERE / "locustfile.py"), "--headless",
             "-u", str(self.args.users), "-r", str(self.args.spawn_rate),
             "-t", f"{round(self.args.minutes * 60)}s", "--host", f"http://127.0.0.1:{self.web_port}",
             "--csv", str(self.workdir / "locust"), "--only-summary", "--stop-timeout", "10"],
            env=self.env, cwd=ROOT, stdout=open(self.workdir / "locust.log", "w"),
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        return start

    def check(self, *args) -> dict:
        out = subprocess.run(
            [sys.executable, str(HERE / "check.py"), *map(str, args)],
            env=self.env, cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip
        if out.returncode:
            raise SystemExit(f"check.py failed:\n{out.stderr[-3000:]}")
        return json.loads(out.stdout)

    def drain(self) -> float:
        """Wait until every lead is sent or failed for good (retries, expired claims)."""
        began = time.time()
        deadline = began + self.args.drain_minutes * 60
        while time.time() < deadline:
            state = self.check("pending")
            if state["pending_deliveries"] == 0 and state["ready_tasks"] == 0:
                return time.time() - began
            log(f"draining: {state}")
            time.sleep(15)
        log("drain timed out")
        return time.time() - began

    def shutdown(self):
        self.stopping.set()
        for process in [*self.workers.values(), *self.processes.values()]:
            if process.poll() is None:
                process.terminate()
        for process in [*self.workers.values(), *self.processes.values()]:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        self.pg.stop()


def read_locust_stats(prefix: Path) -> list[dict]:
    rows = []
    with open(f"{prefix}_stats.csv") as stats:
        for row in csv.DictReader(stats):
            rows.append({
                "action": row["Name"], "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]), "p50": row["50%"], "p95": row["95%"],
            })  # fmt: skip
    return rows


def table(headers: list[str], rows: list[list]) -> str:
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows, strict=False)]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=False))  # noqa: E731
    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)])


def report(harness: Harness, start: float, drained: float, result: dict) -> str:
    stats = read_locust_stats(harness.workdir / "locust")
    errors = (
        [json.loads(x) for x in open(harness.errors_file)] if harness.errors_file.exists() else []
    )
    window = harness.pg_restart_window
    in_restart = [e for e in errors if window and window[0] <= e["at"] <= window[1]]
    outside = [e for e in errors if e not in in_restart]
    lines = [
        f"Load: {harness.args.users} users, {harness.args.minutes} min, gunicorn "
        f"{harness.args.web_workers} workers, {harness.args.task_workers} task workers, "
        f"PostgreSQL 15 (own cluster), {os.cpu_count()} cores shared with other work "
        f"(load average at the end: {os.getloadavg()[0]:.1f}).",
        "",
        table(
            ["action", "requests", "failures", "p50 ms", "p95 ms"],
            [[r["action"], r["requests"], r["failures"], r["p50"], r["p95"]] for r in stats],
        ),
        "",
        f"5xx responses: {len(in_restart)} during the PostgreSQL restart window, "
        f"{len(outside)} outside it"
        + (
            ": " + ", ".join(sorted({f"{e['status']} {e['path']}" for e in outside}))[:500]
            if outside
            else ""
        )
        + ".",
        f"Leads: {result['referrals_told_sent']} referrals sent by users, "
        f"{result['referrals_in_db']} in the database, "
        f"{result['lead_emails_received']} lead emails received; "
        f"exactly once: {result['leads_exactly_once']}; lost: "
        f"{len(result['leads_lost'])}; duplicated within the documented windows: "
        f"{len(result['leads_duplicated_in_window'])} (worker stopped), "
        f"{len(result['leads_duplicated_unacknowledged'])} (mail server hung up before "
        "answering); beyond them: "
        f"{len(result['leads_duplicated_beyond_window'])}. Deliveries {result['delivery_status']}, "
        f"attempts {result['delivery_attempts']}.",
        f"Cases logged: {result['cases_told_logged']} (missing: "
        f"{len(result['cases_told_but_missing'])}). Transitions users were told were done: "
        f"{result['transitions_told_done']}, missing from the transition log: "
        f"{len(result['transitions_missing_from_log'])}; rows logged by load users: "
        f"{result['transitions_logged_by_load_users']}; refused cleanly as taken by someone "
        f"else first: {result['conflicts_refused_cleanly']}.",
        f"Queue drained {drained:.0f} s after the load ended; task worker restarts: "
        f"{harness.worker_restarts}.",
    ]
    if harness.faults:
        rows = []
        pending = result["delivery_status"].get("pending", 0)
        for fault in harness.faults:
            name, when = fault["fault"], f"{fault['at']:.0f}-{fault['until']:.0f} s"
            if name.startswith("SMTP"):
                touched = result["leads_retried_after_failure"]
                effect = (
                    f"{result['delivery_attempts'].get('failed', 0)} send attempts failed "
                    f"({touched} leads), retried with backoff"
                )
                lost = len(result["leads_lost_after_failure"])
                unanswered = len(result["leads_duplicated_unacknowledged"])
                duplicated = f"{unanswered} (within the window)" if unanswered else "0"
            elif "SIGKILL" in name:
                effect = (
                    f"worker restarted; {result['leads_interrupted']} attempt(s) interrupted, "
                    "sent again after the 5-min claim lease"
                    if fault.get("killed")
                    else "no send in progress found in the polling time"
                )
                lost = len(result["leads_lost_after_interruption"])
                duplicated = f"{len(result['leads_duplicated_in_window'])} (within the window)"
            else:
                effect = (
                    f"{len(in_restart)} requests answered 5xx; task workers exited and were "
                    "restarted"
                )
                lost = (
                    len(result["transitions_missing_from_log"])
                    + len(result["cases_told_but_missing"])
                    + len(result["referrals_told_but_missing"])
                )
                duplicated = "0"
            recovered = "yes" if pending == 0 and not lost else "NO"
            rows.append([name, when, effect, recovered, lost, duplicated])
        beyond = len(result["leads_duplicated_beyond_window"])
        lines += [
            "",
            table(["fault", "when", "effect", "recovered", "lost", "duplicated"], rows),
            f"Whole run: leads lost {len(result['leads_lost'])}, duplicated beyond the windows "
            f"{beyond}, transitions missing {len(result['transitions_missing_from_log'])}.",
        ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--faults", action="store_true")
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--task-workers", type=int, default=2)
    parser.add_argument("--pg-port", type=int, default=5433)
    parser.add_argument("--smtp-delay", type=float, default=0.3)
    parser.add_argument("--sweep-seconds", type=float, default=60)
    parser.add_argument("--drain-minutes", type=float, default=15)
    parser.add_argument("--workdir")
    args = parser.parse_args()
    harness = Harness(args)
    try:
        harness.setup()
        harness.start_app()
        start = harness.run_locust()
        if harness.fault_thread:
            harness.fault_thread.join()  # every fault has happened and recovered
        log("load finished; waiting for the queue to drain")
        drained = harness.drain()
        result = harness.check("verify", harness.actions_file, harness.sink_file, start)
    finally:
        harness.shutdown()
    (harness.workdir / "results.json").write_text(
        json.dumps({"result": result, "faults": harness.faults}, indent=2)
    )
    text = report(harness, start, drained, result)
    (harness.workdir / "report.txt").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
