"""Group digits into lines and numbers, in the page's own reading order.

A line follows the writing even when it slants: each digit joins the line whose course,
extended from its last digits, passes closest to it. Within a line, digits closer than
`number_gap` digit heights belong to one number, read left to right.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from realtime.types import Digit, Number


@dataclass
class _Placed:
    digit: Digit
    x: float  # centre in page coordinates (the frame turned upright)
    y: float
    left: float
    right: float
    h: float


def _to_page(digit: Digit, turn: int, width: int, height: int) -> _Placed:
    """Place a digit in the coordinates of the frame turned by `turn` quarter turns (counter-clockwise)."""
    b = digit.box
    cx, cy = b.center
    w, h = (b.w, b.h) if turn % 2 == 0 else (b.h, b.w)
    x, y = {0: (cx, cy), 1: (cy, width - cx), 2: (width - cx, height - cy), 3: (height - cy, cx)}[turn % 4]
    return _Placed(digit, x, y, x - w / 2, x + w / 2, float(h))


def _predict_y(line: list[_Placed], x: float) -> float:
    """Where the line's course is expected at x: along the slope of its last digits."""
    if len(line) == 1:
        return line[-1].y
    tail = line[-4:]
    xs = np.array([p.x for p in tail])
    ys = np.array([p.y for p in tail])
    slope = float(np.clip(np.polyfit(xs, ys, 1)[0], -1.0, 1.0)) if np.ptp(xs) > 0 else 0.0
    return line[-1].y + slope * (x - line[-1].x)


def group_lines(placed: list[_Placed]) -> list[list[_Placed]]:
    """Sort digits into lines, top to bottom, each read left to right."""
    lines: list[list[_Placed]] = []
    for p in sorted(placed, key=lambda q: q.x):
        best, best_cost = None, 1.0
        for line in lines:
            last = line[-1]
            dx = p.x - last.x
            if dx <= 0:
                continue
            h = max(p.h, last.h)
            # A lone digit gives no slope yet: allow a slanted neighbour when it is close.
            slack = 0.5 * h + (0.7 * min(dx, 2 * h) if len(line) == 1 else 0.0)
            cost = abs(p.y - _predict_y(line, p.x)) / slack
            if cost < best_cost:
                best, best_cost = line, cost
        if best is None:
            lines.append([p])
        else:
            best.append(p)
    return sorted(lines, key=lambda line: float(np.mean([p.y for p in line])))


def read_numbers(digits: list[Digit], number_gap: float, turn: int = 0,
                 frame_size: tuple[int, int] = (0, 0)) -> tuple[Number, ...]:
    """Numbers on the page: digits of a line split where the gap exceeds number_gap heights.

    `turn` is how many quarter turns (counter-clockwise) make the page upright; frame_size is (width, height).
    """
    placed = [_to_page(d, turn, *frame_size) for d in digits]
    numbers = []
    for line_no, line in enumerate(group_lines(placed)):
        run = [line[0]]
        for prev, cur in pairwise(line):
            if cur.left - prev.right > number_gap * max(prev.h, cur.h):
                numbers.append(_make_number(run, line_no))
                run = []
            run.append(cur)
        numbers.append(_make_number(run, line_no))
    return tuple(numbers)


def _make_number(run: list[_Placed], line_no: int) -> Number:
    digits = tuple(p.digit for p in run)
    box = digits[0].box
    for d in digits[1:]:
        box = box.union(d.box)
    return Number("".join(str(d.label) for d in digits), box, digits, min(d.confidence for d in digits), line_no)
