"""The task worker (e-mail delivery, large statement imports) under supervision.

django-tasks-db's ``db_worker`` exits with ``OperationalError`` as soon as the database is
away for longer than one query. This command runs the same worker in a loop instead: when the
database fails it closes the connections, waits (a backoff of 0.25 s doubling up to
``--max-backoff``, 2 s by default, so the worker resumes within 2 s of the database's return)
and starts again, and it puts a task it was running when the database went away back on the
queue (the delivery task is idempotent: it only sends a mail that is still queued). SIGTERM
or SIGINT stop it: at once while it waits, after the running task otherwise.

Use it instead of ``db_worker`` everywhere (``make run``, the production instructions).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.db import DatabaseError, connections
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger("django_tasks_db")


class Supervisor:
    """Runs ``worker.run()`` until it returns or a signal stops it; restarts it with backoff
    after a database failure. ``sleep`` and ``clock`` are injectable for the tests."""

    def __init__(
        self,
        worker: db_worker.Worker,
        *,
        initial_backoff: float = 0.25,
        max_backoff: float = 2.0,
        healthy_after: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.worker = worker
        self.initial_backoff = initial_backoff
        self.max_backoff = max_backoff
        self.healthy_after = healthy_after
        self.sleep = sleep
        self.clock = clock
        self.restarts = 0

    def run(self) -> None:
        delay = self.initial_backoff
        while self.worker.running:
            started = self.clock()
            try:
                self.worker.run()
                return
            except DatabaseError as error:
                if not self.worker.running:
                    return
                if self.clock() - started >= self.healthy_after:
                    # It ran well for a while: this is a new outage, start the backoff over.
                    delay = self.initial_backoff
                self._drop_connections()
                logger.warning(
                    "Database unavailable (%s: %s); the worker starts again in %.2f s.",
                    type(error).__name__,
                    str(error).strip().splitlines()[0] if str(error).strip() else "",
                    delay,
                )
                self.sleep(delay)
                delay = min(delay * 2, self.max_backoff)
                self.restarts += 1
                self._requeue_interrupted()

    def _drop_connections(self) -> None:
        for connection in connections.all(initialized_only=True):
            try:
                connection.close()
            except DatabaseError:
                # The connection is gone with the database; forget it.
                connection.connection = None

    def _requeue_interrupted(self) -> None:
        """A task this worker had claimed when the database went away is still marked as
        running; put it back on the queue. Failing here is fine: the next round tries again."""
        try:
            running = DBTaskResult.objects.filter(
                status=TaskResultStatus.RUNNING, backend_name=self.worker.backend_name
            ).only("pk", "worker_ids")
            mine = [
                result.pk
                for result in running
                if result.worker_ids and result.worker_ids[-1] == self.worker.worker_id
            ]
            if mine:
                DBTaskResult.objects.filter(pk__in=mine, status=TaskResultStatus.RUNNING).update(
                    status=TaskResultStatus.READY, started_at=None
                )
                logger.warning("Put %s interrupted task(s) back on the queue.", len(mine))
        except DatabaseError:
            self._drop_connections()


class Command(db_worker.Command):
    help = (
        "Runs the task worker (db_worker) and keeps it running through database outages: "
        "it restarts with a short backoff and stops on SIGTERM/SIGINT."
    )

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--max-backoff",
            type=db_worker.valid_interval,
            default=2.0,
            help="The longest wait between restarts after a database failure, in seconds.",
        )
        # The autoreloader and a supervising loop do not mix: restart the command instead.
        parser.set_defaults(reload=False)

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        max_backoff: float,
        **options,
    ) -> None:
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise db_worker.CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = db_worker.Worker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        # SIGTERM/SIGINT: the worker stops after its running task, or at once when idle or
        # waiting for the database (its handler exits the process then).
        worker.configure_signals()
        Supervisor(worker, initial_backoff=min(0.25, max_backoff), max_backoff=max_backoff).run()
