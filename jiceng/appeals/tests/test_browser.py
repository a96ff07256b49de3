"""The appeal loop in a real browser: a resident on a phone, the grid steward, the rating."""

import io

import pytest
from PIL import Image

from jiceng.appeals.models import Appeal, Attachment, Rating, Status
from jiceng.conftest import PASSWORD
from jiceng.testing import BROWSER, chromium

pytestmark = BROWSER


@pytest.fixture
def browser():
    with chromium() as browser:
        yield browser


def _photo() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), "orange").save(buf, "JPEG")
    return buf.getvalue()


@pytest.mark.django_db(transaction=True)
def test_resident_submits_on_a_phone_the_steward_resolves_and_the_resident_rates(
    live_server, world, stewards, browser
):
    from playwright.sync_api import expect

    phone = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    resident = phone.new_page()
    resident.set_default_timeout(10_000)
    resident.goto(f"{live_server.url}/appeals/r/")
    # The form fits the phone: nothing wider than the screen.
    assert resident.evaluate("document.documentElement.scrollWidth") <= 390
    resident.locator("label.kind-pill", has_text="求助").click()
    resident.fill("#id_description", "纬二路小区1号楼楼道灯坏了一个月，晚上看不见")
    resident.fill("#id_address", "纬二路小区1号楼")
    resident.set_input_files(
        "#id_photos", files=[{"name": "灯.jpg", "mimeType": "image/jpeg", "buffer": _photo()}]
    )
    resident.fill("#id_resident_name", "王女士")
    resident.fill("#id_phone", "13800001111")
    resident.get_by_role("button", name="提交").click()

    code_box = resident.locator(".track-code")
    expect(code_box).to_be_visible()
    code = code_box.inner_text().strip()
    appeal = Appeal.objects.get(code=code)
    assert appeal.owner_id == stewards.grid.pk and appeal.status == Status.DISPATCHED
    assert Attachment.objects.filter(appeal=appeal).count() == 1
    tracking_url = resident.url

    desk = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860})
    steward = desk.new_page()
    steward.set_default_timeout(10_000)
    steward.goto(f"{live_server.url}/appeals/")
    steward.fill("input[name=username]", stewards.grid_user.username)
    steward.fill("input[name=password]", PASSWORD)
    steward.click("button[type=submit]")
    # 我的待办 is the steward's first queue.
    expect(steward.locator(".queue-tabs .active")).to_have_text("我的待办")
    steward.get_by_role("link", name=code).click()
    steward.get_by_role("button", name="接单").click()
    expect(steward.locator("main")).to_contain_text("已接单")
    steward.get_by_role("button", name="已联系诉求人").click()
    expect(steward.locator("main")).to_contain_text("办理中")
    steward.select_option("select[name=result]", "solved")
    steward.fill("textarea[name=explanation]", "已更换楼道声控灯，晚上可以正常照明。")
    steward.get_by_role("button", name="办结").click()
    expect(steward.locator("main")).to_contain_text("已办结")

    resident.goto(tracking_url)
    expect(resident.locator("main")).to_contain_text("已更换楼道声控灯")
    resident.get_by_role("button", name="满意", exact=True).click()
    expect(resident.locator("main")).to_contain_text("您的评价：满意")
    appeal.refresh_from_db()
    assert appeal.status == Status.RATED and appeal.rating == Rating.SATISFIED
    assert appeal.contacted_at is not None and appeal.resolved_at is not None
    desk.close()
    phone.close()
