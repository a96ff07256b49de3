"""Every write of appeals. Import services from here."""

from .handling import (
    BulkOutcome,
    appeal_accept,
    appeal_add_info,
    appeal_bulk_dispatch,
    appeal_claim,
    appeal_close_rated,
    appeal_close_unrated,
    appeal_contact,
    appeal_dispatch,
    appeal_hand_to_shared,
    appeal_note,
    appeal_pause,
    appeal_rate,
    appeal_reject,
    appeal_reopen,
    appeal_resolve,
    appeal_resume,
)
from .intake import (
    Submission,
    appeal_submit,
    appeal_submit_many,
    check_photos,
    rate_limit_check,
)
from .notify import notifications_mark_read
from .sweep import SweepReport, appeal_escalate, sla_sweep

__all__ = [
    "BulkOutcome",
    "Submission",
    "SweepReport",
    "appeal_accept",
    "appeal_add_info",
    "appeal_bulk_dispatch",
    "appeal_claim",
    "appeal_close_rated",
    "appeal_close_unrated",
    "appeal_contact",
    "appeal_dispatch",
    "appeal_escalate",
    "appeal_hand_to_shared",
    "appeal_note",
    "appeal_pause",
    "appeal_rate",
    "appeal_reject",
    "appeal_reopen",
    "appeal_resolve",
    "appeal_resume",
    "appeal_submit",
    "appeal_submit_many",
    "check_photos",
    "notifications_mark_read",
    "rate_limit_check",
    "sla_sweep",
]
