"""Open311 GeoReport v2 (JSON) on the same intake: service list, POST and GET a request."""

import pytest

from jiceng.appeals import services
from jiceng.appeals.models import Appeal, Channel, Status
from jiceng.appeals.services.tokens import api_token_issue
from jiceng.appeals.tests.factories import CategoryFactory
from jiceng.core.roles import Role

BASE = "/api/v1/open311"


@pytest.fixture
def categories(db):
    top = CategoryFactory(path="001", name="物业管理")
    lift = CategoryFactory(path="001001", name="电梯故障", parent=top)
    light = CategoryFactory(path="001002", name="楼道照明", parent=top)
    return top, lift, light


@pytest.fixture
def key(world, stewards):
    _, key = api_token_issue(
        by=world.users[Role.DISTRICT_ADMIN],
        name="Open311 网关",
        user=world.users[Role.DISTRICT_ADMIN],
    )
    return key


FORM = {
    "service_code": "001002",
    "address_string": "纬二路小区1号楼",
    "description": "三单元楼道灯坏了一个月，晚上看不见",
    "first_name": "女士",
    "last_name": "王",
    "phone": "13800001111",
}


def test_service_list_names_the_leaf_categories(client, categories):
    response = client.get(f"{BASE}/services.json")
    assert response.status_code == 200
    body = response.json()
    assert [s["service_code"] for s in body] == ["001001", "001002"]
    assert body[1] == {
        "service_code": "001002",
        "service_name": "楼道照明",
        "description": "物业管理 · 楼道照明",
        "metadata": False,
        "type": "realtime",
        "keywords": "楼道照明",
        "group": "物业管理",
    }


def test_a_request_goes_through_the_intake_and_is_routed(client, categories, key, stewards):
    response = client.post(f"{BASE}/requests.json", {**FORM, "api_key": key})
    assert response.status_code == 200
    [answer] = response.json()
    appeal = Appeal.objects.get(code=answer["service_request_id"])
    assert appeal.channel == Channel.API and appeal.category.path == "001002"
    assert appeal.owner_id == stewards.grid.pk and appeal.status == Status.DISPATCHED
    assert appeal.resident_name == "王女士" and appeal.phone == "13800001111"
    assert appeal.events.filter(action="submit").exists()
    assert "李网格" in answer["service_notice"]


@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        ({"api_key": "wrong"}, 403, "api_key"),
        ({"api_key": None}, 403, "api_key"),
        ({"service_code": "999999"}, 404, "999999"),
        ({"service_code": "001"}, 404, "001"),  # a group, not a service
        ({"service_code": ""}, 400, "service_code"),
        ({"description": "灯坏"}, 400, "至少 5 个字"),
        ({"address_string": ""}, 400, "位置"),
        ({"address_string": "", "lat": "36.65"}, 400, "同时"),
        ({"lat": "north", "long": "117"}, 400, "lat"),
        ({"phone": "12345"}, 400, "手机号"),
    ],
)
def test_bad_requests_get_a_georeport_error_and_create_nothing(
    client, categories, key, change, status, words
):
    form = {**FORM, "api_key": key, **change}
    form = {k: v for k, v in form.items() if v is not None}
    response = client.post(f"{BASE}/requests.json", form)
    assert response.status_code == status
    [error] = response.json()
    assert error["code"] == status and words in error["description"]
    assert Appeal.objects.count() == 0


def test_a_request_is_read_back_by_its_code_without_personal_data(
    client, categories, key, stewards
):
    code = client.post(f"{BASE}/requests.json", {**FORM, "api_key": key}).json()[0][
        "service_request_id"
    ]
    response = client.get(f"{BASE}/requests/{code}.json")
    assert response.status_code == 200
    [item] = response.json()
    assert item["service_request_id"] == code and item["status"] == "open"
    assert item["service_code"] == "001002" and item["service_name"] == "楼道照明"
    assert item["agency_responsible"] == "睦和苑社区第一网格"
    assert item["requested_datetime"] and item["expected_datetime"]
    assert "13800001111" not in response.content.decode()
    assert "王女士" not in response.content.decode()
    appeal = Appeal.objects.get(code=code)
    services.appeal_accept(appeal=appeal, by=stewards.grid_user)
    services.appeal_contact(appeal=appeal, by=stewards.grid_user)
    services.appeal_resolve(
        appeal=appeal, by=stewards.grid_user, result="solved", explanation="已更换声控灯"
    )
    [item] = client.get(f"{BASE}/requests/{code}.json").json()
    assert item["status"] == "closed" and item["status_notes"] == "已更换声控灯"


def test_an_unknown_code_is_a_georeport_404(client, db):
    response = client.get(f"{BASE}/requests/NOPE234567.json")
    assert response.status_code == 404
    assert response.json()[0]["code"] == 404
