"""`make drill`: PostgreSQL goes away under load, and nothing the portal acknowledged is lost.

    scripts/drill          # the whole drill, a few minutes; report in drill/results/latest.md
    scripts/drill --help   # the timeline and ports can be changed

It starts a throwaway PostgreSQL cluster from the machine's binaries (/usr/lib/postgresql/*/bin)
on its own port, migrates and seeds the demo there with production settings, runs two gunicorn
instances on two ports and the e-mail worker against it, drives logged-in demo users at both
ports, restarts PostgreSQL, later stops it for 20 s, and then checks the database (``drill.verify``)
and measures the error windows (``drill.analysis``). Everything listens on 127.0.0.1 only, and
everything it started is stopped and removed again, also on Ctrl-C or an error. Logs of the app
processes stay in var/drill/<time>/ for reading.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from drill.analysis import Fault, error_windows, probe_summaries, probes_table, windows_table
from drill.client import Browser, post_form
from drill.load import BillingEditor, PasswordResetter, Probe, Reader, Recorder, UserManager

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
HOST = "127.0.0.1"
DATABASE = "portal_drill"
HEALTH_LIMIT = 2.0  # seconds: /healthz must answer within this, database or not


def log(text: str) -> None:
    print(f"[drill {time.strftime('%H:%M:%S')}] {text}", flush=True)


class DrillError(Exception):
    """The drill could not run (not: the portal failed the drill)."""


def port_free(port: int) -> bool:
    with socket.socket() as probe:
        # As gunicorn and PostgreSQL bind: a port with connections in TIME_WAIT is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


def free_port(preferred: int, taken: set[int]) -> int:
    """The preferred port, or the next free one (another drill may be running)."""
    for port in range(preferred, preferred + 100):
        if port not in taken and port_free(port):
            taken.add(port)
            return port
    raise DrillError(f"no free port from {preferred}")


def postgresql_bin() -> Path:
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0,
    )
    if not candidates:
        raise DrillError("no PostgreSQL binaries under /usr/lib/postgresql/*/bin")
    return candidates[-1].parent


class Cluster:
    """A throwaway PostgreSQL cluster in a temporary directory, trust auth, 127.0.0.1 only.

    initdb refuses to run as root, so as root the cluster belongs to the `postgres` user.
    """

    def __init__(self, *, port: int) -> None:
        self.bin = postgresql_bin()
        self.port = port
        self.dir = Path(tempfile.mkdtemp(prefix="portal-drill-pg-"))
        self.data = self.dir / "data"
        self.log_file = self.dir / "postgresql.log"
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.dir, owner.pw_uid, owner.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        os.chmod(self.dir, 0o700)
        self.url = f"postgres://postgres@{HOST}:{port}/{DATABASE}"

    def _run(self, *args: str, timeout: float = 120) -> str:
        command = [*self.as_user, str(self.bin / args[0]), *args[1:]]
        # Its own session: a Ctrl-C at the terminal reaches the drill, which stops the cluster.
        result = subprocess.run(  # noqa: S603 (fixed binaries, no shell)
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            start_new_session=True,
            check=False,
        )
        if result.returncode != 0:
            raise DrillError(f"{' '.join(args[:1])} failed: {result.stderr.strip()[-500:]}")
        return result.stdout

    def init(self) -> None:
        self._run(
            "initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
            "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        settings = [
            f"port = {self.port}",
            f"listen_addresses = '{HOST}'",
            f"unix_socket_directories = '{self.dir}'",
            "max_connections = 60",
            "shared_buffers = 32MB",
            # A throwaway cluster: no need to wait for the disk (a clean stop still flushes).
            "fsync = off",
            "full_page_writes = off",
            "log_line_prefix = '%m [%p] '",
        ]
        with open(self.data / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write("\n# portal drill\n" + "\n".join(settings) + "\n")

    def pg_ctl(self, action: str, *extra: str) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log_file), "-w", "-t", "60",
                  *extra, action)  # fmt: skip

    def start(self) -> None:
        self.pg_ctl("start")

    def restart(self) -> None:
        self.pg_ctl("restart", "-m", "fast")

    def stop(self, mode: str = "fast") -> None:
        self.pg_ctl("stop", "-m", mode)

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def psql(self, sql: str, database: str = DATABASE) -> str:
        return self._run(
            "psql", "-h", HOST, "-p", str(self.port), "-U", "postgres", "-d", database,
            "-At", "-v", "ON_ERROR_STOP=1", "-c", sql, timeout=30,
        ).strip()  # fmt: skip

    def destroy(self) -> None:
        if self.running():
            with contextlib.suppress(Exception):
                self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)

    def version(self) -> str:
        return self._run("postgres", "--version").strip()


class Processes:
    """The app processes the drill started, each in its own process group, logs in a folder."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.started: dict[str, subprocess.Popen] = {}
        self.files = []

    def start(self, name: str, command: list[str], env: dict) -> subprocess.Popen:
        output = open(self.log_dir / f"{name}.log", "w", encoding="utf-8")  # noqa: SIM115
        self.files.append(output)
        process = subprocess.Popen(  # noqa: S603 (the venv's own programs)
            command,
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.started[name] = process
        return process

    def stop_all(self) -> None:
        for process in self.started.values():
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in self.started.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        for output in self.files:
            output.close()


@dataclass
class Options:
    pg_port: int
    ports: list[int]
    warmup: float
    between: float
    outage: float
    after: float
    drain: float
    target: float
    workers: int
    threads: int
    results: Path
    keep_logs: bool


def worker_command() -> list[str]:
    """The e-mail worker as production runs it: ``run_worker`` (``db_worker`` under
    supervision); on a commit without it, the bare ``db_worker``."""
    name = (
        "run_worker"
        if (ROOT / "portal/management/commands/run_worker.py").exists()
        else "db_worker"
    )
    return [PYTHON, "manage.py", name, "--interval", "1"]


class Drill:
    def __init__(self, options: Options) -> None:
        self.options = options
        self.stamp = time.strftime("%Y%m%d-%H%M%S")
        self.log_dir = ROOT / "var" / "drill" / self.stamp
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.cluster: Cluster | None = None
        self.processes = Processes(self.log_dir)
        self.report: list[str] = []
        self.failures: list[str] = []

    # --- setting up ----------------------------------------------------------------------

    def environment(self) -> dict:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DATABASE_", "EMAIL_", "RATE_LIMIT_", "CACHE_", "TASKS_"))
        }
        env.update(
            DEBUG="0",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS=HOST,
            PORTAL_URL=f"http://{HOST}:{self.options.ports[0]}",
            SUPPORT_PORTAL_URL="https://support.example.com/",
            VENDOR_NAME="HR & Payroll Software B.V.",
            VENDOR_IBAN="NL44RABO0123456789",
            VENDOR_BIC="RABONL2U",
            # Plain HTTP on 127.0.0.1, as behind a TLS-terminating proxy without the proxy.
            SECURE_COOKIES="0",
            BEHIND_TLS_PROXY="0",
            SECURE_SSL_REDIRECT="0",
            EMAIL_CONSOLE="1",
            DATABASE_URL=self.cluster.url,
            MEDIA_ROOT=str(self.log_dir / "media"),
            # Every simulated person comes from 127.0.0.1, which production's per-IP limits
            # would take for one client; the per-address limits stay as they are.
            RATE_LIMIT_LOGIN="1000/m/ip",
            RATE_LIMIT_RESET_PASSWORD="1000/m/ip,5/m/key",  # noqa: S106 (not a password)
            # The two drill Admins add far more people than an Admin would in an hour, and
            # the drill checks that each addition queued its welcome mail.
            RATE_LIMIT_WELCOME_MAILS_PER_ADMIN="1000000",
            PYTHONUNBUFFERED="1",
            LOG_LEVEL="INFO",
        )
        return env

    def manage(self, env: dict, *args: str, debug: bool = False) -> None:
        run_env = dict(env, DEBUG="1") if debug else env
        result = subprocess.run(  # noqa: S603
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=run_env,
            capture_output=True,
            text=True,
            check=False,
        )
        with open(self.log_dir / "setup.log", "a", encoding="utf-8") as setup_log:
            setup_log.write(f"$ manage.py {' '.join(args)}\n{result.stdout}{result.stderr}\n")
        if result.returncode != 0:
            raise DrillError(f"manage.py {args[0]} failed: {result.stderr.strip()[-800:]}")

    def wait_ready(self, ports: list[int], timeout: float = 90) -> None:
        browser = Browser(timeout=5)
        deadline = time.monotonic() + timeout
        for index, port in enumerate(ports):
            while True:
                response, _, _, _ = browser.request("GET", port, "/healthz")
                if response is not None and response.status == 200:
                    break
                name = f"gunicorn-{'ab'[index]}"
                if self.processes.started[name].poll() is not None:
                    tail = (self.log_dir / f"{name}.log").read_text(encoding="utf-8")[-600:]
                    raise DrillError(f"{name} on port {port} exited:\n{tail}")
                if time.monotonic() > deadline:
                    raise DrillError(f"the portal on port {port} did not answer /healthz")
                time.sleep(0.5)

    def setup(self) -> dict:
        options = self.options
        log(f"PostgreSQL cluster on {HOST}:{options.pg_port} (throwaway, in a temporary folder)")
        self.cluster = Cluster(port=options.pg_port)
        self.cluster.init()
        self.cluster.start()
        self.cluster.psql(f"CREATE DATABASE {DATABASE}", database="postgres")
        env = self.environment()
        log("migrate, createcachetable, collectstatic, seed_demo")
        subprocess.run(  # noqa: S603
            [str(ROOT / ".venv" / "bin" / "pybabel"), "compile", "--domain", "django",
             "--directory", "locale"],
            cwd=ROOT, capture_output=True, check=True,
        )  # fmt: skip
        self.manage(env, "migrate", "--noinput")
        self.manage(env, "createcachetable")
        self.manage(env, "collectstatic", "--noinput")
        # The demo's accounts have a published password: it is seeded as on a developer's
        # machine; the app itself runs with DEBUG off.
        self.manage(env, "seed_demo", debug=True)
        for index, port in enumerate(options.ports):
            name = "ab"[index]
            self.processes.start(
                f"gunicorn-{name}",
                [GUNICORN, "portal.wsgi", "--workers", str(options.workers),
                 "--threads", str(options.threads), "--timeout", "30",
                 "--graceful-timeout", "5", "--bind", f"{HOST}:{port}", "--access-logfile", "-"],
                env,
            )  # fmt: skip
        self.worker = self.processes.start("worker", worker_command(), env)
        log(f"gunicorn on ports {', '.join(map(str, options.ports))}; worker: "
            f"{' '.join(worker_command()[1:])}")  # fmt: skip
        self.wait_ready(options.ports)
        return env

    def session_shared(self) -> str:
        """Logs in on the first port and reads a page on the second with that session."""
        first, second = self.options.ports[:2]
        browser = Browser(timeout=10)
        page, _, _, _ = browser.request("GET", first, "/accounts/login/")
        form = post_form(page.body, field="login") if page else None
        if form is None:
            return "**no**: the login page did not answer"
        fields = dict(form["fields"], login="anne.vanamersfoort@example.com")
        fields["password"] = "demo-portal-2026"  # noqa: S105 (the demo's published password)
        answer, _, _, _ = browser.request("POST", first, "/accounts/login/", fields)
        if answer is None or answer.status != 302:
            return f"**no**: login on port {first} answered {answer and answer.status}"
        page, _, _, _ = browser.request("GET", second, "/organisation/billing-address/")
        if page is not None and page.status == 200:
            return (
                f"yes: logged in on port {first}, the billing address page (login required) "
                f"read on port {second} with the same session cookie"
            )
        return f"**no**: port {second} answered {page and page.status} {page and page.location}"

    # --- the drill -----------------------------------------------------------------------

    def run(self) -> int:
        options = self.options
        self.setup()
        shared = self.session_shared()
        log(f"session shared between the instances: {shared}")
        if not shared.startswith("yes"):
            self.failures.append("a session made on one instance does not work on the other")

        run_id = secrets.token_hex(2)
        addresses = self.cluster.psql(
            "SELECT email FROM accounts_user WHERE is_active AND NOT is_staff "
            "AND password NOT LIKE '!%' AND email NOT IN "
            "('ruud.coon@example.com', 'marieke.jansen@example.com') ORDER BY email"
        ).split()
        since = datetime.now(UTC)
        recorder = Recorder(clock_start=time.monotonic())
        stop = threading.Event()
        ports = options.ports
        common = {"ports": ports, "recorder": recorder, "stop": stop}
        actors = [
            BillingEditor("billing-ruud", email="ruud.coon@example.com", run_id=run_id, **common),
            BillingEditor(
                "billing-marieke", email="marieke.jansen@example.com", run_id=run_id, **common
            ),
            UserManager("users-ruud", email="ruud.coon@example.com", run_id=run_id, **common),
            UserManager(
                "users-marieke", email="marieke.jansen@example.com", run_id=run_id, **common
            ),
            PasswordResetter("reset", addresses=addresses, **common),
            Reader("reader-anne", email="anne.vanamersfoort@example.com", **common),
            Reader("reader-joost", email="joost.bakker@example.com", **common),
        ]
        probe_paths = ["/healthz"]
        livez, _, _, _ = Browser(timeout=5).request("GET", ports[0], "/livez")
        if livez is not None and livez.status == 200:
            probe_paths.append("/livez")
        probe = Probe(ports=ports, paths=probe_paths, recorder=recorder, stop=stop)
        log(f"load: {len(actors)} people on ports {ports}, probing {', '.join(probe_paths)}")
        probe.start()
        self.worker_exit_at: float | None = None
        watcher = threading.Thread(
            target=self.watch_worker, args=(recorder, stop), name="worker-watch", daemon=True
        )
        watcher.start()
        for thread in actors:  # one after the other, as people arrive (logins hash passwords)
            thread.start()
            time.sleep(0.5)

        faults: list[Fault] = []
        try:
            time.sleep(options.warmup)
            log("PostgreSQL: restart -m fast")
            start = recorder.now()
            self.cluster.restart()
            faults.append(Fault("restart (-m fast)", start, recorder.now()))
            log(f"PostgreSQL back after {faults[-1].duration:.2f} s")
            time.sleep(options.between)
            log(f"PostgreSQL: stop -m fast, {options.outage:g} s away")
            start = recorder.now()
            self.cluster.stop()
            time.sleep(options.outage)
            self.cluster.start()
            faults.append(Fault(f"stop for {options.outage:g} s", start, recorder.now()))
            log(f"PostgreSQL back after {faults[-1].duration:.2f} s")
            time.sleep(options.after)
        finally:
            stop.set()
            for thread in [*actors, probe]:
                thread.join(timeout=30)
        log("load stopped; waiting for the worker to send what is queued")
        drained = self.drain(since)
        worker_state = self.worker_state()

        acknowledged_file = self.log_dir / "acknowledged.json"
        acknowledged_file.write_text(
            json.dumps({"since": since.isoformat(), "acknowledged": recorder.acknowledged},
                       indent=2),
            encoding="utf-8",
        )  # fmt: skip
        findings = self.verify(acknowledged_file)
        self.write_report(recorder, faults, findings, shared, worker_state, drained)
        return 1 if self.failures else 0

    def drain(self, since: datetime) -> float | None:
        """Waits until no mail queued during the drill is waiting (or the time is up)."""
        started = time.monotonic()
        while time.monotonic() - started < self.options.drain:
            since_sql = since.isoformat()  # our own timestamp
            where = f"status = 'queued' AND created_at >= '{since_sql}'"
            query = f"SELECT count(*) FROM outbox_outgoingemail WHERE {where}"  # noqa: S608
            waiting = self.cluster.psql(query)
            if waiting == "0":
                return time.monotonic() - started
            time.sleep(1)
        return None

    def watch_worker(self, recorder: Recorder, stop: threading.Event) -> None:
        """Notes when the worker process ends during the load (it should never)."""
        while not stop.wait(0.5):
            if self.worker.poll() is not None:
                self.worker_exit_at = recorder.now()
                recorder.note(f"the worker exited with code {self.worker.returncode}")
                return

    def worker_state(self) -> str:
        code = self.worker.poll()
        if code is None:
            text = self.worker_log()
            restarts = text.count("the worker starts again")
            requeued = text.count("interrupted task(s) back on the queue")
            return (
                f"running; it waited for the database {restarts} times and put interrupted "
                f"tasks back on the queue {requeued} times (run_worker's log lines)"
            )
        when = (
            f" at {self.worker_exit_at:.1f} s of the load"
            if self.worker_exit_at is not None
            else " after the load"
        )
        self.failures.append(
            f"the e-mail worker exited (code {code}){when} and did not come back"
            + (
                " (it was sent SIGTERM, see worker.log)"
                if "Received Terminated" in self.worker_log()
                else ""
            )
        )
        return f"**exited with code {code}{when}**"

    def worker_log(self) -> str:
        return (self.log_dir / "worker.log").read_text(encoding="utf-8", errors="replace")

    def verify(self, acknowledged_file: Path) -> dict:
        result = subprocess.run(  # noqa: S603
            [PYTHON, "-m", "drill.verify", str(acknowledged_file)],
            cwd=ROOT,
            env=self.environment(),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise DrillError(f"drill.verify failed: {result.stderr.strip()[-1500:]}")
        return json.loads(result.stdout)

    # --- the report ----------------------------------------------------------------------

    def write_report(
        self,
        recorder: Recorder,
        faults: list[Fault],
        findings: dict,
        shared: str,
        worker_state: str,
        drained: float | None,
    ) -> None:
        options = self.options
        target = options.target
        windows, unattributed = error_windows(recorder.requests, faults)
        health = probe_summaries(
            [probe for probe in recorder.probes if probe.action == "GET /healthz"],
            faults,
            limit=HEALTH_LIMIT,
        )
        livez = [probe for probe in recorder.probes if probe.action == "GET /livez"]
        # Around the faults (a burst of logins on a busy machine is not what this measures).
        slow_health = sum(summary.slower_than_limit for summary in health)
        for window in windows:
            if not window.closed_within(target):
                self.failures.append(
                    f"{window.fault.name}: errors until {window.last_failure:.2f} s after the "
                    f"database returned (target {target:g} s)"
                )
        if unattributed:
            self.failures.append(f"{len(unattributed)} failed requests outside any fault")
        if slow_health:
            self.failures.append(
                f"/healthz took longer than {HEALTH_LIMIT:g} s around the faults {slow_health}×"
            )
        if livez and any(probe.failed for probe in livez):
            self.failures.append("/livez failed while it needs no database")
        missing = findings["missing"]
        if missing:
            self.failures.append(f"{len(missing)} acknowledged changes or mails are missing")
        if findings["controls_unnoticed"]:
            self.failures.append(
                "the verification did not notice fabricated acknowledgements: "
                + ", ".join(findings["controls_unnoticed"])
            )
        mails = findings["mails"]
        if mails["stranded"]:
            self.failures.append(f"{len(mails['stranded'])} queued mails have no task to send them")
        if mails["failed"]:
            self.failures.append(f"{len(mails['failed'])} mails failed")

        git = subprocess.run(
            ["git", "describe", "--always", "--dirty"],  # noqa: S607
            cwd=ROOT, capture_output=True, text=True, check=False,
        ).stdout.strip()  # fmt: skip
        requests = recorder.requests
        failed = [request for request in requests if request.failed]
        per_action = Counter(request.action for request in requests)
        failed_per_action = Counter(request.action for request in failed)
        acknowledged = {kind: len(items) for kind, items in recorder.acknowledged.items()}
        verdict = "PASSED" if not self.failures else "FAILED"
        lines = [
            f"# Drill {self.stamp}: {verdict}",
            "",
            f"Commit `{git}`, {self.cluster.version()}, two gunicorn instances "
            + (
                f"({options.workers} sync workers each) "
                if options.threads == 1
                else f"({options.workers} workers × {options.threads} threads each) "
            )
            + f"on ports {', '.join(map(str, options.ports))}, "
            f"worker `{' '.join(worker_command()[1:])}`; logs in `var/drill/{self.stamp}/`.",
            "",
        ]
        if self.failures:
            lines += ["## What failed", ""] + [f"- {failure}" for failure in self.failures] + [""]
        lines += [
            "## Faults and error windows",
            "",
            "Times relative to the fault: a failure is an answer of 5xx, no answer (refused, "
            "reset, timed out at 15 s), or a page that was not what the step expected. "
            f"Target: the last failure at most {target:g} s after the database is back.",
            "",
            *windows_table(windows, target=target),
            "",
            "| fault | began at | database back at |",
            "|---|---|---|",
            *[f"| {fault.name} | {fault.start:.2f} s | {fault.end:.2f} s |" for fault in faults],
            "",
            "## Health check (`/healthz`, every 0.25 s, both ports)",
            "",
            *probes_table(health, limit=HEALTH_LIMIT),
            "",
            "Slowest probe answer of the whole drill (also outside the faults, e.g. while the "
            "load logs in): "
            f"{max((p.duration for p in recorder.probes), default=0):.2f} s"
            + (
                f"; `/livez` failed {sum(p.failed for p in livez)} of {len(livez)} times."
                if livez
                else "; no `/livez` on this commit."
            ),
            "",
            "## Load",
            "",
            f"Session made on one instance works on the other: {shared}.",
            "",
            f"{len(requests)} requests, {len(failed)} failed "
            f"({len(unattributed)} outside any fault window).",
            "",
            "| step | requests | failed |",
            "|---|---|---|",
            *[
                f"| {action} | {count} | {failed_per_action.get(action, 0)} |"
                for action, count in sorted(per_action.items())
            ],
            "",
            "Outcomes: "
            + ", ".join(f"{name} {count}" for name, count in sorted(recorder.outcomes.items())),
            "",
            "## Verification",
            "",
            "Acknowledged and checked in the database and the audit log: "
            + ", ".join(f"{kind} {count}" for kind, count in acknowledged.items())
            + f" (checked: {findings['checked']}).",
            "",
        ]
        if missing:
            lines += ["Missing:", ""] + [f"- {item}" for item in missing[:50]] + [""]
        else:
            lines += ["Nothing acknowledged is missing.", ""]
        lines += [
            "Control: one fabricated acknowledgement of each kind (never made) "
            + (
                "was reported missing, so the checks can fail."
                if not findings["controls_unnoticed"]
                else f"**went unnoticed: {findings['controls_unnoticed']}**."
            ),
            "",
        ]
        lines += [
            f"Mails queued during the drill: {mails['total']} {mails['by_status']} "
            f"by kind {mails['by_kind']}; {mails['retried']} needed more than one attempt; "
            f"stranded (queued, no task): {len(mails['stranded'])}; "
            f"failed: {len(mails['failed'])}; "
            + (
                f"queue empty {drained:.1f} s after the load stopped."
                if drained is not None
                else f"**still queued {options.drain:g} s after the load stopped**."
            ),
            "",
            f"Delivery tasks: {findings['tasks']['by_status']}"
            + (f", errors {findings['tasks']['errors']}" if findings["tasks"]["errors"] else ""),
            "",
            f"E-mail worker at the end: {worker_state}.",
            "",
        ]
        for item in (mails["stranded"] + mails["failed"])[:20]:
            lines.append(f"- {item}")
        if unattributed:
            lines += ["", "## Failures outside the fault windows", ""]
            lines += [
                f"- {r.ended:.2f} s {r.actor} {r.action} port {r.port}: {r.status} {r.error}"
                for r in unattributed[:20]
            ]
        if recorder.notes:
            lines += ["", "## Notes of the load (first 50)", "", "```", *recorder.notes, "```"]
        text = "\n".join(lines) + "\n"
        options.results.parent.mkdir(parents=True, exist_ok=True)
        options.results.write_text(text, encoding="utf-8")
        (self.log_dir / "report.md").write_text(text, encoding="utf-8")
        self.requests_dump(recorder)
        print(text, flush=True)

    def requests_dump(self, recorder: Recorder) -> None:
        with open(self.log_dir / "requests.jsonl", "w", encoding="utf-8") as dump:
            for request in sorted(recorder.requests + recorder.probes, key=lambda r: r.started):
                dump.write(json.dumps(request.__dict__) + "\n")

    def cleanup(self) -> None:
        self.processes.stop_all()
        if self.cluster is not None:
            self.cluster.destroy()
        if not self.options.keep_logs:
            shutil.rmtree(self.log_dir / "media", ignore_errors=True)


def parse(argv: list[str]) -> Options:
    parser = argparse.ArgumentParser(prog="scripts/drill", description=__doc__.split("\n\n")[0])
    # Below the kernel's ephemeral range (32768-60999), where an outgoing connection of any
    # program on the machine could take the port between the check and the bind.
    parser.add_argument("--pg-port", type=int, default=25432)
    parser.add_argument("--ports", default="28081,28082", help="the two gunicorn ports")
    parser.add_argument(
        "--workers", type=int, default=4, help="gunicorn workers per instance (as in production)"
    )
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per gunicorn worker (>1: gthread)"
    )
    parser.add_argument("--warmup", type=float, default=20, help="load before the restart (s)")
    parser.add_argument("--between", type=float, default=30, help="restart to stop (s)")
    parser.add_argument("--outage", type=float, default=20, help="how long it is stopped (s)")
    parser.add_argument("--after", type=float, default=30, help="load after the return (s)")
    parser.add_argument("--drain", type=float, default=90, help="wait for the mail queue (s)")
    parser.add_argument("--target", type=float, default=2.0, help="error window target (s)")
    parser.add_argument("--results", type=Path, default=ROOT / "drill" / "results" / "latest.md")
    parser.add_argument("--keep-logs", action="store_true", help="keep the media folder too")
    args = parser.parse_args(argv)
    taken: set[int] = set()
    pg_port = free_port(args.pg_port, taken)
    ports = [free_port(int(port), taken) for port in args.ports.split(",")]
    if len(ports) != 2:
        parser.error("--ports needs two ports")
    return Options(
        pg_port=pg_port,
        ports=ports,
        warmup=args.warmup,
        between=args.between,
        outage=args.outage,
        after=args.after,
        drain=args.drain,
        target=args.target,
        workers=args.workers,
        threads=args.threads,
        results=args.results,
        keep_logs=args.keep_logs,
    )


def main(argv: list[str] | None = None) -> int:
    options = parse(sys.argv[1:] if argv is None else argv)

    def terminate(signum, frame):  # SIGTERM as Ctrl-C: the finally below cleans up
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGHUP, terminate)
    drill = Drill(options)
    try:
        return drill.run()
    except KeyboardInterrupt:
        log("interrupted")
        return 130
    except DrillError as error:
        log(f"the drill could not run: {error}")
        return 2
    finally:
        log("stopping the app processes and removing the PostgreSQL cluster")
        # A second Ctrl-C must not leave a cluster behind.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        drill.cleanup()


if __name__ == "__main__":
    sys.exit(main())
