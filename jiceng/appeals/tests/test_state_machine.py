"""Random sequences of legal and illegal actions keep the appeal's invariants: one owner
while open, one event per change, consistent clocks, refusals that change nothing."""

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from jiceng.appeals import services
from jiceng.appeals.models import (
    DONE_STATUSES,
    OPEN_STATUSES,
    Appeal,
    AppealEvent,
    Status,
)
from jiceng.appeals.tests.factories import SlaPolicyFactory
from jiceng.core.errors import ApplicationError
from jiceng.core.models import AuditEvent

ACTORS = ["grid", "chief", "shared", "grid_b"]
# Weighted towards the owner and valid input, so runs get deep into the flow; the other
# actors and blank texts keep testing refusals.
WHO = st.sampled_from(["grid", "grid", "grid", "shared", "chief", "grid_b"])
TEXTS = st.sampled_from(["", "等待业主回家", "已联系物业公司处理", "已修好"])


def _row(pk):
    return Appeal.objects.get(pk=pk)


def _state(pk) -> tuple:
    row = _row(pk)
    fields = {
        f.attname: getattr(row, f.attname)
        for f in Appeal._meta.concrete_fields
        if f.attname != "updated_at"
    }
    return fields, AppealEvent.objects.filter(appeal_id=pk).count(), AuditEvent.objects.count()


def _machine(world, stewards):
    users = {
        "grid": stewards.grid_user,
        "chief": stewards.chief_user,
        "shared": stewards.shared_user,
        "grid_b": stewards.grid_b_user,
    }
    people = {
        "grid": stewards.grid,
        "chief": stewards.chief,
        "shared": stewards.shared,
        "grid_b": stewards.grid_b,
    }

    class AppealMachine(RuleBasedStateMachine):
        pk: int

        @initialize(pooled=st.booleans())
        def submit(self, pooled):
            appeal = services.appeal_submit(
                by=None,
                kind="help",
                channel="web",
                description="楼道灯坏了，晚上看不见",
                address="火星基地" if pooled else "纬二路小区1号楼",
                phone="13800001111",
            )
            if pooled:
                Appeal.objects.filter(pk=appeal.pk).update(area=world.community_a1)
            self.pk = appeal.pk
            self.refusals = 0

        def act(self, call):
            """Run one action; a refusal must leave row, events and audit untouched, a
            success must add the events that explain the change."""
            before = _state(self.pk)
            try:
                call(_row(self.pk))
            except ApplicationError as e:
                assert e.message
                assert _state(self.pk) == before
                self.refusals += 1
                return
            after = _state(self.pk)
            event(f"reached {after[0]['status']}")
            assert after[1] > before[1], "a change without an event"
            assert after[2] > before[2], "a change without an audit row"

        @rule(rating=st.sampled_from(["satisfied", "unsatisfied"]))
        def owner_advances(self, rating):
            """The owner's next natural step, so that runs reach the end of the flow."""
            a = _row(self.pk)
            by = next((users[k] for k, p in people.items() if p.pk == a.owner_id), users["grid"])
            steps = {
                Status.SUBMITTED: lambda a: services.appeal_claim(appeal=a, by=users["grid"]),
                Status.DISPATCHED: lambda a: services.appeal_accept(appeal=a, by=by),
                Status.REOPENED: lambda a: services.appeal_accept(appeal=a, by=by),
                Status.ACCEPTED: lambda a: services.appeal_contact(appeal=a, by=by),
                Status.IN_PROGRESS: lambda a: services.appeal_resolve(
                    appeal=a, by=by, result="solved", explanation="已修好"
                ),
                Status.PAUSED: lambda a: services.appeal_resume(appeal=a, by=by),
                Status.RESOLVED: lambda a: services.appeal_rate(appeal=a, rating=rating),
            }
            if a.status in steps:
                self.act(steps[a.status])

        @rule(who=WHO)
        def accept(self, who):
            self.act(lambda a: services.appeal_accept(appeal=a, by=users[who]))

        @rule(who=WHO)
        def claim(self, who):
            self.act(lambda a: services.appeal_claim(appeal=a, by=users[who]))

        @rule(who=WHO, note=TEXTS)
        def contact(self, who, note):
            self.act(lambda a: services.appeal_contact(appeal=a, by=users[who], note=note))

        @rule(who=WHO, reason=TEXTS)
        def pause(self, who, reason):
            self.act(lambda a: services.appeal_pause(appeal=a, by=users[who], reason=reason))

        @rule(who=WHO)
        def resume(self, who):
            self.act(lambda a: services.appeal_resume(appeal=a, by=users[who]))

        @rule(
            who=WHO,
            result=st.sampled_from(["solved", "partly", "solved", "x"]),
            text=TEXTS,
        )
        def resolve(self, who, result, text):
            self.act(
                lambda a: services.appeal_resolve(
                    appeal=a, by=users[who], result=result, explanation=text
                )
            )

        @rule(who=WHO, reason=TEXTS)
        def reject(self, who, reason):
            self.act(lambda a: services.appeal_reject(appeal=a, by=users[who], reason=reason))

        @rule(who=WHO, to=st.sampled_from(ACTORS))
        def dispatch(self, who, to):
            self.act(
                lambda a: services.appeal_dispatch(appeal=a, steward=people[to], by=users[who])
            )

        @rule(who=WHO, to=st.sampled_from(ACTORS))
        def hand(self, who, to):
            self.act(
                lambda a: services.appeal_hand_to_shared(appeal=a, by=users[who], shared=people[to])
            )

        @rule(
            rating=st.sampled_from(["satisfied", "basic", "unsatisfied", "meh"]),
            staff=st.booleans(),
        )
        def rate(self, rating, staff):
            by = users["chief"] if staff else None
            self.act(lambda a: services.appeal_rate(appeal=a, rating=rating, by=by))

        @rule(who=WHO, reason=TEXTS)
        def reopen(self, who, reason):
            self.act(lambda a: services.appeal_reopen(appeal=a, by=users[who], reason=reason))

        @rule(days=st.integers(0, 10))
        def close_unrated(self, days):
            self.act(
                lambda a: services.appeal_close_unrated(
                    appeal=a, now=(a.resolved_at or a.submitted_at) + timedelta(days=days)
                )
            )

        @rule(who=WHO, note=TEXTS)
        def note(self, who, note):
            self.act(lambda a: services.appeal_note(appeal=a, by=users[who], note=note))

        @precondition(lambda self: hasattr(self, "pk"))
        @invariant()
        def one_owner_while_open(self):
            a = _row(self.pk)
            if a.status in OPEN_STATUSES:
                assert a.owner_id is not None
            if a.status == Status.SUBMITTED:
                assert a.owner_id is None

        @precondition(lambda self: hasattr(self, "pk"))
        @invariant()
        def history_explains_the_status(self):
            a = _row(self.pk)
            events = list(AppealEvent.objects.filter(appeal_id=self.pk).order_by("at", "id"))
            assert events[-1].to_status == a.status
            for prev, nxt in zip(events, events[1:], strict=False):
                assert nxt.from_status == prev.to_status, (prev.action, nxt.action)

        @precondition(lambda self: hasattr(self, "pk"))
        @invariant()
        def clocks_are_consistent(self):
            a = _row(self.pk)
            assert a.submitted_at < a.response_due_at <= a.resolve_due_at
            assert (a.status == Status.PAUSED) == (a.paused_at is not None)
            if a.status in (Status.IN_PROGRESS, Status.PAUSED):
                assert a.contacted_at is not None
            if a.contacted_at is not None:
                assert a.contacted_at >= a.submitted_at
            if a.status in DONE_STATUSES:
                assert a.resolved_at is not None and a.result
            else:
                assert a.resolved_at is None

    return AppealMachine


@pytest.mark.django_db
def test_random_action_sequences_keep_the_invariants(world, stewards):
    SlaPolicyFactory(response_limit=2, resolve_limit=48)
    machine = _machine(world, stewards)
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=30,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
