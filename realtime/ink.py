"""How much darker than the paper each pixel is: the ink map, and the ink in it that starts and extends strokes.

Why this shape: a camera sees paper under shadows, vignetting and colour casts, so a global
threshold fails. Dividing by a local estimate of the paper's brightness turns every pixel into
"how much darker than the paper around it", which is the same for a corner in shadow and a
sunlit middle. Hysteresis on that map keeps faint pencil joined to its stroke without letting
paper grain in.
"""

from __future__ import annotations

import cv2
import numpy as np

from realtime.config import Config

DESK = 0.45  # paper darker than this share of the brightest paper is a dark desk around the sheet...
DESK_ON_SHEET = 0.2  # ...but on a found sheet it is a shadow across it (only the frame's outside is darker)
MAX_GAIN = 4.0  # the most balance_white scales a colour channel by (a yellow pad under tungsten light needs 3.5-4.5)
CHROMA_GAIN, CHROMA_BLUR = 2.0, 1.0  # a channel gained this much has its colour smoothed this much (px)
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
# Ink (of 255) this dark in its darkest channel is told apart by colour (rule_channel): all the
# ink a stroke may hold (Config.ink_weak), as light rules in a JPEG photo are no darker than that.
COLOUR_INK = 25
COLOURED, NEUTRAL = 0.4, 0.6  # coloured where its brightest channel is under this share as dark; neutral over this
COLOURED_SHARE = 0.2  # rules in colour: their least share of the ink
NEUTRAL_SHARE = 0.2  # writing neutral: its least share of the ink off the rules
ON_LINES = 0.3  # the least share of the coloured ink on long straight lines (printed rules)
EVERY_COLOUR = 3  # (see rule_channel) rules are keyed out in each pixel's brightest colour channel
STROKE_LIMIT = 16  # strokes up to 1/16 of the frame's shorter side wide are ink; wider is paper


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
    the ink's. A channel gains at most MAX_GAIN, so a frame of one colour is not stretched into noise;
    where one gains CHROMA_GAIN or more (a yellow pad under tungsten light), the frame's colour is
    smoothed (CHROMA_BLUR), its brightness not: that channel's noise would read as faint ink."""
    if frame.ndim != 3:
        return frame
    bright = np.percentile(frame[::4, ::4].reshape(-1, 3), 90, axis=0)
    gains = np.minimum(bright.max() / np.maximum(bright, 1.0), MAX_GAIN)
    if gains.max() < 1.05:  # (nearly) neutral already: the frame as it is, at no cost
        return frame
    balanced = cv2.transform(frame, np.diag(gains))
    if gains.max() < CHROMA_GAIN:
        return balanced
    # A channel raised this much raises its noise as much, and a JPEG's coarse colour blocks with
    # it: the colour is smoothed, the brightness (where the strokes' shapes are) kept sharp.
    y, cr, cb = cv2.split(cv2.cvtColor(balanced, cv2.COLOR_BGR2YCrCb))
    cr, cb = (cv2.GaussianBlur(c, (0, 0), CHROMA_BLUR) for c in (cr, cb))
    return cv2.cvtColor(cv2.merge([y, cr, cb]), cv2.COLOR_YCrCb2BGR)


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


def key_out_rules(frame: np.ndarray, ink: np.ndarray, channel: int, noisy: bool = False) -> np.ndarray:
    """A colour frame's ink map (see ink_map) without a page's light printed rules, which fade in
    colour ``channel`` (see rule_channel; EVERY_COLOUR: in each pixel's brightest): ink far
    lighter there than in its darkest channel is left out, ink that keeps its darkness there
    stays (pencil, black pen; a red pen on blue rules keyed out by the blue channel), and ink
    between (a ballpoint's deep blue) is kept in part, the more the darker it stays."""
    if frame.ndim != 3:
        return ink
    # Colours are compared over a pixel's neighbourhood: a rule's soft edges are the rule's too.
    lightest = _channel(frame, np.maximum) if channel == EVERY_COLOUR else cv2.extractChannel(frame, channel)
    faded, _ = _ink_and_paper(lightest, noisy)
    near = [cv2.blur(m.astype(np.float32), (3, 3)) for m in (ink, faded)]
    share = near[1] / np.maximum(near[0], 1.0)  # 1: as dark where the rules fade; near 0: a rule
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


def rule_channel(frame: np.ndarray) -> int | None:
    """The colour channel in which a page's rules fade, where they should be keyed out by it (see
    key_out_rules): the channel the rules are lightest in where coloured writing stays dark there,
    else EVERY_COLOUR where the writing is neutral; None where they should not be. They should
    where the page carries printed rules in a light colour (a notebook's blue squares or lines),
    and writing beside them that keeps its darkness in every channel (pencil, black pen, a
    ballpoint's deep blue), or at least in that one (a red pen on blue rules).

    Faint pencil is as dark as a blue grid in the darkest channel, and a grid crossing every
    digit is hard to take out by its shape. Ink far darker in its darkest channel than in its
    brightest is coloured: it must be a good share of the ink on the paper and lie mostly on
    long straight lines, and the ink off those lines (the writing) must keep its darkness in good
    part (a light gel pen's writing, as blue as the rules, would be keyed out with them). Rules of
    two colours (blue lines, a red margin) all go where the writing is neutral; where it is not,
    only those of the colour the lines found mostly carry. The frame's rim is left out: a sheet's
    edge, and the desk beside it, is no writing."""
    if frame.ndim != 3:
        return None
    frame = balance_white(frame)  # as find_regions sees it
    darkest, paper = _ink_and_paper(_channel(frame, np.minimum))
    brightest = _ink_and_paper(_channel(frame, np.maximum))[0].astype(np.float32)
    inked = (darkest >= COLOUR_INK) & on_paper(paper, DESK)
    m = rim(inked.shape)
    inked[:m], inked[-m:], inked[:, :m], inked[:, -m:] = False, False, False, False
    coloured = (inked & (brightest < COLOURED * darkest)).astype(np.uint8)
    if np.count_nonzero(coloured) < COLOURED_SHARE * np.count_nonzero(inked):
        return None
    length = max(20, min(frame.shape[:2]) // 5)
    # Coloured writing first: beside it, the lines are looked for across long gaps, as JPEG's coarse
    # colour leaves a thin rule's colour in dashes. Not so beside neutral writing: the grey
    # stretches of such rules would pass for it, and so would the pale rules of a photo of pencil.
    found = _rules_and_writing(coloured, inked, length, length // 5)
    if found is not None:
        lines, off = found
        channel = lightest_channel(frame[(coloured & lines) > 0])
        kept = _ink_and_paper(cv2.extractChannel(frame, channel))[0] >= NEUTRAL * darkest
        if _writing_holds(off, (coloured > 0) & kept):  # writing in another colour than the rules
            return channel
    found = _rules_and_writing(coloured, inked, length, length // 10)
    return EVERY_COLOUR if found is not None and _writing_holds(found[1], brightest >= NEUTRAL * darkest) else None


def lightest_channel(pixels: np.ndarray) -> int:
    """The colour channel that most of these BGR pixels (N x 3) are lightest in. Asked of each
    pixel, not of the channels' medians: under a shadow across some rules a pixel is darker in
    every channel, and the medians of pixels in light and in shadow, with a coloured pen's strokes
    among them, can make a pale blue rule look lightest in red."""
    return int(np.bincount(np.argmax(pixels, axis=1), minlength=3).argmax())


def _rules_and_writing(coloured: np.ndarray, inked: np.ndarray, length: int,
                       gap: int) -> tuple[np.ndarray, np.ndarray] | None:
    """For rule_channel: the long straight lines (at least ``length``, across gaps up to ``gap``)
    that carry ON_LINES of the coloured ink or more, and the writing: the ink off them, among them
    (a desk's grain in view beside a page whose outline was not found is no writing); None where
    they carry less."""
    segments = cv2.HoughLinesP(coloured, 1, np.pi / 180, threshold=length // 2, minLineLength=length, maxLineGap=gap)
    if segments is None:
        return None
    lines = np.zeros_like(coloured)
    for x1, y1, x2, y2 in segments.reshape(-1, 4):
        cv2.line(lines, (int(x1), int(y1)), (int(x2), int(y2)), 1, 3)
    if np.count_nonzero(coloured & lines) < ON_LINES * np.count_nonzero(coloured):
        return None
    among = np.zeros_like(coloured)
    cv2.fillConvexPoly(among, cv2.convexHull(segments.reshape(-1, 2).astype(np.int32)), 1)
    return lines, inked & (lines == 0) & (among > 0)


def _writing_holds(writing: np.ndarray, ink: np.ndarray) -> bool:
    """Whether NEUTRAL_SHARE of the writing or more is such ink (however little writing a page of
    squares holds against its rules)."""
    return np.count_nonzero(writing & ink) >= NEUTRAL_SHARE * np.count_nonzero(writing)


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

