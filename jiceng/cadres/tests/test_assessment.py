"""Assessments: scores against the scheme, corrections, and the 头雁 roster derived from the
totals (it moves when a score changes)."""

from datetime import date
from decimal import Decimal

import pytest

from jiceng.cadres import selectors, services
from jiceng.cadres.models import Assessment, AssessmentTerm
from jiceng.core.errors import PermissionDenied, ValidationFailed
from jiceng.core.models import PostTitle
from jiceng.core.roles import Role
from jiceng.core.tests.factories import PostFactory

from .factories import AssessmentCriterionFactory, AssessmentSchemeFactory


@pytest.fixture
def scheme(world):
    scheme = AssessmentSchemeFactory(area=world.district, name="书记考评", leader_threshold=90)
    AssessmentCriterionFactory(scheme=scheme, name="抓党建", max_score=60)
    AssessmentCriterionFactory(scheme=scheme, name="群众满意度", max_score=40)
    return scheme


def _scores(scheme, *values):
    return dict(
        zip(
            scheme.criteria.order_by("position", "id").values_list("pk", flat=True),
            values,
            strict=True,
        )
    )


def _assess(by, scheme, person, *values, term=AssessmentTerm.ANNUAL):
    return services.assessment_record(
        by=by,
        scheme=scheme,
        person=person,
        year=2023,
        term=term,
        scores=_scores(scheme, *values),
        assessed_on=date(2024, 1, 19),
    )


def test_the_total_is_the_sum_and_a_second_scoring_corrects_it(scheme, world):
    admin = world.users[Role.DISTRICT_ADMIN]
    secretary = world.people_a[0]
    first = _assess(admin, scheme, secretary, 50, 30)
    assert first.total == Decimal("80") and first.area == world.community_a1
    again = _assess(admin, scheme, secretary, 58, 36)
    assert again.pk == first.pk and again.total == Decimal("94")
    assert Assessment.objects.count() == 1


def test_a_score_above_the_criterions_maximum_is_refused(scheme, world):
    with pytest.raises(ValidationFailed, match="抓党建应在 0 到 60"):
        _assess(world.users[Role.DISTRICT_ADMIN], scheme, world.people_a[0], 61, 30)
    assert not Assessment.objects.exists()


def test_only_the_schemes_audience_is_assessed(scheme, world):
    with pytest.raises(ValidationFailed, match="不担任社区党组织书记"):
        _assess(world.users[Role.DISTRICT_ADMIN], scheme, world.people_a[1], 50, 30)


def test_street_staff_assess_in_their_street_only(scheme, world):
    staff = world.users[Role.STREET_STAFF]
    _assess(staff, scheme, world.people_a[0], 50, 30)
    with pytest.raises(PermissionDenied):
        _assess(staff, scheme, world.people_b[0], 50, 30)
    assert Assessment.objects.count() == 1


def test_the_roster_is_derived_from_annual_totals_and_moves_with_a_score(scheme, world):
    admin = world.users[Role.DISTRICT_ADMIN]
    a, b = world.people_a[0], world.people_b[0]
    _assess(admin, scheme, a, 57, 36)  # 93
    _assess(admin, scheme, b, 50, 30)  # 80
    _assess(admin, scheme, b, 60, 40, term=AssessmentTerm.FIRST_HALF)  # not annual
    assert [x.person for x in selectors.leader_roster(user=admin, year=2023)] == [a]
    _assess(admin, scheme, b, 56, 34)  # corrected to 90: reaches the line
    assert [x.person for x in selectors.leader_roster(user=admin, year=2023)] == [a, b]
    _assess(admin, scheme, a, 50, 35)  # 85: drops off
    assert [x.person for x in selectors.leader_roster(user=admin, year=2023)] == [b]
    # 睦和苑's staff see their own community's part of it only.
    assert list(selectors.leader_roster(user=world.users[Role.COMMUNITY_STAFF], year=2023)) == []


def test_criteria_are_fixed_once_anyone_is_scored(scheme, world):
    admin = world.users[Role.DISTRICT_ADMIN]
    _assess(admin, scheme, world.people_a[0], 50, 30)
    with pytest.raises(ValidationFailed, match="不能再调整考评项目"):
        services.criterion_add(by=admin, scheme=scheme, name="新项目", max_score=10)
    assert scheme.criteria.count() == 2


def test_secretary_posts_elsewhere_are_assessed_where_they_serve(scheme, world):
    person = world.people_b[1]
    PostFactory(person=person, title=PostTitle.COMMUNITY_SECRETARY, area=world.community_b1)
    assessment = _assess(world.users[Role.DISTRICT_ADMIN], scheme, person, 40, 30)
    assert assessment.area == world.community_b1
