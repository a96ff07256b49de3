"""The cadres app's permission policy: every view and service asks ``can``.

Reading follows scope (the selectors); writing belongs to the organization department
(district_admin) and, for what lies inside their street, the street's staff. A mentor keeps
their own task list and a secondee their own study plan.
"""

from jiceng.core.models import Area
from jiceng.core.permissions import can as core_can
from jiceng.core.roles import EDITOR_ROLES, Role
from jiceng.core.scope import scope_of

from .models import (
    AssessmentScheme,
    Secondee,
    SecondmentBatch,
    SelectionRound,
    TrainingProgramme,
)

# Roles that organize: the district's organization department and the streets.
ORGANIZER_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.STREET_STAFF})


def _own_person(user, person_id) -> bool:
    return bool(getattr(user, "person_id", None)) and user.person_id == person_id


def can(user, action: str, obj=None) -> bool:
    scope = scope_of(user)
    match action:
        case "view":
            return core_can(user, "read", "cadres")
        case "view_personnel":
            # Selection files and assessment scores: the departments and communities only.
            return core_can(user, "read", "cadres") and scope.has_role(*EDITOR_ROLES)
        case "organize":
            # May open the forms that create a programme, batch, round or scheme somewhere.
            return scope.has_role(*ORGANIZER_ROLES)
        case "organize_in":
            return isinstance(obj, Area) and scope.covers_area(obj.code, ORGANIZER_ROLES)
        case "manage_programme":
            return isinstance(obj, TrainingProgramme) and scope.covers_area(
                obj.area.code, ORGANIZER_ROLES
            )
        case "enrol_person":
            # A community signs up its own people; anyone may sign themselves up.
            return _own_person(user, getattr(obj, "pk", None)) or (
                obj is not None and scope.covers_area(obj.area.code, EDITOR_ROLES)
            )
        case "manage_batch":
            return isinstance(obj, SecondmentBatch) and scope.covers_area(
                obj.area.code, ORGANIZER_ROLES
            )
        case "edit_mentor_tasks":
            return isinstance(obj, Secondee) and (
                _own_person(user, obj.mentor_id)
                or scope.covers_area(obj.host_area.code, ORGANIZER_ROLES)
            )
        case "edit_study_plan":
            return isinstance(obj, Secondee) and (
                _own_person(user, obj.person_id)
                or scope.covers_area(obj.host_area.code, ORGANIZER_ROLES)
            )
        case "review_secondee":
            return (
                isinstance(obj, Secondee)
                and not _own_person(user, obj.person_id)
                and scope.covers_area(obj.batch.area.code, ORGANIZER_ROLES)
            )
        case "manage_round":
            return isinstance(obj, SelectionRound) and scope.covers_area(
                obj.area.code, ORGANIZER_ROLES
            )
        case "manage_scheme":
            return isinstance(obj, AssessmentScheme) and scope.covers_area(
                obj.area.code, ORGANIZER_ROLES
            )
        case "assess_in":
            return isinstance(obj, Area) and scope.covers_area(obj.code, ORGANIZER_ROLES)
    raise ValueError(f"unknown action {action!r}")
