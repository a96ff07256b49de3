"""What moved out of inline code still works under the Content-Security-Policy: the
resident's "用我的位置" (a static script, geolocation allowed to the site itself) and the
confirmation before a delete (``data-confirm`` in core/app.js instead of ``onsubmit=``)."""

import pytest

from jiceng.conftest import PASSWORD
from jiceng.core.roles import Role
from jiceng.rural.models import CollectiveIncome
from jiceng.rural.tests.factories import IncomeFactory, VillageFactory
from jiceng.testing import BROWSER, chromium

pytestmark = BROWSER

VIOLATIONS = (
    "window.__violations = [];"
    "document.addEventListener('securitypolicyviolation', function (e) {"
    "  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI);"
    "});"
)


@pytest.fixture
def browser():
    with chromium() as b:
        yield b


@pytest.mark.django_db(transaction=True)
def test_resident_page_fills_the_position_from_the_phone(live_server, world, browser):
    from playwright.sync_api import expect

    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": 390, "height": 844},
        geolocation={"latitude": 36.651234, "longitude": 116.991234, "accuracy": 12},
        permissions=["geolocation"],
    )
    context.add_init_script(VIOLATIONS)
    page = context.new_page()
    page.goto(f"{live_server.url}/appeals/r/")
    page.click("[data-locate]")
    expect(page.locator("[data-locate-status]")).to_contain_text("已获取位置（±12 米）")
    assert page.input_value("#id_lng") == "116.991234"
    assert page.input_value("#id_lat") == "36.651234"
    assert page.evaluate("window.__violations") == []
    context.close()


@pytest.mark.django_db(transaction=True)
def test_delete_asks_first_and_cancel_keeps_the_row(live_server, world, browser):
    from playwright.sync_api import expect

    VillageFactory(area=world.village_b2)
    income = IncomeFactory(area=world.village_b2, source="村集体房屋出租")
    context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 900})
    context.add_init_script(VIOLATIONS)
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", world.users[Role.DISTRICT_ADMIN].username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("main h1")).to_be_visible()
    page.goto(f"{live_server.url}/rural/villages/{world.village_b2.code}/")
    delete = page.locator(f"form[action='/rural/incomes/{income.pk}/delete/'] button")

    asked = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    delete.click()
    page.wait_for_timeout(300)
    assert asked == ["确定删除这条收入记录？"]
    assert CollectiveIncome.objects.filter(pk=income.pk).exists()

    page.once("dialog", lambda d: d.accept())
    delete.click()
    expect(page.locator("main")).to_contain_text("已删除 2023 年“村集体房屋出租”的记录")
    assert not CollectiveIncome.objects.filter(pk=income.pk).exists()
    assert page.evaluate("window.__violations") == []
    context.close()
