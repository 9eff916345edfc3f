"""Touching digits: a blob too wide for one digit is cut into two or three, and the classifier decides.

Where two digits touch, the ink is thinnest: the cut goes through the column with the least ink
near where a boundary should be. Each way of cutting is only a proposal; the pipeline classifies
the pieces together with every other candidate of the frame, in the same single call, and keeps
a split only when all its pieces read more confidently than the blob did whole.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from realtime.types import Box, Region

SPLIT_WIDTH = {2: 0.95, 3: 1.5}  # a blob at least this wide for its height may hold this many digits
SEARCH = 0.15  # a cut is searched this share of the width either side of its even spacing
MARGIN = 0.3  # a split must beat reading the blob whole by this much confidence
WIDE = 1.5  # a blob this wide for its height is no single digit: a split needs no margin
SURE = 0.95  # a blob read whole this confidently must be beaten by the margin...
SURE_PIECES = 0.8  # ...as must pieces read less confidently than this; otherwise the better reading wins
UNJOIN_MARGIN = 0.0  # pieces the segmenter joined must beat their union by this much


def _piece(region: Region, c0: int, c1: int) -> Region | None:
    """The part of a region between two columns of its patch, cropped to its ink."""
    ink = region.ink[:, c0:c1]
    rows = np.flatnonzero(ink.max(axis=1) > 0)
    cols = np.flatnonzero(ink.max(axis=0) > 0)
    if rows.size < 3 or cols.size < 2:
        return None
    ink = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    sx = region.box.w / region.ink.shape[1]
    sy = region.box.h / region.ink.shape[0]
    x = region.box.x + round((c0 + cols[0]) * sx)
    y = region.box.y + round(rows[0] * sy)
    return Region(Box(x, y, max(1, round(ink.shape[1] * sx)), max(1, round(ink.shape[0] * sy))), ink)


def _low_columns(columns: np.ndarray, lo: int, hi: int, count: int, spacing: int) -> list[int]:
    """Up to `count` columns between lo and hi with the least ink, at least `spacing` apart."""
    picked: list[int] = []
    for c in lo + np.argsort(columns[lo:hi], kind="stable"):
        if all(abs(int(c) - p) >= spacing for p in picked):
            picked.append(int(c))
        if len(picked) == count:
            break
    return picked


def split_options(region: Region) -> list[list[Region]]:
    """Ways to cut a wide region into 2 or 3 digits (empty for a region narrow enough to be one).

    Two digits are tried at the few thinnest columns near the middle; three at the thinnest
    column near each third.
    """
    h, w = region.ink.shape
    columns = region.ink.astype(np.float32).sum(axis=0)
    spacing = max(2, int(0.08 * w))
    cut_sets = []
    if w >= SPLIT_WIDTH[2] * h:
        cut_sets += [[c] for c in _low_columns(columns, int(0.25 * w), int(0.75 * w), 3, spacing)]
    if w >= SPLIT_WIDTH[3] * h:
        thirds = [_low_columns(columns, int((k / 3 - SEARCH) * w), int((k / 3 + SEARCH) * w), 1, spacing)
                  for k in (1, 2)]
        if all(thirds):
            cut_sets.append([thirds[0][0], thirds[1][0]])
    options = []
    for cuts in cut_sets:
        edges = [0, *cuts, w]
        pieces = [_piece(region, a, b) for a, b in pairwise(edges)]
        if all(p is not None for p in pieces):
            options.append(pieces)
    return options


def split_margin(region: Region) -> float:
    """How much better a split must read than the whole blob: MARGIN for a blob that may well be
    one wide digit, less the wider it is, none from WIDE on (no single digit is that wide)."""
    h, w = region.ink.shape
    return MARGIN * float(np.clip((WIDE - w / h) / (WIDE - SPLIT_WIDTH[2]), 0.0, 1.0))


def best_split(whole: float, options: list[np.ndarray], margins: list[float] | None = None) -> int | None:
    """Index of the split to keep, given the whole blob's digit confidence and each option's
    piece confidences; None keeps the blob whole. A split must beat the whole by its margin
    (MARGIN unless given): cutting where no gap is needs more proof than undoing a join. The
    margin guards a digit read surely whole (a wide 0 cut into two arcs); a blob read unsurely
    whole (two touching digits read as one) is split where every piece reads surely and better.
    """
    best, best_score = None, whole
    for i, confidences in enumerate(options):
        score = float(np.min(confidences)) if len(confidences) else 0.0
        if whole >= SURE or score < SURE_PIECES:
            score -= MARGIN if margins is None else margins[i]
        if score > best_score:
            best, best_score = i, score
    return best
