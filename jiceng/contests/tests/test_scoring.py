"""The contest's arithmetic, without a database."""

from decimal import Decimal as D

import pytest

from ..scoring import Standing, award_for, kept_mean, rank, sheet_total, trimmed_mean


def test_sheet_total_is_the_weighted_sum():
    assert sheet_total({1: D("80"), 2: D("90")}, {1: D("0.6"), 2: D("0.4")}) == D("84.0")


def test_four_judges_count_every_total():
    result = trimmed_mean([D(70), D(80), D(90), D(100)])
    assert result.score == D("85.00")
    assert result.dropped_high is None and result.dropped_low is None
    assert result.kept == (0, 1, 2, 3)


def test_five_judges_drop_the_highest_and_the_lowest_total():
    result = trimmed_mean([D(99), D(80), D(60), D(82), D(84)])
    assert result.score == D("82.00")  # (80 + 82 + 84) / 3
    assert result.dropped_high == 0 and result.dropped_low == 2
    assert result.kept == (1, 3, 4)


def test_seven_judges_still_drop_only_one_of_each():
    totals = [D(90), D(91), D(92), D(93), D(94), D(95), D(50)]
    assert trimmed_mean(totals).score == D("92.00")  # 90..94: 95 and 50 dropped


def test_equal_extremes_drop_only_one_of_them():
    result = trimmed_mean([D(90), D(90), D(80), D(80), D(85)])
    assert len(result.kept) == 3
    assert result.score == D("85.00")  # 80 + 85 + 90


def test_the_score_is_rounded_half_up_to_two_decimals():
    assert trimmed_mean([D("80.005")]).score == D("80.01")
    assert trimmed_mean([D(80), D(80), D(81)]).score == D("80.33")


def test_no_submitted_total_means_no_score():
    assert trimmed_mean([]).score is None


def test_tie_break_mean_uses_the_same_kept_sheets():
    assert kept_mean([D(10), D(20), D(30)], (1, 2)) == D("25.00")


def _ranked(*pairs):
    standings = [Standing(key=i, score=s, tie_break=t) for i, (s, t) in enumerate(pairs)]
    return {s.key: s for s in rank(standings)}


def test_equal_scores_and_tie_breaks_share_a_rank_and_the_next_is_skipped():
    ranked = _ranked((D(90), D(80)), (D(85), D(70)), (D(85), D(70)), (D(80), D(60)))
    assert [ranked[i].rank for i in range(4)] == [1, 2, 2, 4]
    assert ranked[1].tied and ranked[2].tied
    assert not ranked[0].tied and not ranked[3].tied


def test_the_tie_break_criterion_orders_equal_scores():
    ranked = _ranked((D(85), D(70)), (D(85), D(75)))
    assert ranked[1].rank == 1 and ranked[0].rank == 2
    assert not ranked[0].tied and ranked[0].split_by_tie_break and ranked[1].split_by_tie_break


def test_without_a_tie_break_criterion_equal_scores_are_a_tie():
    ranked = _ranked((D(85), None), (D(85), None), (D(90), None))
    assert ranked[2].rank == 1
    assert ranked[0].rank == ranked[1].rank == 2 and ranked[0].tied


def test_entries_without_a_score_come_last_without_a_rank():
    ordered = rank([Standing(key=1, score=None), Standing(key=2, score=D(50))])
    assert [s.key for s in ordered] == [2, 1]
    assert ordered[1].rank is None


BANDS = [("一等奖", 1), ("二等奖", 3), ("三等奖", 6), ("优秀奖", None)]


@pytest.mark.parametrize(
    "position, award",
    [(1, "一等奖"), (2, "二等奖"), (3, "二等奖"), (4, "三等奖"), (6, "三等奖"), (7, "优秀奖")],
)
def test_awards_go_by_rank_bands(position, award):
    assert award_for(position, BANDS) == award


def test_tied_entries_share_the_award_of_their_rank():
    ranked = _ranked((D(95), None), (D(90), None), (D(88), None), (D(88), None))
    awards = {k: award_for(s.rank, BANDS) for k, s in ranked.items()}
    assert ranked[2].rank == ranked[3].rank == 3
    assert awards[2] == awards[3] == "二等奖"


def test_without_an_open_band_the_rest_win_nothing():
    assert award_for(4, [("一等奖", 1), ("二等奖", 3)]) == ""
