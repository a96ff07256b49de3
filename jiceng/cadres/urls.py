from django.urls import path

from .views import assessment, home, secondment, selection, training

app_name = "cadres"
urlpatterns = [
    path("", home.CadresHomeView.as_view(), name="home"),
    # training
    path("training/", training.ProgrammeListView.as_view(), name="programme_list"),
    path("training/new/", training.ProgrammeCreateView.as_view(), name="programme_create"),
    path("training/hours/", training.TrainingHoursView.as_view(), name="training_hours"),
    path(
        "training/hours/export/",
        training.TrainingHoursExportView.as_view(),
        name="training_hours_export",
    ),
    path("training/<int:pk>/", training.ProgrammeDetailView.as_view(), name="programme_detail"),
    path(
        "training/<int:pk>/sessions/new/",
        training.SessionCreateView.as_view(),
        name="session_create",
    ),
    path("training/<int:pk>/enrol/", training.EnrolView.as_view(), name="enrol"),
    path(
        "training/sessions/<int:pk>/", training.SessionDetailView.as_view(), name="session_detail"
    ),
    path(
        "training/sessions/<int:pk>/attendance/",
        training.AttendanceRecordView.as_view(),
        name="attendance_record",
    ),
    # secondment
    path("secondment/", secondment.BatchListView.as_view(), name="batch_list"),
    path("secondment/new/", secondment.BatchCreateView.as_view(), name="batch_create"),
    path("secondment/<int:pk>/", secondment.BatchDetailView.as_view(), name="batch_detail"),
    path(
        "secondment/<int:pk>/secondees/new/",
        secondment.SecondeeAddView.as_view(),
        name="secondee_add",
    ),
    path(
        "secondment/secondees/<int:pk>/",
        secondment.SecondeeDetailView.as_view(),
        name="secondee_detail",
    ),
    path(
        "secondment/secondees/<int:pk>/tasks/new/",
        secondment.MentorTaskAddView.as_view(),
        name="mentor_task_add",
    ),
    path(
        "secondment/tasks/<int:pk>/",
        secondment.MentorTaskUpdateView.as_view(),
        name="mentor_task_update",
    ),
    path(
        "secondment/secondees/<int:pk>/study/new/",
        secondment.StudyItemAddView.as_view(),
        name="study_item_add",
    ),
    path(
        "secondment/study/<int:pk>/",
        secondment.StudyItemUpdateView.as_view(),
        name="study_item_update",
    ),
    path(
        "secondment/secondees/<int:pk>/reviews/new/",
        secondment.ReviewRecordView.as_view(),
        name="review_record",
    ),
    # selection
    path("selection/", selection.RoundListView.as_view(), name="round_list"),
    path("selection/new/", selection.RoundCreateView.as_view(), name="round_create"),
    path("selection/<int:pk>/", selection.RoundDetailView.as_view(), name="round_detail"),
    path(
        "selection/<int:pk>/posts/new/",
        selection.SelectionPostAddView.as_view(),
        name="selection_post_add",
    ),
    path(
        "selection/<int:pk>/applications/new/",
        selection.ApplicationSubmitView.as_view(),
        name="application_submit",
    ),
    path("selection/<int:pk>/screen/", selection.RoundScreenView.as_view(), name="round_screen"),
    path("selection/<int:pk>/rank/", selection.RoundRankView.as_view(), name="round_rank"),
    path(
        "selection/<int:pk>/publicize/",
        selection.RoundPublicizeView.as_view(),
        name="round_publicize",
    ),
    path("selection/<int:pk>/appoint/", selection.RoundAppointView.as_view(), name="round_appoint"),
    path(
        "selection/applications/<int:pk>/score/",
        selection.ApplicationScoreView.as_view(),
        name="application_score",
    ),
    # assessments
    path("assessments/", assessment.SchemeListView.as_view(), name="scheme_list"),
    path("assessments/new/", assessment.SchemeCreateView.as_view(), name="scheme_create"),
    path("assessments/leaders/", assessment.LeaderRosterView.as_view(), name="leader_roster"),
    path("assessments/<int:pk>/", assessment.SchemeDetailView.as_view(), name="scheme_detail"),
    path(
        "assessments/<int:pk>/criteria/new/",
        assessment.CriterionAddView.as_view(),
        name="criterion_add",
    ),
    path(
        "assessments/<int:pk>/assess/",
        assessment.AssessmentRecordView.as_view(),
        name="assessment_record",
    ),
]
