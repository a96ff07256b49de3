"""The echelon is derived from the score by the campaign's thresholds, boundaries included."""

from decimal import Decimal

import pytest

from jiceng.brands.models import Campaign, Echelon


@pytest.mark.parametrize(
    ("score", "echelon"),
    [
        ("100", Echelon.LEADING),
        ("90.00", Echelon.LEADING),  # the leading threshold itself leads
        ("89.99", Echelon.PIONEERING),
        ("80.00", Echelon.PIONEERING),  # the pioneering threshold itself pioneers
        ("79.99", Echelon.FOLLOWING),
        ("0", Echelon.FOLLOWING),
    ],
)
def test_echelon_from_thresholds_including_boundaries(score, echelon):
    campaign = Campaign(leading_threshold=Decimal("90"), pioneering_threshold=Decimal("80"))
    assert campaign.echelon_for(Decimal(score)) == echelon


def test_no_echelon_before_the_first_sheet():
    campaign = Campaign(leading_threshold=Decimal("90"), pioneering_threshold=Decimal("80"))
    assert campaign.echelon_for(None) is None


def test_other_thresholds_place_the_same_score_elsewhere():
    score = Decimal("85")
    strict = Campaign(leading_threshold=Decimal("95"), pioneering_threshold=Decimal("88"))
    lenient = Campaign(leading_threshold=Decimal("85"), pioneering_threshold=Decimal("70"))
    assert strict.echelon_for(score) == Echelon.FOLLOWING
    assert lenient.echelon_for(score) == Echelon.LEADING
