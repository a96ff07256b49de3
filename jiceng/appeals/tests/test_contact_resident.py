"""Contacting the resident: the handling steward reveals and calls the phone, audited;
everyone else sees it masked."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from jiceng.appeals import services
from jiceng.core.models import AuditEvent
from jiceng.core.roles import Role

from .test_views import submit


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def test_owner_reveals_the_phone_with_a_tel_link_and_the_reveal_is_audited(client, world, stewards):
    appeal = submit()
    assert appeal.owner_id == stewards.grid.pk
    client.force_login(stewards.grid_user)
    page = client.get(reverse("appeals:detail", kwargs={"pk": appeal.pk})).content.decode()
    assert "138****1111" in page and "13800001111" not in page and "显示并拨打" in page

    response = client.post(reverse("appeals:reveal_phone", kwargs={"pk": appeal.pk}))

    assert response.status_code == 200
    assert 'href="tel:13800001111"' in response.content.decode()
    row = AuditEvent.objects.get(action="appeal.reveal_phone")
    assert row.actor_id == stewards.grid_user.pk and row.object_id == str(appeal.pk)


@pytest.mark.parametrize("role", [Role.COMMUNITY_STAFF, Role.CHIEF_STEWARD, Role.STREET_STAFF])
def test_others_in_scope_see_the_phone_masked_and_cannot_reveal_it(client, world, stewards, role):
    appeal = submit()
    client.force_login(world.users[role])
    page = client.get(reverse("appeals:detail", kwargs={"pk": appeal.pk})).content.decode()
    assert "138****1111" in page and "显示并拨打" not in page

    response = client.post(reverse("appeals:reveal_phone", kwargs={"pk": appeal.pk}))

    assert response.status_code == 403
    assert "13800001111" not in response.content.decode()
    assert not AuditEvent.objects.filter(action="appeal.reveal_phone").exists()


def test_the_steward_loses_the_reveal_once_the_appeal_is_handed_on(client, world, stewards):
    appeal = services.appeal_accept(appeal=submit(), by=stewards.grid_user)
    services.appeal_hand_to_shared(appeal=appeal, by=stewards.grid_user, shared=stewards.shared)
    client.force_login(stewards.grid_user)
    assert client.post(reverse("appeals:reveal_phone", kwargs={"pk": appeal.pk})).status_code == 403
    client.force_login(stewards.shared_user)
    response = client.post(reverse("appeals:reveal_phone", kwargs={"pk": appeal.pk}))
    assert response.status_code == 200 and "tel:13800001111" in response.content.decode()
