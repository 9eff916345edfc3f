"""Long straight lines taken out of ink, the strokes crossing them kept."""

import cv2
import numpy as np
import pytest

from realtime.config import Config
from realtime.lines import forms_a_grid, printed_grid, remove_lines, soft_grid, take_off_grid, take_out_lines


def _grid_over_strokes(rule: int) -> tuple[np.ndarray, np.ndarray]:
    """A mask of a printed grid (rules `rule` px thick, 30 px apart) with two pen strokes on it, each
    shorter than the shortest line looked for (40 px), as a digit's strokes are: an upright one
    crossing two rules and a slanted one standing on a rule; and the strokes alone."""
    strokes = np.zeros((200, 300), np.uint8)
    cv2.line(strokes, (100, 55), (100, 92), 1, 5)
    cv2.line(strokes, (186, 95), (202, 120), 1, 4)  # its foot on the rule at y = 120
    grid = np.zeros_like(strokes)
    for k in range(0, 300, 30):
        cv2.line(grid, (0, k), (299, k), 1, rule)
        cv2.line(grid, (k, 0), (k, 199), 1, rule)
    return grid | strokes, strokes


def test_a_printed_grid_goes_and_the_strokes_crossing_it_stay_whole():
    mask, strokes = _grid_over_strokes(rule=1)
    cleaned = remove_lines(mask, 40, Config().line_thinness)
    upright = strokes[:, :150] > 0
    assert cleaned[:, :150][upright].all()  # not cut and patched where it crosses the rules: every pixel kept
    assert cleaned[strokes > 0].mean() > 0.97  # the slanted one loses only a few pixels at its ends
    leftover = cleaned & (1 - strokes)
    assert leftover.sum() < 0.02 * (mask & (1 - strokes)).sum()  # the grid is gone, crossings included
    pieces = sorted(cv2.connectedComponentsWithStats(cleaned)[2][1:, cv2.CC_STAT_AREA], reverse=True)
    assert pieces[1] > 100 and all(a <= 4 for a in pieces[2:])  # the two strokes, at most specks (dropped later)


def test_a_thick_drawn_line_is_cut_out_where_strokes_cross_it():
    """A marker line is a drawn frame or table, not a printed rule: all of its band goes (and the
    cut strokes are closed again), so no blob of it is left standing on a digit."""
    mask = np.zeros((200, 300), np.uint8)
    cv2.line(mask, (0, 100), (299, 100), 1, 7)
    cv2.line(mask, (150, 83), (150, 117), 1, 5)  # a digit's stroke, shorter than the lines looked for
    cleaned = remove_lines(mask, 40, Config().line_thinness)
    assert cleaned[100, :140].sum() == 0 and cleaned[100, 160:].sum() == 0
    assert cleaned[83:118, 150].all()  # the stroke closed again across the cut


def _dashed_grid(spacing: int) -> np.ndarray:
    """A grid of 1 px rules `spacing` px apart, each broken into 6 px dashes with 4 px gaps (a
    printed hairline that only partly passes the ink threshold in a sharp frame)."""
    grid = np.zeros((200, 300), np.uint8)
    for k in range(spacing // 2, 300, spacing):
        for a in range(0, 300, 10):
            cv2.line(grid, (a, k), (a + 5, k), 1, 1)
            cv2.line(grid, (k, a), (k, a + 5), 1, 1)
    return grid


def test_a_grid_of_squares_broken_into_dashes_is_still_taken_out_but_a_tables_dashed_rules_are_not():
    """Dashes 4 px apart are more than the 2 px gaps a pen's line is found across (a fifteenth of
    the 40 px looked for): a printed grid's hairlines are found across them where they make squares
    (rules closer than a line's least length), and the digit standing on them is left alone. Rules
    as far apart as a table's cells (wider than a number) are no grid of squares: left as they are."""
    stroke = np.zeros((200, 300), np.uint8)
    cv2.line(stroke, (150, 60), (150, 95), 1, 4)  # a digit's stroke, shorter than the lines looked for
    squares = _dashed_grid(24) | stroke
    cleaned, lines = take_out_lines(squares, 40, Config().line_thinness)
    assert len(lines) and cleaned[stroke > 0].mean() > 0.95
    assert (cleaned & (1 - stroke)).sum() < 0.1 * (squares & (1 - stroke)).sum()
    table = _dashed_grid(90) | stroke
    cleaned, lines = take_out_lines(table, 40, Config().line_thinness)
    assert cleaned is table and not len(lines)


def test_lines_running_two_ways_and_apart_form_a_grid_but_a_digits_strokes_do_not():
    """Hough finds a thick stroke more than once, along its flanks: lines close together are one."""
    grid = np.array([[0, 0, 90, 0], [0, 30, 90, 30], [0, 0, 0, 90], [30, 0, 30, 90]])
    assert forms_a_grid(grid, 18)
    turned = np.array([[0, 0, 60, 40], [-20, 30, 40, 70], [0, 0, -40, 60], [30, 20, -10, 80]])
    assert forms_a_grid(turned, 18)  # at any angle
    four = np.array([[40, 0, 40, 90], [0, 60, 60, 60], [1, 60, 41, 1], [38, 2, 38, 88]])  # stem twice, bar, slant
    assert not forms_a_grid(four, 18)
    eleven = np.array([[10, 0, 10, 90], [40, 0, 40, 90], [11, 0, 11, 90], [41, 0, 41, 90]])  # all one way
    assert not forms_a_grid(eleven, 18)
    assert not forms_a_grid(grid[:3], 18)  # three lines: no grid
    assert forms_a_grid(grid, 18, 30) and not forms_a_grid(grid, 18, 29)  # rules at most 30 apart: squares


@pytest.mark.parametrize("foot_in_pieces", [False, True])
def test_a_forms_short_walls_between_two_rules_go_but_a_stroke_in_a_box_stays(foot_in_pieces):
    """A form's boxes for one digit each: short walls from one rule to the next, leaning a little
    as a turned photo leaves them, each touched by the digit in its box. Each runs the whole way
    from one rule to the next and no further, which a digit's stroke in a box does not (a 1 stops
    short of the rules). The rule at their foot may be found in pieces, each under half the row
    (Hough breaks it where it is broken or crossed): together they make the rule."""
    mask = np.zeros((80, 430), np.uint8)
    mask[9:11, 5:415] = 1  # the two rules
    mask[69:71, 5:415] = 1
    if foot_in_pieces:
        mask[69:71, 210:225] = 0
    for x in range(20, 430, 60):  # the walls, 2 px wide, 3 px off upright over their height
        for y in range(11, 69):
            mask[y, x + (y - 11) * 3 // 58 : x + (y - 11) * 3 // 58 + 2] = 1
    mask[16:64, 48:51] = 1  # a 1 in the first box
    for x0 in range(80, 380, 60):  # in each other box a 0 touching the wall on its left
        cv2.ellipse(mask, (x0 + 22, 40), (20, 26), 0, 0, 360, 1, 3)
    cleaned = remove_lines(mask, 36, 0.08)
    assert not cleaned[20:60, 380:384].any()  # the last wall, which nothing touches, gone
    assert cleaned[16:64, 48:51].all()  # the 1 whole
    for x0 in range(80, 380, 60):  # each 0 without the wall it touched: no ink upright beside it
        assert cleaned[12:68, x0 + 4 : x0 + 42].any(axis=0).sum() >= 35  # the 0 itself
        wall = [cleaned[y, x0 + (y - 11) * 3 // 58] for y in range(14, 66)]
        assert sum(wall) < len(wall) / 2  # no wall left standing (the 0 touches it in a few rows)


def _ink_of_rules(spacing: int, rule_ink: int, both_ways: bool = True) -> np.ndarray:
    """An ink map (0-255) of 1 px rules ``spacing`` px apart, ``rule_ink`` dark, with a pen's
    stroke (ink 150) crossing them and another running along one."""
    ink = np.zeros((400, 600), np.uint8)
    for k in range(10, 400, spacing):
        ink[k, :] = rule_ink
    for k in range(10, 600, spacing) if both_ways else ():
        ink[:, k] = rule_ink
    cv2.line(ink, (205, 120), (240, 190), 150, 3)
    cv2.line(ink, (300, 10 + 6 * spacing), (330, 10 + 6 * spacing), 150, 3)
    return ink


def test_a_soft_printed_grid_is_found_whole_and_a_pens_strokes_over_it_stay():
    """Rules at the ink threshold (ink 22 to 30 against a weak threshold of 25) are found at the
    faint level, where they are whole: their pixels go, the pen's far darker strokes stay, even
    where one runs along a rule."""
    here = np.ones((400, 600), bool)
    for rule_ink in (22, 30):
        ink = _ink_of_rules(24, rule_ink)
        grid = soft_grid(ink, here, 12, 36)
        assert grid is not None
        rules = (ink == rule_ink)
        assert grid[rules].mean() > 0.97
        assert not grid[ink >= 150].any()


def test_no_soft_grid_on_ruled_paper_a_table_or_a_grid_dark_enough_to_stay_whole():
    """Those are left to take_out_lines, mark by mark: rules one way only (ruled paper), rules as
    far apart as a table's cells, and a grid as dark as a pen (a blue ballpoint may be no darker)."""
    here = np.ones((400, 600), bool)
    assert soft_grid(_ink_of_rules(24, 25, both_ways=False), here, 12, 36) is None
    assert soft_grid(_ink_of_rules(90, 25), here, 12, 36) is None
    assert soft_grid(_ink_of_rules(24, 60), here, 12, 36) is None
    assert soft_grid(np.zeros((400, 600), np.uint8), here, 12, 36) is None


def _wide_grid(spacing: tuple[float, float] = (21.0, 21.0), turned: float = 20.0, seed: int = 0,
               both_ways: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ink map of a squared page as a dim, blurred JPEG frame shows it: rules 3 px wide, about
    40 dark (the weak threshold is 25: too dark and too wide for soft_grid), turned ``turned``
    degrees, over grain; with two pen strokes (about 150) on it. Returns the ink, its rules alone
    and the strokes alone."""
    size = 900
    rules = np.zeros((size, size), np.uint8)
    for k in np.arange(0, size, spacing[0]):
        cv2.line(rules, (0, int(k)), (size - 1, int(k)), 40, 3)
    for k in np.arange(0, size, spacing[1]) if both_ways else ():
        cv2.line(rules, (int(k), 0), (int(k), size - 1), 40, 3)
    turn = cv2.getRotationMatrix2D((size / 2, size / 2), turned, 1.0)
    rules = cv2.warpAffine(rules, turn, (size, size))[150:750, 100:800]
    strokes = np.zeros_like(rules)
    cv2.line(strokes, (300, 250), (330, 330), 150, 4)
    cv2.ellipse(strokes, (420, 290), (22, 40), 0, 0, 360, 150, 4)
    grain = np.random.default_rng(seed).normal(6, 4, rules.shape).clip(0, 255).astype(np.uint8)
    return np.maximum(np.maximum(rules, strokes), grain), rules, strokes


def test_a_printed_grid_too_wide_for_hairlines_is_measured_along_its_rules():
    """Rules blurred 3 px wide are found by their even spacing, even turned 20 degrees: the grid's
    darkness on them is about theirs, and the pen's strokes, far darker, are no part of it; taken
    off the ink, the rules go and the pen's ink stays as it was."""
    ink, rules, strokes = _wide_grid()
    here = np.ones(ink.shape, bool)
    assert soft_grid(ink, here, 12, 36) is None  # no hairlines: left to printed_grid
    darkness = printed_grid(ink, here, 12, 36)
    assert darkness is not None
    core = cv2.erode((rules >= 35).astype(np.uint8), np.ones((2, 2), np.uint8)) > 0
    assert np.median(darkness[core]) >= 35
    assert darkness.max() <= 60  # as dark as the rules at most, never the pen
    cleaned = take_off_grid(ink, darkness)
    pen = strokes > 0
    assert pen.sum() > 500 and (cleaned[pen] == ink[pen]).mean() > 0.9  # the pen's ink stays as it was
    assert np.median(cleaned[core & ~cv2.dilate(strokes, np.ones((9, 9), np.uint8)).astype(bool)]) == 0  # the rules go


@pytest.mark.parametrize("case", ["ruled", "oblong", "streaks", "blank"])
def test_no_printed_grid_without_evenly_spaced_squares(case):
    """Ruled paper (rules one way), oblong cells (a table's), a plain page's streaks (grain and
    shading that Hough finds across gaps, at uneven spacing) and a blank page are no grid."""
    here = np.ones((600, 700), bool)
    if case == "ruled":
        ink = _wide_grid(both_ways=False)[0]
    elif case == "oblong":
        ink = _wide_grid(spacing=(21.0, 34.0))[0]
    elif case == "streaks":
        rng = np.random.default_rng(1)
        ink = rng.normal(6, 4, here.shape).clip(0, 255).astype(np.uint8)
        for _ in range(12):
            k = int(rng.integers(0, 600))
            cv2.line(ink, (0, k), (699, k + int(rng.integers(-20, 20))), 40, 3)
            k = int(rng.integers(0, 700))
            cv2.line(ink, (k, 0), (k + int(rng.integers(-20, 20)), 599), 40, 3)
    else:
        ink = np.random.default_rng(2).normal(6, 4, here.shape).clip(0, 255).astype(np.uint8)
    assert printed_grid(ink, here, 12, 36) is None
