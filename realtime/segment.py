"""Cut a frame's ink into candidate digits, and the signs beside them (dots, dashes).

The ink is measured against the paper (realtime.ink); what is digit-shaped is kept whole, the
rest (tables, ruled lines, shapes with digits touching them) has its long straight lines taken
out (realtime.lines) and is cut again, and pieces of one digit that broke apart are joined
(realtime.fragments). Each candidate is then judged by its shape and its neighbours: a scrap of a
rule, a frame round a number, the grain of textured paper or the sheet's edge is no digit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from typing import Literal

import cv2
import numpy as np

from realtime.config import Config
from realtime.fragments import DOT, Edge, join_scattered, merge_fragments
from realtime.ink import (
    DESK,
    DESK_ON_SHEET,
    balance_white,
    darkness_of,
    frame_is_noisy,
    ink_components,
    ink_map,
    key_out_rules,
    on_paper,
    to_work_size,
)
from realtime.lines import (
    faint_at_half_size,
    forms_a_grid,
    printed_grid,
    remove_lines,
    soft_grid,
    take_off_grid,
    take_out_lines,
)
from realtime.normalize import stroke_width
from realtime.split import enclosed_paper
from realtime.types import Box, Marks, Region, enclosing, weighted_median
from realtime.view import View

LINE_ELONGATION = 40  # a straight stroke this many times longer than thick is a ruled line
EDGE_REACH = 2  # a mark with EDGE_SHARE of its ink this many pixels or less from the desk is the sheet's edge
EDGE_SHARE = 0.5
BAR = (3.0, 8.0)  # a solid mark 3-8 times taller than wide may be a felt-tip 1 (thinner: a rule's scrap)
RINGED = 0.8  # a piece with this share of its ink inside another's ring is ringed round by it...
RING_CONTENT = 0.25  # ...and what is ringed, this share of the ring's height or more, is no grain in a 0's hole
FRAME_HEIGHT = 3.0  # a frame round a number is at most this many times as tall as what it holds...
FRAME_CONTENT = 8  # ...and holds at most this many components (a number's digits)
FRAME_FILL = 0.3  # ...and the paper it closes round fills this share of its box or more (a ring's most of it)
FRAME_TALL = 5.0  # ...and it is at most this many times as tall as the tallest piece left of it once lines are out
RIM = 0.15  # a piece of a frame with this share of its ink on the frame's outer edge is part of its rim
CORNER = 0.75  # ink on this share of the points beside a stroke's end: a turn of the line it ends in
UPRIGHT = 0.25  # a line leaning at most this much of its height stands upright: a wall between a table's cells
DOT_SIZE = (0.05, 0.45)  # a dot between digits (a decimal point, a comma) is this share of the writing's height...
DASH_SIZE = (0.2, 0.9)  # ...a dash (a minus sign, a hyphen) this share of it long, lying...
SIGN_FILL = 0.45  # ...and either fills this share of its box or more (a ring or a hook is neither)
SOLID = 0.5  # a bar along an axis whose ink fills this share of its box is a stroke, not a rule with writing on it
HAIRLINE_INK = 0.4  # a line taken out of a digit-shaped mark is at most this dark against its strokes
HAIRLINE_SHARE = 0.2  # ...and a mark is looked at for one only where this share of its ink is that faint
# (a pen's digit: at most 0.17, its strokes' soft edges; with a grid's hairlines, 0.21-0.42)
STRONG_SHARE = 0.5  # a tower's strokes are its ink at least this share of its darkness (see _unchained)...
CHAIN_FRINGE = 2  # ...grown back this many px into its faint ink
BROAD = 1.2  # a digit-shaped mark taller than the writing and this many times as wide may be a patch of grid...
GRID_SPACING = 0.2  # ...whose rules one way stand at least this share of its size apart
PEN_ON_RULE = 1.3  # ink a line's removal took that is this much darker than the line is a pen's stroke on it
FAINTER = 0.6  # a mark at most this share as dark as the page's writing was written lightly (a pen running dry)...
FADE = 0.15  # ...and its strokes are followed down to this share of its own darkness, where they fade out
PIECE = 0.85  # a mark under this share of the writing's height may be what is left of a digit whose strokes faded...
REACH = (0.3, 1.2)  # ...followed this share of the writing's height beside it, above and below until this tall...
GROWN = (0.8, 1.3)  # ...to a digit: this share of the writing's height tall, and no wider than the most...
LONGER = 1.2  # ...and this many times as tall as it was, at least
GRAIN = 0.3  # a mark this much fainter than the ink around it is paper's grain (large in a 12 MP photo), no writing
# How a digit-shaped mark's lines are taken out (see _kinds; "": as any other mark's).
Kind = Literal["", "wide", "footed", "ruled", "broad", "tower"]
# A digit-shaped mark UNDERLINED times as wide as tall or wider may be a number with a line drawn
# under it: a straight stroke UNDERLINE times its height long or longer, in its lowest part (most
# of its ink under UNDER of its height). No digit's own stroke is that long, nor touching digits' there.
UNDERLINED, UNDERLINE, UNDER = 1.5, 1.5, 0.85
# A narrower one (a digit or two) has a line under it where its lowest part (under UNDER) spans
# UNDER_SPAN of its width and runs PAST_SHARE of it or more past the rest of its ink on both sides,
# and that rest is no lone stroke (under STEM of the height wide: a 1 standing on its foot).
UNDER_SPAN, PAST_SHARE, STEM = 0.9, 0.04, 0.4


def _components(labels: np.ndarray, stats: np.ndarray, alive: np.ndarray, speck: int, max_h: float,
                cfg: Config) -> tuple[list[Box], list[list[int]], list[int]]:
    """The boxes (with label ids and ink areas) of the live components that may be a digit or a
    piece of one: not specks, not huge, not sparse like a long diagonal line."""
    boxes, groups, areas = [], [], []
    for i in np.flatnonzero(alive):
        x, y, w, h, area = (int(v) for v in stats[i])
        if area >= speck and h < max_h and w < max_h * cfg.max_aspect and area >= cfg.min_fill * w * h:
            boxes.append(Box(x, y, w, h))
            groups.append([int(i)])
            areas.append(area)
    return boxes, groups, areas


def _part_of_a_line(own: np.ndarray, box: Box, faint: np.ndarray, before: np.ndarray) -> bool:
    """A thin straight stroke whose ink runs on past its ends is a piece of a ruled line, a
    margin or a sheet's edge, not a 1: a real 1 has bare paper above and below it (an end at
    the frame's edge tells nothing). So is a stroke far thinner for its length than a pen draws a 1,
    a side of a box drawn round something, and a wall between two rules, which both meet it from
    either side (a form's boxes for one digit each, a table's cells), where a 1 standing on a rule
    has a free top (``before``: the components before lines were taken out of them)."""
    if max(box.w, box.h) < 4 * min(box.w, box.h):
        return False
    width = max(1.0, stroke_width(own.astype(np.uint8)))
    if max(box.w, box.h) >= LINE_ELONGATION * width:
        return True
    ys, xs = np.nonzero(own)
    pts = np.stack([xs + box.x, ys + box.y], axis=1).astype(np.float32)
    centre = pts.mean(axis=0)
    _, _, axes = np.linalg.svd(pts - centre, full_matrices=False)
    direction = axes[0]
    along = (pts - centre) @ direction
    half = float(np.ptp(along)) / 2
    runs = []
    for sign in (-1, 1):
        values, inside = _sample(faint, centre + np.outer(sign * (half + half * np.linspace(0.15, 1.0, 12)), direction))
        if inside.sum() >= 3:
            runs.append(float(values[inside].mean()))
    if runs and min(runs) >= 0.5:
        return True
    # A side of a box drawn round something: the line turns a corner at one end at least, and at
    # the other it turns too or runs on (what is left of a side the line search took out). At a
    # corner the ink turns one way only: a 1 standing on a rule meets ink running both ways. The
    # corner is looked for up to two stroke widths past the end, where taking out the rest of the
    # box left a gap; its ink and the rest of the side are of the stroke's own component (a
    # neighbouring digit's bar or a rule beside a 1 are not).
    ids = np.unique(before[box.y : box.y2, box.x : box.x2][own])
    ids = ids[ids > 0]  # (closing a cut a line left may have filled in paper)
    across = np.array([-direction[1], direction[0]])
    reach = np.linspace(width + 2, 2.5 * width + 6, 4)[:, None]  # points out from the stroke, 4 rows
    shifts = np.array([-width / 2, 0.0, width / 2, width, 2 * width])[:, None, None]
    turns = tees = 0
    for sign, end in ((-1, centre + along.min() * direction), (1, centre + along.max() * direction)):
        # Beside the end (and up to two widths past it), on either side: side x shift x reach.
        beside = np.stack([end + sign * shifts * direction + side * reach * across for side in (-1, 1)])
        sides = _of_stroke(before, ids, beside).mean(axis=-1).max(axis=-1) >= CORNER
        if sides[0] != sides[1]:
            turns += 1
            continue
        onward = end + shifts[:3] * across + sign * reach * direction  # straight on from the end
        if _of_stroke(before, ids, onward).mean(axis=-1).max() < CORNER:
            if not sides[0]:
                return False  # a free end: a 1's top
            tees += 1
    return turns > 0 or tees == 2


def _of_stroke(labels: np.ndarray, ids: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Whether each point (x, y in the last axis) lies on one of these components; points off the
    frame do not."""
    values, inside = _sample(labels, points)
    return inside & np.isin(values, ids)


def _sample(image: np.ndarray, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The image at each point (x, y in the last axis, rounded), and whether the point is on the
    frame at all (off it, the value is the nearest edge pixel's)."""
    h, w = image.shape
    xi, yi = np.round(points[..., 0]).astype(int), np.round(points[..., 1]).astype(int)
    inside = (xi >= 0) & (xi < w) & (yi >= 0) & (yi < h)
    return image[np.clip(yi, 0, h - 1), np.clip(xi, 0, w - 1)], inside


def _corners(boxes: list[Box], min_h: float) -> tuple[np.ndarray, np.ndarray]:
    """x, y, x2, y2 of the digit-sized boxes among these, as one array for fast containment tests,
    and their indices in the list."""
    sized = [k for k, b in enumerate(boxes) if max(b.w, b.h) >= min_h]
    rows = [(boxes[k].x, boxes[k].y, boxes[k].x2, boxes[k].y2) for k in sized]
    return np.array(rows, np.int64).reshape(-1, 4), np.array(sized, np.int64)


def _stat_corners(stats: np.ndarray) -> np.ndarray:
    """x, y, x2, y2 of components, from their stats as OpenCV gives them, as _corners gives boxes'."""
    return np.column_stack([stats[:, :2], stats[:, :2] + stats[:, 2:4]]).astype(np.int64)


def _within(box: Box, others: np.ndarray) -> np.ndarray:
    """Which of these boxes (rows of x, y, x2, y2) lie within this one, other than one the same as it."""
    return ((others[:, 0] >= box.x) & (others[:, 1] >= box.y) & (others[:, 2] <= box.x2) & (others[:, 3] <= box.y2)
            & ~((others[:, 0] == box.x) & (others[:, 1] == box.y) & (others[:, 2] == box.x2)
                & (others[:, 3] == box.y2)))


def _contains_others(box: Box, own: int, others: tuple[np.ndarray, np.ndarray],
                     darkness: Callable[[int], float]) -> bool:
    """A box that holds another digit-sized mark is a frame, a shape or a table, not a digit;
    unless the mark is far fainter than its own ink (GRAIN): the grain of textured paper, in the
    paper an open digit (a 4, a 7) spans. ``own``, ``others``' indices: keys to ``darkness``."""
    corners, keys = others
    inside = keys[_within(box, corners)]
    return bool(inside.size) and any(darkness(int(k)) >= GRAIN * darkness(own) for k in inside)


def _darkness_of_marks(labels: np.ndarray, ink: np.ndarray,
                       mark: Callable[[int], tuple[Box, list[int]]]) -> Callable[[int], float]:
    """How dark each mark is (``mark(k)``: its box and components), worked out when first asked."""
    @cache
    def darkness(k: int) -> float:
        box, ids = mark(k)
        return darkness_of(np.where(_pixels_of(labels, box, ids), ink[box.y : box.y2, box.x : box.x2], 0))
    return darkness


def _rim_pieces(window: np.ndarray, own: np.ndarray, pieces: np.ndarray, piece_stats: np.ndarray, held: int
                ) -> np.ndarray:
    """Which of the pieces a component fell into when its lines were taken out are its rim, when
    it is a frame drawn round other ink (a boxed or circled number), closing round most of its box
    (FRAME_FILL; a row of digits on a rule that a thread of noise joins closes round only their holes
    and a pocket): the sides and arcs left standing, which read as 1s, not a digit inside that
    touched the frame (enclosed by it). A frame is also no more than FRAME_TALL times as tall as the
    tallest of its pieces: a sheet's outline and rules, joined, close round all of its writing, and
    taken out they leave the digits that stood on them, far shorter.
    ``pieces``: their labels, ``piece_stats``: their boxes and pixel counts as OpenCV gives them;
    ``held``: how many components lie within its box (a page's rules or a table hold lines of
    writing, more than a number's digits)."""
    count = len(piece_stats)
    if not 0 < held <= FRAME_CONTENT:
        return np.zeros(count, bool)
    if own.shape[0] > FRAME_TALL * max(1, int(piece_stats[1:, cv2.CC_STAT_HEIGHT].max(initial=0))):
        return np.zeros(count, bool)  # far taller than all it leaves: a page's outline and rules, the writing on them
    inside = enclosed_paper(own)
    if np.count_nonzero(inside) < FRAME_FILL * own.size:
        return np.zeros(count, bool)  # no ring round its box: pockets only
    ys, xs = np.nonzero(inside & (window > 0))
    if (not ys.size or max(np.ptp(ys), np.ptp(xs)) + 1 < RING_CONTENT * own.shape[0]
            or own.shape[0] > FRAME_HEIGHT * (np.ptp(ys) + 1)):
        return np.zeros(count, bool)  # nothing of note inside, or far less tall than the frame
    outside = (own == 0) & ~inside
    rim = cv2.dilate(outside.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    on_rim = np.bincount(pieces[rim & (pieces > 0)], minlength=count)
    return on_rim >= RIM * piece_stats[:, cv2.CC_STAT_AREA]


def _ringed(labels: np.ndarray, before: np.ndarray, stats: np.ndarray, box: Box, ids: list[int]) -> list[int]:
    """The members of a joined group that the tallest component among them rings round: a number
    circled or boxed, a face's eyes and mouth. A digit's own loops hold no ink apart from the
    digit, while a broken digit's pieces lie beside or across each other, never all inside one
    piece. The ring is taken whole as it was found (``before`` lines were taken out: the flat
    top of a wide loop may have gone as one; ``stats`` holds every component's box). Inside means
    in paper the ring closes round. A piece of the ring's own component (its lines taken out) that lies
    within the hull of that paper is a stroke that touched the ring from inside (a digit's loop
    on a form's box), so it is ringed too, once something else is: the ring's own outline lies
    round that hull."""
    patch, found = labels[box.y : box.y2, box.x : box.x2], before[box.y : box.y2, box.x : box.x2]
    origin = {}
    for i in ids:
        was = found[(patch == i) & (found > 0)]
        origin[i] = int(np.bincount(was).argmax()) if was.size else i
    ring_id = max(set(origin.values()), key=lambda o: int(stats[o, 3]))
    x, y, w, h = (int(v) for v in stats[ring_id, :4])
    x0, y0, x1, y1 = min(x, box.x), min(y, box.y), max(x + w, box.x2), max(y + h, box.y2)
    inside = enclosed_paper(before[y0:y1, x0:x1] == ring_id)
    window = labels[y0:y1, x0:x1]

    def within(own: np.ndarray, paper: np.ndarray) -> bool:
        return np.count_nonzero(own & paper) >= RINGED * np.count_nonzero(own)

    ringed = [i for i in ids if origin[i] != ring_id and within(window == i, inside)]
    if not ringed:
        return []
    hulls = _filled_hulls(inside)
    ringed = [i for i in ids if i in ringed or (origin[i] == ring_id and within(window == i, hulls))]
    ys, xs = np.nonzero(np.isin(window, ringed))
    return ringed if max(np.ptp(ys), np.ptp(xs)) + 1 >= RING_CONTENT * h else []


def _filled_hulls(paper: np.ndarray) -> np.ndarray:
    """Each connected patch of ``paper`` filled out to its convex hull."""
    count, labels = cv2.connectedComponents(paper.astype(np.uint8), connectivity=4)
    filled = np.zeros(paper.shape, np.uint8)
    for k in range(1, count):
        cv2.fillConvexPoly(filled, cv2.convexHull(cv2.findNonZero((labels == k).astype(np.uint8))), 1)
    return filled > 0


def _faint_share(labels: np.ndarray, ink: np.ndarray, box: Box, i: int) -> float:
    """The share of a component's pixels under HAIRLINE_INK of its mean ink."""
    patch = ink[box.y : box.y2, box.x : box.x2][labels[box.y : box.y2, box.x : box.x2] == i].astype(np.float32)
    return float(np.count_nonzero(patch < HAIRLINE_INK * patch.mean())) / max(patch.size, 1)


def _pen_on_rules(own: np.ndarray, cleaned: np.ndarray, ink: np.ndarray) -> np.ndarray:
    """What remove_lines left of a mark, with the ink it took that is far darker than the lines'
    own (PEN_ON_RULE times the darkness_of what it took) where that joins what was left: a
    pen's stroke running along a rule or over it, which the line's band took too (a blue
    ballpoint's 0 whose sides run down a blue grid's lines)."""
    gone = (own > 0) & (cleaned == 0)
    if not gone.any():
        return cleaned
    darker = gone & (ink >= PEN_ON_RULE * darkness_of(ink[gone]))
    return _bridged(cleaned > 0, darker).astype(np.uint8) if darker.any() else cleaned


def _unchained(own: np.ndarray, ink: np.ndarray, min_h: float) -> np.ndarray:
    """A tower (see _whole_digits) cut apart where only faint ink joined it: its strokes at half their
    darkness or darker, each grown back into its own faint fringe (CHAIN_FRINGE px), where that
    leaves two or more digit-sized marks (min_h tall). Faint grain or a shadow's edge passes the weak
    threshold and joins the digits of a table's column into one mark far taller than the writing.
    Otherwise the mark as it was (``own``)."""
    mask = own > 0
    cores = (mask & (ink >= STRONG_SHARE * darkness_of(ink[mask]))).astype(np.uint8)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(cores, connectivity=8)
    tall = np.flatnonzero(stats[1:, cv2.CC_STAT_HEIGHT] >= min_h) + 1
    if len(tall) < 2:
        return own
    kept = np.isin(labels, tall).astype(np.uint8)
    fringe = cv2.dilate(kept, np.ones((2 * CHAIN_FRINGE + 1,) * 2, np.uint8))
    return (fringe & own).astype(own.dtype)


def _hairline_taken(own: np.ndarray, cleaned: np.ndarray, ink: np.ndarray) -> bool:
    """Whether what remove_lines took out of a mark is far fainter than what it left (HAIRLINE_INK):
    a printed grid's hairline running on from a digit that touches it, where a pen's stroke is as
    dark as the rest of the digit."""
    gone, left = (own > 0) & (cleaned == 0), cleaned > 0
    return bool(gone.any() and left.any() and ink[gone].mean() < HAIRLINE_INK * ink[left].mean())


def _filled_like_a_digit(fill, w, h, cfg: Config):
    """Whether ink covers a digit's share of its box (scalars or arrays): not a thin arc or frame,
    and not a blob, unless it is an upright bar (a broad felt-tip 1)."""
    return (fill >= cfg.min_fill) & ((fill <= cfg.max_fill) | ((h >= BAR[0] * w) & (h <= BAR[1] * w)))


def _digit_like(box: Box, fill: float, min_h: float, max_h: float, cfg: Config) -> bool:
    long = max(box.w, box.h)
    return (min_h <= long <= max_h and box.w <= cfg.max_aspect * box.h
            and bool(_filled_like_a_digit(fill, box.w, box.h, cfg)))


def _box_of(stats: np.ndarray, i: int) -> Box:
    return Box(*(int(v) for v in stats[i, :4]))


def _slice_of(stats: np.ndarray, i: int) -> tuple[slice, slice]:
    """A component's box, as a slice of the frame."""
    x, y, w, h = (int(v) for v in stats[i, :4])
    return slice(y, y + h), slice(x, x + w)


def _line_under(own: np.ndarray) -> bool:
    """Whether a digit-shaped mark (its pixels over its box) narrower than UNDERLINED has a line
    drawn under it: its ink in its lowest part (under UNDER of its height) spans UNDER_SPAN of its
    width, and runs past the rest of its ink by PAST_SHARE of the width or more on both sides (a
    2's flat base starts where its stroke comes down; a line under a digit runs out beyond it),
    and that rest is wider than a 1's stem (STEM of the height: a 1's foot runs out both sides)."""
    h, w = own.shape
    top = int(UNDER * h)
    above, below = np.flatnonzero(own[:top].any(axis=0)), np.flatnonzero(own[top:].any(axis=0))
    if not above.size or below.size < UNDER_SPAN * w or above[-1] - above[0] + 1 < STEM * h:
        return False
    past = max(2, round(PAST_SHARE * w))
    return bool(below[0] <= above[0] - past and below[-1] >= above[-1] + past)


def _without_line_under(own: np.ndarray) -> np.ndarray:
    """A mark with the line under it (see _line_under) taken out: the line is followed along the
    columns where it runs alone, past the rest of the ink (its lower edge fitted straight, its
    thickness their median run), and that band is cleared across the whole width, a digit's
    foot where it stands on the line too."""
    h, w = own.shape
    top = int(UNDER * h)
    alone = np.flatnonzero(own.any(axis=0) & ~own[:top].any(axis=0))
    lowest = h - 1 - np.argmax(own[::-1, alone], axis=0)
    thick = int(np.median(np.count_nonzero(own[:, alone], axis=0)))
    slope, level = np.polyfit(alone, lowest, 1) if len(alone) >= 2 else (0.0, float(lowest.mean()))
    edge = np.rint(slope * np.arange(w) + level).astype(int)
    rows = np.arange(h)[:, None]
    band = (rows <= edge + 1) & (rows >= edge - thick)
    return (own.astype(bool) & ~band).astype(own.dtype)


def _clear_of_edges(box: Box, border: Edge, beyond: np.ndarray | None) -> bool:
    """Whether a component's box stands clear of the picture's edges: the image's ``border`` (an
    Edge, as Edge.cuts tells it), and the black past the frame's edge in a turned view (``beyond``,
    where there is one), which the box does not come within a pixel of."""
    if border.cuts(box, []):
        return False
    return beyond is None or not beyond[box.y - 1 : box.y2 + 1, box.x - 1 : box.x2 + 1].any()


def _line_apart(ids: list[int], parts: list[tuple[Box, list[int]]], lines: set[int], stats: np.ndarray
                ) -> list[tuple[Box, list[int]]]:
    """A mark's pieces (as merge_fragments gives them), where it holds one of the ``lines`` drawn
    under a digit (see _line_under) and none were given: what stands on the line, and the line. A
    line joins the digit over it surely (a small piece under it), but it is to be read apart."""
    line = [i for i in ids if i in lines]
    rest = [i for i in ids if i not in lines]
    if parts or not line or not rest:
        return parts
    return [(enclosing(_box_of(stats, i) for i in rest), rest), (enclosing(_box_of(stats, i) for i in line), line)]


def _labelled_apart(first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The connected pieces of two masks that touch, labelled as if they did not: labels and
    stats as cv2.connectedComponentsWithStats gives them (0: neither), the first mask's first."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(first, connectivity=8)
    _, more, more_stats, _ = cv2.connectedComponentsWithStats(second, connectivity=8)
    return np.where(second > 0, more + (n - 1), labels), np.concatenate([stats, more_stats[1:]])


def _whole_digits(stats: np.ndarray, labels: np.ndarray, ink: np.ndarray, min_h: float, max_h: float,
                  cfg: Config) -> tuple[list[int], dict[int, Kind]]:
    """Labels of the components that already have a digit's shape on their own, kept as they are;
    and the kinds of some digit-shaped ones (see _kinds): "ruled", taller than the typical digit
    with a share of faint ink, which may be a digit with a faint printed rule running on from it
    (not among the first); "broad", among the first, taller than the typical digit and BROAD times
    as wide, which may be a patch of a grid as dark as the writing, joined into one mark by a digit
    touching it (see forms_a_grid); and "tower", digit-shaped but over three times as tall as the
    typical digit (a table's column, or a column of digits that faint grain or shading joined, see
    _unchained; not among the first)."""
    w, h, area = stats[:, 2], stats[:, 3], stats[:, 4]
    longest = np.maximum(w, h)
    fill = area / np.maximum(w * h, 1)
    digit_like = ((longest >= min_h) & (longest <= max_h) & (w <= cfg.max_aspect * h)
                  & _filled_like_a_digit(fill, w, h, cfg))
    plausible = (h >= min_h) & (h <= max_h)
    digit_like[0] = plausible[0] = False  # the background
    sized = np.flatnonzero(plausible)
    others = _stat_corners(stats[sized]), sized
    darkness = _darkness_of_marks(labels, ink, lambda i: (_box_of(stats, i), [i]))
    ids = [i for i in np.flatnonzero(digit_like) if not _contains_others(_box_of(stats, i), int(i), others, darkness)]
    if not ids:
        return ids, {}
    # Far taller than the typical digit here: a table column or a rule with digits hanging on it.
    # Typical is weighted by ink, so that many small specks of grain do not drag it down.
    typical = weighted_median(h[ids], area[ids])
    towers = {int(i) for i in ids if h[i] > 3 * typical}
    ids = [i for i in ids if h[i] <= 3 * typical]
    ruled = {i for i in ids if h[i] > typical and _faint_share(labels, ink, _box_of(stats, i), i) >= HAIRLINE_SHARE}
    kept = [i for i in ids if i not in ruled]
    broad = {int(i) for i in kept if h[i] > typical and w[i] >= BROAD * typical}
    kinds: dict[int, Kind] = dict.fromkeys(towers, "tower") | dict.fromkeys(ruled, "ruled")
    return kept, kinds | dict.fromkeys(broad, "broad")


def find_regions(frame: np.ndarray, cfg: Config, on_sheet: bool = False, rule_channel: int | None = None,
                 view: View | None = None, noisy: bool | None = None) -> list[Region]:
    """The candidate digit regions of a frame, as find_marks cuts them."""
    return find_marks(frame, cfg, on_sheet, rule_channel, view, noisy).regions


@dataclass(frozen=True)
class _Page:
    """A frame's ink as the segmenter measures it (at work size), and the sizes it judges marks by."""

    ink: np.ndarray  # how much darker than the paper each pixel is; light rules and a grid taken out
    all_ink: np.ndarray  # ...with them: a scrap of a rule runs on into the rest of it
    paper_here: np.ndarray  # where there is paper (see on_paper)
    beyond: np.ndarray | None  # where the view looks past the frame's edge (None: nowhere)
    factor: float  # the work size's scale against the view's
    squared: bool  # whether a printed grid was taken out (see _without_grid)
    min_h: float  # a digit's least and greatest height, px
    max_h: float
    speck: int  # a component of fewer pixels is a speck
    line_length: int  # a straight stroke at least this long may be a line
    faint_level: int  # ink this dark is faint: a rule's, a stroke's fading end

    @property
    def desk(self) -> np.ndarray:
        """Where there is no paper, past the frame's edge not counted (see Edge)."""
        return ~self.paper_here if self.beyond is None else ~self.paper_here & ~self.beyond


@dataclass(frozen=True)
class _Cleared:
    """The components once lines are taken out of them (see _take_lines_out)."""

    stats: np.ndarray  # the frame's components, then the pieces of those a line was cut out of
    keep: np.ndarray  # per component, whether it is kept (not a speck, nor a line, nor cut up)
    walls: list[Box]  # upright lines: a table's, a form's, a grid's (read.py keeps numbers from running across them)
    dashes: list[tuple[Box, int]]  # bare lines that lie (a rule, or a pen's dash), judged against the writing's height
    under_lines: set[int]  # the lines drawn under a digit or two (see _line_under), as components


def find_marks(frame: np.ndarray, cfg: Config, on_sheet: bool = False, rule_channel: int | None = None,
               view: View | None = None, noisy: bool | None = None, look_for_grid: bool = False) -> Marks:
    """Cut a frame, as ``view`` sees it (default: as it is), into candidate digit regions and the
    signs beside them (the dots of a decimal point, a comma or a colon, a minus sign's or a hyphen's dash: see
    _dot_like, _dash_like), boxes in the view's pixels: the ink measured (_page_ink), lines taken
    out of its components (_take_lines_out), and the pieces joined and judged (_candidates).

    ``on_sheet``: the frame is a found sheet seen straight on, so no desk is in view and even a
    deep shadow is paper. ``rule_channel``: leave out light printed rules, which fade in that colour
    channel (see ink.rule_channel and key_out_rules). ``noisy``: the frame's frame_is_noisy, where
    the caller has it (else measured here, unless the view is the frame's). ``look_for_grid``: take
    a squared page's printed grid out of the ink first (see _without_grid); Marks.squared tells
    whether one was.
    """
    page = _page_ink(frame, cfg, on_sheet, rule_channel, view, noisy, look_for_grid)
    if page is None:  # too small to hold a digit, or a page to measure
        return Marks([], [], [])
    labels, stats = ink_components(page.ink, page.paper_here, cfg, rule_channel is None)
    before = labels.copy()  # the components as found, before lines are taken out of them
    cleared = _take_lines_out(labels, stats, page, cfg)
    regions, signs = _candidates(labels, before, cleared, page, cfg)
    walls = [b.scaled(1 / page.factor) if page.factor != 1.0 else b for b in cleared.walls]
    return Marks(regions, signs, walls, page.squared)


def _page_ink(frame: np.ndarray, cfg: Config, on_sheet: bool, rule_channel: int | None, view: View | None,
              noisy: bool | None, look_for_grid: bool) -> _Page | None:
    """The frame's ink as ``view`` sees it, at work size (see find_marks for the flags); None where
    the view is too small to hold a digit. Where the view looks past the frame's edge (a view
    turned a few degrees) is no paper: a wedge of that black thinner than the paper estimate's
    reach would read as paper, and its edge as ink darker than a pencil's."""
    view = view or View.of_frame(frame)
    outside = view.outside(frame)
    if noisy is None:
        noisy = not view.is_identity and frame_is_noisy(frame, cfg.work_size)
    work, factor = to_work_size(view.apply(frame), cfg.work_size)
    if min(work.shape[:2]) < cfg.min_height_px:
        return None
    work = balance_white(work)
    all_ink, paper = ink_map(work, noisy)
    beyond = None
    if outside is not None:
        beyond = cv2.resize(outside.astype(np.uint8), paper.shape[::-1], interpolation=cv2.INTER_AREA) > 0
        paper[beyond] = 0
    ink = all_ink if rule_channel is None else key_out_rules(work, all_ink, rule_channel, noisy)
    paper_here = on_paper(paper, DESK_ON_SHEET if on_sheet else DESK)
    short_side = min(ink.shape)
    line_length = max(15, int(cfg.line_length * short_side))
    faint_level = int(cfg.ink_weak * 255) // 2
    ink, squared = _without_grid(ink, paper_here, faint_level, line_length) if look_for_grid else (ink, False)
    min_h = max(cfg.min_height_px, cfg.min_height * short_side)
    return _Page(ink, all_ink, paper_here, beyond, factor, squared, min_h, cfg.max_height * short_side,
                 max(4, int(0.1 * min_h)), line_length, faint_level)


def _take_lines_out(labels: np.ndarray, stats: np.ndarray, page: _Page, cfg: Config) -> _Cleared:
    """Components that look like digits are kept whole, as are the small pieces that may join
    one; specks are dropped. The rest that is digit-sized or bigger has its long straight lines
    taken out, each in its own box (cheap), unless it is a bare line itself, and what is left
    is labelled anew in ``labels`` (changed in place). So are some digit-shaped marks, by their
    kind (see _kinds and _without_lines)."""
    ink, min_h = page.ink, page.min_h
    area = stats[:, 4]
    longest = np.maximum(stats[:, 2], stats[:, 3])
    digit_ids, kinds = _kinds(stats, labels, page, cfg)
    keep = ((area >= page.speck) & (longest < min_h)).astype(np.uint8)
    keep[digit_ids] = 1
    keep[0] = 0
    all_stats = [stats]  # the frame's components, then the pieces of those a line was cut out of
    marks = _stat_corners(stats[area >= page.speck])  # all but specks
    looked_at = keep == 0
    looked_at[[i for i, kind in kinds.items() if kind in ("wide", "broad", "footed")]] = True
    walls: list[Box] = []
    under_lines: set[int] = set()
    dashes: list[tuple[Box, int]] = []
    for i in np.flatnonzero((longest >= min_h) & looked_at):
        x, y, bw, bh = (int(v) for v in stats[i, :4])
        if i == 0:
            continue  # the background
        kind: Kind = kinds.get(int(i), "")
        bare = min(bw, bh) <= 4 or (min(bw, bh) <= cfg.line_thinness * max(bw, bh) and area[i] >= SOLID * bw * bh)
        if bare and kind != "ruled":
            if bh > bw:
                walls.append(Box(x, y, bw, bh))
            else:
                dashes.append((Box(x, y, bw, bh), int(i)))
            continue  # a bare line or a solid bar along an axis: a sheet's edge, a thick rule, the desk's edge
        window = labels[y : y + bh, x : x + bw]
        own = (window == i).astype(np.uint8)
        cleaned, lines = _without_lines(own, ink[y : y + bh, x : x + bw], kind, page, cfg)
        if cleaned is own:
            keep[i] = 1  # no line in it: it stays as labelled
            continue
        keep[i] = 0  # its pieces take its place
        walls += _upright(lines, x, y)
        if kind == "footed":  # the line and what stands on it, apart: joined again as pieces of one mark
            line = own - cleaned  # (merge_fragments, _line_apart), which the classifier may undo where
            own_labels, own_stats = _labelled_apart(cleaned, line)  # the digit reads better alone
            cleaned = own
        else:  # What is left of it may fall apart: its pieces are labelled anew, in its own box.
            _, own_labels, own_stats, _ = cv2.connectedComponentsWithStats(cleaned, connectivity=8)
        held = int(np.count_nonzero(_within(Box(x, y, bw, bh), marks)))
        rim = _rim_pieces(window, own, own_labels, own_stats, held)
        own_stats[rim, cv2.CC_STAT_AREA] = 0  # dropped, as specks are
        first = sum(len(block) for block in all_stats)
        window[own > 0] = 0
        window[cleaned > 0] = own_labels[cleaned > 0] + (first - 1)
        if kind == "footed":
            under_lines.update(int(k) + first - 1 for k in np.unique(own_labels[line > 0]))
        own_stats[1:, 0] += x
        own_stats[1:, 1] += y
        all_stats.append(own_stats[1:])
    if len(all_stats) > 1:
        stats = np.concatenate(all_stats)
        keep = np.concatenate([keep, np.ones(len(stats) - len(keep), np.uint8)])
    return _Cleared(stats, keep.astype(bool), walls, dashes, under_lines)


def _kinds(stats: np.ndarray, labels: np.ndarray, page: _Page, cfg: Config) -> tuple[list[int], dict[int, Kind]]:
    """The components kept whole as digits (see _whole_digits), and the marks whose lines are
    taken out their own way, by kind (each mark is of one kind at most): a number with a line under
    it ("wide", see UNDERLINED) or a digit or two ("footed", see _line_under); a digit that a faint
    grid's hairlines running on from it make taller than the rest ("ruled"); a digit-shaped mark
    taller and wider than the writing whose lines may form a grid ("broad": squared paper as dark
    as a thin pen, joined into one mark by a digit that touches it); and a tower of digits joined
    by faint grain ("tower", see _unchained)."""
    digit_ids, kinds = _whole_digits(stats, labels, page.ink, page.min_h, page.max_h, cfg)
    wide = {int(i) for i in digit_ids if stats[i, 2] >= UNDERLINED * stats[i, 3]}  # maybe numbers underlined
    border = Edge(labels.shape[::-1])
    footed = {int(i) for i in digit_ids if int(i) not in wide  # (cut by the edge, a digit's foot is unseen)
              and _clear_of_edges(_box_of(stats, int(i)), border, page.beyond)
              and _line_under(labels[_slice_of(stats, i)] == i)}
    return digit_ids, kinds | dict.fromkeys(wide, "wide") | dict.fromkeys(footed, "footed")  # (not broad, then)


def _without_lines(own: np.ndarray, ink: np.ndarray, kind: Kind, page: _Page, cfg: Config
                   ) -> tuple[np.ndarray, np.ndarray]:
    """A mark (its pixels over its box; ``ink``: the ink there) with its lines taken out as its
    ``kind`` asks (see _kinds), and the lines found (x1, y1, x2, y2 per row; none where it is
    "wide" or "footed"); ``own`` itself where it keeps them. The line under a footed digit is
    cleared across its width; a wide mark loses only lines in its lower part; a ruled one only
    hairlines far fainter than its strokes (a 1's stem, a 7's bar, are as dark as the rest); a broad
    one only lines that form a grid (a big digit's own straight strokes do not); a tower with no line
    in it is cut where only faint ink joins it. What a line's band took of a pen's stroke running
    along it is put back (_pen_on_rules)."""
    none = np.zeros((0, 4), int)
    h, w = own.shape
    if kind == "footed":
        return _without_line_under(own), none
    if kind == "wide":
        cleaned, lines = remove_lines(own, max(page.line_length, int(UNDERLINE * h)), cfg.line_thinness), none
        rows_gone = np.nonzero(own > cleaned)[0]
        if not rows_gone.size or rows_gone.mean() < UNDER * h:
            return own, none  # no line under it: kept whole, as it was
    else:
        cleaned, lines = take_out_lines(own, page.line_length, cfg.line_thinness)
    if cleaned is not own and kind == "ruled" and not _hairline_taken(own, cleaned, ink):
        return own, lines
    if cleaned is not own and kind == "broad" and not forms_a_grid(lines, GRID_SPACING * min(w, h)):
        return own, lines
    if cleaned is own:
        return (_unchained(own, ink, page.min_h), lines) if kind == "tower" else (own, lines)
    return _pen_on_rules(own, cleaned, ink), lines


def _candidates(labels: np.ndarray, before: np.ndarray, cleared: _Cleared, page: _Page,
                cfg: Config) -> tuple[list[Region], list[Region]]:
    """The candidate digits and the signs among the components kept (``labels`` as _take_lines_out
    left them; ``before``: as first found): pieces of one digit that broke apart joined, then each
    mark judged by its shape and its neighbours (a scrap of a rule, a frame round a number, the
    grain of textured paper or the sheet's edge is no digit). A mark written more lightly than
    the page's writing (FAINTER) keeps the parts of its strokes that faded under the weak
    threshold, down to FADE of its own darkness: a dry pen's 5 otherwise loses its back and reads
    as no digit. A mark well under the writing's height (PIECE) follows them likewise past its box
    (_faded_rest), and is read as found too."""
    ink, stats, under_lines, min_h = page.ink, cleared.stats, cleared.under_lines, page.min_h
    boxes, groups, pieces, typical, edge = _joined(labels, cleared, page, cfg)
    # A stroke whose ink runs on past its ends is part of a line: the keyed-out rules count here,
    # as a scrap of a rule that JPEG's coarse colour left standing runs on into the rest of it.
    faint = page.all_ink >= page.faint_level
    candidates = _corners(boxes, min_h)
    darkness = _darkness_of_marks(labels, ink, lambda k: (boxes[k], groups[k]))
    writing_ink = float(np.median([darkness(k) for k, b in enumerate(boxes) if b.h >= min_h] or [0.0]))
    desk = page.desk
    regions = []
    signs = [_region(labels, ink, b, [i], page.factor) for b, i in cleared.dashes
             if _dash_like(b, stats[i, 4] / (b.w * b.h), typical, faint)]
    for k, (box, ids, parts) in enumerate(zip(boxes, groups, pieces, strict=True)):
        if edge.cuts(box, ids):
            continue  # cut by the picture's edge: only part of it is visible
        if under_lines.issuperset(ids):
            continue  # a line drawn under a digit, left on its own: no digit, nor a sign
        if len(ids) > 1 and (inner := _ringed(labels, before, stats, box, ids)):  # a ring drawn round something:
            box, ids, parts = _bounds(labels, box, inner), inner, []  # what it rings round is read
        own = _pixels_of(labels, box, ids)
        fill = own.sum() / (box.w * box.h)
        if len(ids) == 1 and (_dot_like(box, fill, typical) or _dash_like(box, fill, typical, faint)):
            signs.append(_region(labels, ink, box, ids, page.factor))  # (a big dot is a candidate digit too: a small 0)
        if not _digit_like(box, fill, min_h, page.max_h, cfg):
            continue
        if _contains_others(box, k, candidates, darkness):
            continue
        if _part_of_a_line(own, box, faint, before):
            continue
        if _along_the_sheet_edge(own, box, desk):
            continue
        alone = tuple(replace(_region(labels, ink, b, ids, page.factor), underline=under_lines.issuperset(ids))
                      for b, ids in parts)
        signs += [region for (b, ids), region in zip(parts, alone, strict=True)  # a minus sign joined as a digit's arm
                  if len(ids) == 1 and not region.underline
                  and _dash_like(b, float(_pixels_of(labels, b, ids).mean()), typical, faint)]
        patch = ink[box.y : box.y2, box.x : box.x2]
        if parts:  # the faint ink that runs between the pieces (a pen running dry) is part of the digit
            own = _bridged(own, patch >= page.faint_level)
        elif (dark := darkness(k)) < FAINTER * writing_ink:  # written lightly: strokes that faded under the weak level
            nobody_else = (before[box.y : box.y2, box.x : box.x2] == 0) | own  # (not a rule's, not a neighbour's)
            own = _bridged(own, (patch >= max(page.faint_level, FADE * dark)) & nobody_else)
        elif box.h < PIECE * typical and not page.squared:  # (a grid taken out leaves faint ink in every square)
            grown = _faded_rest(own, box, before, stats, ink, max(page.faint_level, FADE * darkness(k)), typical)
            if grown:
                whole_box, whole = grown
                as_found = _region(labels, ink, box, ids, page.factor, own=own)  # the classifier may read it alone
                regions.append(_region(labels, ink, whole_box, ids, page.factor, (as_found,), whole))
                continue
        regions.append(_region(labels, ink, box, ids, page.factor, alone, own))
    return regions, signs


def _faded_rest(own: np.ndarray, box: Box, before: np.ndarray, stats: np.ndarray, ink: np.ndarray,
                level: float, typical: float) -> tuple[Box, np.ndarray] | None:
    """A mark well under the writing's ``typical`` height (``own``: its pixels over its ``box``) with
    the faint ink, ``level`` or darker, that joins it within REACH: a digit whose other strokes
    fell under the weak threshold (a shaken camera's smear, a pencil pressed lightly) leaves only
    its darkest stroke standing. That ink is the components' paper, or ink no seed reached (its
    ``stats`` zero, see ink_components), or pieces of marks as short as this one (a pencil digit
    broken in two); where it runs into a taller mark (a word's next letter, a rule), the mark is
    left as found. Its box and pixels there, where that makes it a digit (GROWN, LONGER); else None."""
    h, w = ink.shape
    reach_x, reach_y = int(REACH[0] * typical), int(max(0, REACH[1] * typical - box.h))
    x0, y0 = max(0, box.x - reach_x), max(0, box.y - reach_y)
    x1, y1 = min(w, box.x2 + reach_x), min(h, box.y2 + reach_y)
    seen = before[y0:y1, x0:x1]
    free = (seen == 0) | (stats[seen, cv2.CC_STAT_AREA] == 0)
    mine = np.zeros(seen.shape, bool)
    mine[box.y - y0 : box.y2 - y0, box.x - x0 : box.x2 - x0] = own
    grown = _bridged(mine, (ink[y0:y1, x0:x1] >= level) & free)
    others = ~free & ~np.isin(seen, np.unique(seen[mine]))
    touched = np.unique(seen[(cv2.dilate(grown.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0) & others])
    if (stats[touched, cv2.CC_STAT_HEIGHT] >= PIECE * typical).any():
        return None
    grown |= np.isin(seen, touched)
    ys, xs = np.nonzero(grown)
    gh, gw = int(np.ptp(ys)) + 1, int(np.ptp(xs)) + 1
    if not (GROWN[0] * typical <= gh <= GROWN[1] * typical and gw <= GROWN[1] * typical and gh >= LONGER * box.h):
        return None
    gx, gy = x0 + int(xs.min()), y0 + int(ys.min())
    return Box(gx, gy, gw, gh), grown[gy - y0 : gy - y0 + gh, gx - x0 : gx - x0 + gw]


def _joined(labels: np.ndarray, cleared: _Cleared, page: _Page, cfg: Config
            ) -> tuple[list[Box], list[list[int]], list[list[tuple[Box, list[int]]]], float, Edge]:
    """The marks kept (see _candidates), the pieces of one digit that broke apart joined: each
    one's box, its components, and the pieces it was joined from (a line drawn under it read
    apart, see _line_apart); the writing's height (the marks' heights, weighted by their ink);
    and the picture's edge, with the components that reach past the frame's edge in a turned view."""
    stats = cleared.stats
    boxes, groups, areas = _components(labels, stats, cleared.keep, page.speck, page.max_h, cfg)
    cut: frozenset[int] = frozenset()
    if page.beyond is not None:  # the components that reach the black past the frame's edge
        reach = cv2.dilate(page.beyond.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
        cut = frozenset(np.unique(labels[reach]).tolist()) - {0}
    edge = Edge(labels.shape[::-1], cut)
    sized = [k for k, b in enumerate(boxes) if max(b.w, b.h) >= page.min_h]
    heights, weights = np.array([boxes[k].h for k in sized]), np.array([areas[k] for k in sized])
    typical = weighted_median(heights, weights) if sized else 0.0  # the height of the writing
    boxes, groups, pieces = merge_fragments(boxes, groups, areas, cfg.max_aspect, edge, typical)
    boxes, groups, pieces = join_scattered(boxes, groups, pieces, typical, edge)
    pieces = [_line_apart(ids, parts, cleared.under_lines, stats) for ids, parts in zip(groups, pieces, strict=True)]
    return boxes, groups, pieces, typical, edge


def _without_grid(ink: np.ndarray, paper_here: np.ndarray, faint_level: int, line_length: int
                  ) -> tuple[np.ndarray, bool]:
    """The ink without a squared page's printed grid, and whether it had one: the pixels of a grid
    of soft hairlines cleared (lines.soft_grid), then the darkness of one whose rules are evenly
    spaced taken off (lines.printed_grid, take_off_grid): where a dim or defocused view shows only
    some of its rules as hairlines, the rest."""
    half = faint_at_half_size(ink, paper_here, faint_level)
    grid = soft_grid(ink, paper_here, faint_level, line_length, half)
    if grid is not None:
        ink = np.where(grid, 0, ink).astype(np.uint8)
        half = None  # (measured again on the ink left)
    rules = printed_grid(ink, paper_here, faint_level, line_length, half)
    if rules is not None:
        ink = take_off_grid(ink, rules)
    return ink, grid is not None or rules is not None


def _along_the_sheet_edge(own: np.ndarray, box: Box, desk: np.ndarray) -> bool:
    """Whether most of a mark's ink (``own``, over its box) lies within EDGE_REACH of the ``desk``:
    the sheet's own edge, shaded or curled, where its outline was not found. It reads as a 1; no one
    writes at the very edge of the paper. (The desk is widened round the mark only, not the frame.)"""
    x0, y0 = max(0, box.x - EDGE_REACH), max(0, box.y - EDGE_REACH)
    around = desk[y0 : box.y2 + EDGE_REACH, x0 : box.x2 + EDGE_REACH].astype(np.uint8)
    if not around.any():
        return False
    near = cv2.dilate(around, np.ones((2 * EDGE_REACH + 1,) * 2, np.uint8))
    near = near[box.y - y0 : box.y - y0 + box.h, box.x - x0 : box.x - x0 + box.w] > 0
    return np.count_nonzero(own & near) >= EDGE_SHARE * np.count_nonzero(own)


def strokes_of(region: Region) -> Region:
    """A region cut down to its strokes (ink at least HAIRLINE_INK of its darkness) and the box round
    them: the box a digit is shown and reported in is not widened by a grid's or a rule's hairlines
    that run on from it, nor by a blurred stroke's faint fringe."""
    return region.part(region.ink >= HAIRLINE_INK * darkness_of(region.ink)) or region


def _upright(lines: np.ndarray, x: int, y: int) -> list[Box]:
    """The boxes of the lines (x1, y1, x2, y2 per row, found in a window at x, y) that stand
    upright, leaning at most UPRIGHT of their height."""
    dx, dy = np.abs(lines[:, 2] - lines[:, 0]), np.abs(lines[:, 3] - lines[:, 1])
    return [Box(x + int(min(x1, x2)), y + int(min(y1, y2)), int(w) + 1, int(h) + 1)
            for (x1, y1, x2, y2), w, h in zip(lines, dx, dy, strict=True) if w <= UPRIGHT * h]


def _dot_like(box: Box, fill: float, typical: float) -> bool:
    """Whether a mark (its box, and the share of it its ink fills) has a pen's dot's shape (a
    decimal point, half a colon): round or a little long, DOT_SIZE of the writing's height across,
    filled (read.py decides by where it stands)."""
    long, short = max(box.w, box.h), min(box.w, box.h)
    return DOT_SIZE[0] * typical <= long <= DOT_SIZE[1] * typical and short >= DOT * long and fill >= SIGN_FILL


def _dash_like(box: Box, fill: float, typical: float, faint: np.ndarray) -> bool:
    """Whether a mark has a pen's dash's shape (a minus sign, a hyphen): lying flat, DASH_SIZE of
    the writing's height long, filled, and not a scrap of a rule, whose faint ink (``faint``: the
    frame's, rules keyed out or not) runs on past both its ends, along most of half its length."""
    if not (DASH_SIZE[0] * typical <= box.w <= DASH_SIZE[1] * typical and box.h < DOT * box.w and fill >= SIGN_FILL):
        return False
    band, reach = faint[box.y : box.y2], max(3, box.w // 2)
    before, after = band[:, max(0, box.x - reach) : box.x].any(axis=0), band[:, box.x2 : box.x2 + reach].any(axis=0)
    return not (before.size and after.size and before.mean() >= 0.5 and after.mean() >= 0.5)


def _bridged(own: np.ndarray, more: np.ndarray) -> np.ndarray:
    """The pixels of ``own`` (a mask) with those of ``more`` that join them: the faint ink that runs
    between the pieces of a digit joined from them, the pen's ink a line's removal took."""
    count, labels = cv2.connectedComponents((own | more).astype(np.uint8), connectivity=8)
    touched = np.zeros(count, bool)
    touched[labels[own]] = True
    touched[0] = False
    return touched[labels]


def _bounds(labels: np.ndarray, box: Box, ids: list[int]) -> Box:
    """The box, within ``box``, of the given components' pixels."""
    ys, xs = np.nonzero(_pixels_of(labels, box, ids))
    return Box(box.x + int(xs.min()), box.y + int(ys.min()), int(np.ptp(xs)) + 1, int(np.ptp(ys)) + 1)


def _pixels_of(labels: np.ndarray, box: Box, ids: list[int]) -> np.ndarray:
    """Which pixels of the box belong to the given components (mostly one: a plain comparison)."""
    patch = labels[box.y : box.y2, box.x : box.x2]
    return patch == ids[0] if len(ids) == 1 else np.isin(patch, ids)


def _region(labels: np.ndarray, ink: np.ndarray, box: Box, ids: list[int], factor: float,
            parts: tuple[Region, ...] = (), own: np.ndarray | None = None) -> Region:
    """The region of the given components inside a box (``own``: their pixels there, if already
    known): their ink only, the box in frame pixels. A region joined from ``parts`` has its ink
    scaled so that its strokes (the 90th percentile) are full ink: the classifier reads its shape,
    while its parts keep the ink as found (how dark the pen was)."""
    if own is None:
        own = _pixels_of(labels, box, ids)
    patch = np.where(own, ink[box.y : box.y2, box.x : box.x2], 0).astype(np.uint8)
    if parts and patch.any():  # evened out: a dry pen's blots would leave its strokes dim once normalised
        patch = np.minimum(patch.astype(np.float32) * (255.0 / max(darkness_of(patch), 1.0)), 255).astype(np.uint8)
    return Region(box.scaled(1 / factor) if factor != 1.0 else box, patch, parts)
