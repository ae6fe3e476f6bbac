"""Running two jobs at once on PostgreSQL, each on its own connection (pattern of
tests/users/test_concurrency.py): each job runs in a transaction and waits at a barrier after
its service returned, before committing. Without locks or constraints both would pass the
barrier holding the same stale state; with them the second waits inside the database, the
first gives up waiting at the barrier and commits, and the second reads the committed state."""

from __future__ import annotations

import contextlib
import threading

from django.db import connections, transaction

BARRIER_TIMEOUT = 2.0


def run_in_threads(*jobs) -> list:
    """Runs each job in its own thread (and so its own database connection); returns what
    each returned or raised."""
    outcomes: list = [None] * len(jobs)

    def run(index, job):
        try:
            outcomes[index] = job()
        except Exception as error:  # noqa: BLE001 - reported to the test
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def race(*jobs):
    """Each job in a transaction that waits at a barrier after the job, before committing."""
    barrier = threading.Barrier(len(jobs))

    def in_transaction(job):
        def run():
            with transaction.atomic():
                result = job()
                with contextlib.suppress(threading.BrokenBarrierError):
                    barrier.wait(timeout=BARRIER_TIMEOUT)
                return result

        return run

    return run_in_threads(*(in_transaction(job) for job in jobs))
