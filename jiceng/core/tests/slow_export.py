"""A test-only export that writes slowly, so a test can kill its worker mid-file.

Only the worker subprocess of ``test_jobs_kill.py`` calls ``register()``, so the export never
joins the test process's registry (which other tests walk); the delay per row comes from
``JICENG_TEST_EXPORT_DELAY``."""

import os
import time

from jiceng.core.exports import Column, ListExport, register_export

ROWS = 200


def _slow(n: int) -> int:
    time.sleep(float(os.environ.get("JICENG_TEST_EXPORT_DELAY", "0")))
    return n


def register() -> None:
    register_export(
        ListExport(
            key="core.slow_test",
            title="慢速导出",
            columns=(Column("序号", _slow),),
            rows=lambda *, user, params: range(ROWS),
            allowed=lambda user: True,
        )
    )
