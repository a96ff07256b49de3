"""Writes of pairings (结对共建) inside joint committees and consortia."""

from datetime import date

from django.db import transaction

from jiceng.core.audit import audit_record, changes_between
from jiceng.core.clean import clean_choice, clean_date, clean_text
from jiceng.core.errors import ValidationFailed
from jiceng.core.models import Area
from jiceng.party.models import PartyOrg

from ..models import Pairing, PairingKind
from ..selectors.groups import GROUP_KINDS
from .common import require


def pairing_create(
    *,
    by,
    group: PartyOrg,
    kind: str,
    leading: Area,
    paired: Area,
    started_on: date,
    note: str = "",
) -> Pairing:
    """Pair two member villages of the group: ``leading`` (the strong or big one) helps
    ``paired``."""
    if group.kind not in GROUP_KINDS:
        raise ValidationFailed("只有联合党委或党建联合体可以结对共建。", field="group")
    require(by, "manage_pairings", group, "您无权为该联建组织安排结对。")
    kind = clean_choice(kind, PairingKind, field="kind", label="结对方式")
    clean_date(started_on, field="started_on", label="结对日期")
    note = clean_text(note, field="note", label="共建内容", max_length=200, required=False)
    if leading.pk == paired.pk:
        raise ValidationFailed("结对的两个村不能相同。", field="paired")
    members = set(group.covered_areas.values_list("pk", flat=True))
    for field, village in (("leading", leading), ("paired", paired)):
        if village.pk not in members:
            raise ValidationFailed(f"{village.name} 不是{group.name}的成员村。", field=field)
    with transaction.atomic():
        locked = PartyOrg.objects.select_for_update().get(pk=group.pk)
        if Pairing.objects.filter(group=locked, kind=kind, leading=leading, paired=paired).exists():
            raise ValidationFailed("这两个村已按该方式结对。", field="paired")
        pairing = Pairing.objects.create(
            group=locked,
            kind=kind,
            leading=leading,
            paired=paired,
            started_on=started_on,
            note=note,
        )
        audit_record(
            actor=by,
            action="rural.pairing_create",
            obj=pairing,
            changes=changes_between(
                {},
                {
                    "group": locked.pk,
                    "kind": kind,
                    "leading": leading.code,
                    "paired": paired.code,
                    "started_on": started_on,
                },
            ),
        )
    return pairing


def pairing_end(*, by, pairing: Pairing, ended_on: date) -> Pairing:
    require(by, "manage_pairings", pairing.group, "您无权解除该结对。")
    clean_date(ended_on, field="ended_on", label="解除日期")
    with transaction.atomic():
        locked = Pairing.objects.select_for_update().get(pk=pairing.pk)
        if locked.ended_on is not None:
            raise ValidationFailed("该结对已解除。", field="ended_on")
        if ended_on < locked.started_on:
            raise ValidationFailed("解除日期不能早于结对日期。", field="ended_on")
        locked.ended_on = ended_on
        locked.save(update_fields=["ended_on"])
        audit_record(
            actor=by,
            action="rural.pairing_end",
            obj=locked,
            changes=changes_between({"ended_on": None}, {"ended_on": ended_on}),
        )
    return locked
