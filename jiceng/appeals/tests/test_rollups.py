"""The rollups kept by the receiver equal the rollups rebuilt from the raw rows, whatever
the services did; and they change in the appeal's transaction or not at all."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from jiceng.appeals import services
from jiceng.appeals.models import Appeal, Rating
from jiceng.appeals.services.intake import Submission
from jiceng.appeals.stats.maintain import rollups_rebuild
from jiceng.appeals.stats.models import MEASURES, AppealMonthRollup, AppealRollup
from jiceng.appeals.tests.factories import SlaPolicyFactory
from jiceng.core.errors import ValidationFailed

ADDRESS = "纬二路小区1号楼"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def submit(**kw):
    values = dict(by=None, kind="help", channel="web", description="楼道灯坏了，晚上看不见")
    values.update(address=ADDRESS, phone="13800001111")
    values.update(kw)
    return services.appeal_submit(**values)


def table() -> list[tuple]:
    fields = ("day", "area_id", "area_code", "category_key", "channel", *MEASURES)
    rows = AppealRollup.objects.values_list(*fields)
    # A row all of whose counts went back to 0 is the same as no row.
    return sorted(r for r in rows if any(r[5:]))


def handle(a, by, result="solved"):
    a = services.appeal_accept(appeal=a, by=by)
    a = services.appeal_contact(appeal=a, by=by)
    return services.appeal_resolve(appeal=a, by=by, result=result, explanation="已处理完毕")


def test_maintained_rollups_equal_rebuilt_after_every_kind_of_change(world, stewards):
    SlaPolicyFactory(response_limit=2, resolve_limit=48)
    grid, chief = stewards.grid_user, stewards.chief_user
    a = handle(submit(), grid)
    services.appeal_rate(appeal=a, rating=Rating.SATISFIED)

    b = services.appeal_accept(appeal=submit(channel="wechat"), by=grid)
    b = services.appeal_contact(appeal=b, by=grid)
    b = services.appeal_pause(appeal=b, by=grid, reason="等待业主回家")
    b = services.appeal_resume(appeal=b, by=grid)
    b = services.appeal_resolve(appeal=b, by=grid, result="partly", explanation="部分修好")
    services.appeal_rate(appeal=b, rating=Rating.UNSATISFIED)  # reopens
    assert Appeal.objects.get(pk=b.pk).reopen_count == 1

    services.appeal_reject(appeal=submit(), by=chief, reason="不属于本社区")
    c = handle(submit(), grid, result="unsolved")
    services.appeal_reopen(appeal=c, by=chief, reason="回访仍未解决")
    d = submit()
    services.appeal_dispatch(appeal=d, steward=stewards.chief, by=chief)
    services.appeal_submit_many(
        by=None,
        submissions=[
            Submission(
                kind="help",
                channel="web",
                description=f"路灯坏了第{i}处",
                address=ADDRESS,
                phone="13800002222",
            )
            for i in range(3)
        ],
    )
    e = handle(submit(), grid)
    now = timezone.now()
    report = services.sla_sweep(now=now + timedelta(hours=3))  # response limits missed
    assert report.escalated >= 3
    services.sla_sweep(now=now + timedelta(days=8))  # e closes unrated, street supervises
    assert Appeal.objects.get(pk=e.pk).rating == Rating.UNRATED

    maintained = table()
    assert sum(r[5] for r in maintained) == Appeal.objects.count() == 9
    assert sum(r[5 + MEASURES.index("reopened")] for r in maintained) == 2
    assert sum(r[5 + MEASURES.index("overdue")] for r in maintained) >= 3
    months = month_table()
    assert sum(r[3] for r in months) == 9
    rollups_rebuild()
    assert table() == maintained
    assert month_table() == months


def month_table() -> list[tuple]:
    fields = ("month", "area_id", "area_code", *MEASURES)
    return sorted(r for r in AppealMonthRollup.objects.values_list(*fields) if any(r[3:]))


def test_refused_change_leaves_the_rollups_alone(world, stewards):
    SlaPolicyFactory(response_limit=2, resolve_limit=48)
    a = services.appeal_accept(appeal=submit(), by=stewards.grid_user)
    before = table()
    with pytest.raises(ValidationFailed):
        services.appeal_resolve(appeal=a, by=stewards.grid_user, result="solved", explanation="")
    assert table() == before


def test_a_rolled_back_transaction_takes_its_rollup_change_with_it(world, stewards):
    SlaPolicyFactory(response_limit=2, resolve_limit=48)
    submit()
    before = table()
    with pytest.raises(RuntimeError), transaction.atomic():
        submit()
        assert table() != before
        raise RuntimeError
    assert table() == before


def test_rebuild_command_replaces_drifted_rows(world, stewards, capsys):
    SlaPolicyFactory(response_limit=2, resolve_limit=48)
    submit()
    submit(channel="phone", by=stewards.chief_user)
    right = table()
    AppealRollup.objects.update(received=99)
    call_command("rollups_rebuild")
    assert table() == right
    assert "2" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_concurrent_changes_of_one_rollup_row_all_count(world, stewards):
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent upserts need PostgreSQL")
    import threading

    SlaPolicyFactory(response_limit=2, resolve_limit=48)
    errors = []

    def work():
        try:
            for _ in range(5):
                submit()
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sum(r[5] for r in table()) == Appeal.objects.count() == 20
    maintained = table()
    rollups_rebuild()
    assert table() == maintained
