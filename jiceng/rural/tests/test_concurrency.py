"""Concurrent writes on PostgreSQL (SQLite ignores row locks): two people recording the same
ledger line, and two imports of overlapping files, leave one line each and no error page."""

from decimal import Decimal

from jiceng.core.errors import ValidationFailed
from jiceng.core.roles import Role
from jiceng.testing import POSTGRES_ONLY, race

from ..models import CollectiveIncome, IncomeModel
from ..services import import_ledger_rows, income_create
from ..services.ledger_import import LedgerRow

pytestmark = POSTGRES_ONLY


def test_two_people_recording_the_same_line_leave_one(rural):
    def record():
        return income_create(
            by=rural.user(Role.STREET_STAFF),
            area=rural.village_a,
            year=2023,
            source="标准厂房租赁",
            model=IncomeModel.PROPERTY,
            amount=Decimal("1000"),
        )

    results = race(record, record)
    assert CollectiveIncome.objects.count() == 1
    assert sum(isinstance(r, ValidationFailed) for r in results) == 1


def test_two_overlapping_imports_leave_one_line_per_source(rural):
    def rows(amount):
        return [
            LedgerRow(2, rural.village_a.code, "", 2023, "标准厂房租赁", "property", amount, ""),
            LedgerRow(3, rural.village_a.code, "", 2023, "土地流转服务费", "land", amount, ""),
        ]

    user = rural.user(Role.STREET_STAFF)
    results = race(
        lambda: import_ledger_rows(rows(Decimal("1000")), by=user),
        lambda: import_ledger_rows(rows(Decimal("2000")), by=user),
    )
    assert all(getattr(r, "ok", False) for r in results), results
    assert CollectiveIncome.objects.count() == 2
    # The second import to take the lock updated what the first created.
    assert sorted(r.created for r in results) == [0, 2]
