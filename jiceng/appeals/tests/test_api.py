"""POST /api/v1/appeals: token auth, OpenAPI, idempotency, bad input."""

import json

import pytest

from jiceng.appeals.models import ApiToken, Appeal
from jiceng.appeals.services.tokens import api_token_issue
from jiceng.core.roles import Role

URL = "/api/v1/appeals"
BODY = {
    "kind": "complaint",
    "description": "小区门口垃圾三天没人清运",
    "address": "纬二路小区1号楼",
    "phone": "13800001111",
}


@pytest.fixture
def token(world, stewards):
    _, key = api_token_issue(
        by=world.users[Role.DISTRICT_ADMIN],
        name="12345平台",
        user=world.users[Role.COMMUNITY_STAFF],
    )
    assert not ApiToken.objects.filter(key_hash=key).exists()  # only the hash is stored
    return key


def post(client, body, token=None, key=None):
    headers = {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if key:
        headers["Idempotency-Key"] = key
    return client.post(URL, data=json.dumps(body), content_type="application/json", headers=headers)


def test_without_a_valid_token_nothing_is_created(client, token):
    assert post(client, BODY).status_code == 401
    assert post(client, BODY, token="wrong").status_code == 401
    assert Appeal.objects.count() == 0


def test_a_valid_request_is_routed_and_answers_the_code(client, token):
    response = post(client, BODY, token=token)
    assert response.status_code == 201
    data = response.json()
    appeal = Appeal.objects.get(code=data["code"])
    assert data["grid_code"] == appeal.grid.code and data["owner"] == "李网格"
    assert appeal.channel == "api" and data["status"] == "dispatched"


def test_the_same_key_and_body_replay_the_first_answer_and_create_nothing(client, token):
    first = post(client, BODY, token=token, key="k-1")
    second = post(client, BODY, token=token, key="k-1")
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json() == second.json()
    assert Appeal.objects.count() == 1


def test_the_same_key_with_another_body_is_a_conflict(client, token):
    post(client, BODY, token=token, key="k-2")
    response = post(client, {**BODY, "description": "另一件事：路灯坏了"}, token=token, key="k-2")
    assert response.status_code == 409
    assert "Idempotency-Key" in response.json()["detail"]
    assert Appeal.objects.count() == 1


def test_a_refused_request_is_not_remembered_under_its_key(client, token):
    bad = post(client, {**BODY, "description": "短"}, token=token, key="k-3")
    assert bad.status_code == 400 and bad.json()["field"] == "description"
    assert Appeal.objects.count() == 0
    assert post(client, BODY, token=token, key="k-3").status_code == 201


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({**BODY, "kind": "chat"}, 422),
        ({**BODY, "phone": "123"}, 400),
        ({**BODY, "channel": "window"}, 400),
        ({**BODY, "category_id": 999999}, 400),
        ({"kind": "help"}, 422),
    ],
)
def test_bad_input_gets_a_clear_error_and_creates_nothing(client, token, body, status):
    response = post(client, body, token=token)
    assert response.status_code == status
    assert Appeal.objects.count() == 0


def test_openapi_schema_is_published(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert "/api/v1/appeals" in schema["paths"]
    assert "post" in schema["paths"]["/api/v1/appeals"]
