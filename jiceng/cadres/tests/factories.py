"""Factories of the cadres rows. People, areas and posts come from the core's factories
(or the ``world`` fixture); these build what sits on top of them."""

from datetime import date
from decimal import Decimal

import factory

from jiceng.core.models import AreaKind, Education, PoliticalStatus, PostTitle
from jiceng.core.tests.factories import AreaFactory, PersonFactory, PostFactory

from ..models import (
    Application,
    Assessment,
    AssessmentAudience,
    AssessmentCriterion,
    AssessmentScheme,
    AssessmentTerm,
    Attendance,
    AttendanceStatus,
    Audience,
    Enrolment,
    MentorTask,
    Secondee,
    SecondmentBatch,
    SelectionPost,
    SelectionRound,
    StudyItem,
    TrainingProgramme,
    TrainingSession,
)


class TrainingProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingProgramme

    name = factory.Sequence(lambda n: f"测试培训班{n}")
    year = 2024
    area = factory.SubFactory(AreaFactory)
    organizer = "区委组织部"
    audience = Audience.COMMUNITY_LEADERS


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    programme = factory.SubFactory(TrainingProgrammeFactory)
    topic = factory.Sequence(lambda n: f"课程{n}")
    held_on = date(2024, 3, 15)
    place = "区委党校"
    trainer = "讲师"
    hours = Decimal("3.0")


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    programme = factory.SubFactory(TrainingProgrammeFactory)
    person = factory.SubFactory(PersonFactory)
    area = factory.LazyAttribute(lambda o: o.person.area)
    enrolled_on = date(2024, 3, 1)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(TrainingSessionFactory)
    enrolment = factory.SubFactory(EnrolmentFactory)
    status = AttendanceStatus.ATTENDED


class SecondmentBatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SecondmentBatch

    year = 2024
    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"{o.year}年度第{o.number}批区内挂职交流")
    area = factory.SubFactory(AreaFactory)
    starts_on = date(2024, 3, 4)
    ends_on = date(2024, 8, 30)


class SecondeeFactory(factory.django.DjangoModelFactory):
    """A secondee; pass ``home_area``, ``host_area`` (communities) and people as needed."""

    class Meta:
        model = Secondee

    batch = factory.SubFactory(SecondmentBatchFactory)
    person = factory.SubFactory(PersonFactory)
    home_area = factory.LazyAttribute(lambda o: o.person.area)
    home_title = PostTitle.COMMUNITY_DEPUTY
    host_area = factory.SubFactory(AreaFactory, kind=AreaKind.COMMUNITY)
    mentor = factory.SubFactory(PersonFactory)
    starts_on = factory.LazyAttribute(lambda o: o.batch.starts_on)
    ends_on = factory.LazyAttribute(lambda o: o.batch.ends_on)


class MentorTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentorTask

    secondee = factory.SubFactory(SecondeeFactory)
    title = factory.Sequence(lambda n: f"帮带任务{n}")
    due_on = date(2024, 5, 31)


class StudyItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudyItem

    secondee = factory.SubFactory(SecondeeFactory)
    title = factory.Sequence(lambda n: f"学习任务{n}")
    due_on = date(2024, 6, 28)


class SelectionRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SelectionRound

    name = factory.Sequence(lambda n: f"测试择优选配{n}")
    year = 2024
    area = factory.SubFactory(AreaFactory)
    reference_date = date(2024, 5, 20)
    applications_close_on = date(2024, 5, 20)
    max_age = 45
    min_education = Education.COLLEGE
    min_party_years = 3
    min_community_years = 3
    require_clean_record = True


class SelectionPostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SelectionPost

    round = factory.SubFactory(SelectionRoundFactory)
    title = PostTitle.COMMUNITY_DEPUTY
    area = factory.SubFactory(AreaFactory, kind=AreaKind.COMMUNITY)


class EligiblePersonFactory(PersonFactory):
    """Someone who meets the usual round's rules on 20 May 2024."""

    birth_date = date(1985, 6, 1)
    education = Education.BACHELOR
    political_status = PoliticalStatus.MEMBER
    party_joined_on = date(2010, 7, 1)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    post = factory.SubFactory(SelectionPostFactory)
    round = factory.LazyAttribute(lambda o: o.post.round)
    person = factory.SubFactory(EligiblePersonFactory)
    submitted_on = date(2024, 5, 10)
    community_work_started_on = date(2015, 3, 1)


class AssessmentSchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentScheme

    name = factory.Sequence(lambda n: f"考评方案{n}")
    area = factory.SubFactory(AreaFactory)
    audience = AssessmentAudience.COMMUNITY_SECRETARIES
    leader_threshold = Decimal("90")


class AssessmentCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentCriterion

    scheme = factory.SubFactory(AssessmentSchemeFactory)
    name = factory.Sequence(lambda n: f"考评项目{n}")
    max_score = Decimal("50")


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    scheme = factory.SubFactory(AssessmentSchemeFactory)
    person = factory.SubFactory(PersonFactory)
    area = factory.LazyAttribute(lambda o: o.person.area)
    year = 2023
    term = AssessmentTerm.ANNUAL
    total = Decimal("85")
    assessed_on = date(2024, 1, 19)


def secretary(name: str, community, **kw):
    """A person holding a current community secretary post at ``community``."""
    person = PersonFactory(name=name, area=community, **kw)
    PostFactory(
        person=person,
        title=PostTitle.COMMUNITY_SECRETARY,
        area=community,
        starts_on=date(2021, 3, 1),
    )
    return person


def deputy(name: str, community, **kw):
    person = PersonFactory(name=name, area=community, **kw)
    PostFactory(
        person=person, title=PostTitle.COMMUNITY_DEPUTY, area=community, starts_on=date(2021, 3, 1)
    )
    return person
