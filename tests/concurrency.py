"""Real parallel work for concurrency tests (PostgreSQL): each thread has its own connection."""

import threading

from django.db import connection


def in_threads(count: int, work) -> tuple[list, list]:
    """Run work(i) in `count` threads released together; returns (results, errors)."""
    barrier = threading.Barrier(count)
    results, errors, lock = [], [], threading.Lock()

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            outcome = work(i)
            with lock:
                results.append(outcome)
        except Exception as exc:  # noqa: BLE001 - collected and asserted by the test
            with lock:
                errors.append(exc)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors
