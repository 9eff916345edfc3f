"""Group digits into lines and numbers, in the page's own reading order.

A line follows the writing even when it slants: each digit joins the line whose course,
extended from its last digits, passes closest to it. Within a line, digits closer than
`number_gap` digit heights belong to one number, read left to right, unless a wall stands
between them (a table's cells hold a number each). The signs written among a number's digits
(realtime.signs: 12.5, 1,250, 09:30, 555-1234, -5, 12/05/24) are read into its text; a sign's
width does not count in the gap it stands in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

import numpy as np

from realtime.signs import date_slashes, has_minus, sign_between
from realtime.types import Box, Digit, Layout, Number, enclosing, weighted_median

BIG_WRITING = 1.4  # a number's digits at least this much taller than a label's letters beside it
LABEL_GAP = 0.3  # ...and this far from them, in the digits' heights (a word's ascenders stand closer)
SPECK = 0.2  # a mark read as no digit under this share of the writing's height is a speck (grain, a dot), no letter
JOINED = 1.8  # a mark read as no digit this many times the writing's height wide is letters joined in a row
INDEX = 0.55  # a digit under this share of the mark before it, at its foot, is that mark's index (the 1 of d1)...
INDEX_SURE = 0.8  # ...where it reads this surely: a scrap of a digit broken where it crossed a rule reads unsurely
WALL = 1.3  # a wall between two digits stands at least this many times their height tall, over both...
WALL_REACH = 0.25  # ...reaching within this share of their height of their tops and feet
CELL = 1.6  # walls closer than this many digits' heights are a form's boxes for one digit each, or a grid
WORD_WALL_GAP = 0.5  # a wall splits a word from a number only in a gap this many heights wide: letters stand closer
WORD_SPACE = 0.5  # a number beside a word stands at least this many heights from it (see _apart)...
BESIDE_WORD_HEIGHT = 0.75  # ...each digit of it the writing's height, to this share either way (not a label's "no.")
SURE_AMONG_LETTERS = 0.85  # a digit read less surely than this among letters...
UNSURE_IN_NUMBER = 1  # ...yet this many of a number's digits may be, where two or more others are sure (see _apart)
DOUBT_LETTER = 0.5  # ...counts for this much of a letter (see drop_words)
HEAVIEST = 3.0  # in typical_height no mark weighs more than a square this many times the median mark's height
NO_WALLS = np.zeros((0, 4))
NO_LAYOUT = Layout()


@dataclass
class _Placed:
    digit: Digit
    x: float  # centre
    y: float
    left: float
    right: float
    h: float
    before: str = ""  # the sign written between it and the digit before it: "", ".", ":" or "-"
    before_w: float = 0.0  # ...and how wide that is

    @property
    def w(self) -> float:
        return self.right - self.left


def _place(digit: Digit) -> _Placed:
    b = digit.box
    cx, cy = b.center
    return _Placed(digit, cx, cy, float(b.x), float(b.x2), float(b.h))


def _slope(line: list[_Placed]) -> float:
    """The slope of a line's course, fitted to its last digits."""
    if len(line) == 1:
        return 0.0
    tail = line[-4:]  # a few plain floats: numpy would cost more than the sums
    mx = sum(p.x for p in tail) / len(tail)
    my = sum(p.y for p in tail) / len(tail)
    spread = sum((p.x - mx) ** 2 for p in tail)
    return min(1.0, max(-1.0, sum((p.x - mx) * (p.y - my) for p in tail) / spread)) if spread > 0 else 0.0


def group_lines(placed: list[_Placed]) -> list[list[_Placed]]:
    """Sort digits into lines, top to bottom, each read left to right."""
    lines: list[list[_Placed]] = []
    slopes: list[float] = []  # each line's, refitted when it grows
    for p in sorted(placed, key=lambda q: q.x):
        best, best_cost = None, 1.0
        for k, line in enumerate(lines):
            last = line[-1]
            dx = p.x - last.x
            if dx <= 0:
                continue
            h = max(p.h, last.h)
            # A lone digit gives no slope yet: allow a slanted neighbour when it is close.
            slack = 0.5 * h + (0.7 * min(dx, h) if len(line) == 1 else 0.0)
            cost = abs(p.y - (last.y + slopes[k] * dx)) / slack
            if cost < best_cost:
                best, best_cost = k, cost
        if best is None:
            lines.append([p])
            slopes.append(0.0)
        else:
            lines[best].append(p)
            slopes[best] = _slope(lines[best])
    return sorted(lines, key=lambda line: float(np.mean([p.y for p in line])))


def writing_slant(boxes: Sequence[Box], min_pairs: int = 2, steep: bool = False) -> float | None:
    """The angle, in degrees counter-clockwise, at which the lines of writing run, from each
    mark's box (a digit's, or any candidate's) to its nearest neighbour on the right; None when
    too few pairs agree on one.
    ``steep``: the angle by which they run off upright instead, from each mark to its nearest
    neighbour above (a page lying a quarter turn and 30 degrees round: its lines run at 60).
    (All pairs at once in arrays: a dense page has thousands of them, every frame.)"""
    if not boxes:
        return None
    centres = np.array([b.center for b in boxes], float)
    heights = np.array([b.h for b in boxes], float)
    dx = centres[None, :, 0] - centres[:, None, 0]  # row: a mark, column: a candidate neighbour
    dy = centres[None, :, 1] - centres[:, None, 1]
    if steep:  # a quarter turn on: up is right
        dx, dy = -dy, dx
    dist = np.hypot(dx, dy)
    near = (dx > 0) & (np.abs(dy) <= dx) & (dist <= 2.5 * np.maximum(heights[:, None], heights[None, :]))
    dist = np.where(near, dist, np.inf)
    rows = np.flatnonzero(near.any(axis=1))
    nearest = dist[rows].argmin(axis=1)
    angles = np.degrees(np.arctan2(-dy[rows, nearest], dx[rows, nearest]))
    if len(angles) < max(min_pairs, len(boxes) / 3):  # scattered digits: a pair or two tell no slant
        return None
    median = float(np.median(angles))
    spread = float(np.median(np.abs(angles - median)))
    return median if spread <= 8.0 else None


def _runs(line: list[_Placed], number_gap: float, walls: np.ndarray = NO_WALLS,
          wall_gap: float = 0.0, boxes_join: bool = False) -> list[list[_Placed]]:
    """A line cut where the gap between neighbours, less the sign written in it, exceeds number_gap
    heights (unless ``boxes_join`` and they stand in neighbouring boxes of a form's, see
    _in_neighbour_boxes), or where a wall stands between them (see _walled) in a gap of at least
    wall_gap heights."""
    runs = [[line[0]]]
    for prev, cur in pairwise(line):
        gap = (cur.left - prev.right - cur.before_w) / max(prev.h, cur.h)
        apart = gap > number_gap and not (boxes_join and _in_neighbour_boxes(prev, cur, walls))
        if apart or (gap >= wall_gap and _walled(prev, cur, walls)):
            runs.append([])
        runs[-1].append(cur)
    return runs


def _wall_array(walls: Sequence[Box]) -> np.ndarray:
    """Walls as rows of x0, y0, x1, y1, for _walled."""
    return np.array([(b.x, b.y, b.x2, b.y2) for b in walls], float).reshape(-1, 4)


def _span(prev: _Placed, cur: _Placed) -> tuple[float, float, float]:
    """The height of two neighbours (the taller's), and how far up and down a wall between them
    must reach to stand over both: within WALL_REACH of that height of their tops and feet."""
    h = max(prev.h, cur.h)
    return (h, min(prev.digit.box.y, cur.digit.box.y) + WALL_REACH * h,
            max(prev.digit.box.y2, cur.digit.box.y2) - WALL_REACH * h)


def _walled(prev: _Placed, cur: _Placed, walls: np.ndarray) -> bool:
    """Whether a wall of a table's cells stands between two neighbours: an upright line (x0, y0, x1,
    y1 per row of ``walls``) at least WALL times their height tall and over both, between their
    centres, with no other such line closer than CELL heights on either side, beside them or a cell
    above or below (the walls of a form's boxes for one digit each, or a grid's lines, which may
    be found in pieces, part no numbers)."""
    if not len(walls):
        return False
    h, top, foot = _span(prev, cur)
    y0, y1 = walls[:, 1], walls[:, 3]
    tall = (y1 - y0 >= WALL * h) & (y0 <= foot + CELL * h) & (y1 >= top - CELL * h)
    centres = (walls[:, 0] + walls[:, 2]) / 2
    for c in centres[tall & (y0 <= top) & (y1 >= foot) & (centres > prev.x) & (centres < cur.x)]:
        others = np.abs(centres[tall] - c)
        if not ((others > WALL_REACH * h) & (others < CELL * h)).any():
            return True
    return False


def _in_neighbour_boxes(prev: _Placed, cur: _Placed, walls: np.ndarray) -> bool:
    """Whether two digits stand in neighbouring boxes of a form's row of boxes for one digit each:
    one wall between them and one beyond each, the boxes under CELL of their height wide, the walls
    at least their height tall (a form's boxes are hardly taller than its digits: no WALL here) and
    over both, and each digit in its own box (up to WALL_REACH of its height over a wall). Such a
    row holds one number (a date, an account number), though a narrow 1 in its box leaves a gap
    wider than number_gap beside it."""
    if not len(walls):
        return False
    h, top, foot = _span(prev, cur)
    y0, y1 = walls[:, 1], walls[:, 3]
    over = (y1 - y0 >= h) & (y0 <= top) & (y1 >= foot)
    xs = (walls[over, 0] + walls[over, 2]) / 2
    between = xs[(xs > prev.x) & (xs < cur.x)]
    if not len(between) or np.ptp(between) > WALL_REACH * h:  # (a wall may be found twice, side by side)
        return False
    wall, slack = float(np.mean(between)), WALL_REACH * h
    left, right = xs[xs < prev.x], xs[xs > cur.x]
    return (len(left) > 0 and len(right) > 0 and wall - left.max() < CELL * h and right.min() - wall < CELL * h
            and prev.right <= wall + slack and cur.left >= wall - slack)


def read_numbers(digits: list[Digit], number_gap: float, layout: Layout = NO_LAYOUT) -> tuple[Number, ...]:
    """Numbers on an upright page: digits of a line split where the gap exceeds number_gap heights
    or a wall of the ``layout`` stands between them, and where writing of far another size begins
    a gap away (a printed label read as digits beside a handwritten number: see _size_parts). The
    layout's signs are read into the numbers (see realtime.signs)."""
    lines = group_lines([_place(d) for d in digits])
    walls = _wall_array(layout.walls)
    numbers = []
    for line_no, line in enumerate(lines):
        if layout.signs:
            for prev, cur in pairwise(line):
                cur.before, cur.before_w = sign_between(prev.digit.box, cur.digit.box, layout.signs)
        left = None  # the last digit of the run before
        for run in _runs(line, number_gap, walls, boxes_join=True):
            minus = bool(layout.signs) and has_minus(run[0].digit.box, left, layout.signs, number_gap)
            for k, (part, _) in enumerate(_size_parts(run)):
                slashes = date_slashes([p.digit for p in part])
                numbers.append(_make_number(part, line_no, "-" if minus and not k else "", slashes))
            left = run[-1].digit.box
    return tuple(numbers)


def _has_small_letters(run: list[_Placed], typical: float) -> bool:
    """True when a run's marks come in two sizes, against the page's ``typical`` writing height:
    tall ones (read as digits, or a letter read as none), and ones read as digits of a lowercase
    letter's size standing on the same baseline (the a of "Call", the o and e of "Zoe", the s of
    "Bus" beside its B). A number's digits have about the page's height."""
    # Left out: marks read as no digit unless full-sized and wide (else maybe a broken digit's piece,
    # a bracket or a slash), 1s (often taller than the digits beside them, and any short stroke
    # reads as one), dots and specks.
    marks = [p for p in run if p.digit.label not in (-1, 1) and p.h >= 0.35 * typical]
    tall = [p for p in marks if p.h >= 0.8 * typical]
    small = [p for p in marks if p.h <= 0.6 * typical]
    letters = [p for p in run if p.digit.label == -1 and p.h >= 0.8 * typical and p.w >= 0.3 * typical]
    if len(tall) + len(small) < len(marks) or not (tall or letters) or not small:
        return False
    baseline = float(np.median([p.digit.box.y2 for p in tall + letters]))
    return all(p.w >= 0.3 * typical and abs(p.digit.box.y2 - baseline) <= 0.15 * typical for p in small)


def _has_index(run: list[_Placed], typical: float) -> bool:
    """True when a letter-wide mark is followed closely by a digit under INDEX of its height standing
    at its foot, and smaller than the page's ``typical`` writing: a label's index (the d1, d2, d3 over
    a mark table's columns), not a number, whose digits are about one height. An index is written
    as clearly as any digit, and reads surely (INDEX_SURE); a scrap of a digit that broke where it
    crossed a rule, at the foot of the digit before, does not. Not after a bare stroke
    (a 1 with a small 0 is a 10), nor of the page's size (a digit at the foot of touching digits read
    as none whole)."""
    for prev, cur in pairwise(run):
        foot, gap = cur.digit.box.y2 - prev.digit.box.y2, cur.left - prev.right
        if (cur.digit.label >= 0 and cur.digit.confidence >= INDEX_SURE
                and cur.h <= min(INDEX * prev.h, 0.75 * typical) and abs(foot) <= 0.2 * prev.h
                and gap <= 0.3 * prev.h and prev.w >= 0.4 * prev.h):
            return True
    return False


def _size_parts(run: list[_Placed]) -> list[tuple[list[_Placed], bool]]:
    """A run cut where writing of two sizes meets: a handwritten number beside a printed label
    ("Total: 342", "342 kg"), so that the label's letters do not make the number a word.

    The marks fall into big and small at the widest step between their heights, which must be a
    factor of BIG_WRITING or more. The run is cut at every change of size when each cut is a gap
    of LABEL_GAP big heights or more (a word's ascenders stand closer to its other letters), and
    every small stretch has two or more marks, one of them read as no digit unless a number of two
    or more digits stands beside it (else a word's capital read as a digit, the Z of "Zoe", would
    lose its lowercase letters). Returns the parts in order, each with whether it is such a label:
    small writing with a mark that reads as no digit. The big writing is judged as a run of its
    own: one of its digits read as no digit ("Price: 94638", its 4 unread) costs that digit, not
    the number with the label's letters added to its unread mark."""
    whole = [(run, False)]
    if len(run) < 3:
        return whole
    heights = sorted(p.h for p in run)
    step, k = max((b / max(a, 1.0), i) for i, (a, b) in enumerate(pairwise(heights)))
    if step < BIG_WRITING:
        return whole
    limit, least = heights[k], heights[k + 1]
    stretches = [[run[0]]]  # runs of marks of one size
    for prev, cur in pairwise(run):
        if (prev.h > limit) != (cur.h > limit):
            if cur.left - prev.right < LABEL_GAP * least:
                return whole
            stretches.append([])
        stretches[-1].append(cur)
    parts = []
    for i, marks in enumerate(stretches):
        if marks[0].h > limit:
            parts.append((marks, False))
            continue
        unread = any(p.digit.label < 0 for p in marks)
        beside = [stretches[j] for j in (i - 1, i + 1) if 0 <= j < len(stretches)]
        if len(marks) < 2 or not (unread or any(len(b) >= 2 for b in beside)):
            return whole
        parts.append((marks, unread))
    return parts


def drop_words(digits: list[Digit], rejected: list[Box], number_gap: float, walls: Sequence[Box] = (),
               unsure: Sequence[Digit] = ()) -> list[Digit]:
    """Leave out digits that stand inside a word: an O among letters is a letter.

    A run of marks close together on a line is a word when at least two of its marks are not
    digits (and at least 40% of the run, not counting 1s and 7s: a printed word's strokes read so;
    a long mark of joined letters counts twice, in both, see _letters_in; where one is, each digit read
    under SURE_AMONG_LETTERS counts half: a letter that looks like a digit, a T as a 7, an a as
    a 0, reads less surely than a digit does), or when some of its marks have a lowercase
    letter's size beside taller ones on one baseline;
    its "digits" are letters read as digits. The ``rejected`` marks read as no digit; the
    ``unsure`` ones as a digit, too unsurely to keep: letters too, but one each however wide (two
    digits drawn into each other in pencil read 0.44 as one, not as the joined letters of "ng").
    Marks far smaller than the writing (SPECK) are no
    letters: the grain of textured paper lies round a digit, and a dot beside one. A number
    beside a label in far smaller writing is judged apart from it, and the label is a word (see
    _size_parts). A wall of a table's cells (see _walled) in a gap of WORD_WALL_GAP heights or more
    ends a run: a label in one cell does not make letters of the digits in the next. A table's
    lines may run through its words, but a word's letters stand closer than that (0.4 heights
    at most in the real mark tables, cells 0.7-0.9). Nor, without a wall, does a label make letters
    of the number a space after it, nor a unit of the number before it: such a number is judged
    apart (see _apart), and the word too, without the number's sure digits to outweigh its letters.
    """
    if not digits:
        return digits
    typical = typical_height([d.box for d in digits])
    wall_rows = _wall_array(walls)
    marks = [Digit(box, -1, 0.0) for box in rejected] + [replace(d, label=-1) for d in unsure]
    placed = [_place(d) for d in digits] + [_place(m) for m in marks if m.box.h >= SPECK * typical]
    dropped: set[int] = set()
    for line in group_lines(placed):
        runs = _runs(line, number_gap, wall_rows, WORD_WALL_GAP)
        for run, label in (part for whole in runs for part in _size_parts(whole)):
            # A word a space from a number is judged apart from it (a label in small writing, see
            # _size_parts, is a word), and the number stays; else the run is judged whole.
            parts, words = _apart(run, typical), []
            if len(parts) > 1:  # (a single part is the run itself: judged whole, once, below)
                words = [part for part, number in parts if not number and (label or _is_word(part, typical))]
            if not words and (label or _is_word(run, typical)):
                words = [run]
            dropped.update(id(p.digit) for part in words for p in part)
    return [d for d in digits if id(d) not in dropped]


def _is_word(run: list[_Placed], typical: float) -> bool:
    """Whether a run of marks is a word (see drop_words), against the page's ``typical`` writing height."""
    letters = sum(_letters_in(p, typical) for p in run if p.digit.label < 0)
    read = [p.digit for p in run if p.digit.label >= 0]
    others = letters
    if letters:  # among letters, a digit read unsurely may be one too
        others += DOUBT_LETTER * sum(d.confidence < SURE_AMONG_LETTERS for d in read)
    shaped = letters + sum(d.label not in (1, 7) for d in read)  # a letter's place counts as its letters do
    return ((others >= 2 and others >= 0.4 * shaped) or _has_small_letters(run, typical)
            or _has_index(run, typical))


def _apart(run: list[_Placed], typical: float) -> list[tuple[list[_Placed], bool]]:
    """A run (see drop_words) in the parts that may be judged apart, each with whether it is a
    number: a number a space (WORD_SPACE heights or more) from the marks beside it, its marks each
    read as a digit and surely (SURE_AMONG_LETTERS), as a word's letters seldom all do, but for
    UNSURE_IN_NUMBER of them where two or more others are (a 9 read 0.8 in "791 kg"), and of the
    page's ``typical`` writing height (to BESIDE_WORD_HEIGHT either way), stands apart from them;
    the rest between such numbers is one part. So a label and its number ("History 5", "Call
    911"), or a number and its unit ("12 kg", "3 eggs"), written closer than number_gap: where the
    word is a word without the number's sure digits to outweigh its letters, the number stays. A
    printed label's last word (the "no" of "Order no.", read as 70) is smaller; a doodle's big
    ring beside an arrow bigger; a capital read as a digit ("Zoe", its Z a 2) leaves lowercase
    letters that alone are no word."""
    chunks = [[run[0]]]  # the run cut at its spaces
    for prev, cur in pairwise(run):
        if (cur.left - prev.right) / max(prev.h, cur.h) >= WORD_SPACE:
            chunks.append([])
        chunks[-1].append(cur)
    parts: list[tuple[list[_Placed], bool]] = []
    for chunk in chunks:
        sure = sum(p.digit.confidence >= SURE_AMONG_LETTERS for p in chunk)
        unsure = len(chunk) - sure
        number = ((unsure == 0 or (unsure <= UNSURE_IN_NUMBER and sure >= 2))
                  and all(p.digit.label >= 0 and BESIDE_WORD_HEIGHT * typical <= p.h <= typical / BESIDE_WORD_HEIGHT
                          for p in chunk))
        if number or not parts or parts[-1][1]:
            parts.append((chunk, number))
        else:
            parts[-1] = (parts[-1][0] + chunk, False)
    return parts


def _letters_in(mark: _Placed, typical: float) -> int:
    """How many letters a mark not kept as a digit counts for: two where it read as no digit at all
    and is JOINED times the writing's height wide or wider but of about its height (letters joined
    in a row, the "ng" of a handwritten "Eng" whose E reads as a 6), else one (a taller blob may be
    a shadow or a hand)."""
    joined = mark.w >= JOINED * typical and mark.h <= 1.5 * typical and mark.digit.confidence == 0.0
    return 2 if joined else 1


def typical_height(boxes: Sequence[Box]) -> float:
    """The height of the page's writing, given its marks' boxes: the median weighted by box area,
    so that a crowd of small marks does not outvote the digits that make up most of the writing.
    No mark weighs more than a square HEAVIEST times the median mark's height: one huge false mark
    (a sheet's edge read as a 1 where no outline was found) would outweigh a page of a dozen digits
    or more, and every 1 of the page would then look like a speck (drop_specks). A big digit among
    a few scraps (the median mark a scrap) still weighs most, as it should."""
    heights = np.array([b.h for b in boxes], np.float64)
    areas = np.array([b.w * b.h for b in boxes], np.float64)
    return weighted_median(heights, np.minimum(areas, (HEAVIEST * float(np.median(heights))) ** 2))


def drop_specks(digits: list[Digit], share: float) -> list[Digit]:
    """Leave out 1s far smaller than the page's writing: a fleck of grain or a scrap of a rule
    or of the page's edge is a bare stroke, which reads as a 1 once scaled up to the
    classifier's size. Other small digits have a shape of their own, and pages do mix sizes."""
    if len(digits) < 2:
        return digits
    least = share * typical_height([d.box for d in digits])
    return [d for d in digits if d.label != 1 or d.box.h >= least]


def _make_number(run: list[_Placed], line_no: int, sign: str = "", slashes: tuple[int, ...] = ()) -> Number:
    """A number of a run of marks: its text with the signs written between them (and ``sign``
    before), its ``slashes`` (indexes into the run) written as "/" and left out of its digits."""
    text = sign + "".join("/" if k in slashes else (p.before if k else "") + str(p.digit.label)
                          for k, p in enumerate(run))
    digits = tuple(p.digit for k, p in enumerate(run) if k not in slashes)
    return Number(text, enclosing(d.box for d in digits), digits, min(d.confidence for d in digits), line_no)
