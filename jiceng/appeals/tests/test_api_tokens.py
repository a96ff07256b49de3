"""Issue 17, finding 8 (tokens): a token acts inside its account's row of the role matrix.

Tokens issued before the matrix to roles that take no appeals (auditor, security
administrator, judge, rider, shared steward, first secretary) create nothing, on the
API and on Open311 alike, and no new token can be issued to such an account.
"""

import json

import pytest

from jiceng.appeals.models import ApiToken, Appeal
from jiceng.appeals.services.tokens import api_token_issue, token_hash
from jiceng.appeals.tests.factories import CategoryFactory
from jiceng.core.errors import PermissionDenied
from jiceng.core.roles import Role

NO_INTAKE = [
    Role.AUDITOR,
    Role.SECURITY_ADMIN,
    Role.JUDGE,
    Role.RIDER,
    Role.SHARED_STEWARD,
    Role.FIRST_SECRETARY,
]
BODY = {"kind": "complaint", "description": "楼道灯坏了", "address": "纬二路小区1号楼"}


def _legacy_token(user) -> str:
    """A token row as the old code would have issued it to any account."""
    key = f"legacy-{user.username}"
    ApiToken.objects.create(name="旧令牌", user=user, key_hash=token_hash(key), prefix=key[:8])
    return key


@pytest.mark.parametrize("role", NO_INTAKE)
def test_a_token_of_a_role_without_intake_creates_no_appeal(client, world, stewards, role):
    key = _legacy_token(world.users[role])
    response = client.post(
        "/api/v1/appeals",
        data=json.dumps(BODY),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 403
    assert "不能通过接口提交诉求" in response.json()["detail"]
    assert Appeal.objects.count() == 0


@pytest.mark.parametrize("role", NO_INTAKE)
def test_an_open311_key_of_a_role_without_intake_creates_no_appeal(client, world, stewards, role):
    CategoryFactory(path="001", name="楼道照明")
    key = _legacy_token(world.users[role])
    response = client.post(
        "/api/v1/open311/requests.json",
        {"service_code": "001", "address_string": "纬二路小区1号楼", "api_key": key},
    )
    assert response.status_code == 403
    assert Appeal.objects.count() == 0


@pytest.mark.parametrize("role", NO_INTAKE)
def test_no_token_is_issued_to_a_role_without_intake(world, role):
    with pytest.raises(PermissionDenied):
        api_token_issue(by=world.users[Role.DISTRICT_ADMIN], name="网关", user=world.users[role])
    assert not ApiToken.objects.exists()


def test_a_grid_stewards_token_still_creates_an_appeal(client, world, stewards):
    _, key = api_token_issue(
        by=world.users[Role.DISTRICT_ADMIN], name="网关", user=world.users[Role.GRID_STEWARD]
    )
    response = client.post(
        "/api/v1/appeals",
        data=json.dumps(BODY),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 201
    assert Appeal.objects.count() == 1
