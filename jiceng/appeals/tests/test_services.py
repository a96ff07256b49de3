"""The appeal's transitions: who may do what, what each writes, and refusals that change
nothing."""

import io
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from PIL import Image

from jiceng.appeals import services
from jiceng.appeals.errors import AlreadyClaimed, IllegalTransition, RateLimited
from jiceng.appeals.models import (
    Appeal,
    AppealEvent,
    Attachment,
    DutyRoster,
    Notification,
    Rating,
    Status,
    StewardAbsence,
)
from jiceng.appeals.tests.factories import SlaPolicyFactory
from jiceng.core.errors import PermissionDenied, ValidationFailed
from jiceng.core.models import AuditEvent
from jiceng.core.roles import Role

ADDRESS = "纬二路小区1号楼"


def png(size=(4, 4)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, "red").save(buf, "PNG")
    return buf.getvalue()


def submit(**kw):
    values = dict(
        by=None,
        kind="help",
        channel="web",
        description="楼道灯坏了，晚上看不见",
        address=ADDRESS,
        phone="13800001111",
    )
    values.update(kw)
    return services.appeal_submit(**values)


def state(appeal: Appeal) -> tuple:
    fresh = Appeal.objects.get(pk=appeal.pk)
    return (
        {
            f.attname: getattr(fresh, f.attname)
            for f in Appeal._meta.concrete_fields
            if f.attname != "updated_at"
        },
        AppealEvent.objects.filter(appeal=appeal).count(),
        AuditEvent.objects.count(),
    )


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def test_submission_is_routed_dispatched_and_gets_clocks(world, stewards):
    SlaPolicyFactory(response_limit=2, resolve_limit=48)
    a = submit()
    assert a.status == Status.DISPATCHED
    assert a.owner == stewards.grid and a.grid == world.grid_a1 and a.area == world.grid_a1
    assert a.routing_method == "building" and a.routing_confidence > 0.9
    assert a.response_due_at == a.submitted_at + timedelta(hours=2)
    assert a.resolve_due_at == a.submitted_at + timedelta(hours=48)
    assert len(a.code) == 10 and a.code.isalnum()
    assert list(a.events.values_list("action", flat=True)) == ["submit", "dispatch"]
    assert Notification.objects.filter(recipient=stewards.grid_user, appeal=a).exists()
    assert AuditEvent.objects.filter(action="appeals.submit", object_id=str(a.pk)).exists()


def test_tracking_codes_differ(world, stewards):
    assert len({submit().code for _ in range(20)}) == 20


def test_an_address_nothing_matches_lands_on_the_district_pool(world, stewards):
    a = submit(address="火星基地七号舱")
    assert a.status == Status.SUBMITTED and a.owner is None and a.area == world.district


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "chat"}, "kind"),
        ({"description": "灯"}, "description"),
        ({"phone": "12345"}, "phone"),
        ({"phone": ""}, "phone"),
        ({"photos": [b"not an image"]}, "photos"),
        ({"photos": [png(), png(), png(), png()]}, "photos"),
        ({"lng": 500.0, "lat": 36.6}, "location"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_creates_nothing(world, stewards, changes, field):
    with pytest.raises(ValidationFailed) as e:
        submit(**changes)
    assert e.value.field == field and e.value.message
    assert Appeal.objects.count() == 0 and Attachment.objects.count() == 0


def test_photo_over_five_megabytes_is_refused(world, stewards, settings):
    settings.JICENG_APPEALS_MAX_PHOTO_BYTES = 1000
    with pytest.raises(ValidationFailed, match="超过"):
        submit(photos=[png((200, 200)) + b"\0" * 2000])
    assert Appeal.objects.count() == 0


def test_photo_checked_by_content_is_stored(world, stewards):
    a = submit(photos=[png()])
    att = a.attachments.get()
    assert att.ext == "png" and att.file.name.endswith(".png")


def test_anonymous_submission_keeps_no_name_or_phone(world, stewards):
    a = submit(anonymous=True, resident_name="王女士", phone="13800001111")
    assert a.anonymous and a.resident_name == "" and a.phone == ""


def test_staff_channels_need_an_intake_role(world, stewards):
    with pytest.raises(PermissionDenied):
        submit(channel="window", by=world.users[Role.RIDER])
    a = submit(channel="window", by=world.users[Role.COMMUNITY_STAFF])
    assert a.created_by == world.users[Role.COMMUNITY_STAFF]


def test_rate_limit_per_phone_refuses_and_creates_nothing(world, stewards, settings):
    settings.JICENG_APPEALS_RATE_LIMIT_PER_PHONE = 2
    for _ in range(2):
        submit(client_ip="10.0.0.1", rate_limited=True)
    with pytest.raises(RateLimited):
        submit(client_ip="10.0.0.2", rate_limited=True)
    assert Appeal.objects.count() == 2


def test_rate_limit_per_ip(world, stewards, settings):
    settings.JICENG_APPEALS_RATE_LIMIT_PER_IP = 1
    submit(client_ip="10.0.0.9", rate_limited=True)
    with pytest.raises(RateLimited):
        submit(client_ip="10.0.0.9", rate_limited=True, phone="13900002222")


def test_roster_backup_takes_the_dispatch_when_the_steward_is_away(world, stewards):

    today = timezone.localdate()
    DutyRoster.objects.create(
        grid=world.grid_a1,
        steward=stewards.grid,
        backup=stewards.chief,
        starts_on=today - timedelta(days=1),
    )
    StewardAbsence.objects.create(person=stewards.grid, starts_on=today, ends_on=today)
    assert submit().owner == stewards.chief


def test_full_happy_path_writes_one_event_per_step(world, stewards):
    by = stewards.grid_user
    a = submit()
    a = services.appeal_accept(appeal=a, by=by)
    a = services.appeal_contact(appeal=a, by=by, note="已电话联系")
    assert a.contacted_at is not None and a.status == Status.IN_PROGRESS
    a = services.appeal_note(appeal=a, by=by, note="已报修物业")
    a = services.appeal_resolve(appeal=a, by=by, result="solved", explanation="已更换灯泡")
    a = services.appeal_rate(appeal=a, rating=Rating.SATISFIED)
    assert a.status == Status.RATED
    actions = list(a.events.values_list("action", flat=True))
    assert actions == ["submit", "dispatch", "accept", "contact", "note", "resolve", "rate"]


@pytest.mark.parametrize(
    "call",
    [
        lambda a, s: services.appeal_contact(appeal=a, by=s.grid_user),  # not accepted yet
        lambda a, s: services.appeal_resolve(
            appeal=a, by=s.grid_user, result="solved", explanation="好了"
        ),
        lambda a, s: services.appeal_accept(appeal=a, by=s.chief_user),  # not the owner
        lambda a, s: services.appeal_pause(appeal=a, by=s.grid_user, reason="等待"),
        lambda a, s: services.appeal_rate(appeal=a, rating="satisfied"),
        lambda a, s: services.appeal_reopen(appeal=a, by=s.chief_user, reason="回访不满意"),
        lambda a, s: services.appeal_claim(appeal=a, by=s.chief_user),
        lambda a, s: services.appeal_dispatch(appeal=a, steward=s.grid_b, by=s.chief_user),
        lambda a, s: services.appeal_hand_to_shared(appeal=a, by=s.chief_user, shared=s.shared),
    ],
)
def test_illegal_actions_are_refused_and_change_nothing(world, stewards, call):
    a = submit()
    before = state(a)
    with pytest.raises((IllegalTransition, PermissionDenied, ValidationFailed)) as e:
        call(a, stewards)
    assert e.value.message
    assert state(a) == before


def test_the_loser_of_a_claim_is_told_who_holds_it(world, stewards):
    a = submit(address="火星", phone="13800001111")
    a.area = world.community_a1
    a.save()
    services.appeal_claim(appeal=a, by=stewards.grid_user)
    with pytest.raises(AlreadyClaimed) as e:
        services.appeal_claim(appeal=a, by=stewards.chief_user)
    assert e.value.holder == "李网格" and "李网格" in e.value.message


def test_chief_redispatches_and_the_new_owner_is_notified(world, stewards):
    a = submit()
    a = services.appeal_dispatch(appeal=a, steward=stewards.chief, by=stewards.chief_user)
    assert a.owner == stewards.chief and a.status == Status.DISPATCHED
    assert Notification.objects.filter(recipient=stewards.chief_user).exists()


def test_grid_steward_hands_to_a_shared_steward_who_then_owns_it(world, stewards):
    a = services.appeal_accept(appeal=submit(), by=stewards.grid_user)
    a = services.appeal_hand_to_shared(appeal=a, by=stewards.grid_user, shared=stewards.shared)
    assert a.owner == stewards.shared and a.handed_by == stewards.grid
    a = services.appeal_accept(appeal=a, by=stewards.shared_user)
    assert a.status == Status.ACCEPTED


def test_pause_stops_the_resolution_clock(world, stewards):
    SlaPolicyFactory(response_limit=2, resolve_limit=48)
    by = stewards.grid_user
    a = services.appeal_contact(appeal=services.appeal_accept(appeal=submit(), by=by), by=by)
    due = a.resolve_due_at
    before = timezone.now()
    a = services.appeal_pause(appeal=a, by=by, reason="等待业主回家开门")
    Appeal.objects.filter(pk=a.pk).update(paused_at=a.paused_at - timedelta(hours=5))
    a = services.appeal_resume(appeal=Appeal.objects.get(pk=a.pk), by=by)
    # Paused five hours plus however long the test took between pausing and resuming.
    shift = a.resolve_due_at - due
    assert timedelta(hours=5) <= shift <= timedelta(hours=5) + (timezone.now() - before)
    assert a.paused_seconds >= 5 * 3600 and a.paused_at is None


def test_pause_needs_a_reason(world, stewards):
    by = stewards.grid_user
    a = services.appeal_contact(appeal=services.appeal_accept(appeal=submit(), by=by), by=by)
    with pytest.raises(ValidationFailed):
        services.appeal_pause(appeal=a, by=by, reason=" ")


def test_unsatisfied_rating_reopens_appeal_within_window_with_priority(world, stewards):
    by = stewards.grid_user
    a = services.appeal_contact(appeal=services.appeal_accept(appeal=submit(), by=by), by=by)
    a = services.appeal_resolve(appeal=a, by=by, result="partly", explanation="临时处理")
    a = services.appeal_rate(appeal=a, rating=Rating.UNSATISFIED)
    assert a.status == Status.REOPENED and a.priority and a.reopen_count == 1
    assert a.owner == stewards.grid and a.rating == "" and a.resolved_at is None
    assert Notification.objects.filter(kind="reopened", recipient=stewards.grid_user).exists()


def test_unsatisfied_after_the_window_does_not_reopen(world, stewards):
    by = stewards.grid_user
    a = services.appeal_contact(appeal=services.appeal_accept(appeal=submit(), by=by), by=by)
    a = services.appeal_resolve(appeal=a, by=by, result="solved", explanation="已修")
    Appeal.objects.filter(pk=a.pk).update(resolved_at=a.resolved_at - timedelta(days=8))
    a = services.appeal_rate(appeal=Appeal.objects.get(pk=a.pk), rating=Rating.UNSATISFIED)
    assert a.status == Status.RATED and a.reopen_count == 0


def test_staff_callback_records_rating_and_reopen(world, stewards):
    by = stewards.grid_user
    a = services.appeal_contact(appeal=services.appeal_accept(appeal=submit(), by=by), by=by)
    a = services.appeal_resolve(appeal=a, by=by, result="solved", explanation="已修")
    with pytest.raises(PermissionDenied):
        services.appeal_rate(appeal=a, rating="satisfied", by=stewards.grid_b_user)
    a = services.appeal_rate(appeal=a, rating="basic", by=stewards.chief_user, note="电话回访")
    a = services.appeal_reopen(appeal=a, by=stewards.chief_user, reason="回访发现又坏了")
    assert a.status == Status.REOPENED


def test_unrated_appeal_closes_after_the_configured_time(world, stewards):
    by = stewards.grid_user
    a = services.appeal_contact(appeal=services.appeal_accept(appeal=submit(), by=by), by=by)
    a = services.appeal_resolve(appeal=a, by=by, result="solved", explanation="已修")
    with pytest.raises(IllegalTransition):
        services.appeal_close_unrated(appeal=a)
    a = services.appeal_close_unrated(appeal=a, now=a.resolved_at + timedelta(days=8))
    assert a.status == Status.CLOSED and a.rating == Rating.UNRATED


def test_reject_needs_a_reason_and_closes(world, stewards):
    a = submit()
    with pytest.raises(ValidationFailed):
        services.appeal_reject(appeal=a, by=stewards.grid_user, reason="")
    a = services.appeal_reject(appeal=a, by=stewards.grid_user, reason="属燃气公司职责，已告知")
    assert a.status == Status.REJECTED


def test_events_are_append_only(world, stewards):
    event = submit().events.first()
    event.note = "改"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()


def test_bulk_redispatch_reports_each_refusal(world, stewards):
    ok = submit()
    done = services.appeal_reject(appeal=submit(), by=stewards.grid_user, reason="非本社区职责")
    out = services.appeal_bulk_dispatch(
        appeals=[ok, done], steward=stewards.chief, by=stewards.chief_user
    )
    assert out.done == [ok.code] and [c for c, _ in out.refused] == [done.code]
