"""Every write of the cadres app. Each checks ``permissions.can`` (``by`` None is the
system: the demo loader), validates, writes in a transaction and leaves an audit row; a
refused call raises an ``ApplicationError`` and changes nothing."""

from .assessment import assessment_record, criterion_add, scheme_create
from .secondment import (
    batch_create,
    mentor_task_add,
    mentor_task_update,
    review_record,
    secondee_add,
    study_item_add,
    study_item_update,
)
from .selection import (
    application_score,
    application_submit,
    round_appoint,
    round_create,
    round_publicize,
    round_rank,
    round_screen,
    selection_post_add,
)
from .training import (
    attendance_record,
    enrolment_create,
    programme_create,
    session_create,
    training_hours_export,
)

__all__ = [
    "application_score",
    "application_submit",
    "assessment_record",
    "attendance_record",
    "batch_create",
    "criterion_add",
    "enrolment_create",
    "mentor_task_add",
    "mentor_task_update",
    "programme_create",
    "review_record",
    "round_appoint",
    "round_create",
    "round_publicize",
    "round_rank",
    "round_screen",
    "scheme_create",
    "secondee_add",
    "selection_post_add",
    "session_create",
    "study_item_add",
    "study_item_update",
    "training_hours_export",
]
