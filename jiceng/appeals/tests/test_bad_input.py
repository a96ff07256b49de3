"""Bad input is never a 500 (issue 17 item 11): NUL bytes, lone surrogates, non-finite
coordinates and oversized bodies get a Chinese message on the page, keeping what the
resident typed, and a documented 4xx JSON on the API (``{"detail", "field"}``; Open311:
GeoReport's ``[{"code", "description"}]``). Runs on SQLite and PostgreSQL alike (PostgreSQL
refuses NUL in text, both refuse lone surrogates)."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from jiceng.appeals.models import Appeal
from jiceng.appeals.services.tokens import api_token_issue
from jiceng.appeals.tests.factories import CategoryFactory
from jiceng.core.roles import Role

BAD_TEXTS = ["楼道\x00灯坏了", "\x00", "楼道\ud800灯坏了", "\udfff"]
# A browser's form body is bytes: NUL and controls arrive, surrogates cannot (invalid UTF-8
# is decoded to U+FFFD), so forms are fuzzed with these and raw invalid bytes.
FORM_TEXTS = ["楼道\x00灯坏了", "\x00", "灯\x07坏"]
BAD_NUMBERS = ["Infinity", "-Infinity", "NaN", "nan", "inf", "1e999"]
BAD_QUERY = ["%00", "a%00b", "%ED%A0%80", "%C0%80", "%FF%FE", "\x00"]
TYPED = "三单元楼道灯坏了一个月，晚上看不见"


@pytest.fixture
def anon(db):
    return Client(raise_request_exception=True)


@pytest.fixture
def key(world, stewards):
    _, key = api_token_issue(
        by=world.users[Role.DISTRICT_ADMIN], name="网关", user=world.users[Role.DISTRICT_ADMIN]
    )
    return key


@pytest.fixture
def category(db):
    return CategoryFactory(path="001", name="楼道照明")


# ---- pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/appeals/t/?code={}",
        "/appeals/t/{}/",
        "/stations/near/?street={}",
        "/stations/near/?lat={}&lng=117",
        "/party/checkin/{}/",
        "/login/?next={}",
        "/api/v1/open311/requests/{}.json",
        "/api/v1/open311/services.json?jurisdiction_id={}",
    ],
)
@pytest.mark.parametrize("bad", BAD_QUERY + BAD_NUMBERS)
def test_bad_query_and_path_values_never_500(anon, world, path, bad):
    response = anon.get(path.format(bad))
    assert response.status_code < 500


@pytest.mark.parametrize("path", ["/appeals/t/a%00b/", "/stations/near/?street=%00"])
def test_nul_in_the_address_bar_is_a_chinese_400_page(anon, world, path):
    response = anon.get(path)
    assert response.status_code == 400
    assert "网址中含有无效字符" in response.content.decode()


def test_nul_in_an_api_address_is_a_chinese_400_json(anon, world):
    response = anon.get("/api/v1/open311/requests/a%00b.json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "网址中含有无效字符（如空字符），请检查后重试。",
        "field": None,
    }


@pytest.mark.parametrize("field", ["description", "address", "resident_name", "phone"])
@pytest.mark.parametrize("bad", FORM_TEXTS)
def test_resident_page_refuses_bad_text_and_keeps_what_was_typed(anon, world, stewards, field, bad):
    data = {"kind": "help", "description": TYPED, "address": "纬二路小区1号楼", field: bad}
    response = anon.post(reverse("appeals:resident_new"), data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "无法保存的字符" in body
    if field != "description":
        assert TYPED in body
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_resident_page_refuses_non_finite_coordinates(anon, world, stewards, bad):
    data = {"kind": "help", "description": TYPED, "lat": bad, "lng": "117.0"}
    response = anon.post(reverse("appeals:resident_new"), data)
    assert response.status_code == 400
    assert TYPED in response.content.decode()
    assert "位置坐标无效" in response.content.decode()
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("raw", ["%ED%A0%80", "%C0%80", "%FF%FE%00", "%E6%A5"])
def test_invalid_utf8_in_a_form_body_never_500(anon, world, stewards, raw):
    body = f"kind=help&description={raw}{TYPED}&address={raw}"
    response = anon.post(
        reverse("appeals:resident_new"), body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code < 500


@pytest.mark.parametrize("bad", FORM_TEXTS)
def test_public_small_forms_never_500(anon, world, stewards, bad):
    assert anon.post(reverse("core:login"), {"username": bad, "password": bad}).status_code < 500
    assert anon.post(reverse("party:checkin_code"), {"code": bad}).status_code < 500
    assert anon.post("/appeals/t/NOSUCH/info/", {"note": bad}).status_code < 500
    assert anon.post("/appeals/t/NOSUCH/rate/", {"rating": bad}).status_code < 500


def test_an_oversized_form_is_a_chinese_400(anon, world, stewards):
    response = anon.post(
        reverse("appeals:resident_new"), {"kind": "help", "description": "长" * 1_500_000}
    )
    assert response.status_code in (400, 413)
    assert "过大" in response.content.decode()
    assert not Appeal.objects.exists()


# ---- the API --------------------------------------------------------------------------------


def _api(client, key, raw: str):
    return client.post(
        "/api/v1/appeals",
        raw,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )


def _json(**fields) -> str:
    body = {"kind": "help", "description": TYPED, "address": "纬二路小区1号楼"}
    body.update(fields)
    return json.dumps(body, ensure_ascii=True)


@pytest.mark.parametrize("field", ["description", "address", "resident_name", "phone", "title"])
@pytest.mark.parametrize("bad", BAD_TEXTS)
def test_api_refuses_nul_and_lone_surrogates_with_400_json(anon, key, field, bad):
    response = _api(anon, key, _json(**{field: bad}))
    assert response.status_code == 400
    body = response.json()
    assert "字符" in body["detail"]
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("literal", ["Infinity", "-Infinity", "NaN", "1e999"])
@pytest.mark.parametrize("field", ["lat", "lng"])
def test_api_refuses_non_finite_coordinates_with_400_json(anon, key, field, literal):
    raw = _json(lat=36.65, lng=117.0).replace(
        f'"{field}": {36.65 if field == "lat" else 117.0}', f'"{field}": {literal}'
    )
    assert literal in raw
    response = _api(anon, key, raw)
    assert response.status_code == 400
    assert "detail" in response.json()
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("raw", ["{", "[]", '"x"', "\x00", '{"kind": "help"', "null"])
def test_api_refuses_malformed_json_with_4xx_json(anon, key, raw):
    response = _api(anon, key, raw)
    assert 400 <= response.status_code < 500
    assert "detail" in response.json()


def test_api_refuses_an_oversized_body_with_a_chinese_json_4xx(anon, key):
    response = _api(anon, key, _json(description="长" * 1_500_000))
    assert response.status_code in (400, 413)
    assert "过大" in response.json()["detail"]
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_open311_refuses_non_finite_coordinates(anon, key, category, bad):
    form = {"api_key": key, "service_code": "001", "description": TYPED, "lat": bad}
    form["long"] = "117.0"
    response = anon.post("/api/v1/open311/requests.json", form)
    assert response.status_code == 400
    assert response.json()[0]["code"] == 400
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("field", ["description", "address_string", "first_name", "phone"])
@pytest.mark.parametrize("bad", FORM_TEXTS)
def test_open311_refuses_nul_bytes(anon, key, category, field, bad):
    form = {"api_key": key, "service_code": "001", "description": TYPED}
    form["address_string"] = "纬二路小区1号楼"
    form[field] = bad
    response = anon.post("/api/v1/open311/requests.json", form)
    assert response.status_code == 400
    assert "字符" in response.json()[0]["description"]
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("bad", BAD_TEXTS)
def test_the_shared_text_cleaning_refuses_what_cannot_be_stored(bad):
    from jiceng.core.clean import clean_text
    from jiceng.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as e:
        clean_text(bad, field="name", label="名称", max_length=50)
    assert e.value.field == "name" and "名称含有无法保存的字符" in e.value.message
