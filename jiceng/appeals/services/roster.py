"""Stewards' duty assignments (值班安排): who is on duty for a grid over a period, and who
stands in. Written one by one from forms or many at once from an Excel roster, all or
nothing."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from jiceng.core.audit import AuditEntry, audit_record_many
from jiceng.core.errors import PermissionDenied, ValidationFailed
from jiceng.core.models import Area, AreaKind, Person
from jiceng.core.scope import scope_of

from ..models import DutyRoster
from ..permissions import DISPATCH_ROLES


@dataclass(frozen=True)
class RosterEntry:
    grid: Area
    steward: Person
    starts_on: date
    backup: Person | None = None
    ends_on: date | None = None


def may_plan_duty(*, by, grid: Area) -> bool:
    """Whoever dispatches a grid's appeals plans its duty."""
    return scope_of(by).covers_area(grid.code, DISPATCH_ROLES)


def roster_entry_problems(*, entry: RosterEntry) -> list[str]:
    """What is wrong with ``entry`` itself; empty when nothing is."""
    problems = []
    if entry.grid.kind != AreaKind.GRID:
        problems.append(f"{entry.grid.name}不是网格")
    if entry.ends_on and entry.ends_on < entry.starts_on:
        problems.append("截止日期不能早于起始日期")
    if entry.backup is not None and entry.backup.pk == entry.steward.pk:
        problems.append("备岗不能是值班管家本人")
    return problems


def duty_roster_save_many(*, by, entries: list[RosterEntry]) -> tuple[int, int]:
    """Save the entries in one transaction: an entry with the same grid, steward and start
    date as a saved roster updates its backup and end date, any other is created. One
    refused entry saves none. Returns (created, updated)."""
    for entry in entries:
        if not may_plan_duty(by=by, grid=entry.grid):
            raise PermissionDenied(f"您无权安排网格 {entry.grid.code} 的值班。")
        if problems := roster_entry_problems(entry=entry):
            raise ValidationFailed(f"{problems[0]}。")
    created = updated = 0
    audit = []
    with transaction.atomic():
        for entry in entries:
            roster = (
                DutyRoster.objects.select_for_update()
                .filter(grid=entry.grid, steward=entry.steward, starts_on=entry.starts_on)
                .first()
            )
            if roster is None:
                roster = DutyRoster.objects.create(
                    grid=entry.grid,
                    steward=entry.steward,
                    backup=entry.backup,
                    starts_on=entry.starts_on,
                    ends_on=entry.ends_on,
                )
                created += 1
                verb = "appeals.roster_create"
            elif roster.backup_id != getattr(entry.backup, "pk", None) or (
                roster.ends_on != entry.ends_on
            ):
                roster.backup, roster.ends_on = entry.backup, entry.ends_on
                roster.save(update_fields=["backup", "ends_on"])
                updated += 1
                verb = "appeals.roster_update"
            else:
                continue
            changes = {
                "grid": [None, entry.grid.code],
                "steward": [None, entry.steward.pk],
                "backup": [None, getattr(entry.backup, "pk", None)],
                "starts_on": [None, entry.starts_on.isoformat()],
                "ends_on": [None, entry.ends_on.isoformat() if entry.ends_on else None],
            }
            audit.append(AuditEntry(by, verb, roster, changes))
        audit_record_many(audit)
    return created, updated
