"""What the apps' tests share: rows built once for a module, races on PostgreSQL and a
real browser."""

import os
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection, connections, transaction


@contextmanager
def rolled_back(django_db_blocker):
    """Rows written inside are kept for the tests that run inside, then rolled back.

    For a module-scoped fixture that builds something costly once (the demo district) and
    shares it with the module's tests, which only read it or change it in their own ``db``
    transaction (rolled back after each test)::

        @pytest.fixture(scope="module")
        def demo(django_db_setup, django_db_blocker):
            with rolled_back(django_db_blocker):
                yield load_demo(stdout=io.StringIO())

    Not for ``transaction=True`` tests: their flush would empty the shared rows.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# Marks of a test module whose tests race writers against each other's row locks.
POSTGRES_ONLY = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks need PostgreSQL (SQLite has one writer)",
    ),
]


def race(*calls) -> list:
    """Run the calls at once, each in its own thread released by one barrier; return each
    call's result, or the exception it raised, in the order the calls were given. Every
    thread closes its database connections, so the test database can be dropped."""
    results: list = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as e:  # noqa: BLE001 - each racer's outcome is what tests check
            results[i] = e
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def errors_of(results: list) -> list[Exception]:
    return [r for r in results if isinstance(r, Exception)]


CHROMIUM = Path("/usr/bin/chromium")

# Marks of a browser test module: Debian's Chromium driven by Playwright, never a download.
BROWSER = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's Chromium (/usr/bin/chromium) "
        "is not installed; apt-get install chromium to run browser tests",
    ),
]


@contextmanager
def chromium():
    """A headless Chromium for one test. Playwright's sync API runs an event loop in this
    thread; the ORM calls the test's fixtures make from it are ordinary synchronous ones.

    While that loop runs, Django's connections of this thread live apart from the thread's
    usual ones (asgiref's ``Local`` acts as a context variable under a running loop): the
    ORM calls made inside the block open a second connection, which only this block can
    close. Left open it outlives the test, and the test database cannot be dropped."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield browser
        finally:
            browser.close()
            connections.close_all()
