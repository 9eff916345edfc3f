"""The pieces of one digit that broke apart, joined into one candidate: a 5's flag, a 4's open
top, the two halves of a faint digit, a dry ballpoint's short strokes and the dots between them.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np

from realtime.types import Box, enclosing

HALF = 0.8  # a piece under this share of the writing's height may be half of a digit broken across its middle
ARM_ABOVE = 0.1  # an arm beside a digit's core starts at most this share of its height above the core's top...
FLAG_ABOVE = 0.25  # ...and one over it by FLAG_OVER of its width or more (a 5's flag drawn apart), this share
FLAG_OVER = 0.25  # (a T's bar drawn apart over the letter beside it barely overlaps that letter)
DASH_BELOW = 0.25  # a flat piece beside a digit whose top is this share of its height under the digit's is a dash
HAIRLINE = 2  # px: a piece this thin across is a scrap of a printed rule, not a pen's stroke
DOT = 0.4  # a scrap at least this share as wide as long is a dot (a dry pen's), not a hairline (a rule's)


@dataclass(frozen=True)
class Edge:
    """Where the picture ends: the border of the image, and in a view turned a few degrees the
    black past the frame's edge, which the components in ``cut`` (their ids) reach."""

    size: tuple[int, int]  # width, height
    cut: frozenset[int] = frozenset()

    def cuts(self, box: Box, ids: list[int]) -> bool:
        """Whether a mark (its box and component ids) reaches the edge: it may go on where the
        camera does not see."""
        w, h = self.size
        return box.x <= 0 or box.y <= 0 or box.x2 >= w or box.y2 >= h or not self.cut.isdisjoint(ids)


def _box(x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray, k: int) -> Box:
    return Box(int(x0[k]), int(y0[k]), int(x1[k] - x0[k]), int(y1[k] - y0[k]))


def merge_fragments(boxes: list[Box], groups: list[list[int]], areas: list[int], max_aspect: float,
                     edge: Edge, typical: float = 0.0,
                     ) -> tuple[list[Box], list[list[int]], list[list[tuple[Box, list[int]]]]]:
    """Join pieces of one digit that broke apart (a 5's flag, a 4's open top, a faint bar).

    A piece joins the biggest piece of a digit (its core) when it is well under the core's height
    and either has under half its ink and sits over or under it (within a quarter of its height) or
    mostly inside its box; or, with less ink than the core, hangs close beside the core's upper
    part, as a 4's open arm or a 5's flag does (a flag partly over the core, by a quarter of its
    width or more, may start higher: it is the digit's top, above its body's). Two pieces each
    under HALF of the page's ``typical`` height, one over the other, that together make one digit
    of that height are a digit broken across its middle (faint pencil, a faint 6's stem and
    loop). The two together must still have a digit's shape. A piece outside the core's box must
    be a stroke, at least a fifth of the core's height long: grain and dust near a digit stay apart.

    The sure joins (a small piece over, under or inside a core) are made first, on every core;
    then a heavier piece over or under a core (a faint 9's loop over its stem; the classifier may
    undo it); only then the arms and halves: a 5's flag drawn apart sits on its own digit, and
    must not go to the taller 1 beside it, by whose top it also hangs.

    Measuring against the core, not the growing union, stops a column of digits from chaining;
    the ink rule stops a whole digit from joining its neighbour on a sheet turned sideways. A
    piece beside the core may also be a small digit of its own (the 7 of a 71), and two "halves"
    two small digits: for such joins the pieces (box and component ids; the first is the core
    with what joined it before) are returned too, and the classifier decides. A piece cut by the
    picture's ``edge`` joins nothing: it is some unseen thing, and would drag the digit off the
    edge with it.
    """
    n = len(boxes)
    x0 = np.array([b.x for b in boxes])
    y0 = np.array([b.y for b in boxes])
    x1 = np.array([b.x2 for b in boxes])
    y1 = np.array([b.y2 for b in boxes])
    # Each box as found: a join is judged against the core as found (in either pass), not as grown.
    found = _Found.of(x0.copy(), y0.copy(), x1.copy(), y1.copy(), np.array(areas, np.int64), typical)
    single = np.array([not edge.cuts(b, g) for b, g in zip(boxes, groups, strict=True)], bool)  # only these join
    alive = np.ones(n, bool)
    pieces: list[list[tuple[Box, list[int]]]] = [[] for _ in range(n)]  # per core, once an unsure piece joined
    for stage in range(3):  # the sure joins, then heavier pieces over or under a core, then the rest
        for i in np.argsort(-found.h, kind="stable"):
            if not alive[i]:
                continue
            # One at a time: each join grows the box the next one is measured against.
            for j, sure_j, tallest_j in zip(*_joins(found, i, stage, alive, single, typical, max_aspect), strict=True):
                uw_j = max(x1[i], x1[j]) - min(x0[i], x0[j])
                uh_j = max(y1[i], y1[j]) - min(y0[i], y0[j])
                if uw_j > max_aspect * uh_j or uh_j > tallest_j:
                    continue
                if not sure_j and not pieces[i]:
                    pieces[i] = [(_box(x0, y0, x1, y1, i), groups[i])]
                if pieces[i]:
                    pieces[i].append((_box(x0, y0, x1, y1, j), groups[j]))
                x0[i], y0[i] = min(x0[i], x0[j]), min(y0[i], y0[j])
                x1[i], y1[i] = max(x1[i], x1[j]), max(y1[i], y1[j])
                groups[i] = groups[i] + groups[j]
                alive[j] = False
                single[i] = False
    keep = np.flatnonzero(alive)
    return [_box(x0, y0, x1, y1, k) for k in keep], [groups[k] for k in keep], [pieces[k] for k in keep]


@dataclass(frozen=True)
class _Found:
    """The marks as found, which every join is judged against: their boxes' corners and sizes,
    their ink, and which are short strokes (see HALF)."""

    x0: np.ndarray
    y0: np.ndarray
    x1: np.ndarray
    y1: np.ndarray
    h: np.ndarray
    w: np.ndarray
    ink: np.ndarray
    short_stroke: np.ndarray  # both short and not bare strokes (hatching, a dashed rule): a half of a digit, if any

    @classmethod
    def of(cls, x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray, ink: np.ndarray,
           typical: float) -> _Found:
        h, w = y1 - y0, x1 - x0
        return cls(x0, y0, x1, y1, h, w, ink, (h < HALF * typical) & (w >= 0.3 * typical))


def _joins(found: _Found, i: int, stage: int, alive: np.ndarray, single: np.ndarray, typical: float,
           max_aspect: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pieces that may join core ``i`` at this ``stage`` (see merge_fragments), each whether its
    join is sure, and the height the union may reach: their union has a digit's shape as found,
    and merge_fragments tests it again against the core as grown."""
    fx0, fy0, fx1, fy1, hs, ws, ink = found.x0, found.y0, found.x1, found.y1, found.h, found.w, found.ink
    short_stroke = found.short_stroke
    core_h, core_ink = hs[i], ink[i]
    core_short = short_stroke[i]
    near = (hs < 0.6 * core_h) | short_stroke if core_short else hs < 0.6 * core_h
    # Every way to join below needs the piece within 0.2 of the core's height beside it, and
    # within reach above or below it: the rest is measured on those only (most cores have none).
    reach_x, reach_y = 0.2 * core_h, max(0.25 * core_h, 0.15 * typical)
    cand = (alive & single & near & (ink < core_ink) & (fx0 <= fx1[i] + reach_x) & (fx1 >= fx0[i] - reach_x)
            & (fy0 <= fy1[i] + reach_y) & (fy1 >= fy0[i] - reach_y))
    cand[i] = False
    c = np.flatnonzero(cand)
    if not c.size:
        return c, np.zeros(0, bool), np.zeros(0)
    short = short_stroke[c] & core_short
    cx0, cy0, cx1, cy1, cw, ch, cink = fx0[c], fy0[c], fx1[c], fy1[c], ws[c], hs[c], ink[c]
    ux0, uy0 = np.minimum(cx0, fx0[i]), np.minimum(cy0, fy0[i])
    uw, uh = np.maximum(cx1, fx1[i]) - ux0, np.maximum(cy1, fy1[i]) - uy0
    overlap_x = np.minimum(cx1, fx1[i]) - np.maximum(cx0, fx0[i])
    overlap_y = np.minimum(cy1, fy1[i]) - np.maximum(cy0, fy0[i])
    stacked = (overlap_x >= 0.5 * cw) & (-overlap_y <= 0.25 * core_h) & (np.maximum(cw, ch) >= 0.2 * core_h)
    inside = (overlap_x > 0) & (overlap_y > 0) & (overlap_x * overlap_y >= 0.5 * cw * ch)
    small = (cink < 0.5 * core_ink) & (ch < 0.6 * core_h)  # (an arm may weigh more: a whole stroke)
    # Beside the core's upper part, close to it, or over it a little higher (a 5's flag is the
    # digit's top, above its body's); a stroke, not the hairline a grid leaves behind.
    above = np.where(overlap_x >= FLAG_OVER * cw, FLAG_ABOVE, ARM_ABOVE) * core_h
    # A flat piece beside the core and lower than its top is a dash (a minus sign, a hyphen), no arm.
    dash = (ch <= DOT * cw) & (overlap_x <= 0) & (cy0 >= fy0[i] + DASH_BELOW * core_h)
    arm = ((-overlap_x <= 0.2 * core_h) & (cy0 >= fy0[i] - above) & (cy1 <= fy0[i] + 0.6 * core_h)
           & (np.maximum(cw, ch) >= 0.3 * core_h) & (np.minimum(cw, ch) >= 0.12 * core_h) & ~dash)
    if stage == 2 and arm.any():  # an arm hanging beside one digit may sit over another
        arm &= ~_over_another(c, i, overlap_x, alive, found)
    halves = (short & (overlap_x >= 0.5 * np.minimum(cw, ws[i])) & (-overlap_y <= 0.15 * typical)
              & (uh <= 1.2 * typical))
    sure = small & (stacked | inside)
    tallest = np.where(halves, 1.2 * typical, 1.9 * core_h)  # the union's height limit
    kinds = (sure, sure | stacked, sure | stacked | arm | halves)[stage]
    join = kinds & (uw <= max_aspect * uh) & (uh <= tallest)
    return c[join], sure[join], tallest[join]


def _over_another(pieces: np.ndarray, core: int, overlap: np.ndarray, alive: np.ndarray, found: _Found) -> np.ndarray:
    """Per piece, whether another core it might join overlaps it across more than ``core`` does
    (``overlap``: each piece's with the core, negative for a gap): a 5's flag that blur or a dry pen
    cut off sits partly over the 5 and hangs a gap away from the taller 8 beside it."""
    x0, x1, y0, y1, hs, ink = found.x0, found.x1, found.y0, found.y1, found.h, found.ink
    over = np.zeros(len(pieces), bool)
    for k, j in enumerate(pieces):
        holds = (alive & (hs * 0.6 > hs[j]) & (ink > ink[j]) & (y0[j] <= y1 + 0.25 * hs) & (y1[j] >= y0 - 0.25 * hs))
        holds[[core, j]] = False
        others = np.minimum(x1[j], x1[holds]) - np.maximum(x0[j], x0[holds])
        over[k] = bool((others > overlap[k]).any())
    return over


def join_scattered(boxes: list[Box], groups: list[list[int]], pieces: list[list[tuple[Box, list[int]]]],
                    typical: float, edge: Edge,
                    ) -> tuple[list[Box], list[list[int]], list[list[tuple[Box, list[int]]]]]:
    """Join a digit that fell into several short strokes (a ballpoint running dry): strokes each
    well under the page's ``typical`` height, close to one another, that together stand as tall
    as one digit and no wider. None of them is a core to join the others to, so merge_fragments
    leaves them apart. Dots too small to count as strokes (a dry pen leaves them between its
    strokes) link strokes too, but a digit needs two strokes. The pieces are returned as the union's
    pieces, and the classifier decides.
    """
    if typical <= 0:
        return boxes, groups, pieces
    gap = 0.25 * typical
    short = [k for k, b in enumerate(boxes) if b.h < 0.6 * typical and min(b.w, b.h) > HAIRLINE
             and not edge.cuts(b, groups[k])]
    strokes = {k for k in short if max(boxes[k].w, boxes[k].h) >= 0.15 * typical}
    # Scraps shorter than a stroke link strokes if they are dots. Neither is a hairline (a scrap of a rule).
    loose = [k for k in short if k in strokes or min(boxes[k].w, boxes[k].h) >= DOT * max(boxes[k].w, boxes[k].h)]
    owner = {k: k for k in loose}

    def root(k: int) -> int:
        while owner[k] != k:
            k = owner[k]
        return k

    for a, b in combinations(loose, 2):
        p, q = boxes[a], boxes[b]
        if max(p.x, q.x) - min(p.x2, q.x2) <= gap and max(p.y, q.y) - min(p.y2, q.y2) <= gap:
            owner[root(b)] = root(a)
    clusters: dict[int, list[int]] = {}
    for k in loose:
        clusters.setdefault(root(k), []).append(k)
    joined: set[int] = set()
    extra = []
    for members in clusters.values():
        if len(strokes.intersection(members)) < 2:
            continue
        union = enclosing(boxes[k] for k in members)
        if not (0.7 * typical <= union.h <= 1.3 * typical and union.w <= 1.1 * typical):
            continue
        members.sort(key=lambda k: -boxes[k].h)
        extra.append((union, [i for k in members for i in groups[k]], [(boxes[k], groups[k]) for k in members]))
        joined.update(members)
    if not extra:
        return boxes, groups, pieces
    keep = [k for k in range(len(boxes)) if k not in joined]
    return ([boxes[k] for k in keep] + [e[0] for e in extra], [groups[k] for k in keep] + [e[1] for e in extra],
            [pieces[k] for k in keep] + [e[2] for e in extra])

