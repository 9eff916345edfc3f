"""Touching digits: a blob too wide for one digit is cut into two or three, and the classifier decides.

Where two digits touch, the ink is thinnest: the cut goes along the line with the least ink near
where a boundary should be, upright or leaning with slanted writing, or down a winding path that
crosses the least ink (round digits touch where a straight line would run along both). Each way
of cutting is only a proposal; the pipeline classifies the pieces of all the frame's candidates in
two calls (a cut's other pieces only where its first leaves it a chance: cut_may_win), and keeps a
split only when all its pieces read more confidently than the blob did whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from itertools import pairwise, product

import cv2
import numpy as np

from realtime.types import Region

SPLIT_WIDTH = {2: 0.95, 3: 1.25}  # a blob at least this wide for its height may hold this many digits
LEANS = ((0.0, 3), (-0.45, 1), (0.45, 1))  # cuts into two: how their lines lean (px per row), how many
EVEN_CUTS = (0.4, 0.5, 0.6)  # ...and upright at these shares of the width, wherever the ink is (blind)
EVEN_THIRDS = ((0.3, 0.35), (0.65, 0.7))  # into three, blind: the first cut at one of these, the second at one of those
NARROW = 0.7  # a blob no class reads surely (SURE, "not a digit" too) may be a 1 touching a digit this narrow
UNSURE = 0.8  # a blob read as no digit this surely may be a word: not cut into strokes alone (see choose_reading)
PIECE_HEIGHT = 0.6  # digits that touch stand about as tall as each other: no piece is shorter than this
FOOT = 0.3  # ...and on one line: no piece ends this share of the height above another (a P's bowl cut off its stem)
SEARCH = 0.15  # a cut is searched this share of the width either side of its even spacing
MARGIN = 0.3  # a split must beat reading the blob whole by this much confidence
WIDE = 1.5  # a blob this wide for its height is no single digit: a split needs no margin
SURE = 0.95  # a blob read whole this confidently must be beaten by the margin...
SURE_PIECES = 0.8  # ...as must pieces read less confidently than this; otherwise the better reading wins
SHORT = 0.75  # a blob under this share of the writing's height is not cut into strokes alone (see choose_reading)
STROKES = (1, 7)  # what a lone stroke, or a leg or arch of a letter cut apart, reads as
LINE_MARGIN = 0.1  # a digit read apart from the line drawn under it must beat the two read whole by this much
UNJOIN_MARGIN = 0.0  # pieces the segmenter joined must beat their union by this much
DROP_MARGIN = 0.05  # ...and by this much where one of them is no digit and falls away: throwing ink away
# needs proof, and readings near the model's ceiling (a sure digit whole, a sure 1 left) differ by noise
STEP_COST = 0.02  # a least-ink path pays this for every row, and MOVE_COST more for a sideways step:
MOVE_COST = 0.02  # among paths through the same ink the straightest wins
PATHS = 3  # least-ink paths tried
PATH_ROWS = 32  # ...on at most this many bands of rows


def _piece(region: Region, keep: np.ndarray) -> Region | None:
    """The part of a region on one side of a cut (``keep``: its pixels), cropped to its ink; None
    where too little is left to be a digit."""
    piece = region.part(keep)
    return piece if piece is not None and piece.ink.shape[0] >= 3 and piece.ink.shape[1] >= 2 else None


def _low_columns(columns: np.ndarray, lo: int, hi: int, count: int, spacing: int) -> list[int]:
    """Up to `count` columns between lo and hi with the least ink, at least `spacing` apart."""
    picked: list[int] = []
    for c in lo + np.argsort(columns[lo:hi], kind="stable"):
        if all(abs(int(c) - p) >= spacing for p in picked):
            picked.append(int(c))
        if len(picked) == count:
            break
    return picked


def _leaning_columns(ink: np.ndarray, lean: float) -> tuple[np.ndarray, np.ndarray]:
    """Ink summed along lines leaning ``lean`` px right per row upwards (0: plain columns), and
    each pixel's position across those lines (the column where its line crosses mid-height)."""
    h, w = ink.shape
    across = np.arange(w)[None, :] + np.rint(lean * (np.arange(h)[:, None] - (h - 1) / 2)).astype(int)
    across = across.clip(0, w - 1)
    columns = np.bincount(across.ravel(), weights=ink.ravel().astype(np.float64), minlength=w).astype(np.float32)
    return columns, across


def _strokes_crossed(ink: np.ndarray, across: np.ndarray, cut: int) -> int:
    """How many separate strokes a cut crosses: runs of rows with ink on its line."""
    rows = np.flatnonzero(((across == cut) & (ink > 0)).any(axis=1))
    return int(rows.size > 0) + int(np.count_nonzero(np.diff(rows) > 1))


def enclosed_paper(ink: np.ndarray) -> np.ndarray:
    """The paper enclosed by ink: the holes of 0, 6, 8, 9 and 4 (a cut through a hole halves a
    digit, so a path pays for crossing one as for crossing ink), the inside of a ring."""
    paper = (ink == 0).astype(np.uint8)
    _n, labels, stats, _ = cv2.connectedComponentsWithStats(paper, connectivity=4)
    x, y, w, h = stats[:, 0], stats[:, 1], stats[:, 2], stats[:, 3]
    enclosed = (x > 0) & (y > 0) & (x + w < ink.shape[1]) & (y + h < ink.shape[0])
    enclosed[0] = False  # the ink itself
    return enclosed[labels]


def _sweep(cost: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Least total cost of a path from the first row to each column of the last, moving at most
    one column a row (paying MOVE_COST for a sideways step); and per row each column's move from
    the row before (-1, 0 or +1)."""
    h, w = cost.shape
    total = cost[0].copy()
    came = np.zeros((h, w), np.int8)
    from_left = np.full(w, np.inf, np.float32)
    from_right = np.full(w, np.inf, np.float32)
    for y in range(1, h):
        from_left[1:] = total[:-1] + MOVE_COST
        from_right[:-1] = total[1:] + MOVE_COST
        best = np.minimum(np.minimum(from_left, from_right), total)
        came[y] = np.where(best == total, 0, np.where(best == from_left, -1, 1))
        total = best + cost[y]
    return total, came


def _trace(came: np.ndarray, end: int) -> np.ndarray:
    """The columns, first row to last, of the path _sweep found to ``end`` in the last row."""
    path = np.empty(len(came), np.int64)
    path[-1] = end
    for y in range(len(came) - 1, 0, -1):
        path[y - 1] = path[y] + came[y, path[y]]
    return path


def least_ink_paths(ink: np.ndarray, lo: int, hi: int, count: int, spacing: int) -> list[np.ndarray]:
    """Up to ``count`` top-to-bottom paths between columns lo and hi (exclusive) that cross the
    least ink, moving at most one column a row, each its column row by row: the best through
    each of the ``count`` best points of the middle row, at least ``spacing`` apart.

    Such a path runs down the gap between two digits and crosses their strokes only where they
    touch (two 0s meet at a point, where a straight cut runs along both walls). The least-ink
    path may as well run through a loop's hole, hence a few: the classifier decides."""
    cost = np.where(enclosed_paper(ink)[:, lo:hi], 1.0, ink[:, lo:hi] / max(float(ink.max()), 1.0)).astype(np.float32)
    h = len(cost)
    rows = min(h, PATH_ROWS)  # the search runs on rows merged into bands: its cost is per row
    cost = cv2.resize(cost, (cost.shape[1], rows), interpolation=cv2.INTER_AREA) * (h / rows) + STEP_COST
    mid = rows // 2
    down, came_down = _sweep(cost[: mid + 1])
    up, came_up = _sweep(cost[mid:][::-1])
    through = down + up - cost[mid]
    band = np.arange(h) * rows // h
    return [np.concatenate([_trace(came_down, c), _trace(came_up, c)[::-1][1:]])[band] + lo
            for c in _low_columns(through, 0, len(through), count, spacing)]


def split_options(region: Region, unsure: bool = False, small: bool = False) -> list[list[Region]]:
    """Ways to cut a wide region into 2 or 3 digits (empty for a region narrow enough to be one;
    a narrower one, down to NARROW of its height, when it read ``unsure`` whole: a 1 touching a
    digit makes a blob hardly wider than one digit).

    Two digits are tried at the few thinnest lines near the middle, upright and leaning either
    way (slanted writing touches along a slant), and, unless the blob is narrow (is_narrow), along
    the few least-ink paths down the middle (round digits touching, or one reaching under the other);
    three at the thinnest column near each third, and along the few least-ink paths near each, in
    every pairing (three digits touch in two places, each anywhere in its band). Last, digits
    drawn into each other (a 6's stem through an 8's lobe) part nowhere thin: a blob is cut
    upright at a few even places round the middle too, and into three near its thirds, wherever
    the ink is; those pieces are ``blind`` (Region.blind). Not a narrow blob (a 1 touching a digit
    is cut across its one stroke), nor a ``small`` one (under SHORT of the height of the page's
    writing: a lowercase letter or a speck; touching digits stand as tall as the digits beside
    them). Cuts that part the ink alike are offered once.
    A narrow blob is cut only across a single stroke: a 1 meets the digit it touches once, while
    a cut across two strokes would halve one digit's loop (a narrow 0 into a 1 and a 0).
    """
    h, w = region.ink.shape
    if w < (NARROW if unsure else SPLIT_WIDTH[2]) * h:
        return []
    spacing = max(2, int(0.08 * w))
    lines = {lean: _leaning_columns(region.ink, lean) for lean, _ in LEANS}  # (ink along them, across)
    narrow = is_narrow(region)
    into_three = w >= SPLIT_WIDTH[3] * h
    cut_sets = _cuts_in_two(region.ink, lines, narrow, spacing)
    if into_three:
        cut_sets += _cuts_in_three(region.ink, lines[0.0], spacing)
    blind = [] if narrow or small else _even_cuts(w, lines[0.0][1], into_three)
    return _distinct_options(region, cut_sets, blind)


def _cuts_in_two(ink: np.ndarray, lines: dict[float, tuple[np.ndarray, np.ndarray]], narrow: bool,
                 spacing: int) -> list[tuple[list[int], np.ndarray]]:
    """Cuts into two digits (see split_options), each as (the cut, each pixel's position across
    the cutting lines): at the thinnest lines near the middle of each lean in ``lines``, and, but
    for a ``narrow`` blob (cut straight, across one stroke), along the least-ink paths there."""
    w = ink.shape[1]
    cut_sets = []
    for lean, count in LEANS:
        columns, across = lines[lean]
        cut_sets += [([c], across) for c in _low_columns(columns, int(0.25 * w), int(0.75 * w), count, spacing)
                     if not narrow or _strokes_crossed(ink, across, c) <= 1]
    if not narrow:  # (a narrow blob, a 1 touching a digit, is cut straight: winding cuts gained nothing there)
        for path in least_ink_paths(ink, int(0.25 * w), int(0.75 * w), PATHS, spacing):
            cut_sets.append(([0], np.arange(w)[None, :] - path[:, None]))  # left of the path: < 0
    return cut_sets


def _cuts_in_three(ink: np.ndarray, upright: tuple[np.ndarray, np.ndarray], spacing: int
                   ) -> list[tuple[list[int], np.ndarray]]:
    """Cuts into three digits (see split_options): at the thinnest column near each third (the
    upright lines' ink and positions across them), and along least-ink paths near each, in every pairing."""
    w = ink.shape[1]
    columns, across = upright
    cut_sets = []
    thirds = [_low_columns(columns, int((k / 3 - SEARCH) * w), int((k / 3 + SEARCH) * w), 1, spacing) for k in (1, 2)]
    if all(thirds):
        cut_sets.append(([thirds[0][0], thirds[1][0]], across))
    paths = [least_ink_paths(ink, int((k / 3 - SEARCH) * w), int((k / 3 + SEARCH) * w), PATHS, spacing)
             for k in (1, 2)]
    xs = np.arange(w)[None, :]
    for first, second in product(*paths):  # each pixel: 0 left of the first path, 1 between them, 2 right
        cut_sets.append(([1, 2], (xs >= first[:, None]).astype(int) + (xs >= second[:, None])))
    return cut_sets


def _even_cuts(w: int, upright: np.ndarray, into_three: bool) -> list[tuple[list[int], np.ndarray]]:
    """The blind cuts (see split_options): upright at a few even places round the middle, and
    near the thirds where the blob is wide enough for three."""
    blind = [([int(share * w)], upright) for share in EVEN_CUTS]
    if into_three:
        blind += [([int(first * w), int(second * w)], upright) for first, second in product(*EVEN_THIRDS)]
    return blind


def _distinct_options(region: Region, cut_sets: list[tuple[list[int], np.ndarray]],
                      blind: list[tuple[list[int], np.ndarray]]) -> list[list[Region]]:
    """The pieces of each cut (those of a ``blind`` one marked so), where every piece keeps ink
    PIECE_HEIGHT of the blob's height tall and their feet stand on one line; cuts that part the
    ink alike are offered once."""
    h, w = region.ink.shape
    options, seen = [], set()
    for k, (cuts, across) in enumerate(cut_sets + blind):
        pieces = [_piece(region, (across >= a) & (across < b)) for a, b in pairwise([-w, *cuts, 2 * w])]
        if all(p is not None and p.ink.shape[0] >= PIECE_HEIGHT * h for p in pieces) and _on_one_line(pieces, region):
            same = tuple((p.box, cv2.countNonZero(p.ink)) for p in pieces)  # cuts that part the ink alike
            if same not in seen:
                seen.add(same)
                options.append(pieces if k < len(cut_sets) else [replace(p, blind=True) for p in pieces])
    return options


def _on_one_line(pieces: list[Region], region: Region) -> bool:
    """Whether the pieces' feet are within FOOT of the blob's height of each other."""
    feet = [p.box.y + p.box.h for p in pieces]
    return max(feet) - min(feet) <= FOOT * region.box.h


def is_narrow(region: Region) -> bool:
    """Whether a blob is narrower than two digits side by side (cut only when read unsurely whole)."""
    h, w = region.ink.shape
    return w < SPLIT_WIDTH[2] * h


def split_margin(region: Region) -> float:
    """How much better a split must read than the whole blob: MARGIN for a blob that may well be
    one wide digit, less the wider it is, none from WIDE on (no single digit is that wide). A blob
    narrower than two digits is split only where every piece reads surely (a margin no piece can
    make up otherwise): cut, a letter's strokes read as 1s."""
    if is_narrow(region):
        return 1.0
    h, w = region.ink.shape
    return MARGIN * float(np.clip((WIDE - w / h) / (WIDE - SPLIT_WIDTH[2]), 0.0, 1.0))


def unjoin_margin(drops_a_piece: bool) -> float:
    """How much the pieces a join is undone into must beat their union by (see best_split)."""
    return DROP_MARGIN if drops_a_piece else UNJOIN_MARGIN


def cut_may_win(whole: float, margin: float, piece: float = 1.0, blind: bool = False) -> bool:
    """Whether a cut (``blind`` or not) could beat a blob read whole with this confidence, by
    this margin (see best_split), where one of its pieces reads with digit confidence ``piece``
    (1 before any is read). A cut scores at most its piece's confidence, less the margin unless
    the blob read unsurely whole and the piece surely. So none can beat one read surely whole by a
    margin of 1 less its confidence or more, and its pieces need not be classified at all. (The
    score rises with the weakest piece's confidence, so the piece's own score bounds the cut's.)"""
    return _score(whole, piece, margin, blind) > whole


def _score(whole: float, weakest: float, margin: float, blind: bool = False) -> float:
    """A cut's score against its blob read whole, given its weakest piece's confidence (see
    best_split): that confidence, less the margin where the blob read surely whole or the piece
    unsurely. A ``blind`` cut (see split_options) pays the margin always, and scores nothing
    unless every piece reads surely: nothing in the ink says the blob parts there (a wide faint
    9, read unsurely whole, cut blind reads as a 6 and a 7)."""
    if blind:
        return weakest - margin if weakest >= SURE_PIECES else 0.0
    return weakest - margin if whole >= SURE or weakest < SURE_PIECES else weakest


def choose_reading(region: Region, whole: float, none_surely: bool,
                   options: list[tuple[np.ndarray, np.ndarray]], short: bool = False,
                   blind: Sequence[bool] = ()) -> int | None:
    """Which of a candidate's other readings to keep (an index into them; None reads it whole),
    given its digit confidence whole, whether it read surely as no digit, and per option the
    labels and digit confidences of its pieces. The options are its cuts, then, where the
    segmenter joined it (region.parts), the pieces it was joined from.

    A narrow blob is a 1 touching a digit, and one read surely as no digit whole may be a word as
    well as digits that touch. Neither is cut into strokes alone: pieces that all read as 1s or 7s
    are the legs and arches of a letter (an n, u or H, a printed m or h). Read surely as no digit,
    it is cut into three only where every piece reads surely, as a word's pieces seldom all do.
    Nor is a ``short`` blob, well under the height of the page's writing: a lowercase letter (an
    n, m or u), where digits that touch stand as tall as the digits beside them.
    Undoing a join, a piece that is no digit just falls away, but a short stroke beside a digit
    is part of it, not a 1; where the piece is a line drawn under the digit (Region.underline), the
    digit alone pays LINE_MARGIN always, as a blind cut pays its margin. Per option, ``blind`` tells
    a blind cut (see split_options and _score).
    """
    scores = [confidences for _, confidences in options]
    margins = [split_margin(region)] * len(options)
    cuts = len(options) - bool(region.parts)
    if is_narrow(region) or none_surely or short:
        for k, (labels, confidences) in enumerate(options[:cuts]):
            unsure_three = none_surely and len(labels) == 3 and confidences.min() < SURE_PIECES
            if unsure_three or np.isin(labels, STROKES).all():
                scores[k] = np.zeros(0)
    if region.parts:
        labels, confidences = options[-1]
        read = confidences > 0
        scores[-1], margins[-1] = confidences[read], unjoin_margin(not read.all())
        if (labels[1:][confidences[1:] > 0] == 1).any():
            scores[-1] = np.zeros(0)
        if any(part.underline for part in region.parts):
            blind = [*(k < len(blind) and blind[k] for k in range(cuts)), True]
            margins[-1] = LINE_MARGIN
    return best_split(whole, scores, margins, blind)


def best_split(whole: float, options: list[np.ndarray], margins: list[float] | None = None,
               blind: Sequence[bool] = ()) -> int | None:
    """Index of the split to keep, given the whole blob's digit confidence and each option's
    piece confidences; None keeps the blob whole. A split must beat the whole by its margin
    (MARGIN unless given): cutting where no gap is needs more proof than undoing a join. The
    margin guards a digit read surely whole (a wide 0 cut into two arcs); a blob read unsurely
    whole (two touching digits read as one) is split where every piece reads surely and better.
    A blind cut (per option, ``blind``; see split_options) needs both (_score).
    """
    best, best_score = None, whole
    for i, confidences in enumerate(options):
        weakest = float(np.min(confidences)) if len(confidences) else 0.0
        score = _score(whole, weakest, MARGIN if margins is None else margins[i], i < len(blind) and blind[i])
        if score > best_score:
            best, best_score = i, score
    return best
