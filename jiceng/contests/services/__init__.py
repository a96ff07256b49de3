"""Every write of the contests: ``setup`` (contest, rubric, rounds, awards), ``assignments``
(entries, panels, advancing), ``sheets`` (scoring and corrections), ``export``."""

from .assignments import (
    conflict_reason,
    entry_create,
    round_advance,
    round_entry_add,
    round_judge_add,
    sheet_assign,
    sheet_unassign,
)
from .export import ranking_export
from .setup import (
    award_band_add,
    award_band_delete,
    contest_create,
    criterion_add,
    criterion_delete,
    round_add,
    round_status_set,
    tie_break_set,
)
from .sheets import (
    LOCKED_MESSAGE,
    field_name,
    parse_scores,
    sheet_correct,
    sheet_save,
    sheet_submit,
)

__all__ = [
    "LOCKED_MESSAGE",
    "award_band_add",
    "award_band_delete",
    "conflict_reason",
    "contest_create",
    "criterion_add",
    "criterion_delete",
    "entry_create",
    "field_name",
    "parse_scores",
    "ranking_export",
    "round_add",
    "round_advance",
    "round_entry_add",
    "round_judge_add",
    "round_status_set",
    "sheet_assign",
    "sheet_correct",
    "sheet_save",
    "sheet_submit",
    "sheet_unassign",
    "tie_break_set",
]
