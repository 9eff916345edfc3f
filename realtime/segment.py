"""Find candidate digits on paper: an illumination-normalised ink map, thresholded, cut into regions.

Why this shape: a camera sees paper under shadows, vignetting and colour casts, so a global
threshold fails. Dividing by a local estimate of the paper's brightness turns every pixel into
"how much darker than the paper around it", which is the same for a corner in shadow and a
sunlit middle. Hysteresis on that map keeps faint pencil joined to its stroke without letting
paper grain in. Ruled lines and table borders are taken out before the ink is cut into digits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from itertools import combinations

import cv2
import numpy as np

from realtime.config import Config
from realtime.normalize import stroke_width
from realtime.split import enclosed_paper
from realtime.types import Box, Marks, Region, enclosing, weighted_median
from realtime.view import View

PAPER_GRID = 96  # the median estimate of the paper works on a grid this many cells across
LINE_ELONGATION = 40  # a straight stroke this many times longer than thick is a ruled line
DESK = 0.45  # paper darker than this share of the brightest paper is a dark desk around the sheet...
DESK_ON_SHEET = 0.2  # ...but on a found sheet it is a shadow across it (only the frame's outside is darker)
EDGE_REACH = 2  # a mark with EDGE_SHARE of its ink this many pixels or less from the desk is the sheet's edge
EDGE_SHARE = 0.5
MAX_GAIN = 4.0  # the most balance_white scales a colour channel by (a yellow pad under tungsten light needs 3.5-4.5)
NOISY = 0.015  # above this noise level (see noise_level) the frame is smoothed before ink is measured
FAINT_SEED = 0.6  # a seed is at least this share as dark as the page's darkest ink (see ink_components)...
FAINT_FLOOR = 0.55  # ...but the thresholds never go below this share of their settings
LIGHTER = 0.7  # a digit-sized mark this share as dark as a seed, in line with a digit, is one too
LIGHTER_HEIGHT = 0.04  # ...at least this share of the frame's shorter side tall (grain is smaller)
DARK = 0.3  # a page whose darkest ink is fainter than this (pencil) has its weak threshold lowered...
FAINT_WEAK = 0.5  # ...down to this share of it at most...
GROWTH = 1.5  # ...as far as at most this many times as much of the page passes it: strokes, not grain or noise
PRINTED = 1.5  # printed lines this many times as dark as the writing or more (a black table filled in in pencil)...
BORDER = 0.2  # ...and this share of the frame's shorter side long or longer do not set the seeds' darkness
# With rules keyed out, ink as dark in its brightest channel as this share of its darkest goes
# (first), fades (between) or stays whole (second): a rule blurred by JPEG's coarse colour fades.
KEY = (0.3, 0.6)
# Ink (of 255) this dark in its darkest channel is told apart by colour (rules_in_colour): all the
# ink a stroke may hold (Config.ink_weak), as light rules in a JPEG photo are no darker than that.
COLOUR_INK = 25
COLOURED, NEUTRAL = 0.4, 0.6  # coloured where its brightest channel is under this share as dark; neutral over this
COLOURED_SHARE = 0.2  # rules in colour: their least share of the ink
NEUTRAL_SHARE = 0.2  # writing neutral: its least share of the ink off the rules
ON_LINES = 0.3  # the least share of the coloured ink on long straight lines (printed rules)
STROKE_LIMIT = 16  # strokes up to 1/16 of the frame's shorter side wide are ink; wider is paper
# A pen stroke crossing a printed rule (see _crossings) is at least PAST px wide and fills at least
# PAST px past the rule's band, on both sides or, standing on the rule, on one side along at most
# SHORT_RUN times the band's width; a printed rule's band is at most THIN_RULE px wide.
PAST = 3
SHORT_RUN = 3
THIN_RULE = 5
BAR = (3.0, 8.0)  # a solid mark 3-8 times taller than wide may be a felt-tip 1 (thinner: a rule's scrap)
HALF = 0.8  # a piece under this share of the writing's height may be half of a digit broken across its middle
RINGED = 0.8  # a piece with this share of its ink inside another's ring is ringed round by it...
RING_CONTENT = 0.25  # ...and what is ringed, this share of the ring's height or more, is no grain in a 0's hole
FRAME_HEIGHT = 3.0  # a frame round a number is at most this many times as tall as what it holds...
FRAME_CONTENT = 8  # ...and holds at most this many components (a number's digits)
ARM_ABOVE = 0.1  # an arm beside a digit's core starts at most this share of its height above the core's top...
FLAG_ABOVE = 0.25  # ...and one over it by FLAG_OVER of its width or more (a 5's flag drawn apart), this share
FLAG_OVER = 0.25  # (a T's bar drawn apart over the letter beside it barely overlaps that letter)
DASH_BELOW = 0.25  # a flat piece beside a digit whose top is this share of its height under the digit's is a dash
RIM = 0.15  # a piece of a frame with this share of its ink on the frame's outer edge is part of its rim
CORNER = 0.75  # ink on this share of the points beside a stroke's end: a turn of the line it ends in
HAIRLINE = 2  # px: a piece this thin across is a scrap of a printed rule, not a pen's stroke
DOT = 0.4  # a scrap at least this share as wide as long is a dot (a dry pen's), not a hairline (a rule's)
UPRIGHT = 0.25  # a line leaning at most this much of its height stands upright: a wall between a table's cells
DOT_SIZE = (0.05, 0.45)  # a dot between digits (a decimal point, a comma) is this share of the writing's height...
DASH_SIZE = (0.2, 0.9)  # ...a dash (a minus sign, a hyphen) this share of it long, lying...
SIGN_FILL = 0.45  # ...and either fills this share of its box or more (a ring or a hook is neither)
SOLID = 0.5  # a bar along an axis whose ink fills this share of its box is a stroke, not a rule with writing on it
HAIRLINE_INK = 0.4  # a line taken out of a digit-shaped mark is at most this dark against its strokes
HAIRLINE_SHARE = 0.2  # ...and a mark is looked at for one only where this share of its ink is that faint
# (a pen's digit: at most 0.17, its strokes' soft edges; with a grid's hairlines, 0.21-0.42)
PEN_ON_RULE = 1.3  # ink a line's removal took that is this much darker than the line is a pen's stroke on it
FAINTER = 0.6  # a mark at most this share as dark as the page's writing was written lightly (a pen running dry)...
FADE = 0.15  # ...and its strokes are followed down to this share of its own darkness, where they fade out
GRAIN = 0.3  # a mark this much fainter than the ink around it is paper's grain (large in a 12 MP photo), no writing
# A digit-shaped mark UNDERLINED times as wide as tall or wider may be a number with a line drawn
# under it: a straight stroke UNDERLINE times its height long or longer, in its lowest part (most
# of its ink under UNDER of its height). No digit's own stroke is that long, nor touching digits' there.
UNDERLINED, UNDERLINE, UNDER = 1.5, 1.5, 0.85


def to_work_size(frame: np.ndarray, work_size: int) -> tuple[np.ndarray, float]:
    """Shrink a frame so its longest side is at most work_size; return it and the factor used."""
    longest = max(frame.shape[:2])
    if longest <= work_size:
        return frame, 1.0
    factor = work_size / longest
    small = cv2.resize(frame, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    return small, factor


def balance_white(frame: np.ndarray) -> np.ndarray:
    """The frame with its paper made neutral: each colour channel scaled so that its bright paper
    (its 90th percentile) is as bright as the brightest channel's. Under a colour cast (tungsten
    light leaves the blue channel at half) the darkest channel is the light's, and a blue
    ballpoint, dark in red, barely darker there than the paper; balanced, the darkest channel is
    the ink's. A channel gains at most MAX_GAIN, so a frame of one colour is not stretched into noise."""
    if frame.ndim != 3:
        return frame
    bright = np.percentile(frame[::4, ::4].reshape(-1, 3), 90, axis=0)
    gains = np.minimum(bright.max() / np.maximum(bright, 1.0), MAX_GAIN)
    if gains.max() < 1.05:  # (nearly) neutral already: the frame as it is, at no cost
        return frame
    return cv2.transform(frame, np.diag(gains))


def darkness_of(ink: np.ndarray) -> float:
    """How dark a region's ink is: its 90th percentile, so thin strokes' soft edges do not count.
    (A partial sort finds it: np.percentile costs ten times as much, for every digit of every frame.)"""
    strokes = ink[ink > 0]
    if not strokes.size:
        return 0.0
    rank = 0.9 * (strokes.size - 1)
    lo = int(rank)
    hi = min(lo + 1, strokes.size - 1)
    below, above = np.partition(strokes, [lo, hi])[[lo, hi]].astype(np.float64)
    return float(below + (rank - lo) * (above - below))


def noise_level(gray: np.ndarray) -> float:
    """Sensor noise as a share of the paper's brightness: the typical step between a pixel and
    the median of its neighbours (under 0.005 on a clean photo, about 0.03 in a dim room).

    The steps are whole grey levels, and on paper as dark as a dim room's the median step is one
    or two of them: so the median is read between levels, from their histogram (each level k
    spans k - 0.5 to k + 0.5), or a page would jump from clean to noisy over one level."""
    steps = cv2.absdiff(gray, cv2.medianBlur(gray, 3))[::2, ::2]
    share = np.bincount(steps.ravel(), minlength=256) / steps.size
    below = np.cumsum(share) - share  # share of steps under each level
    k = int(np.searchsorted(below + share, 0.5))  # the level holding the median
    step = max(0.0, k - 0.5 + (0.5 - below[k]) / share[k])
    return step / max(1.0, float(np.percentile(gray[::4, ::4], 90)))


def frame_is_noisy(frame: np.ndarray, work_size: int) -> bool:
    """Whether a frame is noisy enough to be smoothed before ink is measured (noise_level over
    NOISY), measured as the camera gave it, at work size, in the darkest channel that ink_map
    reads. Every view of a noisy frame is smoothed: a view's warp interpolates between pixels
    and hides about half the noise (a dim frame turned 8 degrees measured clean, and its noise
    read as ink everywhere). A view may still measure noisy itself: one warped to a smaller
    size skips pixels where shrinking the frame averaged them."""
    work = balance_white(to_work_size(frame, work_size)[0])
    return noise_level(_channel(work, np.minimum) if work.ndim == 3 else work) > NOISY


def ink_map(frame: np.ndarray, noisy: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Return (ink, paper): how much darker each pixel is than the paper around it, as a share
    of the paper's brightness (0-255), and the estimated paper brightness. Sensor noise is
    smoothed first where this image measures noisy, or where ``noisy`` says its frame is.

    The paper is a grey closing (a max then a min filter) wider than any stroke: it wipes out
    the strokes but keeps a step such as the sheet's edge where it is, so neither a shadow nor
    the desk beside the sheet reads as ink. The darkest colour channel is used so that blue,
    red and black ink all read as dark (key_out_rules then takes a notebook's light rules out).
    """
    return _ink_and_paper(_channel(frame, np.minimum) if frame.ndim == 3 else frame, noisy)


def key_out_rules(frame: np.ndarray, ink: np.ndarray, noisy: bool = False) -> np.ndarray:
    """A colour frame's ink map (see ink_map) without a notebook's light printed rules (see
    rules_in_colour): ink that is far lighter in its brightest channel than in its darkest is
    left out, ink that keeps its darkness in every channel (pencil, black pen) stays, and ink
    between (a ballpoint's deep blue) is kept in part, the more the darker it stays."""
    if frame.ndim != 3:
        return ink
    # Colours are compared over a pixel's neighbourhood: a rule's soft edges are the rule's too.
    brightest, _ = _ink_and_paper(_channel(frame, np.maximum), noisy)
    near = [cv2.blur(m.astype(np.float32), (3, 3)) for m in (ink, brightest)]
    share = near[1] / np.maximum(near[0], 1.0)  # 1: as dark in every channel; near 0: a coloured rule
    return (ink * np.clip((share - KEY[0]) / (KEY[1] - KEY[0]), 0.0, 1.0)).astype(np.uint8)


def _channel(frame: np.ndarray, pick) -> np.ndarray:
    """The darkest (np.minimum) or brightest (np.maximum) colour channel of each pixel."""
    b, g, r = cv2.split(frame)
    return pick(pick(b, g), r)


def _ink_and_paper(gray: np.ndarray, noisy: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """ink_map for one grey image (a channel of the frame, or the frame itself)."""
    if noisy or noise_level(gray) > NOISY:  # a dim room: sensor noise would start strokes everywhere
        gray = cv2.GaussianBlur(gray, (0, 0), 1.5)
    # A median first keeps the closing from riding on the bright grains of textured paper
    # (and, unlike a blur, it keeps the sheet's edge sharp). The paper varies slowly, so it is
    # estimated at half size, four times cheaper.
    h, w = gray.shape
    half = cv2.resize(cv2.medianBlur(gray, 5), (max(1, w // 2), max(1, h // 2)), interpolation=cv2.INTER_AREA)
    size = max(9, min(half.shape) // STROKE_LIMIT) | 1
    paper = cv2.morphologyEx(half, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (size, size)))
    paper = cv2.resize(paper, (w, h), interpolation=cv2.INTER_LINEAR)
    ink = cv2.divide(cv2.subtract(paper, gray), cv2.max(paper, 1), scale=255)
    return ink, paper


def rim(shape: tuple[int, ...]) -> int:
    """How many pixels along the frame's edges a measure of the page leaves out: a sheet's edge
    lies there, and the desk beside it would count as dark, neutral ink (as much of it as the
    writing on a page of a few numbers)."""
    return max(2, min(shape[:2]) // 50)


def on_paper(paper: np.ndarray, desk: float) -> np.ndarray:
    """Where there is paper: not below ``desk`` of the brightest paper's brightness (the dark
    desk around a sheet holds no digits)."""
    return paper >= desk * float(np.percentile(paper[::4, ::4], 90))


def rules_in_colour(frame: np.ndarray) -> bool:
    """Whether a page's rules should be keyed out by their colour (see ink_map): it carries
    printed rules in a light colour (a notebook's blue squares or lines), and writing that keeps
    its darkness in every channel beside them (pencil, black pen, a ballpoint's deep blue).

    Faint pencil is as dark as a blue grid in the darkest channel, and a grid crossing every
    digit is hard to take out by its shape. Ink far darker in its darkest channel than in its
    brightest is coloured: it must be a good share of the ink on the paper and lie mostly on
    long straight lines, and the ink off those lines (the writing) must be neutral in good part
    (a light gel pen's writing is as coloured as the rules, and would be keyed out with them, as
    would a red pen's). The frame's rim is left out: a sheet's edge, and the desk beside it, is
    no writing."""
    if frame.ndim != 3:
        return False
    frame = balance_white(frame)  # as find_regions sees it
    darkest, paper = _ink_and_paper(_channel(frame, np.minimum))
    brightest = _ink_and_paper(_channel(frame, np.maximum))[0].astype(np.float32)
    inked = (darkest >= COLOUR_INK) & on_paper(paper, DESK)
    m = rim(inked.shape)
    inked[:m], inked[-m:], inked[:, :m], inked[:, -m:] = False, False, False, False
    coloured = (inked & (brightest < COLOURED * darkest)).astype(np.uint8)
    if np.count_nonzero(coloured) < COLOURED_SHARE * np.count_nonzero(inked):
        return False
    length = max(20, min(frame.shape[:2]) // 5)
    segments = cv2.HoughLinesP(coloured, 1, np.pi / 180, threshold=length // 2, minLineLength=length,
                               maxLineGap=length // 10)
    if segments is None:
        return False
    lines = np.zeros_like(coloured)
    for x1, y1, x2, y2 in segments.reshape(-1, 4):
        cv2.line(lines, (int(x1), int(y1)), (int(x2), int(y2)), 1, 3)
    if np.count_nonzero(coloured & lines) < ON_LINES * np.count_nonzero(coloured):
        return False
    # The writing is the ink off the rules, among them (a desk's grain in view beside a page whose
    # outline was not found is no writing): it must be neutral enough (however little of it a page
    # of squares holds against its rules).
    among = np.zeros_like(coloured)
    cv2.fillConvexPoly(among, cv2.convexHull(segments.reshape(-1, 2).astype(np.int32)), 1)
    off = inked & (lines == 0) & (among > 0)
    return np.count_nonzero(off & (brightest >= NEUTRAL * darkest)) >= NEUTRAL_SHARE * np.count_nonzero(off)


def ink_components(ink: np.ndarray, paper_here: np.ndarray, cfg: Config,
                   pencil: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """The ink's connected components: weak pixels connected to strong ones, only where there is
    paper (``paper_here``, see on_paper: not the dark desk around a sheet).
    Returns the labels and each label's stats (x, y, w, h, area) as OpenCV gives them, with the
    stats of a component that holds no strong pixel (grain, a faint smudge) all zero, so nothing
    downstream takes it for ink: one labelling serves both the seeding and the regions.

    On a page written only faintly (a hard pencil) even the darkest strokes barely pass the strong
    threshold, so both thresholds follow the page's darkest ink down, to FAINT_FLOOR of their
    settings at most: still far above paper grain, and a page with any pen ink is unchanged.
    Seeds follow the writing, not long printed lines PRINTED times as dark as it or more (a table
    printed in black, filled in in pencil); the weak threshold does not (so far down, it joins
    a real table's pencilled letters into digit-like blobs). On a pencil page (its darkest ink
    under DARK) the weak threshold goes lower still, as far as it only takes in more of the
    strokes (GROWTH), to FAINT_WEAK of its setting at most: a pencil's line
    fades where it was pressed lightly, and a shaken camera smears strokes across its motion into
    faint bands. How far is measured on the page, not told by its darkest ink: a soft pencil's,
    near DARK, says nothing of how light its lightest strokes or its smears are. ``pencil=False``
    where rules were keyed out by colour, whose remnants lie at that level. A digit written more
    lightly than the rest of its number (LIGHTER) is seeded where it stands in line with one of
    them (_beside_a_digit): alone, such a mark is as likely writing from the back of the page."""
    h, w = ink.shape
    m = rim(ink.shape)
    step = 4  # every 4th pixel serves to measure
    grid, grid_on_paper = ink[m:-m:step, m:-m:step], paper_here[m:-m:step, m:-m:step]
    sample = grid[grid_on_paper]
    writing = grid[grid_on_paper & ~_on_long_lines(grid, int(BORDER * min(h, w) / step), int(cfg.ink_weak * 255))]
    darkest, writing_darkest = (float(np.percentile(inks, 99.9)) / 255 if inks.size else 1.0
                                for inks in (sample, writing))
    seed_level = writing_darkest if darkest >= PRINTED * writing_darkest else darkest
    scale, seed_scale = (float(np.clip(FAINT_SEED * level / cfg.ink_strong, FAINT_FLOOR, 1.0))
                         for level in (darkest, seed_level))
    weak_level = scale * cfg.ink_weak * 255
    if pencil and darkest < DARK:  # (an empty sample counts as darkest 1.0)
        passing = np.count_nonzero(sample >= weak_level) / sample.size
        clean = float(np.percentile(sample, 100 * max(0.0, 1 - GROWTH * passing))) + 1  # passed by GROWTH x as much
        weak_level = max(weak_level * FAINT_WEAK, min(weak_level, clean))
    weak = (ink >= int(weak_level)).astype(np.uint8)
    weak[~paper_here] = 0
    count, labels, stats, _ = cv2.connectedComponentsWithStats(weak, connectivity=8)
    seeded = np.zeros(count, bool)
    seeded[labels[ink >= int(seed_scale * cfg.ink_strong * 255)]] = True
    near_seed = np.zeros(count, bool)  # faint components that come close to seeding
    near_seed[labels[ink >= int(LIGHTER * seed_scale * cfg.ink_strong * 255)]] = True
    seeded[_beside_a_digit(stats, near_seed & ~seeded, seeded, min(h, w))] = True
    seeded[0] = True  # the background keeps its row, as OpenCV gives it
    stats[~seeded] = 0
    return labels, stats


def _on_long_lines(ink: np.ndarray, length: int, level: int) -> np.ndarray:
    """Where ink at least ``level`` dark runs on, level or upright, for ``length`` pixels or more:
    a table's borders, a form's printed lines; no handwriting."""
    ink = np.ascontiguousarray(ink)
    lines = np.maximum(cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, length), np.uint8)),
                       cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((length, 1), np.uint8)))
    return lines >= level


def _beside_a_digit(stats: np.ndarray, faint: np.ndarray, seeded: np.ndarray, short_side: int) -> np.ndarray:
    """Labels of the ``faint`` components of a digit's size that stand in line with a ``seeded``
    one of about their height, at most their own height away: a digit written more lightly than
    its neighbours (a pencil's pressure, a pen running dry)."""
    x, y, w, h = (stats[:, k].astype(np.int64) for k in range(4))
    sized = (h >= LIGHTER_HEIGHT * short_side) & (h <= 0.25 * short_side)
    candidates = np.flatnonzero(faint & sized & (w <= 1.5 * h))
    seeds = np.flatnonzero(seeded & sized)
    seeds = seeds[seeds > 0]  # (not the background)
    found = []
    for c in candidates:
        alike = (h[seeds] >= 0.6 * h[c]) & (h[seeds] <= 1.6 * h[c])
        gap = np.maximum(x[seeds], x[c]) - np.minimum(x[seeds] + w[seeds], x[c] + w[c])
        level = np.minimum(y[seeds] + h[seeds], y[c] + h[c]) - np.maximum(y[seeds], y[c])
        if (alike & (gap <= h[c]) & (level >= 0.5 * np.minimum(h[seeds], h[c]))).any():
            found.append(c)
    return np.array(found, np.int64)


def remove_lines(mask: np.ndarray, min_length: int, max_thickness: float) -> np.ndarray:
    """Take long, thin, straight strokes (ruled lines, table borders, shape outlines) out of a mask."""
    return take_out_lines(mask, min_length, max_thickness)[0]


def take_out_lines(mask: np.ndarray, min_length: int, max_thickness: float) -> tuple[np.ndarray, np.ndarray]:
    """A mask with its long, thin, straight strokes taken out, and those lines (x1, y1, x2, y2 per row).

    Lines are found at any angle, so a rotated sheet's rules go too. A stroke counts as a line
    when it is at least min_length long and at most max_thickness of its length thick: a
    digit's own straight strokes (a 1, a 7's bar) are short or thick for their length.
    """
    none = np.zeros((0, 4), int)
    segments = cv2.HoughLinesP(mask, 1, np.pi / 180, threshold=max(10, min_length // 2),
                               minLineLength=min_length, maxLineGap=max(2, min_length // 15))
    if segments is None:
        return mask, none
    # Depth of each ink pixel (half the stroke's thickness); the frame around counts as paper.
    depth = cv2.distanceTransform(cv2.copyMakeBorder(mask, 1, 1, 1, 1, cv2.BORDER_CONSTANT, value=0),
                                  cv2.DIST_L2, 3)[1:-1, 1:-1]
    # A segment's thickness is taken from the deepest ink within a pixel of it: Hough also finds
    # segments along the flank of a thick stroke, where the ink is shallow though the stroke is not
    # (this spares a 1 in marker up to about 6 times as long as it is wide; a longer one that
    # crosses a rule still loses ink).
    near = cv2.dilate(depth, np.ones((3, 3), np.uint8))
    segments = segments.reshape(-1, 4)
    lengths = np.hypot(segments[:, 2] - segments[:, 0], segments[:, 3] - segments[:, 1])
    thickness, flank = 2.0 * _medians_along(segments, (depth, near))
    found = [(tuple(int(v) for v in segment), int(np.ceil(t)) + 2)  # the band: the line's own ink
             for segment, t, f, length in zip(segments, thickness, flank, lengths, strict=True)
             if f <= max_thickness * length]
    if not found:
        return mask, none
    bands = np.zeros_like(mask)
    for (x1, y1, x2, y2), width in found:
        cv2.line(bands, (x1, y1), (x2, y2), 1, width)
    lines = bands & (1 - _crossings(mask, bands, found))
    widest = max(width for _, width in found)
    cleaned = mask & (1 - lines)
    # Strokes that crossed a line were cut by its removal; close those cuts, on the line only.
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (widest + 3, widest + 3))
    return cleaned | (cv2.morphologyEx(cleaned, cv2.MORPH_CLOSE, kernel) & lines), np.array([f[0] for f in found])


def _beside(mask: np.ndarray, segment: tuple[int, int, int, int], width: int):
    """Sample a found line's surroundings: one column per pixel along it, one row per pixel across
    it, from PAST px past its band (``width`` wide) on one side to as far on the other. Returns
    the rows and columns of the sample points (moved onto the mask's edge where outside it) and
    the ink there (none outside)."""
    x1, y1, x2, y2 = segment
    length = max(1.0, float(np.hypot(x2 - x1, y2 - y1)))
    along = np.linspace(0.0, 1.0, int(np.ceil(length)) + 1)
    half = width // 2
    across = np.arange(-half - PAST, half + PAST + 1)[:, None]
    xs = np.rint(x1 + along * (x2 - x1) - across * (y2 - y1) / length).astype(int)
    ys = np.rint(y1 + along * (y2 - y1) + across * (x2 - x1) / length).astype(int)
    inside = (xs >= 0) & (xs < mask.shape[1]) & (ys >= 0) & (ys < mask.shape[0])
    xs, ys = xs.clip(0, mask.shape[1] - 1), ys.clip(0, mask.shape[0] - 1)
    return ys, xs, inside & (mask[ys, xs] > 0)


def _medians_along(segments: np.ndarray, images: tuple[np.ndarray, ...]) -> np.ndarray:
    """Per image, the median of its values along each segment (x1, y1, x2, y2), sampled at one
    point per pixel of length (at least two); all segments at once, as one sort."""
    x1, y1, x2, y2 = (segments[:, k].astype(np.float64) for k in range(4))
    n = np.maximum(2, np.hypot(x2 - x1, y2 - y1).astype(int))
    ids = np.repeat(np.arange(len(n)), n)
    starts = np.cumsum(n) - n
    step = np.arange(int(n.sum())) - starts[ids]  # 0 .. n-1 along each segment
    xs = np.rint(x1[ids] + step * ((x2 - x1) / (n - 1))[ids]).astype(int)
    ys = np.rint(y1[ids] + step * ((y2 - y1) / (n - 1))[ids]).astype(int)
    out = []
    for image in images:
        values = image[ys, xs]
        ordered = values[np.lexsort((values, ids))]
        out.append((ordered[starts + (n - 1) // 2] + ordered[starts + n // 2]) / 2)
    return np.array(out)


def _crossings(mask: np.ndarray, bands: np.ndarray, found: list) -> np.ndarray:
    """The stretches of thin rules' bands to keep: where a pen stroke crosses the rule or stands
    on it, its ink is kept whole instead of being cut and patched.

    There ink runs on past the band, PAST px or more, into ink that lies in no line's band: on
    both sides (a stroke crossing), or on one side along a short stretch (a stroke standing on
    the rule). A longer stretch on one side is a stroke running along the rule; kept, it would
    join the digits beside it. A stretch under PAST px is a scrap of another rule, too faint
    to be found as a line, not a pen's stroke. Thick lines (drawn, not printed) keep nothing: a blob of marker
    where one turns a corner would stay standing."""
    kept = np.zeros_like(mask)
    strokes = mask & (1 - bands)
    for segment, width in found:
        if width > THIN_RULE:
            continue
        ys, xs, ink = _beside(mask, segment, width)
        # Rows 0 and -1 are the farthest from the rule on either side: there the stroke must be.
        before = ink[:PAST].all(axis=0) & (strokes[ys[0], xs[0]] > 0)
        after = ink[-PAST:].all(axis=0) & (strokes[ys[-1], xs[-1]] > 0)
        crossed = _runs(before & after, PAST, len(before)) | _runs(before | after, PAST, SHORT_RUN * width)
        crossed[1:] |= crossed[:-1].copy()  # and a pixel either side of it: a slanted stroke's edges
        crossed[:-1] |= crossed[1:].copy()
        kept[ys[PAST:-PAST][:, crossed], xs[PAST:-PAST][:, crossed]] = 1
    return kept


def _runs(flags: np.ndarray, shortest: int, longest: int) -> np.ndarray:
    """The runs of True in ``flags`` from ``shortest`` to ``longest`` long."""
    edges = np.diff(np.concatenate([[0], flags.astype(np.int8), [0]]))
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    out = np.zeros_like(flags)
    for a, b in zip(starts, stops, strict=True):
        if shortest <= b - a <= longest:
            out[a:b] = True
    return out


def _merge_fragments(boxes: list[Box], groups: list[list[int]], areas: list[int], max_aspect: float,
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
    hs, ws = y1 - y0, x1 - x0
    ink = np.array(areas, np.int64)
    single = np.array([not edge.cuts(b, g) for b, g in zip(boxes, groups, strict=True)], bool)  # only these join
    # Each box as found: a join is judged against the core as found (in either pass), not as grown.
    fx0, fy0, fx1, fy1 = x0.copy(), y0.copy(), x1.copy(), y1.copy()
    alive = np.ones(n, bool)
    # Both short and not bare strokes (hatching, a dashed rule): a half of a digit, if any.
    short_stroke = (hs < HALF * typical) & (ws >= 0.3 * typical)
    pieces: list[list[tuple[Box, list[int]]]] = [[] for _ in range(n)]  # per core, once an unsure piece joined
    for stage in range(3):  # the sure joins, then heavier pieces over or under a core, then the rest
        for i in np.argsort(-hs, kind="stable"):
            if not alive[i]:
                continue
            core_h, core_ink = hs[i], ink[i]
            core_short = core_h < HALF * typical and ws[i] >= 0.3 * typical
            near = (hs < 0.6 * core_h) | short_stroke if core_short else hs < 0.6 * core_h
            # Every way to join below needs the piece within 0.2 of the core's height beside it, and
            # within reach above or below it: the rest is measured on those only (most cores have none).
            reach_x, reach_y = 0.2 * core_h, max(0.25 * core_h, 0.15 * typical)
            cand = (alive & single & near & (ink < core_ink) & (fx0 <= fx1[i] + reach_x) & (fx1 >= fx0[i] - reach_x)
                    & (fy0 <= fy1[i] + reach_y) & (fy1 >= fy0[i] - reach_y))
            cand[i] = False
            c = np.flatnonzero(cand)
            if not c.size:
                continue
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
                arm &= ~_over_another(c, i, overlap_x, alive, fx0, fx1, fy0, fy1, hs, ink)
            halves = (short & (overlap_x >= 0.5 * np.minimum(cw, ws[i])) & (-overlap_y <= 0.15 * typical)
                      & (uh <= 1.2 * typical))
            sure = small & (stacked | inside)
            tallest = np.where(halves, 1.2 * typical, 1.9 * core_h)  # the union's height limit
            kinds = (sure, sure | stacked, sure | stacked | arm | halves)[stage]
            join = kinds & (uw <= max_aspect * uh) & (uh <= tallest)
            # One at a time: each join grows the box the next one is measured against.
            for j, sure_j, tallest_j in zip(c[join], sure[join], tallest[join], strict=True):
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


def _over_another(pieces: np.ndarray, core: int, overlap: np.ndarray, alive: np.ndarray, x0: np.ndarray,
                  x1: np.ndarray, y0: np.ndarray, y1: np.ndarray, hs: np.ndarray, ink: np.ndarray) -> np.ndarray:
    """Per piece, whether another core it might join overlaps it across more than ``core`` does
    (``overlap``: each piece's with the core, negative for a gap): a 5's flag that blur or a dry pen
    cut off sits partly over the 5 and hangs a gap away from the taller 8 beside it."""
    over = np.zeros(len(pieces), bool)
    for k, j in enumerate(pieces):
        holds = (alive & (hs * 0.6 > hs[j]) & (ink > ink[j]) & (y0[j] <= y1 + 0.25 * hs) & (y1[j] >= y0 - 0.25 * hs))
        holds[[core, j]] = False
        others = np.minimum(x1[j], x1[holds]) - np.maximum(x0[j], x0[holds])
        over[k] = bool((others > overlap[k]).any())
    return over


def _join_scattered(boxes: list[Box], groups: list[list[int]], pieces: list[list[tuple[Box, list[int]]]],
                    typical: float, edge: Edge,
                    ) -> tuple[list[Box], list[list[int]], list[list[tuple[Box, list[int]]]]]:
    """Join a digit that fell into several short strokes (a ballpoint running dry): strokes each
    well under the page's ``typical`` height, close to one another, that together stand as tall
    as one digit and no wider. None of them is a core to join the others to, so _merge_fragments
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


def _rim_pieces(window: np.ndarray, own: np.ndarray, pieces: np.ndarray, areas: np.ndarray, held: int) -> np.ndarray:
    """Which of the pieces a component fell into when its lines were taken out are its rim, when
    it is a frame drawn round other ink (a boxed or circled number): the sides and arcs left
    standing, which read as 1s, not a digit inside that touched the frame (enclosed by it).
    ``pieces``: their labels, ``areas``: their pixel counts; ``held``: how many components lie
    within its box (a page's rules or a table hold lines of writing, more than a number's digits)."""
    count = len(areas)
    if not 0 < held <= FRAME_CONTENT:
        return np.zeros(count, bool)
    inside = enclosed_paper(own)
    ys, xs = np.nonzero(inside & (window > 0))
    if (not ys.size or max(np.ptp(ys), np.ptp(xs)) + 1 < RING_CONTENT * own.shape[0]
            or own.shape[0] > FRAME_HEIGHT * (np.ptp(ys) + 1)):
        return np.zeros(count, bool)  # nothing of note inside, or far less tall than the frame
    outside = (own == 0) & ~inside
    rim = cv2.dilate(outside.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    on_rim = np.bincount(pieces[rim & (pieces > 0)], minlength=count)
    return on_rim >= RIM * areas


def _ringed(labels: np.ndarray, before: np.ndarray, stats: np.ndarray, box: Box, ids: list[int]) -> list[int]:
    """The members of a joined group that the tallest component among them rings round: a number
    circled or boxed, a face's eyes and mouth. A digit's own loops hold no ink apart from the
    digit, while a broken digit's pieces lie beside or across each other, never all inside one
    piece. The ring is taken whole as it was found (``before`` lines were taken out: the flat
    top of a wide loop may have gone as one; ``stats`` holds every component's box). Inside means
    in paper the ring closes round."""
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
    ringed = []
    for i in ids:
        own = window == i
        if origin[i] != ring_id and np.count_nonzero(own & inside) >= RINGED * np.count_nonzero(own):
            ringed.append(i)
    if not ringed:
        return []
    ys, xs = np.nonzero(np.isin(window, ringed))
    return ringed if max(np.ptp(ys), np.ptp(xs)) + 1 >= RING_CONTENT * h else []


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


def _whole_digits(stats: np.ndarray, labels: np.ndarray, ink: np.ndarray, min_h: float, max_h: float,
                  cfg: Config) -> tuple[list[int], set[int]]:
    """Labels of the components that already have a digit's shape on their own, kept as they are;
    and, apart, those with a digit's shape taller than the typical one with a share of faint ink,
    which may be a digit with a faint printed rule running on from it (see find_regions)."""
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
        return ids, set()
    # Far taller than the typical digit here: a table column or a rule with digits hanging on it.
    # Typical is weighted by ink, so that many small specks of grain do not drag it down.
    typical = weighted_median(h[ids], area[ids])
    ids = [i for i in ids if h[i] <= 3 * typical]
    ruled = {i for i in ids if h[i] > typical and _faint_share(labels, ink, _box_of(stats, i), i) >= HAIRLINE_SHARE}
    return [i for i in ids if i not in ruled], ruled


def find_regions(frame: np.ndarray, cfg: Config, on_sheet: bool = False, rules_keyed_out: bool = False,
                 view: View | None = None, noisy: bool | None = None) -> list[Region]:
    """The candidate digit regions of a frame, as find_marks cuts them."""
    return find_marks(frame, cfg, on_sheet, rules_keyed_out, view, noisy).regions


def find_marks(frame: np.ndarray, cfg: Config, on_sheet: bool = False, rules_keyed_out: bool = False,
               view: View | None = None, noisy: bool | None = None) -> Marks:
    """Cut a frame, as ``view`` sees it (default: as it is), into candidate digit regions and the
    signs beside them (the dots of a decimal point, a comma or a colon, a minus sign's or a hyphen's dash: see
    _dot_like, _dash_like), boxes in the view's pixels.

    Components that look like digits are kept whole. The rest (tables, ruled lines, shapes
    with digits touching them) have their long straight lines taken out and are cut again, as
    does a digit that a faint grid's hairlines running on from it make taller than the rest.
    ``on_sheet``: the frame is a found sheet seen straight on, so no desk is in view and even a
    deep shadow is paper. ``rules_keyed_out``: leave out ink in the colour of light printed rules
    (see rules_in_colour and key_out_rules). Where the view looks past the frame's edge (a view
    turned a few degrees) is no paper: a wedge of that black thinner than the paper estimate's
    reach would read as paper, and its edge as ink darker than a pencil's. ``noisy``: the frame's
    frame_is_noisy, where the caller has it (else measured here, unless the view is the frame's).
    A mark written more lightly than the page's writing (FAINTER) keeps the parts of its strokes
    that faded under the weak threshold, down to FADE of its own darkness: a dry pen's 5 otherwise
    loses its back and reads as no digit.
    """
    view = view or View.of_frame(frame)
    outside = view.outside(frame)
    if noisy is None:
        noisy = not view.is_identity and frame_is_noisy(frame, cfg.work_size)
    work, factor = to_work_size(view.apply(frame), cfg.work_size)
    work = balance_white(work)
    all_ink, paper = ink_map(work, noisy)
    beyond = None
    if outside is not None:
        beyond = cv2.resize(outside.astype(np.uint8), paper.shape[::-1], interpolation=cv2.INTER_AREA) > 0
        paper[beyond] = 0
    ink = key_out_rules(work, all_ink, noisy) if rules_keyed_out else all_ink
    paper_here = on_paper(paper, DESK_ON_SHEET if on_sheet else DESK)
    labels, stats = ink_components(ink, paper_here, cfg, not rules_keyed_out)
    desk = ~paper_here if beyond is None else ~paper_here & ~beyond  # (past the frame's edge: see Edge)
    near_desk = cv2.dilate(desk.astype(np.uint8), np.ones((2 * EDGE_REACH + 1,) * 2, np.uint8)) > 0
    before = labels.copy()  # the components as found, before lines are taken out of them
    short_side = min(labels.shape)
    min_h = max(cfg.min_height_px, cfg.min_height * short_side)
    max_h = cfg.max_height * short_side
    speck = max(4, int(0.1 * min_h))

    area = stats[:, 4]
    longest = np.maximum(stats[:, 2], stats[:, 3])
    digit_ids, ruled = _whole_digits(stats, labels, ink, min_h, max_h, cfg)  # ruled: looked at for a hairline below
    # Kept as they are: digits and the small pieces that may join one. Cleared of lines, each
    # in its own box (cheap): the rest that is digit-sized or bigger, unless it is a bare line
    # itself. Dropped: specks.
    keep = ((area >= speck) & (longest < min_h)).astype(np.uint8)
    keep[digit_ids] = 1
    keep[0] = 0
    line_length = max(15, int(cfg.line_length * short_side))
    all_stats = [stats]  # the frame's components, then the pieces of those a line was cut out of
    marks = _stat_corners(stats[area >= speck])  # all but specks
    wide = {int(i) for i in digit_ids if stats[i, 2] >= UNDERLINED * stats[i, 3]}  # maybe numbers underlined
    looked_at = keep == 0
    looked_at[list(wide)] = True
    walls = []  # upright lines: a table's, a form's, a grid's (read.py keeps numbers from running across them)
    dashes = []  # bare lines that lie: a rule, or a pen's dash (a minus sign), judged against the writing's height
    for i in np.flatnonzero((longest >= min_h) & looked_at):
        x, y, bw, bh = (int(v) for v in stats[i, :4])
        if i == 0:
            continue  # the background
        bare = min(bw, bh) <= 4 or (min(bw, bh) <= cfg.line_thinness * max(bw, bh) and area[i] >= SOLID * bw * bh)
        if bare and i not in ruled:
            if bh > bw:
                walls.append(Box(x, y, bw, bh))
            else:
                dashes.append((Box(x, y, bw, bh), int(i)))
            continue  # a bare line or a solid bar along an axis: a sheet's edge, a thick rule, the desk's edge
        window = labels[y : y + bh, x : x + bw]
        own = (window == i).astype(np.uint8)
        if i in wide:
            cleaned = remove_lines(own, max(line_length, int(UNDERLINE * bh)), cfg.line_thinness)
            rows_gone = np.nonzero(own > cleaned)[0]
            if not rows_gone.size or rows_gone.mean() < UNDER * bh:
                continue  # no line under it: kept whole, as it was
            keep[i] = 0  # its pieces take its place
        else:
            cleaned, lines = take_out_lines(own, line_length, cfg.line_thinness)
        if cleaned is not own and i in ruled and not _hairline_taken(own, cleaned, ink[y : y + bh, x : x + bw]):
            cleaned = own  # a digit's own long stroke (a 1, a 7's bar), as dark as the rest of it
        if cleaned is own:
            keep[i] = 1  # no line in it: it stays as labelled
            continue
        if i not in wide:
            walls += _upright(lines, x, y)
        cleaned = _pen_on_rules(own, cleaned, ink[y : y + bh, x : x + bw])
        # What is left of it may fall apart: its pieces are labelled anew, in its own box.
        _, own_labels, own_stats, _ = cv2.connectedComponentsWithStats(cleaned, connectivity=8)
        held = int(np.count_nonzero(_within(Box(x, y, bw, bh), marks)))
        rim = _rim_pieces(window, own, own_labels, own_stats[:, cv2.CC_STAT_AREA], held)
        own_stats[rim, cv2.CC_STAT_AREA] = 0  # dropped, as specks are
        first = sum(len(block) for block in all_stats)
        window[own > 0] = 0
        window[cleaned > 0] = own_labels[cleaned > 0] + (first - 1)
        own_stats[1:, 0] += x
        own_stats[1:, 1] += y
        all_stats.append(own_stats[1:])
    if len(all_stats) > 1:
        stats = np.concatenate(all_stats)
        keep = np.concatenate([keep, np.ones(len(stats) - len(keep), np.uint8)])
    boxes, groups, areas = _components(labels, stats, keep.astype(bool), speck, max_h, cfg)
    cut: frozenset[int] = frozenset()
    if beyond is not None:  # the components that reach the black past the frame's edge
        reach = cv2.dilate(beyond.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
        cut = frozenset(np.unique(labels[reach]).tolist()) - {0}
    edge = Edge(labels.shape[::-1], cut)
    sized = [k for k, b in enumerate(boxes) if max(b.w, b.h) >= min_h]
    heights, weights = np.array([boxes[k].h for k in sized]), np.array([areas[k] for k in sized])
    typical = weighted_median(heights, weights) if sized else 0.0  # the height of the writing
    boxes, groups, pieces = _merge_fragments(boxes, groups, areas, cfg.max_aspect, edge, typical)
    boxes, groups, pieces = _join_scattered(boxes, groups, pieces, typical, edge)
    # A stroke whose ink runs on past its ends is part of a line: the keyed-out rules count here,
    # as a scrap of a rule that JPEG's coarse colour left standing runs on into the rest of it.
    faint_level = int(cfg.ink_weak * 255) // 2
    faint = all_ink >= faint_level
    candidates = _corners(boxes, min_h)
    darkness = _darkness_of_marks(labels, ink, lambda k: (boxes[k], groups[k]))
    writing_ink = float(np.median([darkness(k) for k, b in enumerate(boxes) if b.h >= min_h] or [0.0]))
    regions = []
    signs = [_region(labels, ink, b, [i], factor) for b, i in dashes
             if _dash_like(b, area[i] / (b.w * b.h), typical, faint)]
    for k, (box, ids, parts) in enumerate(zip(boxes, groups, pieces, strict=True)):
        if edge.cuts(box, ids):
            continue  # cut by the picture's edge: only part of it is visible
        if len(ids) > 1 and (inner := _ringed(labels, before, stats, box, ids)):  # a ring drawn round something:
            box, ids, parts = _bounds(labels, box, inner), inner, []  # what it rings round is read
        own = _pixels_of(labels, box, ids)
        fill = own.sum() / (box.w * box.h)
        if len(ids) == 1 and (_dot_like(box, fill, typical) or _dash_like(box, fill, typical, faint)):
            signs.append(_region(labels, ink, box, ids, factor))  # (a big dot is a candidate digit too: a small 0)
        if not _digit_like(box, fill, min_h, max_h, cfg):
            continue
        if _contains_others(box, k, candidates, darkness):
            continue
        if _part_of_a_line(own, box, faint, before):
            continue
        if _along_the_sheet_edge(own, near_desk[box.y : box.y2, box.x : box.x2]):
            continue
        alone = tuple(_region(labels, ink, b, ids, factor) for b, ids in parts)
        signs += [region for (b, ids), region in zip(parts, alone, strict=True)  # a minus sign joined as a digit's arm
                  if len(ids) == 1 and _dash_like(b, float(_pixels_of(labels, b, ids).mean()), typical, faint)]
        patch = ink[box.y : box.y2, box.x : box.x2]
        if parts:  # the faint ink that runs between the pieces (a pen running dry) is part of the digit
            own = _bridged(own, patch >= faint_level)
        elif (dark := darkness(k)) < FAINTER * writing_ink:  # written lightly: strokes that faded under the weak level
            nobody_else = (before[box.y : box.y2, box.x : box.x2] == 0) | own  # (not a rule's, not a neighbour's)
            own = _bridged(own, (patch >= max(faint_level, FADE * dark)) & nobody_else)
        regions.append(_region(labels, ink, box, ids, factor, alone, own))
    return Marks(regions, signs, [b.scaled(1 / factor) if factor != 1.0 else b for b in walls])


def _along_the_sheet_edge(own: np.ndarray, near_desk: np.ndarray) -> bool:
    """Whether most of a mark's ink (EDGE_SHARE) lies within EDGE_REACH of the desk (``near_desk``,
    over the mark's box): the sheet's own edge, shaded or curled, where its outline was not found.
    It reads as a 1; no one writes at the very edge of the paper."""
    return np.count_nonzero(own & near_desk) >= EDGE_SHARE * np.count_nonzero(own)


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
