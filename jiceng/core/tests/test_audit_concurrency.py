"""Concurrent appends keep the audit chain a line (PostgreSQL: real row locks)."""

import threading

import pytest
from django.db import connection, connections

from jiceng.core.audit import audit_record, audit_verify
from jiceng.core.models import AuditEvent

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks need PostgreSQL (SQLite has one writer)",
    ),
]


def test_parallel_writers_never_fork_the_chain():
    barrier = threading.Barrier(4)
    errors = []

    def writer(n: int) -> None:
        try:
            barrier.wait()
            for i in range(15):
                audit_record(actor=None, action="test.parallel", object_repr=f"{n}-{i}")
        except Exception as e:  # surfaced below
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert AuditEvent.objects.filter(action="test.parallel").count() == 60
    prev_hashes = list(AuditEvent.objects.values_list("prev_hash", flat=True))
    assert len(prev_hashes) == len(set(prev_hashes)), "two rows share a predecessor"
    assert audit_verify() is None
