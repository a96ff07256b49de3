"""Rows of 队伍建设: training, secondment (挂职交流), merit-based selection (择优选配) and
assessments (考评). People, areas and posts are the core's; these rows point at them."""

from .assessment import (
    Assessment,
    AssessmentAudience,
    AssessmentCriterion,
    AssessmentScheme,
    AssessmentScore,
    AssessmentTerm,
    Grade,
    grade_for,
)
from .secondment import (
    MentorTask,
    MentorTaskKind,
    ReviewStage,
    Secondee,
    SecondeeStatus,
    SecondmentBatch,
    SecondmentReview,
    StudyItem,
    WorkStatus,
)
from .selection import (
    Application,
    ApplicationStatus,
    RoundStatus,
    SelectionPost,
    SelectionRound,
)
from .training import (
    Attendance,
    AttendanceStatus,
    Audience,
    Enrolment,
    EnrolmentSource,
    TrainingProgramme,
    TrainingSession,
)

__all__ = [
    "Application",
    "ApplicationStatus",
    "Assessment",
    "AssessmentAudience",
    "AssessmentCriterion",
    "AssessmentScheme",
    "AssessmentScore",
    "AssessmentTerm",
    "Attendance",
    "AttendanceStatus",
    "Audience",
    "Enrolment",
    "EnrolmentSource",
    "Grade",
    "MentorTask",
    "MentorTaskKind",
    "ReviewStage",
    "RoundStatus",
    "SecondeeStatus",
    "Secondee",
    "SecondmentBatch",
    "SecondmentReview",
    "SelectionPost",
    "SelectionRound",
    "StudyItem",
    "TrainingProgramme",
    "TrainingSession",
    "WorkStatus",
    "grade_for",
]
