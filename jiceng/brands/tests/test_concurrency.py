"""Concurrent writes keep every sheet complete and one per member (PostgreSQL row locks)."""

from jiceng.brands import services
from jiceng.brands.models import Evaluation, EvaluationScore
from jiceng.brands.tests.factories import BrandFactory, PanelMemberFactory
from jiceng.core.errors import ValidationFailed
from jiceng.core.roles import Role
from jiceng.testing import POSTGRES_ONLY, errors_of, race

pytestmark = POSTGRES_ONLY


def test_parallel_submissions_of_one_member_leave_one_complete_sheet(world):
    brand = BrandFactory(area=world.community_a1)
    judge = world.users[Role.JUDGE]
    PanelMemberFactory(campaign=brand.campaign, user=judge)
    c1, c2 = brand.campaign.criteria.order_by("order")

    def submit(value):
        return lambda: services.evaluation_submit(
            by=judge, brand=brand, scores={c1.pk: value, c2.pk: "30"}
        )

    errors = errors_of(race(*(submit(str(50 + i)) for i in range(4))))
    assert not errors
    assert Evaluation.objects.filter(brand=brand).count() == 1
    assert EvaluationScore.objects.filter(evaluation__brand=brand).count() == 2


def test_a_criterion_added_while_a_member_scores_never_leaves_a_sheet_incomplete(world):
    brand = BrandFactory(area=world.community_a1)
    judge = world.users[Role.JUDGE]
    PanelMemberFactory(campaign=brand.campaign, user=judge)
    c1, c2 = brand.campaign.criteria.order_by("order")
    errors = errors_of(
        race(
            lambda: services.evaluation_submit(
                by=judge, brand=brand, scores={c1.pk: "50", c2.pk: "30"}
            ),
            lambda: services.criterion_add(
                by=world.users[Role.DISTRICT_ADMIN],
                campaign=brand.campaign,
                name="示范带动",
                max_score="10",
            ),
        )
    )
    # Exactly one wins: the sheet first (the rubric is then fixed) or the criterion first
    # (the two-score sheet is then incomplete and refused).
    assert len(errors) == 1 and isinstance(errors[0], ValidationFailed)
    criteria = brand.campaign.criteria.count()
    for sheet in Evaluation.objects.all():
        assert sheet.scores.count() == criteria
