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


def race(*jobs):
    barrier = threading.Barrier(len(jobs))
    outcomes: list = [None] * len(jobs)

    def run(index, job):
        try:
            with transaction.atomic():
                outcomes[index] = job()
                with contextlib.suppress(threading.BrokenBarrierError):
                    barrier.wait(timeout=BARRIER_TIMEOUT)
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
