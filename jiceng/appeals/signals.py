"""What other modules listen to: every change of an appeal, inside its transaction.

``appeals_changed`` is sent once per service call, after the appeals' rows, events and audit
rows are written and before the transaction commits, with ``changes``: a list of
``AppealChange``. A receiver runs in that transaction: what it writes commits or rolls back
with the appeal (the rollups of the three rates are kept this way); it must not call back
into the appeal services. Receivers that want to act only after commit use
``transaction.on_commit`` themselves.
"""

from dataclasses import dataclass

from django.dispatch import Signal


@dataclass(frozen=True)
class AppealChange:
    appeal: object  # the Appeal after the change
    before: dict | None  # snapshot() of the tracked fields before; None for a new appeal
    action: str  # the AppealEvent action: submit, dispatch, accept, resolve, rate, ...


appeals_changed = Signal()


def send_changes(changes: list[AppealChange]) -> None:
    if changes:
        appeals_changed.send(sender=AppealChange, changes=changes)
