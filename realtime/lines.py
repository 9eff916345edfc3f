"""Long straight lines taken out of a mask of ink: ruled and squared paper, table borders, boxes
drawn round digits; the pen's strokes that cross a printed rule or stand on it are kept whole.
"""

from __future__ import annotations

from itertools import pairwise

import cv2
import numpy as np

# A pen stroke crossing a printed rule (see _crossings) is at least PAST px wide and fills at least
# PAST px past the rule's band, on both sides or, standing on the rule, on one side along at most
# SHORT_RUN times the band's width; a printed rule's band is at most THIN_RULE px wide.
PAST = 3
SHORT_RUN = 3
THIN_RULE = 5
SOLID, DASHED = 15, 8  # lines are found across gaps up to this share of their least length; a printed
# hairline that fell into dashes (faint at the ink threshold in a sharp frame) across the second
PARALLEL = np.deg2rad(20)  # lines this close in direction run alike (a grid's rules one way)...
CROSSING = np.deg2rad(60)  # ...and these cross them (its rules the other way)
SAME_RULE = 3  # lines found within this many px of each other at a mark's middle lie along one rule
BOXES = 2  # walls between two rules are looked for where at least this many boxes stand in a row
SOFT = 1.5  # a grid's rules at most this many times as dark as the weak ink threshold (twice faint) are soft
GRID_INK = 1.3  # ink on a soft rule at most this many times as dark as the rule is the rule's; darker is a pen's
# A printed grid too wide for hairlines (see printed_grid): its rules found across gaps of GRID_GAP px
# (half size), their faint ink rising and falling with one period both ways (within SQUARE), its
# autocorrelation at least PERIODIC at one, two and three periods (see _period for HARMONIC).
GRID_GAP = 4
SQUARE = 1.25
PERIODIC = 0.3
HARMONIC = 0.8
FINE = 4
TRIM, TRIM_STEP = 1.5, 0.25  # degrees: Hough's direction of the rules is trimmed this far, to this much
RULE_GAPS = 9  # px: the gaps in a rule (where JPEG or noise broke it) closed before its darkness is measured
PEN_OVER_RULE = 2.0  # ink this many times as dark as a printed grid's rule under it is a pen's (see take_off_grid)


def remove_lines(mask: np.ndarray, min_length: int, max_thickness: float) -> np.ndarray:
    """Take long, thin, straight strokes (ruled lines, table borders, shape outlines) out of a mask."""
    return take_out_lines(mask, min_length, max_thickness)[0]


def take_out_lines(mask: np.ndarray, min_length: int, max_thickness: float) -> tuple[np.ndarray, np.ndarray]:
    """A mask with its long, thin, straight strokes taken out, and those lines (x1, y1, x2, y2 per row).

    Lines are found at any angle, so a rotated sheet's rules go too. A stroke counts as a line
    when it is at least min_length long and at most max_thickness of its length thick: a
    digit's own straight strokes (a 1, a 7's bar) are short or thick for their length. The short
    walls of a form's boxes, which the line search misses, are found between its rules (_walls_between);
    a squared page's hairlines, broken into dashes where the ink threshold cuts them, across wider gaps.
    """
    none = np.zeros((0, 4), int)
    solid = _segments(mask, min_length, max(2, min_length // SOLID))
    dashed = _segments(mask, min_length, max(2, min_length // DASHED))
    if not len(solid) and not len(dashed):
        return mask, none
    segments = np.concatenate([solid, dashed])
    # Depth of each ink pixel (half the stroke's thickness); the frame around counts as paper.
    depth = cv2.distanceTransform(cv2.copyMakeBorder(mask, 1, 1, 1, 1, cv2.BORDER_CONSTANT, value=0),
                                  cv2.DIST_L2, 3)[1:-1, 1:-1]
    # A segment's thickness is taken from the deepest ink within a pixel of it: Hough also finds
    # segments along the flank of a thick stroke, where the ink is shallow though the stroke is not
    # (this spares a 1 in marker up to about 6 times as long as it is wide; a longer one that
    # crosses a rule still loses ink).
    near = cv2.dilate(depth, np.ones((3, 3), np.uint8))
    lengths = np.hypot(segments[:, 2] - segments[:, 0], segments[:, 3] - segments[:, 1])
    thickness, flank = 2.0 * _medians_along(segments, (depth, near))
    widths = np.ceil(thickness).astype(int) + 2  # each line's band: its own ink
    thin = flank <= max_thickness * lengths
    from_solid = np.arange(len(segments)) < len(solid)
    keep = thin & from_solid
    # Found only across the wider gaps: a printed grid's hairlines fallen into dashes. Kept where they
    # are hairlines (bands up to THIN_RULE) making squares with the rest: rules at most the least line
    # length apart (a table's cells hold numbers, and are wider) and a quarter of it at least (not
    # one rule found twice).
    hairlines = thin & ~from_solid & (widths <= THIN_RULE)
    if hairlines.any() and forms_a_grid(segments[keep | hairlines], min_length / 4, min_length):
        keep |= hairlines
    found = [(tuple(int(v) for v in segment), int(width))
             for segment, width in zip(segments[keep], widths[keep], strict=True)]
    found += _walls_between(mask, found, min_length)
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


def _segments(mask: np.ndarray, min_length: int, gap: int) -> np.ndarray:
    """Hough's straight segments of a mask (x1, y1, x2, y2 per row), min_length long or longer
    across gaps up to ``gap``."""
    found = cv2.HoughLinesP(mask, 1, np.pi / 180, threshold=max(10, min_length // 2), minLineLength=min_length,
                            maxLineGap=gap)
    return np.zeros((0, 4), np.int32) if found is None else found.reshape(-1, 4)


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


def forms_a_grid(lines: np.ndarray, spacing: float, closer: float = np.inf) -> bool:
    """Whether lines (x1, y1, x2, y2 per row) form a grid: two or more that run alike, ``spacing``
    or more apart (and ``closer`` or less: a printed page's squares), crossed by two or more that
    run alike. A digit's own straight strokes never do (a 4's stem and bar cross once, the strokes
    of an 11 do not cross); a patch of squared paper or a table that a stroke joined into one mark does."""
    if len(lines) < 4:
        return False
    x1, y1, x2, y2 = (lines[:, k].astype(np.float64) for k in range(4))
    angle = np.arctan2(y2 - y1, x2 - x1) % np.pi
    turn = np.abs((angle - angle[0] + np.pi / 2) % np.pi - np.pi / 2)  # from the first line's direction
    for group in (turn < PARALLEL, turn > CROSSING):
        if group.sum() < 2:
            return False
        direction = float(np.median(angle[group]))
        offsets = np.sort((x1 + x2)[group] / 2 * -np.sin(direction) + (y1 + y2)[group] / 2 * np.cos(direction))
        steps = np.diff(offsets)
        if not ((steps >= spacing) & (steps <= closer)).any():
            return False
    return True


def _walls_between(mask: np.ndarray, found: list, min_length: int) -> list:
    """The upright walls between two level rules found, which Hough misses in a form's boxes for
    one digit each: short thin walls, leaning a little, that the digits in the boxes touch. A wall
    is a column of ink, give or take a pixel, running the whole way from one rule to the next and
    no further: a digit's stroke in a box stops short of one of them, and a table's walls, which
    run on across its rules (Hough finds those), and the strokes crossing a rule are left alone.
    The walls are taken only where they make a row of BOXES boxes or more: a lone column of ink
    between two rules is a stroke, not a box; and only between rules as far apart as the lines
    looked for are long (the side of a square of squared paper is shorter)."""
    level = _level_rules(found, mask.shape[1])
    walls = []
    near = cv2.dilate(mask, np.ones((1, 3), np.uint8))  # a slanted wall's staircase, one column
    for top, bottom in pairwise(level):
        if bottom - top < min_length:
            continue
        t, b = int(top), int(bottom)
        above, below = near[max(0, t - 6) : max(0, t - 3)], near[b + 4 : b + 7]
        beyond = above.any(axis=0) | below.any(axis=0)  # the column runs on past a rule
        full = np.flatnonzero(near[t + 3 : b - 2].all(axis=0) & ~beyond)
        runs = np.split(full, np.flatnonzero(np.diff(full) > 1) + 1) if full.size else []
        if len(runs) < BOXES + 1:
            continue  # a stroke standing between two rules, not a row of boxes
        for run in runs:
            x = int(run.mean())
            walls.append(((x, t, x, b), max(3, run.size)))
    return walls


def _level_rules(found: list, width: int) -> list[float]:
    """The level rules across a mark ``width`` px wide among the lines found, each as its height at
    the mark's middle: the lines found along one rule (within SAME_RULE px there; Hough breaks a
    rule where the digits on it cross it) count as one, a rule where together they cover half the
    mark's width."""
    middle = width / 2
    flat = sorted((y1 + (y2 - y1) * (middle - x1) / (x2 - x1), min(x1, x2), max(x1, x2))
                  for (x1, y1, x2, y2), _ in found if x1 != x2 and abs(y2 - y1) <= 0.1 * abs(x2 - x1))
    groups: list[list[tuple[float, int, int]]] = []
    for line in flat:
        if groups and line[0] - groups[-1][-1][0] <= SAME_RULE:
            groups[-1].append(line)
        else:
            groups.append([line])
    return [float(np.mean([y for y, _, _ in group])) for group in groups
            if _covered([(a, b) for _, a, b in group]) >= 0.5 * width]


def _covered(spans: list[tuple[int, int]]) -> int:
    """How many px of a row the spans (start, end) cover together."""
    total, reach = 0, -np.inf
    for a, b in sorted(spans):
        total += max(0, b - max(a, reach))
        reach = max(reach, b)
    return int(total)


def soft_grid(ink: np.ndarray, paper_here: np.ndarray, faint_level: int, min_length: int,
              half: np.ndarray | None = None) -> np.ndarray | None:
    """The pixels of a squared page's printed grid whose rules are soft (SOFT), or None where the page
    shows no such grid.

    Why: rules about as dark as the ink threshold pass it only in spots, as a sharper view or camera
    draws them, and those dashes join the digits they touch into marks that no line search can
    clean (the rules in them are too short and broken to be found). At ``faint_level`` the rules
    are whole: found there across the page, twice min_length long or longer (at half size: a max-pool
    keeps every hairline), they form a grid of squares (rules a quarter to one min_length apart).
    Their pixels are those in their 3 px bands as dark as the rules or a little darker
    (GRID_INK): a pen's stroke over a rule is far darker and stays. A grid dark enough to stay
    whole in the ink is left to take_out_lines, mark by mark: there the pen may be no darker than
    the rules (a blue ballpoint on blue squares). ``half``: faint_at_half_size of the same, where
    the caller has it."""
    half = faint_at_half_size(ink, paper_here, faint_level) if half is None else half
    segments = _segments(half, min_length, 1)
    if len(segments) < 4:
        return None
    near = np.ones((3, 3), np.uint8)  # (a hairline's centre, give or take a pixel)
    depth = cv2.dilate(cv2.distanceTransform(half, cv2.DIST_L2, 3), near)
    darkness = cv2.dilate(_half_size(ink), near)
    thickness, darkness = _medians_along(segments, (depth, darkness))
    thin = thickness <= 1
    hairlines = segments[thin]
    if not forms_a_grid(hairlines, min_length / 8, min_length / 2):
        return None
    rules = float(np.median(darkness[thin]))
    if rules > SOFT * 2 * faint_level:
        return None
    bands = np.zeros_like(ink)
    for x1, y1, x2, y2 in hairlines * 2:
        cv2.line(bands, (int(x1), int(y1)), (int(x2), int(y2)), 1, 3)
    return (bands > 0) & (ink <= GRID_INK * rules)


def _half_size(image: np.ndarray) -> np.ndarray:
    """The image at half size, each pixel the most of the 2 x 2 it stands for (a max-pool): every
    hairline stays. The grid's mask and its darkness are shrunk alike, so they stay in register."""
    return cv2.dilate(image, np.ones((2, 2), np.uint8))[::2, ::2]


def faint_at_half_size(ink: np.ndarray, paper_here: np.ndarray, faint_level: int) -> np.ndarray:
    """The mask of the paper's ink at ``faint_level`` or darker, at half size (see _half_size):
    where a grid's rules are looked for whole."""
    return _half_size(((ink >= faint_level) & paper_here).astype(np.uint8))


def printed_grid(ink: np.ndarray, paper_here: np.ndarray, faint_level: int, min_length: int,
                 half: np.ndarray | None = None) -> np.ndarray | None:
    """How dark a squared page's printed grid is at each pixel (0 off its rules), or None where the
    page shows no such grid: for the grids soft_grid leaves, whose rules a dim, defocused or JPEG
    frame blurs 2-3 px wide (no hairlines) and a little darker than soft.

    The rules' direction is the one most of Hough's segments (at ``faint_level``, half size, across
    gaps of GRID_GAP px) run in; in such a frame they also run along the noise between the rules,
    and in a plain page along its grain and shading, so a grid is told by its rules' even spacing:
    the faint ink, summed along each of two ways at right angles, rises and falls with one period,
    the same both ways (SQUARE), a quarter to one min_length (half size), clearly (PERIODIC).
    Its darkness is measured along each way's rules (grey-opened by twice min_length along them,
    which no pen's stroke is as long as), so it can be taken off the ink where a pen is no darker.
    ``half`` as for soft_grid."""
    half = faint_at_half_size(ink, paper_here, faint_level) if half is None else half
    segments = _segments(half, min_length, GRID_GAP)
    if len(segments) < 4:
        return None
    x1, y1, x2, y2 = (segments[:, k].astype(np.float64) for k in range(4))
    first = _main_direction(np.arctan2(y2 - y1, x2 - x1) % np.pi, np.hypot(x2 - x1, y2 - y1))
    ways, periods = [], []
    for way in (first, first + np.pi / 2):  # (a page with no even rules one way is done with)
        direction, wave = _sharpest(half, way, min_length)
        if (period := _period(wave, min_length / 4, min_length)) is None:
            return None
        ways.append(direction)
        periods.append(period)
    if max(periods) > SQUARE * min(periods):
        return None
    darkness = np.maximum(*(_along_rules(ink, paper_here, way, 2 * min_length) for way in ways))
    return cv2.dilate(darkness, np.ones((3, 3), np.uint8))


def take_off_grid(ink: np.ndarray, rules: np.ndarray) -> np.ndarray:
    """The ink with a printed grid's darkness (``rules``, see printed_grid) taken off, a little more
    (GRID_INK) for its blurred sides, except where the ink is PEN_OVER_RULE times as dark as the
    rule there: a pen's stroke over it stays whole."""
    ink16, rules16 = ink.astype(np.int16), rules.astype(np.int16)
    lighter = np.clip(ink16 - (GRID_INK * rules16).astype(np.int16), 0, 255)
    return np.where(ink16 > PEN_OVER_RULE * rules16, ink16, lighter).astype(np.uint8)


def _main_direction(angle: np.ndarray, lengths: np.ndarray) -> float:
    """The direction most of the segments' length runs in (radians, 0 to pi), to a degree."""
    bins = np.bincount(np.rint(np.rad2deg(angle)).astype(int) % 180, weights=lengths, minlength=180)
    smooth = bins + np.roll(bins, 1) + np.roll(bins, -1)
    return float(np.deg2rad(np.argmax(smooth)))


def _sharpest(mask: np.ndarray, direction: float, longest: float) -> tuple[float, np.ndarray]:
    """The direction near ``direction`` (radians; within TRIM degrees, to TRIM_STEP) along which the
    mask's ink, summed, rises and falls most, and that profile with its slow drift (shading across
    the page: its mean over twice ``longest``) taken out: Hough's directions come to a degree, and
    summed across a page a degree off, a grid's rules smear into one another. Searched coarse (two
    steps a side), then fine beside the best."""
    best = (-1.0, 0.0, np.zeros(0))
    for trims in (np.linspace(-TRIM, TRIM, 5), np.array([-TRIM_STEP, TRIM_STEP])):
        centre = best[1]
        for trim in centre + trims[np.argsort(np.abs(trims), kind="stable")]:  # the least trim, where as sharp
            profile = _level(mask, direction + np.deg2rad(trim))[0].sum(axis=1, dtype=np.float64)
            drift = cv2.blur(profile[:, None], (1, int(2 * longest) | 1), borderType=cv2.BORDER_REFLECT)[:, 0]
            wave = profile - drift
            spread = float(np.var(wave))
            if spread > best[0]:
                best = (spread, float(trim), wave)
    return direction + np.deg2rad(best[1]), best[2]


def _period(wave: np.ndarray, shortest: float, longest: float) -> float | None:
    """The period, ``shortest`` to ``longest`` long, with which a profile (its slow drift taken out,
    see _sharpest) rises and falls, or None where it does not clearly: its autocorrelation
    at one, two and three periods must each reach PERIODIC. Two lone streaks correlate at their
    spacing, but not at twice it. The profile is resampled at FINE steps a pixel, so a period
    between two whole lags (10.5 px) is found as it is; and the period is the first lag that
    correlates nearly as well as the best (HARMONIC): in noise, twice it may correlate better."""
    if len(wave) < 4 * longest or not wave.any():
        return None
    wave = np.interp(np.arange(0, len(wave) - 1, 1 / FINE), np.arange(len(wave)), wave)
    spectrum = np.fft.rfft(wave, 2 * len(wave))
    correlation = np.fft.irfft(spectrum * np.conj(spectrum))[: len(wave)]
    correlation /= correlation[0]
    lags = np.arange(int(np.ceil(shortest * FINE)), int(longest * FINE) + 1)
    within = correlation[lags]
    peaks = (within[1:-1] >= within[:-2]) & (within[1:-1] >= within[2:]) & (within[1:-1] >= HARMONIC * within.max())
    if not peaks.any():
        return None
    lag = int(lags[1 + np.argmax(peaks)])  # the first such peak: the period, not a multiple of it
    for times in (1, 2, 3):
        if correlation[times * lag - times * FINE // 2 : times * lag + times * FINE // 2 + 1].max() < PERIODIC:
            return None
    return lag / FINE


def _level(image: np.ndarray, direction: float) -> tuple[np.ndarray, np.ndarray]:
    """The image turned so that ``direction`` (radians) lies level, on a canvas it fits in, and the
    turn (to undo with WARP_INVERSE_MAP). Turned by under a quarter turn either way, about its
    middle pixel: a level or upright direction turns pixel onto pixel."""
    degrees = (np.rad2deg(direction) + 90.0) % 180.0 - 90.0
    h, w = image.shape
    turn = cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), float(degrees), 1.0)
    cos, sin = abs(turn[0, 0]), abs(turn[0, 1])
    size = (int(np.ceil(w * cos + h * sin - 1e-6)), int(np.ceil(w * sin + h * cos - 1e-6)))
    turn[:, 2] += (size[0] - w) / 2, (size[1] - h) / 2
    return cv2.warpAffine(image, turn, size, flags=cv2.INTER_NEAREST), turn


def _along_rules(image: np.ndarray, paper_here: np.ndarray, direction: float, length: int) -> np.ndarray:
    """The image's ink that runs ``length`` px or more along ``direction`` (radians): turned so the
    rules lie level, grey-closed along them (a rule's gaps where JPEG broke it), grey-opened along
    them (what is shorter goes: the pen's strokes), turned back. A row of digits closed along a
    line may pass for a rule: each line is held to the median of its paper (a rule's own darkness,
    where the digits on it cover under half of it; the paper's, between rules)."""
    level, turn = _level(image, direction)
    paper = _level(paper_here.astype(np.uint8), direction)[0] > 0
    level = cv2.morphologyEx(level, cv2.MORPH_CLOSE, np.ones((1, RULE_GAPS), np.uint8))
    level = cv2.morphologyEx(level, cv2.MORPH_OPEN, np.ones((1, length), np.uint8))
    level = np.minimum(level, _row_medians(level, paper)[:, None])
    h, w = image.shape
    return cv2.warpAffine(level, turn, (w, h), flags=cv2.INTER_NEAREST | cv2.WARP_INVERSE_MAP)


def _row_medians(image: np.ndarray, where: np.ndarray) -> np.ndarray:
    """Each row's median (uint8) over the pixels ``where`` holds (0 where it holds none), from each
    row's histogram: faster than sorting the rows."""
    rows = np.broadcast_to(np.arange(image.shape[0])[:, None], image.shape)[where]
    counts = np.bincount(rows * 256 + image[where], minlength=image.shape[0] * 256).reshape(-1, 256)
    below = np.cumsum(counts, axis=1)
    return np.argmax(below > below[:, -1:] // 2, axis=1).astype(np.uint8)
