"""bench.conditions renders every condition's pictures with sound truth (the recognizer is not run here)."""

from __future__ import annotations

from dataclasses import asdict

import numpy as np
import pytest

from bench import conditions
from bench.scoring import truth_numbers
from realtime.sheet import find_sheet, order_corners
from realtime.types import Box, Digit, FrameResult, Number, enclosing
from samples.synth import DigitBank


def picture(name: str, digits: np.ndarray, labels: np.ndarray) -> conditions.Picture:
    """Page 0 of a condition; the 12 MP photo at a quarter of its size, to keep the test fast."""
    if name == "small_digit_12mp":
        rng = np.random.default_rng(0)
        return conditions.small_digit(rng, DigitBank(digits, labels, rng), frame=(1000, 750))
    return conditions.render(name, 0, digits, labels)


@pytest.fixture(scope="module")
def pictures(mnist_digits) -> dict[str, conditions.Picture]:
    return {name: picture(name, *mnist_digits) for name in conditions.CONDITIONS}


def test_every_condition_has_digits_wholly_inside_its_frame(pictures):
    for name, pic in pictures.items():
        h, w = pic.frame.shape[:2]
        assert pic.frame.dtype == np.uint8 and pic.frame.ndim == 3, name
        assert pic.truth, name
        for t in pic.truth:
            x, y, bw, bh = t.box
            assert 0 <= x < x + bw <= w and 0 <= y < y + bh <= h, (name, t)
            assert 0 <= t.label <= 9
    assert len(pictures["dense_40plus"].truth) >= 40
    assert 2 <= len(pictures["sticky_note"].truth) <= 4
    assert len(pictures["small_digit_12mp"].truth) == 1


def test_conditions_render_deterministically(pictures, mnist_digits):
    for name in ("touching_pairs", "show_through"):
        again = conditions.render(name, 0, *mnist_digits)
        assert np.array_equal(again.frame, pictures[name].frame), name
        assert again.truth == pictures[name].truth and again.decoys == pictures[name].decoys, name
    assert not np.array_equal(conditions.render("touching_pairs", 1, *mnist_digits).frame,
                              pictures["touching_pairs"].frame)  # another page is another picture


def test_show_through_marks_are_light_and_not_in_the_truth(pictures):
    pic = pictures["show_through"]
    assert len(pic.decoys) >= 4
    for d in pic.decoys:
        assert all(Box(*d).iou(Box(*t.box)) < 0.3 for t in pic.truth), d
    grey = pic.frame.mean(axis=2)

    def darkest(box: tuple[int, int, int, int]) -> float:
        x, y, w, h = box
        return float(np.percentile(grey[y : y + h, x : x + w], 2))

    # The mirrored marks are light grey, far lighter than the front's ink.
    assert np.median([darkest(d) for d in pic.decoys]) > np.median([darkest(t.box) for t in pic.truth]) + 60


def test_touching_pairs_touch():
    """The two digits of a pair share ink columns: their strokes meet."""
    left = np.zeros((10, 6), np.float32)
    left[:, 4] = 1  # a stroke in column 4
    right = np.zeros((10, 6), np.float32)
    right[:, 1] = 1  # a stroke in column 1
    assert conditions.touch_offset(left, right, 0) == 4  # right's stroke lands on column 5: adjacent
    assert conditions.touch_offset(left, right, 1) == 3  # ... on column 4: on top of it


class _ReadsTheTruth:
    """Reads a page as its truth says, but for the first digit of every number given in `miss`."""

    def __init__(self, truth_of, miss=()):
        self.truth_of, self.miss = truth_of, set(miss)

    def reset(self) -> None:
        pass

    def process(self, frame):
        numbers: dict[int, list] = {}
        for t in self.truth_of(frame):
            numbers.setdefault(t.number, []).append(Digit(Box(*t.box), t.label, 0.99))
        digits = [d for k, ds in numbers.items() for i, d in enumerate(ds) if not (k in self.miss and i == 0)]
        read = [Number("".join(str(d.label) for d in ds), enclosing(d.box for d in ds), tuple(ds), 0.99, 0)
                for k, ds in numbers.items() if k not in self.miss]
        return FrameResult(0, 0.0, tuple(digits), tuple(read), {})


def test_a_condition_is_scored_by_its_digits_and_its_numbers(mnist_digits, monkeypatch):
    pages = [conditions.render("plain", k, *mnist_digits) for k in range(2)]
    monkeypatch.setattr(conditions, "render", lambda name, page, digits, labels: pages[page])

    def truth_of(frame):
        return next(p.truth for p in pages if p.frame is frame)

    perfect = conditions.measure("plain", 2, *mnist_digits, _ReadsTheTruth(truth_of))
    missing = conditions.measure("plain", 2, *mnist_digits, _ReadsTheTruth(truth_of, miss=(0,)))
    true_numbers = sum(len({t.number for t in p.truth}) for p in pages)
    assert (perfect.right, perfect.numbers, perfect.numbers_right) == (perfect.true, true_numbers, true_numbers)
    assert missing.right == perfect.true - 2  # the first digit of number 0, on each of the two pages
    assert missing.numbers_right == true_numbers - 2
    # Read again with the keep rules off, the missing digits show up: they were dropped, not unseen.
    dropped = conditions.measure("plain", 2, *mnist_digits, _ReadsTheTruth(truth_of, miss=(0,)),
                                 why=_ReadsTheTruth(truth_of))
    unseen = conditions.measure("plain", 2, *mnist_digits, _ReadsTheTruth(truth_of, miss=(0,)),
                                why=_ReadsTheTruth(truth_of, miss=(0,)))
    assert (dropped.lost, unseen.lost) == ({"dropped": 2}, {"not found": 2})
    assert perfect.lost == {} and "0.0%" in perfect.why_line()  # (not asked: nothing counted)


def test_numbers_with_a_point_or_a_colon_are_spelled_with_it_in_the_truth(pictures):
    pic = pictures["decimal_points"]
    numbers = [n.text for n in truth_numbers({"digits": [asdict(t) for t in pic.truth]}, pic.spelled)]
    assert any("." in text for text in numbers) and any(":" in text for text in numbers), numbers
    assert all(text.replace(".", "").replace(":", "").isdigit() for text in numbers)
    assert all(t.label in range(10) for t in pic.truth)  # the dots are no digits


def test_the_true_outline_is_where_the_finder_puts_a_plain_page(pictures):
    """Picture.corners, the truth bench.conditions scores the sheet finder by, lie on the page."""
    plain = pictures["plain"]
    found = find_sheet(plain.frame)
    assert found is not None
    assert np.abs(order_corners(found.corners) - order_corners(plain.corners)).max() < 12
