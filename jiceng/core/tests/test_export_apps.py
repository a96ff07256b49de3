"""Every registered list export, as every role, over the URL walk's rows of both streets:
the file answers like its page (allowed roles get it, others a 403) and never holds a row
of the other street."""

import importlib
from io import BytesIO

import openpyxl
import pytest
from django.apps import apps
from django.urls import reverse

from jiceng.core.exports import registered_exports
from jiceng.core.models import AuditEvent
from jiceng.core.roles import Role
from jiceng.core.tests.test_url_walk import _out_of_scope_names, _walk_params


def _load_exports() -> list[str]:
    for config in apps.get_app_configs():
        if config.name.startswith("jiceng."):
            try:
                importlib.import_module(f"{config.name}.exports")
            except ModuleNotFoundError:
                continue
    return [e.key for e in registered_exports()]


KEYS = _load_exports()


def test_the_existing_apps_lists_have_exports():
    assert {
        "core.people", "core.areas", "core.accounts", "core.audit", "party.orgs",
        "appeals.queue", "rural.villages", "rural.projects", "rural.secretaries",
        "rural.training", "rural.supporters", "contests.entries", "cadres.programmes",
        "cadres.training_hours", "cadres.batches",
        "cadres.rounds", "cadres.schemes", "cadres.leaders", "brands.wall",
    } <= set(KEYS)  # fmt: skip


def _cells(response) -> str:
    wb = openpyxl.load_workbook(BytesIO(response.content))
    return "\n".join(str(v) for row in wb.active.values for v in row if v is not None)


@pytest.mark.parametrize("role", list(Role))
def test_every_export_stays_in_scope(client, world, role):
    _walk_params(world)  # the apps' rows on both streets
    hidden = _out_of_scope_names(world)
    client.force_login(world.users[role])
    for key in KEYS:
        exports_before = AuditEvent.objects.filter(action__endswith=".export").count()
        response = client.post(reverse("core:list_export", args=[key]))
        assert response.status_code in (200, 400, 403), f"{key} as {role}"
        if response.status_code != 200:  # refused: nothing disclosed, nothing logged
            assert AuditEvent.objects.filter(action__endswith=".export").count() == exports_before
            continue
        if role == Role.DISTRICT_ADMIN:
            continue
        leaked = [n for n in hidden if n in _cells(response)]
        assert not leaked, f"{key} as {role} holds {leaked}"


def test_the_district_admin_gets_every_business_list(client, world):
    _walk_params(world)
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    business = [k for k in KEYS if k not in {"core.accounts", "core.audit", "contests.entries"}]
    for key in business:
        response = client.post(reverse("core:list_export", args=[key]))
        assert response.status_code == 200, f"{key}: {response.status_code}"
        event = AuditEvent.objects.filter(action=f"{key.split('.')[0]}.export").latest("id")
        assert event.changes["list"] == [None, key]


def test_contest_entries_export_needs_a_visible_contest(client, world):
    from jiceng.contests.models import Contest

    _walk_params(world)
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    contest = Contest.objects.order_by("id").first()
    if contest is None:
        pytest.skip("the contests walk made no contest")
    ok = client.post(
        reverse("core:list_export", args=["contests.entries"]) + f"?contest={contest.pk}"
    )
    assert ok.status_code == 200
    missing = client.post(
        reverse("core:list_export", args=["contests.entries"]) + "?contest=999999"
    )
    assert missing.status_code == 400
