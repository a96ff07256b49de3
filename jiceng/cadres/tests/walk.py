"""URL-walk parameters of the cadres app (see jiceng/core/tests/walk.py).

Street A's secondee comes from the fixture's grid A1 to community A1, with A1's secretary
as mentor; street B's rows mirror every street A row and must never show to an account
scoped inside street A (the district's batch, round and scheme hold rows of both sides).
"""

from .factories import (
    ApplicationFactory,
    AssessmentCriterionFactory,
    AssessmentFactory,
    AssessmentSchemeFactory,
    AttendanceFactory,
    EnrolmentFactory,
    MentorTaskFactory,
    SecondeeFactory,
    SecondmentBatchFactory,
    SelectionPostFactory,
    SelectionRoundFactory,
    StudyItemFactory,
    TrainingProgrammeFactory,
    TrainingSessionFactory,
)


def walk_params(world) -> dict:
    # Only the cadres app's rows are made here: the core's walk compares the core's tables
    # before and after, so the people and areas are the fixture's own.
    a1, b1, b2 = world.community_a1, world.community_b1, world.village_b2
    mentor_a, mentor_b = world.people_a[0], world.people_b[0]
    grid_person_a, village_person_b = world.people_a[1], world.people_b[1]

    # training: a street A course (offered to every account of street A) and a street B one
    course_a = TrainingProgrammeFactory(name="大观园测试培训班", area=world.street_a)
    course_b = TrainingProgrammeFactory(name="杆石桥测试培训班", area=world.street_b)
    session_a = TrainingSessionFactory(programme=course_a, topic="大观园课程")
    session_b = TrainingSessionFactory(programme=course_b, topic="杆石桥课程")
    AttendanceFactory(
        session=session_a, enrolment=EnrolmentFactory(programme=course_a, person=mentor_a)
    )
    AttendanceFactory(
        session=session_b, enrolment=EnrolmentFactory(programme=course_b, person=mentor_b)
    )

    # secondment: a district batch with one secondee on each side, and a street B batch
    district_batch = SecondmentBatchFactory(area=world.district, name="区级测试批次")
    street_b_batch = SecondmentBatchFactory(area=world.street_b, name="杆石桥测试批次")
    secondee_a = SecondeeFactory(
        batch=district_batch,
        person=grid_person_a,
        home_area=world.grid_a1,
        host_area=a1,
        mentor=mentor_a,
    )
    SecondeeFactory(
        batch=district_batch, person=village_person_b, home_area=b2, host_area=b1, mentor=mentor_b
    )
    secondee_b = SecondeeFactory(
        batch=street_b_batch, person=village_person_b, home_area=b2, host_area=b1, mentor=mentor_b
    )
    task_a = MentorTaskFactory(secondee=secondee_a, title="甲的帮带任务")
    task_b = MentorTaskFactory(secondee=secondee_b, title="乙的帮带任务")
    item_a = StudyItemFactory(secondee=secondee_a, title="甲的学习任务")
    item_b = StudyItemFactory(secondee=secondee_b, title="乙的学习任务")

    # selection: a district round with a seat on each side, and a street B round
    district_round = SelectionRoundFactory(area=world.district, name="区级测试选配")
    street_b_round = SelectionRoundFactory(area=world.street_b, name="杆石桥测试选配")
    seat_a = SelectionPostFactory(round=district_round, area=a1)
    seat_b = SelectionPostFactory(round=district_round, area=b1)
    application_a = ApplicationFactory(post=seat_a, person=grid_person_a)
    ApplicationFactory(post=seat_b, person=village_person_b)
    application_b = ApplicationFactory(
        post=SelectionPostFactory(round=street_b_round, area=b1), person=village_person_b
    )

    # assessments: a district scheme scoring both sides, and a street B scheme
    scheme_a = AssessmentSchemeFactory(area=world.district, name="区级测试考评")
    scheme_b = AssessmentSchemeFactory(area=world.street_b, name="杆石桥测试考评")
    for scheme in (scheme_a, scheme_b):
        AssessmentCriterionFactory(scheme=scheme)
    AssessmentFactory(scheme=scheme_a, person=mentor_a, total=95)
    AssessmentFactory(scheme=scheme_a, person=mentor_b, total=96)

    def everyone(values):
        return lambda role: values

    return {
        "cadres:programme_detail": (everyone({"pk": course_a.pk}), {"pk": course_b.pk}),
        "cadres:session_create": (everyone({"pk": course_a.pk}), {"pk": course_b.pk}),
        "cadres:enrol": (everyone({"pk": course_a.pk}), {"pk": course_b.pk}),
        "cadres:session_detail": (everyone({"pk": session_a.pk}), {"pk": session_b.pk}),
        "cadres:attendance_record": (everyone({"pk": session_a.pk}), {"pk": session_b.pk}),
        "cadres:batch_detail": (everyone({"pk": district_batch.pk}), {"pk": street_b_batch.pk}),
        "cadres:secondee_add": (everyone({"pk": district_batch.pk}), {"pk": street_b_batch.pk}),
        "cadres:secondee_detail": (everyone({"pk": secondee_a.pk}), {"pk": secondee_b.pk}),
        "cadres:mentor_task_add": (everyone({"pk": secondee_a.pk}), {"pk": secondee_b.pk}),
        "cadres:study_item_add": (everyone({"pk": secondee_a.pk}), {"pk": secondee_b.pk}),
        "cadres:review_record": (everyone({"pk": secondee_a.pk}), {"pk": secondee_b.pk}),
        "cadres:mentor_task_update": (everyone({"pk": task_a.pk}), {"pk": task_b.pk}),
        "cadres:study_item_update": (everyone({"pk": item_a.pk}), {"pk": item_b.pk}),
        "cadres:round_detail": (everyone({"pk": district_round.pk}), {"pk": street_b_round.pk}),
        "cadres:selection_post_add": (
            everyone({"pk": district_round.pk}),
            {"pk": street_b_round.pk},
        ),
        "cadres:application_submit": (
            everyone({"pk": district_round.pk}),
            {"pk": street_b_round.pk},
        ),
        "cadres:round_screen": (everyone({"pk": district_round.pk}), {"pk": street_b_round.pk}),
        "cadres:round_rank": (everyone({"pk": district_round.pk}), {"pk": street_b_round.pk}),
        "cadres:round_publicize": (
            everyone({"pk": district_round.pk}),
            {"pk": street_b_round.pk},
        ),
        "cadres:round_appoint": (everyone({"pk": district_round.pk}), {"pk": street_b_round.pk}),
        "cadres:application_score": (
            everyone({"pk": application_a.pk}),
            {"pk": application_b.pk},
        ),
        "cadres:scheme_detail": (everyone({"pk": scheme_a.pk}), {"pk": scheme_b.pk}),
        "cadres:criterion_add": (everyone({"pk": scheme_a.pk}), {"pk": scheme_b.pk}),
        "cadres:assessment_record": (everyone({"pk": scheme_a.pk}), {"pk": scheme_b.pk}),
    }


def out_of_scope_names(world) -> list[str]:
    return [
        "杆石桥测试培训班",
        "杆石桥课程",
        "杆石桥测试批次",
        "乙的帮带任务",
        "乙的学习任务",
        "杆石桥测试选配",
        "杆石桥测试考评",
    ]
