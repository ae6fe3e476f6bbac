"""`manage.py run_worker`: the task worker outlives a database outage (issue 11)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from portal.management.commands.run_worker import Supervisor

ROOT = Path(__file__).resolve().parent.parent.parent


def _worker(**kwargs) -> Worker:
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="worker-under-test",
        excluded_queue_names=[],
        **kwargs,
    )


class FlakyWorker:
    """Stands in for db_worker's loop: fails with the database ``failures`` times, then ends."""

    def __init__(self, worker: Worker, failures: int) -> None:
        self.worker = worker
        self.failures = failures
        self.runs = 0

    def __call__(self) -> None:
        self.runs += 1
        if self.runs <= self.failures:
            raise OperationalError("connection refused")


@pytest.mark.django_db(transaction=True)
def test_the_worker_starts_again_after_database_failures_with_a_growing_backoff(monkeypatch):
    worker = _worker()
    flaky = FlakyWorker(worker, failures=5)
    monkeypatch.setattr(worker, "run", flaky)
    waits = []
    supervisor = Supervisor(worker, sleep=waits.append)
    supervisor.run()
    assert flaky.runs == 6
    assert waits == [0.25, 0.5, 1.0, 2.0, 2.0]
    assert supervisor.restarts == 5


@pytest.mark.django_db(transaction=True)
def test_the_backoff_starts_over_after_the_worker_ran_well(monkeypatch):
    worker = _worker()
    flaky = FlakyWorker(worker, failures=4)
    now = [0.0]

    def run():
        # The third run lasts a minute before the database fails again.
        if flaky.runs == 2:
            now[0] += 60
        flaky()

    monkeypatch.setattr(worker, "run", run)
    waits = []
    Supervisor(worker, sleep=waits.append, clock=lambda: now[0]).run()
    assert waits == [0.25, 0.5, 0.25, 0.5]


@pytest.mark.django_db(transaction=True)
def test_sigterm_while_waiting_for_the_database_stops_the_worker(monkeypatch):
    worker = _worker()
    flaky = FlakyWorker(worker, failures=100)
    monkeypatch.setattr(worker, "run", flaky)

    def sleep(seconds):
        if flaky.runs == 3:
            worker.shutdown(signal.SIGTERM, None)

    with pytest.raises(SystemExit) as stopped:
        Supervisor(worker, sleep=sleep).run()
    assert stopped.value.code == 0
    assert flaky.runs == 3


@pytest.mark.django_db(transaction=True)
def test_a_task_interrupted_by_the_outage_goes_back_on_the_queue(monkeypatch):
    def task(worker_ids):
        return DBTaskResult.objects.create(
            status=TaskResultStatus.RUNNING,
            args_kwargs={"args": [], "kwargs": {"email_id": 1}},
            task_path="outbox.tasks.email_deliver",
            backend_name="default",
            run_after=timezone.now(),
            worker_ids=worker_ids,
        )

    mine = task(["worker-under-test"])
    someone_elses = task(["another-worker"])
    worker = _worker()
    monkeypatch.setattr(worker, "run", FlakyWorker(worker, failures=1))
    Supervisor(worker, sleep=lambda seconds: None).run()
    mine.refresh_from_db()
    someone_elses.refresh_from_db()
    assert mine.status == TaskResultStatus.READY
    assert someone_elses.status == TaskResultStatus.RUNNING


def test_run_worker_keeps_trying_without_a_database_and_stops_on_sigterm():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "1",
        # Nothing listens on port 1: every query fails with OperationalError.
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/portal",
        "DATABASE_POOL": "0",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "run_worker", "--interval", "0.1", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
            if sum("the worker starts again in" in seen for seen in lines) >= 4:
                break
        assert process.poll() is None, "".join(lines)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=5) == 0
    finally:
        if process.poll() is None:
            process.kill()
    output = "".join(lines)
    assert "OperationalError" in output
    assert "the worker starts again in 0.25 s" in output
    assert "the worker starts again in 0.50 s" in output
    assert "the worker starts again in 1.00 s" in output
