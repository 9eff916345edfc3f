"""The signs written among a number's digits, told by where they stand and how big they are.

A dot at the line's foot between two digits is a decimal point (12.5), one whose tail runs under
the line a comma (1,250), one with another over it a colon (09:30); a dash half way up is a
hyphen (555-1234), and such a dash just before a number's first digit a minus sign (-5). The
segmenter hands over the marks that may be signs (realtime.segment: dots and dashes as dark as
the writing); the digits beside them decide what each is. A date's slashes read as 1s: in a
number laid out as a date (12/05/24) two 1s as wide as a slash leans are its slashes.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import numpy as np

from realtime.types import Box, Digit

POINT_SIZE = (0.05, 0.3)  # a decimal point is this share of its digits' height across (a comma up to COMMA_SIZE)...
POINT_FOOT = 0.2  # ...its foot within this share of their height of theirs (a comma's up to COMMA_FOOT under it)...
POINT_REACH = 0.15  # ...its centre past the digit before it and short of the one after it, give or take this share
COLON = (0.35, 0.85)  # a colon's upper dot stands this share of the digits' height over their foot...
COLON_ALIGN = 0.25  # ...and this share of it at most to either side of the lower one
COMMA = 0.12  # a dot at the foot whose tail reaches this share of the digits' height under it...
COMMA_FOOT = 0.4  # ...and no further...
COMMA_TALL = 0.9  # ...standing about as tall as wide or taller...
COMMA_SIZE = 0.45  # ...and this share of their height across at most, is a comma
DASH = (0.2, 0.9)  # a hyphen's or a minus sign's dash is this share of its digits' height long...
DASH_THICK = 0.4  # ...at most this share as thick as long (a pen's short stroke, a little tilted)...
DASH_MIDDLE = (0.25, 0.75)  # ...its centre this share of their height over their foot...
MINUS_GAP = 0.6  # ...and a minus sign ends at most this share of it before its number's first digit
SLASH = 0.5  # a 1 this wide for the height of the digits beside it leans as far as a date's slash
DATE = ((1, 2), (1, 2), (2, 4))  # a date's day, month and year: how many digits each may have


def sign_between(left: Box, right: Box, signs: Sequence[Box]) -> tuple[str, float]:
    """The sign written between two neighbouring digits of a line (their boxes), and its width: a
    decimal point (".") at their foot, a comma (","), a dot at the foot with a tail under it, a
    colon (":"), a second dot over the first, a hyphen ("-") half way up; or nothing ("", 0)."""
    h = (left.h + right.h) / 2
    foot = (left.y2 + right.y2) / 2
    lo = max(left.center[0], left.x2 - POINT_REACH * h)
    hi = min(right.center[0], right.x + POINT_REACH * h)
    near = [b for b in signs if lo < b.center[0] < hi]
    dots = [b for b in near if POINT_SIZE[0] * h <= max(b.w, b.h) <= COMMA_SIZE * h]
    low = [b for b in dots if -POINT_FOOT * h <= b.y2 - foot <= COMMA_FOOT * h]
    if len(low) == 1:
        point = low[0]
        if point.y2 - foot >= COMMA * h:  # its tail runs under the line
            return ("," if point.h >= COMMA_TALL * point.w else ""), float(point.w)
        if max(point.w, point.h) > POINT_SIZE[1] * h or point.y2 - foot > POINT_FOOT * h:
            return "", 0.0  # too big for a point: a blot, a piece of a digit
        over = [b for b in dots if COLON[0] * h <= foot - b.center[1] <= COLON[1] * h
                and abs(b.center[0] - point.center[0]) <= COLON_ALIGN * h]
        return (":", float(max(point.w, over[0].w))) if over else (".", float(point.w))
    dashes = [b for b in near if _dash(b, h, foot)]
    return ("-", float(dashes[0].w)) if len(dashes) == 1 and not low else ("", 0.0)


def _dash(mark: Box, h: float, foot: float) -> bool:
    """Whether a mark lies as a dash among digits ``h`` tall standing on ``foot``: DASH of their
    height long, DASH_THICK as thick at most, half way up (DASH_MIDDLE)."""
    return (DASH[0] * h <= mark.w <= DASH[1] * h and mark.h <= DASH_THICK * mark.w
            and DASH_MIDDLE[0] * h <= foot - mark.center[1] <= DASH_MIDDLE[1] * h)


def has_minus(first: Box, before: Box | None, signs: Sequence[Box], number_gap: float) -> bool:
    """Whether a number whose first digit stands in box ``first`` has a minus sign: a dash ending
    at most MINUS_GAP of its height before it, with no digit of the line (``before``: the nearest
    on the left) within number_gap heights before the dash (that makes it a hyphen whose number
    broke apart)."""
    h = first.h
    for b in signs:
        if (first.x - MINUS_GAP * h <= b.x2 <= first.x + POINT_REACH * h and b.center[0] < first.center[0]
                and _dash(b, h, first.y2)):
            return before is None or b.x - before.x2 > number_gap * max(h, before.h)
    return False


def date_slashes(digits: Sequence[Digit]) -> tuple[int, ...]:
    """Which of a number's digits (in writing order) are a date's slashes: two 1s SLASH times the
    height of its other digits wide or wider (a slash leans far more than a 1 does), which part it
    into day, month and year (DATE); of several such pairs, the widest. Only such a layout tells
    them: a third of the 1s read on the bench's upright pages are as wide as a slash leaning 20
    degrees."""
    if len(digits) < 2 + sum(least for least, _ in DATE):
        return ()
    others = [d.box.h for d in digits if d.label != 1]
    h = float(np.median(others)) if others else 0.0
    wide = [k for k, d in enumerate(digits) if d.label == 1 and d.box.w >= SLASH * h]
    (d0, d1), (m0, m1), years = DATE
    dates = [(a, b) for a, b in combinations(wide, 2)
             if d0 <= a <= d1 and m0 <= b - a - 1 <= m1 and len(digits) - b - 1 in years]
    return max(dates, key=lambda pair: digits[pair[0]].box.w + digits[pair[1]].box.w) if dates else ()
