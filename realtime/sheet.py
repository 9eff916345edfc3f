"""Find the sheet of paper in a frame, so it can be read straight on, without the desk around it.

The sheet is the largest convex quadrilateral outlined by strong edges: paper against desk,
wall or floor is a step in brightness, while a shadow or vignetting is a slow ramp that leaves
no edge (and a quadrilateral one side of which is a shadow's soft edge, paper beyond it, is the
lit part of a sheet, not a sheet). A sheet with one corner hidden (folded under, torn off, in
shadow, under a thumb) has a pentagon's outline: the sides beside the cut run on to where the
corner was. Where a pen or a coin lies against the sheet, the outline round both is no sheet's:
one with paper inside each of its sides wins over a larger one without. A sheet that fills the
frame, or one whose outline is hidden (held in a hand, cut by the frame), is not found, and the
whole frame is read as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from realtime.view import View

DETECT_SIZE = 480  # the outline is searched for on the frame shrunk to this longest side
REACH = 12  # a side's step is measured from this many px (at DETECT_SIZE) inside it to as many outside...
EDGE = 4  # ...and a sheet's edge makes at least SHARP of the step within EDGE px
SHARP = 0.6
SHADE = 0.2  # a shadow darkens the paper by at least this share
BRIGHTER = 1.15  # paper is at least this many times as bright as what lies beyond its edge
SUPPORTED = 0.6  # an outline with paper inside each side along this share of it beats a larger one (see _on_paper)
CUT_PAPER = 0.7  # a corner's cut has paper inside it, this share as bright as inside the other sides at least
# Paper either side of a shadow's edge: chromaticities (summing to 1) this close. The rules and
# writing either side move them apart a little (0.015-0.028 across shadows on generated ruled pages);
# the soft sides of real sheets against a desk differed by 0.038 or more.
LIKE_COLOUR = 0.03


@dataclass(frozen=True)
class Sheet:
    """A found sheet: its corners in the frame, and the view that sees it straight on."""

    corners: np.ndarray  # 4 x 2 float32: top-left, top-right, bottom-right, bottom-left
    view: View


def order_corners(pts: np.ndarray) -> np.ndarray:
    """Corners as top-left, top-right, bottom-right, bottom-left: clockwise around their centre,
    from the one nearest the frame's top-left. Unlike sorting by x + y and x - y, this holds for
    a sheet turned near 45 degrees too (a quarter turn more or less is found later)."""
    pts = np.asarray(pts, np.float32).reshape(4, 2)
    centre = pts.mean(axis=0)
    clockwise = pts[np.argsort(np.arctan2(pts[:, 1] - centre[1], pts[:, 0] - centre[0]))]
    return np.roll(clockwise, -int(np.argmin(clockwise.sum(axis=1))), axis=0)


def _quadrilaterals(hull: np.ndarray, gray: np.ndarray) -> list[np.ndarray]:
    """Four corners of a contour's convex ``hull``, if four describe it well; and where five do, the
    four of the sheet with one corner cut off (in shadow, or under a thumb): the two sides beside
    the shortest run on to meet where its corner was. Five points described more loosely as four
    lose that corner, and with it a tenth of the page, cut off along a diagonal. (``gray``: the
    frame the contour was found in.)"""
    perimeter = cv2.arcLength(hull, True)
    quads = []
    for eps in (0.02, 0.03, 0.05):
        approx = cv2.approxPolyDP(hull, eps * perimeter, True).reshape(-1, 2).astype(np.float32)
        if len(approx) == 5 and not quads and (restored := _corner_restored(approx, gray)) is not None:
            quads.append(restored)
        if len(approx) == 4:
            return [*quads, approx]
    return quads


def _corner_restored(five: np.ndarray, gray: np.ndarray) -> np.ndarray | None:
    """A pentagon's shortest side taken away, the sides either side of it run on until they meet:
    four corners. None where they do not meet beyond it (they run apart, or alongside), or where
    no paper lies inside that side (just inside it, under CUT_PAPER of the brightness just inside
    the other sides, their median): a speck of the desk that the outline ran round, beside a
    sheet's side, makes a pentagon too, its shortest side out on the desk, and restored it would
    add a corner that is not there. (Beyond a corner cut off by a shadow lies paper, darker.)"""
    sides = np.roll(five, -1, axis=0) - five
    k = int(np.argmin(np.linalg.norm(sides, axis=1)))  # the side from corner k to corner k + 1
    a, da = five[k - 1], sides[k - 1]  # the side before it, towards corner k
    b, db = five[(k + 1) % 5], sides[(k + 1) % 5]  # the side after it, from corner k + 1
    cross = float(da[0] * db[1] - da[1] * db[0])
    if abs(cross) < 1e-6:
        return None
    t = float((b - a)[0] * db[1] - (b - a)[1] * db[0]) / cross
    u = float((b - a)[0] * da[1] - (b - a)[1] * da[0]) / cross
    if t < 1.0 or u > 0.0:  # (they must meet past corner k, and before corner k + 1)
        return None
    inside = [float(profiles[:, 0].mean()) for _, profiles in _sides(gray, five)]
    if inside[k] < CUT_PAPER * float(np.median(inside[:k] + inside[k + 1 :])):
        return None
    meet = a + t * da
    return np.float32([meet if i == k else five[i] for i in range(5) if i != (k + 1) % 5])


def find_sheet(frame: np.ndarray, max_side: int = 1600, min_area: float = 0.03,
               max_area: float = 0.92) -> Sheet | None:
    """The sheet in the frame, or None. Its area must be between min_area and max_area of the
    frame's; its top-down view is at most max_side pixels long."""
    h, w = frame.shape[:2]
    scale = min(1.0, DETECT_SIZE / max(h, w))
    if min(h, w) * scale < 2 * REACH:
        return None  # a strip too thin to hold a sheet's outline, shrunk (or no pixel at all)
    small = cv2.resize(frame, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else frame
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY) if small.ndim == 3 else small
    gray = cv2.GaussianBlur(gray, (5, 5), 0)
    median = float(np.median(gray))
    # Outlines two ways: strong edges (clean backgrounds), and the bright region that Otsu's
    # threshold cuts out (textured backgrounds, whose grain breaks the edge outline up).
    edges = cv2.dilate(cv2.Canny(gray, 0.5 * median, 1.2 * median), np.ones((3, 3), np.uint8))
    _, bright = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bright = cv2.morphologyEx(bright, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    frame_area = gray.shape[0] * gray.shape[1]
    outlines = [c for m in (edges, bright) for c in cv2.findContours(m, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)[0]]
    hulls = [(hull, cv2.contourArea(hull)) for hull in map(cv2.convexHull, outlines)]
    hulls = [(hull, area) for hull, area in hulls if area >= 0.85 * min_area * frame_area]  # (see the hull test below)
    margin = 0.01 * max(gray.shape)
    best, best_rank = None, (False, 0.0)  # (paper inside every side, area): the first wins, then the larger
    for hull_area, quad in ((a, q) for hull, a in hulls for q in _quadrilaterals(hull, gray)):
        area = cv2.contourArea(quad)
        if not (min_area * frame_area <= area <= max_area * frame_area) or (True, area) <= best_rank:
            continue
        # A corner on the frame's edge means the sheet runs out of the frame: its outline is unknown.
        if (quad.min(axis=0) < margin).any() or (quad.max(axis=0) > np.array(gray.shape[::-1]) - 1 - margin).any():
            continue
        # The outline must follow the quadrilateral closely (not a blob that merely fits one,
        # nor a larger shape that it cuts short), and look like a sheet in perspective.
        if not (0.85 * area <= hull_area <= 1.15 * area) or not _sheet_angles(quad):
            continue
        if not _brighter_inside(gray, quad):
            continue
        sides = _sides(gray, quad)
        if _shadow_edged(small, sides):
            continue
        rank = (_on_paper(sides), area)
        if rank > best_rank:
            best, best_rank = quad, rank
    if best is None:
        return None
    corners = order_corners(best / scale)
    top, bottom = np.linalg.norm(corners[1] - corners[0]), np.linalg.norm(corners[2] - corners[3])
    left, right = np.linalg.norm(corners[3] - corners[0]), np.linalg.norm(corners[2] - corners[1])
    width, height = max(top, bottom), max(left, right)
    shrink = min(1.0, max_side / max(width, height))
    size = (max(2, round(width * shrink)), max(2, round(height * shrink)))
    target = np.float32([[0, 0], [size[0] - 1, 0], [size[0] - 1, size[1] - 1], [0, size[1] - 1]])
    return Sheet(corners, View(cv2.getPerspectiveTransform(corners, target).astype(np.float64), size))


def _sheet_angles(quad: np.ndarray) -> bool:
    """Every corner of a sheet seen at a slant stays between 45 and 135 degrees."""
    for k in range(4):
        a, b, c = quad[k - 1], quad[k], quad[(k + 1) % 4]
        u, v = a - b, c - b
        cos = float(np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v) + 1e-9))
        if abs(cos) > np.cos(np.radians(45)):
            return False
    return True


def _shadow_edged(small: np.ndarray, sides: list[tuple[np.ndarray, np.ndarray]]) -> bool:
    """Whether a side of the outline is a shadow's edge across the page, not the page's own: the
    lit part of a sheet half in shadow is a bright quadrilateral too. A shadow's edge is a step
    of SHADE or more, soft (under SHARP of it within EDGE px), with paper of the same colour on
    both sides; a sheet's edge is sharp, or has the desk's colour beyond it (a page's curled or
    torn edge is soft too). A grey frame cannot tell them apart: it keeps the outline. (``sides``:
    the brightness across each side, see _sides.)"""
    if small.ndim != 3:
        return False
    for xy, profiles in sides:
        profile = profiles.mean(axis=0)
        step = float(profile[0] - profile[-1])
        if step < SHADE * float(profile[0]) or float((profile[:-EDGE] - profile[EDGE:]).max()) >= SHARP * step:
            continue  # no shadow's depth, or sharp: a sheet's edge
        ends = xy[:, [0, -1]]
        inside, outside = cv2.remap(small, ends[..., 0], ends[..., 1], cv2.INTER_LINEAR,
                                    borderMode=cv2.BORDER_REPLICATE).astype(np.float32).mean(axis=0)
        if np.abs(inside / max(inside.sum(), 1.0) - outside / max(outside.sum(), 1.0)).sum() < LIKE_COLOUR:
            return True
    return False


def _across(gray: np.ndarray, a: np.ndarray, b: np.ndarray, centre: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The brightness across the side from a to b of an outline round ``centre``, from REACH px
    inside it to REACH px outside, one value per px, at points along its middle (away from its
    corners): points x positions; and those positions (points x positions x 2)."""
    along = b - a
    normal = np.float32([along[1], -along[0]]) / max(float(np.linalg.norm(along)), 1e-6)
    if np.dot(normal, (a + b) / 2 - centre) < 0:
        normal = -normal  # outwards
    points = a + np.linspace(0.15, 0.85, 24, dtype=np.float32)[:, None] * along
    xy = points[:, None, :] + np.arange(-REACH, REACH + 1, dtype=np.float32)[None, :, None] * normal
    profiles = cv2.remap(gray, xy[..., 0], xy[..., 1], cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return xy, profiles.astype(np.float32)


def _sides(gray: np.ndarray, corners: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """The brightness across each side of an outline (its corners in order; see _across), measured
    once for the tests that look at it."""
    centre = corners.mean(axis=0)
    n = len(corners)
    return [_across(gray, corners[k], corners[(k + 1) % n], centre) for k in range(n)]


def _on_paper(sides: list[tuple[np.ndarray, np.ndarray]]) -> bool:
    """Whether paper lies inside every side of the outline along most of it: at SUPPORTED of the
    points along its middle, BRIGHTER half of REACH inside than as far outside. An outline that
    takes in a pen or a coin lying against the sheet has them inside a side, no paper. (``sides``:
    the brightness across each side, see _sides.)"""
    for _, profiles in sides:
        inside, outside = profiles[:, REACH - REACH // 2], profiles[:, REACH + REACH // 2]
        if np.mean(inside > BRIGHTER * outside) < SUPPORTED:
            return False
    return True


def _brighter_inside(gray: np.ndarray, quad: np.ndarray) -> bool:
    """Paper is brighter than what surrounds it: compare a band just inside the outline with one
    outside it, a band's width away. The gap steps over the outline itself, so that a box drawn
    in ink on the page (paper inside, a dark line, paper again) is not taken for a sheet."""
    inside = np.zeros_like(gray)
    cv2.fillConvexPoly(inside, quad.astype(np.int32), 255)
    band = max(3, int(0.02 * max(gray.shape)))
    kernel = np.ones((band, band), np.uint8)
    ring_in = cv2.subtract(inside, cv2.erode(inside, kernel))
    near = cv2.dilate(inside, kernel)
    ring_out = cv2.subtract(cv2.dilate(near, kernel), near)
    if not ring_out.any() or not ring_in.any():
        return False
    return float(gray[ring_in > 0].mean()) > BRIGHTER * float(gray[ring_out > 0].mean())
