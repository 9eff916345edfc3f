"""Share of digits read right per hard real-world condition, on generated camera pictures.

    python -m bench.conditions [--pages 4] [--data tests/data/mnist_test_500.npz] [--model M] [--only NAME ...] [--why]

bench.synthetic pools every page into one figure, and the sample videos mix several difficulties
in each clip, so neither says *which* condition the recognizer is weak at. Here each condition
(one ink, one kind of light, one blur, one pose, one kind of clutter) is rendered on its own on a
few pages, with everything else kept as on the plain baseline, and gets one table row: pages, true
digits, the share read right, the digits read beyond the true count (per page, summed), the share
of true numbers read exactly, the pages whose sheet lies wholly in the frame (every corner 1.5% of
its longer side inside its edge or more) on which it was found (every corner within as much of
where it is), the outlines found further off (on any page), and the recognizer's time per frame.
A digit counts as read right when a digit of the same label overlaps its true box with IoU >= 0.5
(matched one to one, as bench.scoring does for the samples); a number, when a number read spells
it and overlaps its box as bench.scoring asks of the samples' numbers. --why reads every page a
second time with the recognizer's keep rules off (every_mark) and tells, per condition, why the
digits lost were lost: not found, cut wrong, misread, or dropped (bench.scoring.why_lost).

Handwriting is MNIST's test split only (the shipped tests/data/mnist_test_500.npz), drawn with
samples.synth; each picture's seed comes from the condition's name and the page number, so a
condition renders the same with --only and across runs. Marks that must not be read (the mirrored
writing showing through from the back of the page) are never in the truth.

Conditions: plain (the baseline), decimal_points (readings, prices and times: 12.5, 09:30), minus_signs
(-5, 10-20, 555-1234), commas (1,250, 3,5), dates (12/05/24), blue_ballpoint, fine_liner, faint_pencil,
dim_light, pencil_in_dim_light,
warm_light (tungsten colour cast), blue_in_warm_light, vignetting, shadow_band,
pencil_in_shadow (a hand's, in a webcam's compressed frame), shadow_in_a_photo (12 MP, turned),
motion_blur, shaken_ballpoint (a blue ballpoint, the camera moving), shaken_pencil (or a fine liner), defocus,
rotated_15_30, folded_corner (turned, one corner folded under), cluttered_desk (a pen and a coin beside the
sheet), rotated_close (corners out of the frame),
rotated_35_50 (past any quarter turn, close),
dim_and_turned (a dim room, turned 15-30 degrees, close), sideways_90, pencil_sideways (ends out of the frame),
sideways_and_turned (a quarter turn and 15-30 degrees, close), upside_down, show_through, sticky_note,
small_digit_12mp (4000x3000 photo), dense_40plus, touching_pairs, touching_triples, circled_and_boxed,
underlined, printed_form, comb_fields (a form's boxes for one digit each), pencil_in_a_table, mark_table (column labels
with index digits: d1 d2 d3), labelled_table, score_sheet, numbers_with_units (12 kg, 3 eggs), ruled_notebook,
red_pen_on_ruled, legal_pad (blue ballpoint on yellow ruled paper), legal_pad_turned (no outline found, a desk
in view), legal_pad_in_warm_light,
legal_pad_sideways (a quarter turn round, a shadow across it, soft focus), squared_paper,
pencil_on_squares, red_pen_on_squares (in a JPEG), blue_pen_on_squares, blue_pen_on_sharp_squares (a sharper lens),
squares_in_a_jpeg, marks_on_squares (a mark table on squared paper, labels and no ruled walls), textured_paper
(grey recycled paper's fibres, 12 MP), taped_to_wall;
each function's docstring says how it is made. Runs in about a minute on 2 cores with the default pages.
"""

from __future__ import annotations

import argparse
import time
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

import cv2
import numpy as np

from bench.scoring import LOST, match_digits, numbers_read_exactly, truth_digits, truth_numbers, why_lost
from realtime.config import DEFAULT_MODEL, Config
from realtime.pipeline import Recognizer
from realtime.sheet import order_corners
from samples.synth import (
    INKS,
    DigitBank,
    Sheet,
    Shot,
    TruthDigit,
    defocus,
    digit_alpha,
    film,
    frame_truth,
    hand_shadow,
    homography,
    ink_of,
    ink_onto,
    lay_sheet,
    lighting,
    load_digits,
    motion_blur,
    paper,
    rule_paper,
    sensor,
    surface,
)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT / "tests" / "data" / "mnist_test_500.npz"
SEED = 2026
VIDEO = (1280, 720)  # a webcam frame
PHOTO = (4000, 3000)  # a 12 MP phone photo
SHEET = (1100, 620)  # the baseline sheet, world px (about the frame at scale 1)
MIN_IOU = 0.5
OUTLINE = 0.015  # an outline found is right where no corner is further off than this share of the frame's longer side


@dataclass
class Picture:
    """One generated camera picture and its exact truth."""

    frame: np.ndarray  # uint8 BGR
    truth: list[TruthDigit]
    decoys: list[tuple[int, int, int, int]] = field(default_factory=list)  # boxes of marks that must not be read
    spelled: dict[int, str] = field(default_factory=dict)  # numbers that hold more than digits: Sheet.spelled
    corners: np.ndarray | None = None  # the sheet's corners in the frame, 4 x 2 (top-left first, clockwise)


@dataclass(frozen=True)
class Look:
    """Light, optics and sensor of a shot; the defaults are the plain baseline's even light."""

    exposure: float = 1.0  # overall brightness
    cast: tuple[float, float, float] = (1.0, 1.0, 1.0)  # BGR gains of the light's colour
    vignette: float = 0.1  # the lens' darker corners (1 - vignette in the very corner)
    ramp: float = 0.05  # a lamp to one side
    band: float = 0.0  # darkness of a soft shadow band across the sheet (0: none)
    band_across: float = 0.0  # ...crossing the sheet's length at this share of it (0: anywhere in the frame)
    hand: float = 0.0  # darkness of a hand's shadow reaching in over the sheet (0: none)
    motion: float = 0.0  # px the camera moved while the shutter was open
    defocus: float = 0.0  # defocus disc radius, px
    blur: float = 0.5  # lens softness, Gaussian sigma px
    noise: float = 0.006  # sensor noise, share of full scale
    jpeg: int = 0  # JPEG quality (0: none)


# ----------------------------------------------------------------------------- writing

def random_number(rng: np.random.Generator, n: int) -> str:
    return "".join(str(int(d)) for d in rng.integers(0, 10, n))


def new_sheet(size: tuple[int, int], bank: DigitBank, rng: np.random.Generator, ink: str = "black",
              pen: float = 0.02, tint: tuple[float, float, float] | None = None, light: float = 0.12) -> Sheet:
    """A blank sheet of paper (slightly off-white unless `tint` is given) to write on."""
    if tint is None:
        tint = tuple(float(v) for v in rng.uniform(0.96, 1.0, 3))
    return Sheet(paper(size, rng, tint=tint, light=light), bank, rng, ink=ink, pen=pen)


def _main_share(alpha: np.ndarray) -> float:
    """Share of a digit's ink in its largest connected piece."""
    n, _, stats, _ = cv2.connectedComponentsWithStats((alpha > 0.3).astype(np.uint8), connectivity=8)
    areas = stats[1:, cv2.CC_STAT_AREA]
    return float(areas.max() / areas.sum()) if n > 1 else 0.0


def pen_digit(sheet: Sheet, label: int, height: int, tries: int = 10) -> np.ndarray:
    """A digit of `label` in the sheet's pen (digit_alpha). Thinning an MNIST digit's strokes can
    erode its thinnest strokes away, breaking it into specks no pen would leave; such a digit is
    swapped for another of the same label (up to `tries` times), so a miss is the reader's fault."""
    for _ in range(tries):
        image = sheet.bank.take(label)
        alpha = digit_alpha(image, height, sheet.pen)
        if sheet.pen <= 0:
            return alpha
        full = digit_alpha(image, height)
        kept = float((alpha > 0.3).sum()) / max(float((full > 0.3).sum()), 1.0)
        if kept >= 0.25 and _main_share(alpha) >= _main_share(full) - 0.15:
            break
    return alpha


def lay_digit(sheet: Sheet, alpha: np.ndarray, label: int, x: int, y: int) -> int:
    """Lay a digit's ink (top-left at x, y) as Sheet.digit does, into the sheet's current number;
    return its right edge."""
    pts = sheet.lay_ink(alpha, x, y)  # the sheet's own inking: same strength (and grain) as its other digits
    sheet.placed.append((pts, label, sheet.lines, sheet.numbers))
    return x + alpha.shape[1]


def pen_dot(rng: np.random.Generator, height: int, size: tuple[float, float]) -> np.ndarray:
    """A dot as a pen leaves it (a decimal point, half a colon): round or a little long, `size`
    of the digits' `height` across."""
    d = max(2, round(height * rng.uniform(*size)))
    alpha = np.zeros((d + 4, d + 4), np.float32)
    c = (d + 3) / 2
    cv2.ellipse(alpha, ((c, c), (float(d), float(d * rng.uniform(0.6, 1.0))), float(rng.uniform(0, 180))), 1.0, -1,
                cv2.LINE_AA)
    return alpha


def pen_comma(rng: np.random.Generator, height: int, size: tuple[float, float]) -> np.ndarray:
    """A comma as a pen leaves it: a dot (see pen_dot) with a tail curling down and left from it,
    0.12-0.25 of the digits' `height` long, as thick as the dot's third."""
    dot = pen_dot(rng, height, size)
    d, tail = dot.shape[0] - 4, height * rng.uniform(0.12, 0.25)
    alpha = np.zeros((round(d + tail) + 6, round(d + 0.6 * tail) + 6), np.float32)
    right = alpha.shape[1] - dot.shape[1]
    alpha[: dot.shape[0], right:] = dot
    cx, cy = right + dot.shape[1] / 2, dot.shape[0] / 2
    tip = np.array([[cx + d / 2 - 1, cy], [cx + d / 3, cy + tail / 2], [cx - tail / 2, cy + tail]], np.int32)
    cv2.polylines(alpha, [tip], False, 1.0, max(1, round(d / 3)), cv2.LINE_AA)
    return alpha


def _dots(rng: np.random.Generator, mark: str, x: int, foot: int, height: int,
          size: tuple[float, float]) -> list[tuple[np.ndarray, None, int, int]]:
    """A decimal point (mark ".") standing on `foot` at x, a comma (",") whose tail runs under it,
    or a colon (":"): a second dot over the point, as write_line lays out its shapes (label None:
    no digit)."""
    if mark == ",":
        comma = pen_comma(rng, height, size)
        return [(comma, None, x, foot - round(height * size[1] / 2) - 2)]
    point = pen_dot(rng, height, size)
    shapes = [(point, None, x, foot - point.shape[0] + 2)]
    if mark == ":":
        over = pen_dot(rng, height, size)
        centre = foot - height * rng.uniform(0.4, 0.6)
        shapes.insert(0, (over, None, x + int(rng.uniform(-0.05, 0.05) * height), int(centre - over.shape[0] / 2)))
    return shapes


def pen_dash(rng: np.random.Generator, height: int, width: float) -> np.ndarray:
    """A dash as a pen draws it (a minus sign, a hyphen): 0.3-0.6 of the digits' `height` long,
    `width` px thick, tilted up to 6 degrees either way."""
    length, tilt = height * rng.uniform(0.3, 0.6), np.radians(rng.uniform(-6, 6))
    rise = length / 2 * np.sin(tilt)
    w, h = round(length) + 8, round(abs(2 * rise) + width) + 8
    alpha = np.zeros((h, w), np.float32)
    cv2.line(alpha, (4, round(h / 2 + rise)), (w - 5, round(h / 2 - rise)), 1.0, max(1, round(width)), cv2.LINE_AA)
    return cv2.GaussianBlur(alpha, (0, 0), 0.6)


def pen_slash(rng: np.random.Generator, height: int, width: float) -> np.ndarray:
    """A date's slash as a pen draws it: a straight stroke 0.95-1.15 of the digits' `height` tall,
    leaning 20-40 degrees to the right, `width` px thick."""
    tall, lean = height * rng.uniform(0.95, 1.15), np.radians(rng.uniform(20, 40))
    alpha = np.zeros((round(tall) + 8, round(tall * np.tan(lean)) + 8), np.float32)
    cv2.line(alpha, (4, alpha.shape[0] - 5), (alpha.shape[1] - 5, 4), 1.0, max(1, round(width)), cv2.LINE_AA)
    return cv2.GaussianBlur(alpha, (0, 0), 0.6)


def write_line(sheet: Sheet, numbers: Sequence[str], x: int, bottom: int, height: int, slope: float = 0.0,
               right: int | None = None, gaps: tuple[float, float] = (1.2, 1.8), ends_line: bool = True,
               dot: tuple[float, float] = (0.07, 0.15)) -> int:
    """Write numbers in a line as Sheet.write does (digits 0.15-0.35 heights apart, numbers `gaps`
    heights apart, each digit at its own height, the line drifting by `slope`), but leave out the
    numbers that would run past `right` (default: the sheet's edge less 20 px). Returns the right edge.
    With ``ends_line`` False the truth's line goes on (a row written in several calls). A "." in a
    number is a dot at the line's foot, a "," one with a tail under it, a ":" two, one over the
    other (`dot`: their size, see pen_dot),
    a "-" a dash half way up (a minus sign first, a hyphen between digits: see pen_dash), a "/" a
    slash from a little under the foot (see pen_slash)."""
    rng, limit = sheet.rng, sheet.page.shape[1] - 20 if right is None else right
    stroke = height * max(0.03, 0.11 - 2 * sheet.pen)  # a dash's or a slash's width: the digits' strokes'
    start = end = x
    for text in numbers:
        shapes, cx = [], x
        for ch in text:  # lay the number out first: it is written only if it fits
            if ch in ".,:":  # written close after the digit before it
                shapes += _dots(rng, ch, cx - int(height * rng.uniform(0.05, 0.15)),
                                int(bottom + slope * (cx - start) + rng.uniform(-0.05, 0.05) * height), height, dot)
                cx = shapes[-1][2] + shapes[-1][0].shape[1] + int(height * rng.uniform(0.08, 0.2))
                continue
            if ch == "/":
                slash = pen_slash(rng, height, stroke)
                foot = bottom + slope * (cx - start) + height * rng.uniform(0.0, 0.1)
                shapes.append((slash, None, cx - int(height * 0.05), int(foot) - slash.shape[0] + 4))
                cx += slash.shape[1] - int(height * 0.05) + int(height * rng.uniform(0.05, 0.2))
                continue
            if ch == "-":
                dash = pen_dash(rng, height, stroke)
                middle = bottom + slope * (cx - start) - height * rng.uniform(0.4, 0.6)
                shapes.append((dash, None, cx, int(middle - dash.shape[0] / 2)))
                cx += dash.shape[1] + int(height * rng.uniform(0.05, 0.2))
                continue
            h = int(height * rng.uniform(0.9, 1.08))
            alpha = pen_digit(sheet, int(ch), h)
            y = int(bottom + slope * (cx - start) + rng.uniform(-0.05, 0.05) * height) - h
            shapes.append((alpha, int(ch), cx, y))
            cx += alpha.shape[1] + int(height * rng.uniform(0.15, 0.35))
        if shapes[-1][2] + shapes[-1][0].shape[1] > limit:
            break
        for alpha, label, dx, y in shapes:
            if label is None:
                sheet.lay_ink(alpha, dx, y)  # a sign: no digit, so not in the truth's digits
            else:
                end = lay_digit(sheet, alpha, label, dx, y)
        if not text.isdigit():
            sheet.spelled[sheet.numbers] = text
        sheet.numbers += 1
        x = end + int(height * rng.uniform(*gaps))
    sheet.lines += int(ends_line)
    return end


def write_rows(sheet: Sheet, rows: int, height: tuple[int, int], top: int, pitch: int, left: int = 60,
               digits: tuple[int, int] = (1, 4), numbers: tuple[int, int] = (2, 3), indent: int = 30,
               slant: tuple[float, float] = (0.008, 0.02), on_rules: bool = False) -> None:
    """Lines of random numbers one under another (row i's digits stand on top + i * pitch + their
    height, or with `on_rules` on top + i * pitch itself: a rule), each starting up to `indent` px
    right of `left`, at its own height and a slope of `slant` (sigma, limit; (0, 0): level)."""
    rng = sheet.rng
    for i in range(rows):
        h = int(rng.integers(*height))
        count = int(rng.integers(numbers[0], numbers[1] + 1))
        texts = [random_number(rng, int(rng.integers(digits[0], digits[1] + 1))) for _ in range(count)]
        slope = float(np.clip(rng.normal(0, slant[0]), -slant[1], slant[1])) if slant[0] else 0.0
        bottom = top + i * pitch + (0 if on_rules else h)
        write_line(sheet, texts, left + int(rng.integers(0, indent)), bottom, h, slope)


def baseline_sheet(rng: np.random.Generator, bank: DigitBank, ink: str = "black", pen: float = 0.02,
                   fade: float = 1.0) -> Sheet:
    """The baseline page: four lines of two or three numbers, digits 45-65 px tall. `fade` < 1
    keeps only that share of the ink's darkness (a hard, faint pencil)."""
    sheet = new_sheet(SHEET, bank, rng, ink=ink, pen=pen)
    blank = sheet.page.copy()
    write_rows(sheet, 4, (45, 66), top=50, pitch=135)
    if fade != 1.0:
        sheet.page[:] = blank + fade * (sheet.page - blank)
    return sheet


def touch_offset(left: np.ndarray, right: np.ndarray, overlap: int) -> int:
    """How far right of `left`'s box `right`'s box starts so that their strokes (equal heights,
    bottoms level) touch and cross by `overlap` px."""
    a, b = left > 0.5, right > 0.5
    rows = a.any(axis=1) & b.any(axis=1)
    if not rows.any():  # no row holds ink of both: let the boxes abut
        return left.shape[1] - overlap
    last = a.shape[1] - 1 - np.argmax(a[:, ::-1], axis=1)  # rightmost ink per row
    first = np.argmax(b, axis=1)  # leftmost ink per row
    return int((last[rows] - first[rows]).max()) + 1 - overlap


def write_touching(sheet: Sheet, labels: Sequence[int], x: int, bottom: int, height: int, overlap: int) -> int:
    """A number whose digits each run into the one before; return its right edge."""
    shapes = [pen_digit(sheet, int(label), height) for label in labels]
    right = x
    for k, (alpha, label) in enumerate(zip(shapes, labels, strict=True)):
        if k:
            x += touch_offset(shapes[k - 1], alpha, overlap)
        right = max(right, lay_digit(sheet, alpha, int(label), x, bottom - height))
    sheet.numbers += 1
    return right


# ----------------------------------------------------------------------------- filming

def band_shadow(frame: tuple[int, int], rng: np.random.Generator,
                through: tuple[tuple[float, float], float] | None = None) -> np.ndarray:
    """A soft shadow band (0..1, 1 = darkest) across the frame's middle part, as a ruler, a lamp's
    arm or a window frame casts: random direction, 20-35% of the frame's height wide. ``through``:
    a point it runs through and its direction (radians) instead."""
    w, h = frame
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = rng.uniform(0, np.pi)  # (drawn even where ``through`` replaces them: the draws after
    cx, cy = w * rng.uniform(0.35, 0.65), h * rng.uniform(0.35, 0.65)  # stay the same, and so do the pages)
    if through is not None:
        (cx, cy), angle = through
    dist = np.abs((xx - cx) * np.float32(np.sin(angle)) - (yy - cy) * np.float32(np.cos(angle)))
    half, soft = h * rng.uniform(0.1, 0.175), h * rng.uniform(0.03, 0.07)
    u = ((half - dist) / soft + 0.5).clip(0, 1)
    return u * u * (3 - 2 * u)  # smooth edges


def clutter(world: np.ndarray, at: tuple[int, int], size: tuple[int, int], rng: np.random.Generator) -> None:
    """Things lying on the desk round a sheet laid ``at`` (x, y) in the world, ``size`` (w, h): a
    pen along one of its sides (black, blue or white; touching it, or up to a finger's width off,
    leaning away from it by up to 12 degrees) and a coin off one of its corners."""
    x, y = at
    w, h = size
    corners = np.float64([[x, y], [x + w, y], [x + w, y + h], [x, y + h]])
    k = int(rng.integers(4))
    start, end = corners[k], corners[(k + 1) % 4]
    along = (end - start) / np.linalg.norm(end - start)
    out = np.array([along[1], -along[0]])  # (the corners run clockwise: outwards is to the left)
    thick = float(rng.uniform(22, 34))
    colour = [(0.1, 0.1, 0.12), (0.45, 0.2, 0.12), (0.88, 0.88, 0.86)][int(rng.integers(3))]
    lean = np.radians(rng.uniform(0, 12))
    a = start + along * rng.uniform(0.05, 0.5) * np.linalg.norm(end - start) + out * (rng.uniform(0, 20) + thick / 2)
    b = a + rng.uniform(0.4, 0.6) * max(w, h) * (along * np.cos(lean) + out * np.sin(lean))
    cv2.line(world, tuple(int(v) for v in a), tuple(int(v) for v in b), colour, int(thick), cv2.LINE_AA)
    k = int(rng.integers(4))
    radius = float(rng.uniform(40, 55))
    diagonal = corners[k] - corners.mean(axis=0)
    centre = corners[k] + diagonal / np.linalg.norm(diagonal) * (radius + rng.uniform(15, 60))
    grey = float(rng.uniform(0.55, 0.75))
    cv2.circle(world, tuple(int(v) for v in centre), int(radius), (grey, grey, grey * 0.95), -1, cv2.LINE_AA)


def shoot(sheet: Sheet, rng: np.random.Generator, look: Look, frame: tuple[int, int] = VIDEO, roll: float = 0.0,
          scale: float = 1.0, surround: str = "wood", shift: tuple[float, float] = (0.0, 0.0),
          decoys: list | None = None, cluttered: bool = False) -> Picture:
    """Lay the sheet on a desk and photograph it straight from above: the camera centred `shift`
    sheet px off the sheet's centre, turned by `roll` degrees, `scale` frame px per sheet px; then
    the look's light, blur and sensor. `decoys` are placed marks (as Sheet.placed) to box but not
    to put in the truth. A `cluttered` desk has a pen and a coin on it (clutter)."""
    sh, sw = sheet.page.shape[:2]
    m = homography(Shot((sw / 2 + shift[0], sh / 2 + shift[1]), scale, roll), frame)  # sheet -> frame
    fw, fh = frame
    corners = np.float32([[0, 0], [fw, 0], [fw, fh], [0, fh]]).reshape(-1, 1, 2)
    seen = cv2.perspectiveTransform(corners, np.linalg.inv(m)).reshape(-1, 2)
    # A desk just big enough for what the frame sees and the sheet (a 12 MP photo stays affordable).
    x0, y0 = np.floor(np.minimum(seen.min(axis=0), 0)).astype(int) - 16
    x1, y1 = np.ceil(np.maximum(seen.max(axis=0), (sw, sh))).astype(int) + 16
    world = lay_sheet(surface((int(x1 - x0), int(y1 - y0)), surround, rng), sheet.page, int(-x0), int(-y0))
    if cluttered:
        clutter(world, (int(-x0), int(-y0)), (sw, sh), rng)
    to_sheet = np.array([[1, 0, x0], [0, 1, y0], [0, 0, 1]], np.float64)  # world -> sheet px
    image = film(world, m @ to_sheet, frame)
    light = lighting(frame, rng, look.vignette, look.ramp) * look.exposure
    if look.band:
        through = None
        if look.band_across:  # across the sheet: through its long axis, along its short one
            ends = np.float32([[[sw * look.band_across, sh / 2], [sw * look.band_across, sh]]])
            (x, y), (x2, y2) = cv2.perspectiveTransform(ends, m)[0]
            through = ((float(x), float(y)), float(np.arctan2(y2 - y, x2 - x) + rng.uniform(-0.7, 0.7)))
        light = light * (1 - look.band * band_shadow(frame, rng, through))
    if look.hand:  # reaching in towards the frame's middle part from any side
        tip = (fw * rng.uniform(0.3, 0.7), fh * rng.uniform(0.3, 0.7))
        light = light * (1 - look.hand * hand_shadow(frame, tip, rng.uniform(0, 360), fh * rng.uniform(0.18, 0.26)))
    image *= light.astype(np.float32)[..., None]
    if look.cast != (1.0, 1.0, 1.0):
        image *= np.float32(look.cast)
    if look.motion:
        angle = rng.uniform(0, 2 * np.pi)
        image = motion_blur(image, look.motion * np.cos(angle), look.motion * np.sin(angle))
    image = defocus(image, look.defocus)
    if look.blur:
        image = cv2.GaussianBlur(image, (0, 0), look.blur)
    picture = sensor(image, rng, look.noise, look.jpeg)
    boxes = [t.box for t in frame_truth(decoys, m, frame)] if decoys else []
    outline = cv2.perspectiveTransform(np.float32([[[0, 0], [sw, 0], [sw, sh], [0, sh]]]), m)[0]
    return Picture(picture, frame_truth(sheet.placed, m, frame), boxes, sheet.spelled, outline)


# ----------------------------------------------------------------------------- the conditions

def plain(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """The baseline: black felt pen, the sheet upright on a desk, even light, a sharp webcam frame."""
    return shoot(baseline_sheet(rng, bank), rng, Look(), roll=float(rng.uniform(-2, 2)))


def signed(rng: np.random.Generator) -> str:
    """A number as a log of temperatures, balances or ranges holds it: -5, -120, 10-20, 555-1234, 42."""
    kind = rng.random()
    if kind < 0.5:
        return "-" + random_number(rng, int(rng.integers(1, 4)))
    if kind < 0.8:
        return f"{random_number(rng, int(rng.integers(1, 4)))}-{random_number(rng, int(rng.integers(2, 5)))}"
    return random_number(rng, int(rng.integers(1, 4)))


def sign_page(rng: np.random.Generator, bank: DigitBank, texts: Callable[[np.random.Generator], list[str]],
              height: tuple[int, int] = (45, 66), left: int = 60) -> Picture:
    """Four lines of numbers written with signs (each line's `texts`, see write_line), digits
    `height` px tall, in a black felt pen or a blue ballpoint, on the baseline's desk and light."""
    ink, pen = ("blue", 0.035) if rng.random() < 0.5 else ("black", 0.02)
    sheet = new_sheet(SHEET, bank, rng, ink=ink, pen=pen)
    for i in range(4):
        h = int(rng.integers(*height))
        write_line(sheet, texts(rng), left + int(rng.integers(0, 30)), 50 + i * 135 + h, h,
                   float(np.clip(rng.normal(0, 0.008), -0.02, 0.02)))
    return shoot(sheet, rng, Look(), roll=float(rng.uniform(-2, 2)))


def minus_signs(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """Temperatures, balances, ranges and phone numbers: half the numbers have a minus sign, a
    third of the rest a hyphen (a dash 0.3-0.6 of the digits' height long, half way up, in the
    pen's width)."""
    return sign_page(rng, bank, lambda r: [signed(r) for _ in range(3)])


def reading(rng: np.random.Generator) -> str:
    """A number as a sheet of readings holds it: a decimal (12.5, 0.75), a time (09:30) or a whole number."""
    kind = rng.random()
    if kind < 0.2:
        return f"{random_number(rng, 2)}:{random_number(rng, 2)}"
    whole = random_number(rng, int(rng.integers(1, 4)))
    return whole if kind > 0.8 else f"{whole}.{random_number(rng, int(rng.integers(1, 3)))}"


def with_commas(rng: np.random.Generator) -> str:
    """A number written with a comma: thousands (1,250, 12,480), or a decimal comma (3,5, 12,75)."""
    whole = random_number(rng, int(rng.integers(1, 3)))
    return f"{whole},{random_number(rng, 3 if rng.random() < 0.5 else int(rng.integers(1, 3)))}"


def date(rng: np.random.Generator) -> str:
    """Random digits laid out as a date with slashes: dd/mm/yy or dd/mm/yyyy (5/96/4248)."""
    return "/".join((random_number(rng, int(rng.integers(1, 3))), random_number(rng, 2),
                     random_number(rng, int(rng.choice([2, 4])))))


def dates(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """Dates with slashes, two to a line, and a number beside."""
    return sign_page(rng, bank, lambda r: [date(r), date(r), random_number(r, int(r.integers(1, 4)))],
                     height=(40, 56), left=50)


def commas(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """Amounts written with commas, thousands or decimal (1,250, 3,5), and some without; a dot at the
    foot with a tail curling under the line."""
    return sign_page(rng, bank, lambda r: [with_commas(r) if r.random() < 0.8 else random_number(r, 3)
                                           for _ in range(3)])


def decimal_points(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """Meter readings, prices and times: most numbers hold a decimal point (a pen's dot 0.07-0.15 of
    the digits' height across, at their foot) or a colon."""
    return sign_page(rng, bank, lambda r: [reading(r) for _ in range(3)])


def blue_ballpoint(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """Blue ink in a ballpoint's thinner strokes."""
    return shoot(baseline_sheet(rng, bank, ink="blue", pen=0.035), rng, Look(), roll=float(rng.uniform(-2, 2)))


def fine_liner(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """Black ink in a fine-liner's hairline strokes, 1-2 px wide in the frame (a felt pen: 5-7)."""
    return shoot(baseline_sheet(rng, bank, pen=0.045), rng, Look(), roll=float(rng.uniform(-2, 2)))


def faint_pencil(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """Grainy pencil at 80% of synth's pencil darkness (a hard lead): a digit's darkest pixels are
    about 18% darker than the paper around it (plain black ink: about 75%)."""
    sheet = baseline_sheet(rng, bank, ink="pencil", pen=0.03, fade=0.8)
    return shoot(sheet, rng, Look(), roll=float(rng.uniform(-2, 2)))


def dim_room(rng: np.random.Generator) -> Look:
    """A dim room: the paper at about a quarter of full scale (about 50-80 of 255) and the sensor's
    noise about 6 levels (sigma), a tenth of the paper's brightness, on every pixel."""
    return Look(exposure=float(rng.uniform(0.25, 0.35)), vignette=0.2, noise=0.03)


def dim_light(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """The baseline page in a dim room (dim_room)."""
    look = dim_room(rng)
    return shoot(baseline_sheet(rng, bank), rng, look, roll=float(rng.uniform(-2, 2)))


def pencil_in_dim_light(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """Pencil (at 90% of synth's darkness) in a room a little less dim: the paper at 30-40% of
    full scale and the sensor's noise about 6 levels, so the faint strokes stand barely above the
    grain, which is finer than dim_light's in steps of the paper's brightness."""
    sheet = baseline_sheet(rng, bank, ink="pencil", pen=0.03, fade=0.9)
    look = Look(exposure=float(rng.uniform(0.3, 0.4)), vignette=0.2, noise=0.025)
    return shoot(sheet, rng, look, roll=float(rng.uniform(-3, 3)))


def tungsten(rng: np.random.Generator) -> Look:
    """Tungsten light with the camera's white balance left on daylight: blue weak, red strong."""
    return Look(exposure=0.95, cast=(float(rng.uniform(0.4, 0.5)), float(rng.uniform(0.75, 0.82)), 1.0))


def warm_light(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """Black felt pen under tungsten light."""
    look = tungsten(rng)
    return shoot(baseline_sheet(rng, bank), rng, look, roll=float(rng.uniform(-2, 2)))


def blue_in_warm_light(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """A blue ballpoint under tungsten light: the blue ink is dark in red and green only, and
    the paper darkest in blue."""
    look = tungsten(rng)
    return shoot(baseline_sheet(rng, bank, ink="blue", pen=0.035), rng, look, roll=float(rng.uniform(-2, 2)))


def vignetting(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """A sheet filling the frame, written up to its corners, through a lens whose corners get 25-35% of the light."""
    sheet = new_sheet((1240, 700), bank, rng)
    write_rows(sheet, 5, (45, 60), top=30, pitch=125, left=40, numbers=(3, 3))
    look = Look(vignette=float(rng.uniform(0.65, 0.75)), ramp=0.1)
    return shoot(sheet, rng, look, roll=float(rng.uniform(-1, 1)))


def shadow_band(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """A soft-edged band of shadow across part of the sheet, getting 40-50% of the light."""
    look = Look(band=float(rng.uniform(0.5, 0.6)))
    return shoot(baseline_sheet(rng, bank), rng, look, roll=float(rng.uniform(-2, 2)))


def pencil_in_shadow(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """Pencil (synth's darkness) with the soft shadow of a hand held over the page (its fingers'
    shadows soft bands about a digit wide), its darkest getting 60-70% of the light, in a webcam's
    compressed frame (JPEG quality 75)."""
    sheet = baseline_sheet(rng, bank, ink="pencil", pen=0.03)
    look = Look(hand=float(rng.uniform(0.3, 0.4)), jpeg=75)
    return shoot(sheet, rng, look, roll=float(rng.uniform(-2, 2)))


def shadow_in_a_photo(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """A 12 MP phone photo (JPEG) of the page turned 15-30 degrees on the desk, a soft shadow band
    (half the light) across one end of it and on over the desk: the lit rest of the page is a
    bright quadrilateral too."""
    across = float(rng.uniform(0.2, 0.35))
    look = Look(band=0.5, band_across=across if rng.random() < 0.5 else 1 - across, vignette=0.25, noise=0.008,
                jpeg=88)
    roll = float(rng.uniform(15, 30) * rng.choice([-1, 1]))
    return shoot(baseline_sheet(rng, bank), rng, look, frame=PHOTO, scale=3.2, roll=roll)


def motion(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """The camera moves 10-16 px during the exposure (a hand-held webcam panning)."""
    look = Look(motion=float(rng.uniform(10, 16)))
    return shoot(baseline_sheet(rng, bank), rng, look, roll=float(rng.uniform(-2, 2)))


def shot_shaken(sheet: Sheet, rng: np.random.Generator) -> Picture:
    """A sheet filmed with the camera moving 6-10 px during the exposure, turned up to 3 degrees."""
    return shoot(sheet, rng, Look(motion=float(rng.uniform(6, 10))), roll=float(rng.uniform(-3, 3)))


def shaken_ballpoint(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """A blue ballpoint's thin strokes, shaken (shot_shaken): strokes across the motion spread into
    wide, faint bands."""
    return shot_shaken(baseline_sheet(rng, bank, ink="blue", pen=0.035), rng)


def shaken_pencil(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """Pencil (synth's full darkness) or a fine liner's hairlines, shaken (shot_shaken): the thinnest
    and palest strokes, smeared to faint bands (in random mixes of conditions, the two inks that
    read worst shaken)."""
    pencil = rng.random() < 0.5
    return shot_shaken(baseline_sheet(rng, bank, ink="pencil" if pencil else "black",
                                      pen=0.03 if pencil else 0.045), rng)


def out_of_focus(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """The lens focused elsewhere: every point spread to a disc of radius 3-4 px."""
    look = Look(defocus=float(rng.uniform(3, 4)))
    return shoot(baseline_sheet(rng, bank), rng, look, roll=float(rng.uniform(-2, 2)))


def small_sheet(rng: np.random.Generator, bank: DigitBank) -> Sheet:
    """A smaller page (three lines) that stays wholly in the frame when turned."""
    sheet = new_sheet((900, 560), bank, rng)
    write_rows(sheet, 3, (50, 70), top=70, pitch=150)
    return sheet


def rotated(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """The sheet turned 15-30 degrees either way in the frame."""
    roll = float(rng.uniform(15, 30) * rng.choice([-1, 1]))
    return shoot(small_sheet(rng, bank), rng, Look(), roll=roll, scale=0.8)


def folded_corner(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """A smaller page turned 15-30 degrees either way, wholly in the frame, one corner folded under
    (or torn off) for 15-30% of each side beside it: the desk's brown where the corner was. Its
    outline is a pentagon. The corner is the one farthest from the writing, and the fold is made
    smaller where it would take a digit's ink with it."""
    sheet = small_sheet(rng, bank)
    h, w = sheet.page.shape[:2]
    corners = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    ink = np.concatenate([pts for pts, *_ in sheet.placed])
    k = int(np.argmax([np.hypot(*(ink - c).T).min() for c in corners]))
    cut = rng.uniform(0.15, 0.3, 2)
    before, after = corners[k - 1] - corners[k], corners[(k + 1) % 4] - corners[k]
    while True:
        flap = np.float32([corners[k] + cut[0] * before, corners[k], corners[k] + cut[1] * after])
        if all(cv2.pointPolygonTest(flap, (float(x), float(y)), False) < 0 for x, y in ink[::7]):
            break
        cut *= 0.9
    cv2.fillConvexPoly(sheet.page, np.int32(flap), (0.22, 0.33, 0.5))
    roll = float(rng.uniform(15, 30) * rng.choice([-1, 1]))
    return shoot(sheet, rng, Look(), roll=roll, scale=0.6)


def cluttered_desk(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """A smaller page turned up to 25 degrees either way, wholly in the frame, on a wooden desk or
    dark cloth with a pen lying along one of its sides (touching it, or nearly) and a coin off a
    corner (clutter): the outline found must still be the page's."""
    roll = float(rng.uniform(0, 25) * rng.choice([-1, 1]))
    surround = str(rng.choice(["wood", "cloth"]))
    return shoot(small_sheet(rng, bank), rng, Look(), roll=roll, scale=0.6, surround=surround, cluttered=True)


def rotated_close(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """The baseline page turned 15-30 degrees either way, so close that its corners leave the
    frame: no outline to find, so the writing itself must be levelled."""
    roll = float(rng.uniform(15, 30) * rng.choice([-1, 1]))
    return shoot(baseline_sheet(rng, bank), rng, Look(), roll=roll, scale=0.8)


def rotated_35_50(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """The baseline page turned 35-50 degrees either way past any quarter turn, so close that its
    corners leave the frame: so tilted, few of its digits read as digits to tell its slant."""
    roll = float(rng.uniform(35, 50) * rng.choice([-1, 1]) + 90 * rng.integers(0, 4))
    return shoot(baseline_sheet(rng, bank), rng, Look(), roll=roll, scale=0.8)


def dim_and_turned(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """The baseline page in a dim room (dim_room) turned 15-30 degrees either way, so close that
    its corners leave the frame: read through a view turned to level it, whose warp smooths the
    sensor's noise to look like a clean frame's."""
    look = dim_room(rng)
    roll = float(rng.uniform(15, 30) * rng.choice([-1, 1]))
    return shoot(baseline_sheet(rng, bank), rng, look, roll=roll, scale=0.8)


def sideways(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """The page turned a quarter turn (either way) in the frame."""
    roll = float(90 * rng.choice([-1, 1]) + rng.uniform(-3, 3))
    return shoot(small_sheet(rng, bank), rng, Look(), roll=roll, scale=0.75)


def pencil_sideways(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """A pencil page turned a quarter turn (either way), so close that its ends leave the frame:
    with no outline to find, it is read through a view turned a few degrees more to level its
    lines, whose corners lie past the frame's edge."""
    sheet = baseline_sheet(rng, bank, ink="pencil", pen=0.03)
    roll = float(90 * rng.choice([-1, 1]) + rng.uniform(-4, 4))
    return shoot(sheet, rng, Look(), roll=roll, scale=0.75)


def sideways_and_turned(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """The baseline page a quarter turn and 15-30 degrees more round, either way, so close that
    its corners leave the frame: its lines run 60-75 degrees off level, nearer upright."""
    roll = float(90 * rng.choice([-1, 1]) + rng.uniform(15, 30) * rng.choice([-1, 1]))
    return shoot(baseline_sheet(rng, bank), rng, Look(), roll=roll, scale=0.8)


def upside_down(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """The page upside down in the frame, give or take 20 degrees: its 0s, 1s and 8s read as
    well either way up, and a 6 upside down is a 9."""
    roll = float(180 + rng.uniform(-20, 20))
    return shoot(small_sheet(rng, bank), rng, Look(), roll=roll, scale=0.8)


def show_through(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """Writing on the back of the page shows through, mirrored and light grey (the darkest of it
    darkens the paper by 15-25%), in the gaps between the front's lines. It must not be read."""
    sheet = baseline_sheet(rng, bank)
    back = Sheet(np.ones_like(sheet.page), bank, rng, ink="black", pen=0.02)
    write_rows(back, 4, (35, 50), top=122, pitch=135, left=100, indent=350)
    ink = cv2.GaussianBlur(1.0 - back.page.mean(axis=2), (0, 0), 1.2)[:, ::-1]  # through the paper, mirrored
    ink /= max(float(ink.max()), 1e-6)
    sheet.page *= (1 - float(rng.uniform(0.15, 0.25)) * ink)[..., None]
    w = sheet.page.shape[1]
    mirrored = [(np.column_stack([w - 1 - pts[:, 0], pts[:, 1]]), label, line, number)
                for pts, label, line, number in back.placed]
    return shoot(sheet, rng, Look(), roll=float(rng.uniform(-2, 2)), decoys=mirrored)


def sticky_note(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """A yellow sticky note (about 75 mm square) with a 2-4 digit number, lying anywhere on a
    darker textured desk (wood or dark cloth)."""
    size = int(rng.integers(240, 300))
    note = new_sheet((size, size), bank, rng, tint=(0.45, 0.88, 1.0), light=0.08)
    n = int(rng.integers(2, 5))
    height = int(size * min(0.3, 0.6 / n))
    write_line(note, [random_number(rng, n)], int(0.08 * size), int(size / 2 + height / 2), height, right=size - 8)
    shift = (float(rng.uniform(-350, 350)), float(rng.uniform(-130, 130)))
    surround = str(rng.choice(["wood", "cloth"]))
    return shoot(note, rng, Look(ramp=0.1), roll=float(rng.uniform(-15, 15)), surround=surround, shift=shift)


def small_digit(rng: np.random.Generator, bank: DigitBank, frame: tuple[int, int] = PHOTO) -> Picture:
    """One digit 50-80 px tall (1.7-2.7% of the photo's height) somewhere on a sheet filling most of
    a 12 MP phone photo (4000x3000, JPEG). `frame` scales the whole scene (the test renders it small)."""
    k = frame[0] / PHOTO[0]
    sheet = new_sheet((round(2800 * k), round(2000 * k)), bank, rng)
    height = round(rng.integers(50, 81) * k)
    x, bottom = round(rng.integers(250, 2500) * k), round(rng.integers(300, 1750) * k)
    sheet.digit(int(rng.integers(0, 10)), x, bottom, height)
    look = Look(vignette=0.25, ramp=0.1, noise=0.008, jpeg=88)
    return shoot(sheet, rng, look, frame=frame, roll=float(rng.uniform(-5, 5)), surround="table")


def dense(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """Nine lines of three numbers of 2-4 digits, 30-40 px tall (about 80 digits, never fewer than 54)."""
    sheet = new_sheet((1200, 680), bank, rng)
    write_rows(sheet, 9, (30, 41), top=30, pitch=68, digits=(2, 4), numbers=(3, 3))
    return shoot(sheet, rng, Look(), roll=float(rng.uniform(-2, 2)))


def touching(rng: np.random.Generator, bank: DigitBank, digits: int = 2, numbers: tuple[int, int] = (2, 4)) -> Picture:
    """Four lines of numbers whose digits each run into the next (strokes crossing by 0-2 px):
    `digits` digits to a number, numbers[0] to numbers[1] - 1 numbers to a line."""
    sheet = new_sheet(SHEET, bank, rng)
    for row in range(4):
        height = int(rng.integers(50, 66))
        x = 60 + int(rng.integers(0, 40))
        for _ in range(int(rng.integers(*numbers))):
            x = write_touching(sheet, rng.integers(0, 10, digits), x, 50 + row * 135 + height, height,
                               int(rng.integers(1, 4)))
            x += int(height * rng.uniform(1.2, 1.8))
        sheet.lines += 1
    return shoot(sheet, rng, Look(), roll=float(rng.uniform(-2, 2)))


def touching_triples(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """As touching, with three-digit numbers, two to a line, each digit running into the next."""
    return touching(rng, bank, digits=3, numbers=(2, 3))


def number_bounds(sheet: Sheet) -> list[tuple[float, float, float, float]]:
    """Each number written on the sheet, in order: the bounds of its clearly inked pixels, x0, y0, x1, y1."""
    bounds = []
    for number in range(sheet.numbers):
        pts = np.concatenate([p for p, _, _, n in sheet.placed if n == number])
        (x0, y0), (x1, y1) = pts.min(axis=0), pts.max(axis=0)
        bounds.append((x0, y0, x1, y1))
    return bounds


def framed(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """Three lines of numbers, each ringed by a pen loop (a mark circled) or boxed (a form's
    field) in the same pen, the frame 8-18 px clear of its digits; above them a face and a ticked
    box, which are no digits."""
    sheet = new_sheet(SHEET, bank, rng)
    heights = []
    for row in range(3):
        h = int(rng.integers(45, 60))
        heights.append(h)
        texts = [random_number(rng, int(rng.integers(1, 4))) for _ in range(3)]
        write_line(sheet, texts, 80 + int(rng.integers(0, 40)), 140 + row * 170 + h, h, gaps=(2.2, 2.8))
    frames = np.zeros(sheet.page.shape[:2], np.uint8)
    pen = max(2, round(0.06 * float(np.mean(heights))))  # the writing's pen, as thick as its strokes
    for x0, y0, x1, y1 in number_bounds(sheet):
        margin = float(rng.uniform(8, 18))
        if rng.random() < 0.5:  # an ellipse through the box's corners, widened by the margin
            axes = (round((x1 - x0) / 2 * 1.42 + margin), round((y1 - y0) / 2 * 1.42 + margin))
            centre = (round((x0 + x1) / 2), round((y0 + y1) / 2))
            cv2.ellipse(frames, centre, axes, float(rng.uniform(-4, 4)), 0, 360, 255, pen, cv2.LINE_AA)
        else:
            cv2.rectangle(frames, (round(x0 - margin), round(y0 - margin)), (round(x1 + margin), round(y1 + margin)),
                          255, pen, cv2.LINE_AA)
    sheet.lay_ink(frames.astype(np.float32) / 255.0, 0, 0)
    for k, kind in enumerate(("smiley", "box")):
        sheet.doodle(kind, 700 + 160 * k, 15, 70)
    return shoot(sheet, rng, Look(), roll=float(rng.uniform(-2, 2)))


def underlined(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """The baseline page in blue ballpoint, every number underlined by a pen stroke drawn through
    or just under its digits' feet (a total, an answer marked), a little off level."""
    sheet = baseline_sheet(rng, bank, ink="blue", pen=0.035)
    lines = np.zeros(sheet.page.shape[:2], np.uint8)
    for x0, _, x1, y1 in number_bounds(sheet):
        y = round(y1) + int(rng.integers(-1, 3))
        cv2.line(lines, (round(x0) - 4, y), (round(x1) + 4, y + int(rng.integers(-3, 4))), 255, 2, cv2.LINE_AA)
    sheet.lay_ink(lines.astype(np.float32) / 255.0, 0, 0)
    return shoot(sheet, rng, Look(), roll=float(rng.uniform(-3, 3)))


def comb_fields(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """A form's boxes for one digit each (a date, a postcode, an account number): four rows of 4-7
    printed boxes 48-60 px square, a blue ballpoint's digit in each, most of a box tall, often
    touching its walls."""
    sheet = new_sheet(SHEET, bank, rng, ink="blue", pen=0.035)
    walls = (90 / 255,) * 3
    for row in range(4):
        n, size = int(rng.integers(4, 8)), int(rng.integers(48, 60))
        x0, y0 = 60 + int(rng.integers(0, 40)), 40 + row * 130
        for k in range(n):
            cv2.rectangle(sheet.page, (x0 + k * size, y0), (x0 + (k + 1) * size, y0 + size), walls, 1)
        for k in range(n):
            sheet.digit(int(rng.integers(0, 10)), x0 + k * size + int(size * rng.uniform(0.1, 0.3)),
                        y0 + size - int(rng.integers(1, 5)), int(size * rng.uniform(0.75, 0.95)))
        sheet.numbers += 1
        sheet.lines += 1
    return shoot(sheet, rng, Look(), roll=float(rng.uniform(-3, 3)))


def pencil_in_a_table(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """A printed table (black borders 2 px wide, 5 x 5 cells of 150 x 100 px) filled in in pencil,
    a number of 1-3 digits in each cell: the borders, not the writing, are the page's darkest ink."""
    sheet = new_sheet(SHEET, bank, rng, ink="pencil", pen=0.03)
    border = (40 / 255,) * 3
    xs, ys = [60 + k * 150 for k in range(6)], [40 + k * 100 for k in range(6)]
    for x in xs:
        cv2.line(sheet.page, (x, ys[0]), (x, ys[-1]), border, 2)
    for y in ys:
        cv2.line(sheet.page, (xs[0], y), (xs[-1], y), border, 2)
    for row in range(5):
        for col in range(5):
            height = int(rng.integers(40, 60))
            x = xs[col] + int(rng.integers(10, 40))
            for digit in random_number(rng, int(rng.integers(1, 4))):
                x = sheet.digit(int(digit), x, ys[row + 1] - int(rng.integers(15, 35)), height) + int(0.2 * height)
            sheet.numbers += 1
        sheet.lines += 1
    return shoot(sheet, rng, Look(), roll=float(rng.uniform(-3, 3)))


FORM_LABELS = ("Name", "Date", "Total", "Score", "Meter reading", "Room", "Amount", "Order no.", "Phone", "Week",
               "Start", "End", "Price", "Quantity", "Balance", "Account", "Customer", "Station", "Weight", "Height",
               "Points", "Seat", "Invoice", "Batch")
FORM_TITLES = ("Weekly meter readings", "Order form", "Score sheet", "Monthly report", "Stock count",
               "Visitor log")


def print_text(sheet: Sheet, text: str, x: int, bottom: int, height: int, weight: int = 1,
               italic: bool = False) -> int:
    """Print text in black toner (not the sheet's pen) in OpenCV's own font, its capitals `height`
    px tall, its baseline at `bottom`; never in the truth. Returns its right edge."""
    face = cv2.FONT_HERSHEY_SIMPLEX | (cv2.FONT_ITALIC if italic else 0)
    (_, cap), _ = cv2.getTextSize("H", face, 1.0, weight)
    scale = height / max(cap, 1)
    (w, h), below = cv2.getTextSize(text, face, scale, weight)
    mask = np.zeros((h + below + 2 * height, w + 2 * height), np.uint8)
    cv2.putText(mask, text, (height, height + h), face, scale, 255, weight, cv2.LINE_AA)
    crop, top = ink_of(mask)
    ink_onto(sheet.page, 0.92 * crop, INKS["black"], x, bottom - (height + h - top))
    return x + crop.shape[1]


def printed_form(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """A printed form filled in by hand: a printed title, then four rows of one or two printed
    labels (capitals 0.35-0.55 of the writing's height, regular or bold, some italic), each followed
    on its baseline by a handwritten number of 1-5 digits. The print is no digit and must not be read."""
    sheet = new_sheet(SHEET, bank, rng)
    print_text(sheet, str(rng.choice(FORM_TITLES)), 60, 70, int(rng.integers(26, 34)), weight=2)
    for row in range(4):
        h = int(rng.integers(45, 60))
        bottom = 170 + row * 125
        x = 60
        for _ in range(int(rng.integers(1, 3))):
            label = str(rng.choice(FORM_LABELS)) + (":" if rng.random() < 0.5 else "")
            x = print_text(sheet, label, x, bottom, int(h * rng.uniform(0.35, 0.55)), weight=int(rng.integers(1, 3)),
                           italic=bool(rng.random() < 0.25))
            x = write_line(sheet, [random_number(rng, int(rng.integers(1, 6)))], x + int(h * rng.uniform(0.5, 1.0)),
                           bottom, h, right=sheet.page.shape[1] - 20, ends_line=False)
            x += int(h * rng.uniform(1.5, 2.5))
            if x > 700:
                break
        sheet.lines += 1
    return shoot(sheet, rng, Look(), roll=float(rng.uniform(-2, 2)))


HEADER_LETTERS = ("d", "Q", "T", "x", "P", "S")  # a mark table's column labels: d1 d2 d3, Q1 Q2, T1 T2


def indexed_label(sheet: Sheet, letter: str, index: int, x: int, bottom: int, height: int) -> None:
    """Write a letter in the sheet's hand with an index digit at its foot (the d1 over a mark table's
    column), the digit 0.35-0.5 of the letter's height in MNIST's own strokes (a pen's line is as wide
    on a small digit as on a big one); never in the truth."""
    rng = sheet.rng
    x = sheet.word(letter, x, bottom, height)
    h = int(height * rng.uniform(0.35, 0.5))
    alpha = digit_alpha(sheet.bank.take(index), h)
    left = x + int(height * rng.uniform(0.0, 0.12))
    sheet.lay_ink(alpha, left, bottom - h + int(height * rng.uniform(-0.05, 0.12)))


def mark_table(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """A mark table in blue ballpoint: a header of column labels, each a letter with an index at its
    foot (d1 d2 d3, Q1 Q2 Q3), then three rows of marks of 1-3 digits, one under each label. The
    index digits are part of labels, never in the truth (a reader that takes them for numbers
    reads a line of 21 22 23)."""
    sheet = new_sheet(SHEET, bank, rng, ink="blue", pen=0.035)
    columns = int(rng.integers(3, 6))
    pitch = (SHEET[0] - 120) // columns
    height = int(rng.integers(40, 52))
    letter = str(rng.choice(HEADER_LETTERS))
    for c in range(columns):
        indexed_label(sheet, letter, c % 3 + 1, 70 + c * pitch, 110, int(height * rng.uniform(1.0, 1.2)))
    for row in range(3):
        for c in range(columns):
            write_line(sheet, [random_number(rng, int(rng.integers(1, 4)))], 70 + c * pitch + int(rng.integers(0, 30)),
                       240 + row * 130, height, right=70 + (c + 1) * pitch - 20, ends_line=False)
        sheet.lines += 1
    return shoot(sheet, rng, Look(), roll=float(rng.uniform(-3, 3)))


NAMES = ("Anna", "Ben", "Carlos", "Dana", "Emma", "Felix", "Grace", "Hugo", "Irene", "Jonas", "Kim", "Lena", "Marco",
         "Nina", "Omar", "Paula", "Ruth", "Sam", "Tom", "Uma", "Vera", "Will", "Yusuf", "Zoe")


ROW_LABELS = ("Math", "Science", "English", "Art", "History", "Music", "Sport", "Urdu", "Total", *NAMES[:4], "Week",
              "Mon", "Tue", "Wed", "Rent", "Food", "Gas")


def labelled_table(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """A table ruled by hand in the sheet's blue ballpoint (lines 2-3 px wide, slightly off
    straight), a handwritten label in its first column (a subject, a name, a day) and numbers of
    1-3 digits in the three or four columns beside it. The label column is as wide as its longest
    label and 0.2-1 heights more; each number starts 0.15-0.6 heights into its cell. The labels
    are words, never in the truth; the number just past a label's wall is a number."""
    sheet = new_sheet(SHEET, bank, rng, ink="blue", pen=0.035)
    height = int(rng.integers(40, 52))
    labels = [str(v) for v in rng.choice(ROW_LABELS, size=4, replace=False)]
    ys = [60 + k * int(2.2 * height) for k in range(len(labels) + 1)]
    bottoms = [y - int(height * rng.uniform(0.4, 0.7)) for y in ys[1:]]
    # The labels first, so the table is ruled round what was written: their right edges set the first column.
    ends = [sheet.word(label, 40, bottom, int(height * 0.9)) for label, bottom in zip(labels, bottoms, strict=True)]
    first = max(ends) + int(height * rng.uniform(0.2, 1.0))
    columns = int(rng.integers(3, 5))
    pitch = (SHEET[0] - 40 - first) // columns
    xs = [30, first] + [first + (c + 1) * pitch for c in range(columns)]
    ink = tuple(v / 255 for v in INKS["blue"])
    for x in xs:
        cv2.line(sheet.page, (x, ys[0]), (x + int(rng.integers(-4, 5)), ys[-1]), ink, int(rng.integers(2, 4)))
    for y in ys:
        cv2.line(sheet.page, (xs[0], y), (xs[-1], y + int(rng.integers(-4, 5))), ink, int(rng.integers(2, 4)))
    for bottom in bottoms:
        for c in range(columns):
            left = xs[c + 1] + int(height * rng.uniform(0.15, 0.6))
            write_line(sheet, [random_number(rng, int(rng.integers(1, 4)))], left, bottom, height,
                       right=xs[c + 2] - 10, ends_line=False)
        sheet.lines += 1
    return shoot(sheet, rng, Look(), roll=float(rng.uniform(-3, 3)))


UNITS = ("kg", "ml", "eggs", "min", "kWh", "km", "Euro", "apples", "boxes", "pages", "cm", "hours")


def numbers_with_units(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """A list of amounts in blue ballpoint on plain paper: five rows of one or two numbers of 1-4
    digits, each followed 0.5-0.9 heights on (a handwritten space) by its unit or what it counts
    (kg, kWh, eggs, Euro), the next amount 1.5-2.5 heights further. The words are never in the truth."""
    sheet = new_sheet(SHEET, bank, rng, ink="blue", pen=0.035)
    height = int(rng.integers(40, 50))
    for row in range(5):
        bottom = 90 + row * int(2.1 * height)
        x = 60
        for _ in range(2):
            end = write_line(sheet, [random_number(rng, int(rng.integers(1, 5)))], x, bottom, height, ends_line=False)
            x = end + int(height * rng.uniform(0.5, 0.9))
            x = sheet.word(str(rng.choice(UNITS)), x, bottom, int(height * 0.9)) + int(height * rng.uniform(1.5, 2.5))
            if x > SHEET[0] - 300:
                break
        sheet.lines += 1
    return shoot(sheet, rng, Look(), roll=float(rng.uniform(-3, 3)))


def score_sheet(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """A score sheet on plain paper in blue ballpoint: five rows of a handwritten name (capital and
    lowercase) and three scores of 1-3 digits, no lines. The names are words, never in the truth."""
    sheet = new_sheet(SHEET, bank, rng, ink="blue", pen=0.035)
    height = int(rng.integers(40, 50))
    names = [str(v) for v in rng.choice(NAMES, size=5, replace=False)]
    for row, name in enumerate(names):
        bottom = 90 + row * int(2.0 * height)
        end = sheet.word(name, 60, bottom, int(height * rng.uniform(0.85, 1.0)))
        scores = [random_number(rng, int(rng.integers(1, 4))) for _ in range(3)]
        write_line(sheet, scores, max(end + int(height * rng.uniform(1.2, 2.0)), 300), bottom, height)
    return shoot(sheet, rng, Look(), roll=float(rng.uniform(-3, 3)))


LEGAL_PAD = (0.55, 0.93, 1.0)  # BGR of a yellow legal pad's paper, as a share of white


def ruled_page(rng: np.random.Generator, bank: DigitBank, ink: str = "blue",
               tint: tuple[float, float, float] | None = None) -> Sheet:
    """A ruled page (blue rules 60 px apart and a red margin) of paper in `tint` (off-white unless
    given), numbers in `ink` standing on every other rule (their feet on the line)."""
    sheet = new_sheet(SHEET, bank, rng, ink=ink, pen=0.035, tint=tint)
    spacing = 60
    rule_paper(sheet.page, "ruled", spacing, margin=80)
    write_rows(sheet, 4, (38, 50), top=2 * spacing - 1, pitch=2 * spacing, left=100, indent=40,
               slant=(0.006, 0.015), on_rules=True)
    return sheet


def ruled_notebook(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """A school notebook page (ruled_page) written in blue ballpoint, a lamp to one side."""
    return shoot(ruled_page(rng, bank), rng, Look(ramp=0.15), roll=float(rng.uniform(-4, 4)))


def red_pen_on_ruled(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """A teacher's red pen on a school notebook page: writing as coloured as its rules."""
    return shoot(ruled_page(rng, bank, ink="red"), rng, Look(ramp=0.15), roll=float(rng.uniform(-4, 4)))


def legal_pad(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """A yellow legal pad (ruled_page on yellow paper) written in blue ballpoint."""
    return shoot(ruled_page(rng, bank, tint=LEGAL_PAD), rng, Look(ramp=0.15), roll=float(rng.uniform(-4, 4)))


def legal_pad_in_warm_light(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """The legal pad under tungsten light (tungsten): its paper's blue is a quarter of its red."""
    return shoot(ruled_page(rng, bank, tint=LEGAL_PAD), rng, tungsten(rng), roll=float(rng.uniform(-4, 4)))


def legal_pad_turned(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """The legal pad turned 15-25 degrees either way on a wooden desk, its corners out of the frame:
    no outline is found, and the desk's grain is in view beside the page."""
    roll = float(rng.uniform(15, 25) * rng.choice([-1, 1]))
    return shoot(ruled_page(rng, bank, tint=LEGAL_PAD), rng, Look(ramp=0.15), roll=roll)


def legal_pad_sideways(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """The legal pad a quarter turn round, close (its ends out of the frame), a soft shadow band
    across it and the lens up to 2 px out of focus: its rules run down the frame, broken where the
    shadow's edges cross them."""
    roll = float(90 * rng.choice([-1, 1]) + rng.uniform(-8, 8))
    look = Look(band=float(rng.uniform(0.3, 0.5)), defocus=float(rng.uniform(0.0, 2.0)))
    return shoot(ruled_page(rng, bank, tint=LEGAL_PAD), rng, look, roll=roll, scale=0.75)


SQUARE = 28  # px: a squared exercise book's squares


def blank_squares(rng: np.random.Generator, bank: DigitBank, colour: str | None = None, ink: str = "black",
                  pen: float = 0.02) -> Sheet:
    """A squared exercise book's blank page: a grid of SQUARE px squares in `colour`, or blue or
    grey at random."""
    sheet = new_sheet(SHEET, bank, rng, ink=ink, pen=pen, light=0.3)
    rule_paper(sheet.page, "squared", SQUARE, colour=colour or str(rng.choice(["blue", "grey"])))
    return sheet


def squared_sheet(rng: np.random.Generator, bank: DigitBank, colour: str | None = None, ink: str = "black",
                  pen: float = 0.02) -> Sheet:
    """A squared exercise book's page (blank_squares), numbers about two squares tall, their feet
    on a grid line."""
    sheet = blank_squares(rng, bank, colour, ink, pen)
    write_rows(sheet, 4, (44, 54), top=SQUARE // 2 + 4 * SQUARE, pitch=5 * SQUARE, indent=40,
               slant=(0.0, 0.0), on_rules=True)
    return sheet


def marks_on_squares(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """A mark table kept in a squared exercise book, in blue ballpoint: no walls ruled by hand, only
    the printed grid (blue or grey). A handwritten label starts each of five rows (a subject, a name,
    a day), and a number of 1-2 digits stands in each column of 6-7 squares beside it, the first
    column starting at the first grid line past the longest label. The labels are words, never in
    the truth."""
    sheet = blank_squares(rng, bank, ink="blue", pen=0.035)
    height = int(rng.integers(40, 50))
    labels = [str(v) for v in rng.choice(ROW_LABELS, size=5, replace=False)]
    cell = int(rng.integers(6, 8)) * SQUARE
    bottoms = [SQUARE * (4 + 3 * row) for row in range(len(labels))]
    ends = [sheet.word(label, 40, bottom, int(height * 0.9)) for label, bottom in zip(labels, bottoms, strict=True)]
    first = (max(ends) // SQUARE + 1) * SQUARE
    for bottom in bottoms:
        for c in range(int(rng.integers(4, 7))):
            left = first + c * cell + int(rng.integers(4, SQUARE // 2))
            right = min(first + (c + 1) * cell - 6, SHEET[0] - 40)
            if left + height < right:
                write_line(sheet, [random_number(rng, int(rng.integers(1, 3)))], left, bottom, height,
                           right=right, ends_line=False)
        sheet.lines += 1
    return shoot(sheet, rng, Look(), roll=float(rng.uniform(-3, 3)))


def squared_paper(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """Black pen on a blue or grey grid lit from one side, so the grid is darker where the light
    falls off."""
    sheet = squared_sheet(rng, bank)
    return shoot(sheet, rng, Look(ramp=0.25), roll=float(rng.uniform(-3, 3)))


def pencil_on_squares(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """Pencil on a blue grid: in the darkest colour channel the grid is as dark as the writing."""
    sheet = squared_sheet(rng, bank, "blue", ink="pencil", pen=0.03)
    return shoot(sheet, rng, Look(ramp=0.1), roll=float(rng.uniform(-3, 3)))


def blue_pen_on_squares(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """A blue ballpoint on a blue grid (a squared exercise book): writing and rules of one colour."""
    sheet = squared_sheet(rng, bank, "blue", ink="blue", pen=0.035)
    return shoot(sheet, rng, Look(ramp=0.1), roll=float(rng.uniform(-3, 3)))


def red_pen_on_squares(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """A teacher's red pen on a blue grid in a phone's JPEG (quality 85): writing and rules both
    coloured, the rules' thin lines paled by JPEG's coarse colour."""
    sheet = squared_sheet(rng, bank, "blue", ink="red", pen=0.035)
    return shoot(sheet, rng, Look(ramp=0.1, jpeg=85), roll=float(rng.uniform(-3, 3)))


def blue_pen_on_sharp_squares(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """As blue_pen_on_squares through a sharper lens (blur sigma 0.2 px, the baseline's 0.5): the
    rules' hairlines as dark as the pen's strokes, both a pixel or two wide."""
    sheet = squared_sheet(rng, bank, "blue", ink="blue", pen=0.035)
    return shoot(sheet, rng, Look(ramp=0.1, blur=0.2), roll=float(rng.uniform(-3, 3)))


def squares_in_a_jpeg(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """Pencil on a blue grid in a phone's JPEG (quality 90): it keeps colour at half resolution,
    so a thin rule's colour spreads and pales, and the rules are harder to tell from the writing."""
    sheet = squared_sheet(rng, bank, "blue", ink="pencil", pen=0.03)
    return shoot(sheet, rng, Look(ramp=0.1, jpeg=90), roll=float(rng.uniform(-3, 3)))


def fibres(page: np.ndarray, rng: np.random.Generator, count: int, length: tuple[int, int],
           darkness: tuple[float, float]) -> None:
    """The flecks of grey recycled paper: `count` soft, slightly dark fibres, `length` px long and a
    third to a half as wide, each `darkness` (a share) darker than the paper at its core."""
    h, w = page.shape[:2]
    shade = np.zeros((h, w), np.float32)
    for _ in range(count):
        long = float(rng.uniform(*length))
        axes = (max(1, round(long / 2)), max(1, round(long * rng.uniform(0.15, 0.25))))
        centre = (int(rng.integers(0, w)), int(rng.integers(0, h)))
        fleck = np.zeros_like(shade)
        cv2.ellipse(fleck, centre, axes, float(rng.uniform(0, 180)), 0, 360, float(rng.uniform(*darkness)), -1)
        np.maximum(shade, fleck, out=shade)
    page *= (1 - cv2.GaussianBlur(shade, (0, 0), 0.7))[..., None]


def textured_paper(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """Grey recycled paper photographed close in 12 MP (JPEG): its fibres, shrunk to the reader's
    working size, are as big as a tenth of the digits, and some lie in the paper an open digit
    spans (a 4, a 7); each about a quarter as dark as the fine-liner's strokes. Three lines of
    numbers, digits about 300 px tall in the photo."""
    sheet = new_sheet((720, 540), bank, rng, pen=0.04, tint=(0.80, 0.81, 0.82), light=0.06)
    write_rows(sheet, 3, (50, 62), top=50, pitch=160, digits=(1, 3), numbers=(2, 2))
    fibres(sheet.page, rng, 700, (3, 9), (0.14, 0.24))
    look = Look(vignette=0.2, blur=1.0, noise=0.008, jpeg=88)
    return shoot(sheet, rng, look, frame=PHOTO, scale=5.3, roll=float(rng.uniform(-3, 3)))


def tape(page: np.ndarray, rng: np.random.Generator, corner: tuple[int, int]) -> None:
    """A strip of clear tape across a corner of the page: a little darker and yellower, its edges
    catching the light as faint lines."""
    length, width = int(rng.integers(80, 120)), int(rng.integers(26, 34))
    angle = float(rng.uniform(30, 60)) * (1 if corner[0] == 0 else -1)
    rect = cv2.boxPoints(((float(corner[0]), float(corner[1])), (float(length), float(width)), angle))
    mask = np.zeros(page.shape[:2], np.float32)
    cv2.fillPoly(mask, [rect.astype(np.int32)], 1.0)
    edges = np.zeros_like(mask)
    cv2.polylines(edges, [rect.astype(np.int32)], True, 1.0, 1, cv2.LINE_AA)
    shade = 1 - 0.06 * mask - 0.12 * edges
    page *= shade[..., None] * np.where(mask[..., None] > 0, np.float32((0.92, 1.0, 1.0)), np.float32(1.0))


def taped_to_wall(rng: np.random.Generator, bank: DigitBank) -> Picture:
    """A sheet taped to a light wall nearly as bright as the paper, seen from a step away (smaller
    in the frame), tape over its top corners, the light falling off across it."""
    sheet = baseline_sheet(rng, bank)
    w = sheet.page.shape[1]
    for corner in ((0, 0), (w - 1, 0)):
        tape(sheet.page, rng, corner)
    look = Look(ramp=0.2, vignette=0.25)
    return shoot(sheet, rng, look, roll=float(rng.uniform(-6, 6)), scale=0.8, surround="wall")


CONDITIONS: dict[str, Callable[[np.random.Generator, DigitBank], Picture]] = {
    "plain": plain,
    "decimal_points": decimal_points,
    "minus_signs": minus_signs,
    "commas": commas,
    "dates": dates,
    "blue_ballpoint": blue_ballpoint,
    "fine_liner": fine_liner,
    "faint_pencil": faint_pencil,
    "dim_light": dim_light,
    "pencil_in_dim_light": pencil_in_dim_light,
    "warm_light": warm_light,
    "blue_in_warm_light": blue_in_warm_light,
    "vignetting": vignetting,
    "shadow_band": shadow_band,
    "pencil_in_shadow": pencil_in_shadow,
    "shadow_in_a_photo": shadow_in_a_photo,
    "motion_blur": motion,
    "shaken_ballpoint": shaken_ballpoint,
    "shaken_pencil": shaken_pencil,
    "defocus": out_of_focus,
    "rotated_15_30": rotated,
    "folded_corner": folded_corner,
    "cluttered_desk": cluttered_desk,
    "rotated_close": rotated_close,
    "rotated_35_50": rotated_35_50,
    "dim_and_turned": dim_and_turned,
    "sideways_90": sideways,
    "pencil_sideways": pencil_sideways,
    "sideways_and_turned": sideways_and_turned,
    "upside_down": upside_down,
    "show_through": show_through,
    "sticky_note": sticky_note,
    "small_digit_12mp": small_digit,
    "dense_40plus": dense,
    "touching_pairs": touching,
    "touching_triples": touching_triples,
    "circled_and_boxed": framed,
    "underlined": underlined,
    "printed_form": printed_form,
    "comb_fields": comb_fields,
    "pencil_in_a_table": pencil_in_a_table,
    "mark_table": mark_table,
    "labelled_table": labelled_table,
    "score_sheet": score_sheet,
    "numbers_with_units": numbers_with_units,
    "ruled_notebook": ruled_notebook,
    "red_pen_on_ruled": red_pen_on_ruled,
    "legal_pad": legal_pad,
    "legal_pad_turned": legal_pad_turned,
    "legal_pad_in_warm_light": legal_pad_in_warm_light,
    "legal_pad_sideways": legal_pad_sideways,
    "squared_paper": squared_paper,
    "pencil_on_squares": pencil_on_squares,
    "red_pen_on_squares": red_pen_on_squares,
    "blue_pen_on_squares": blue_pen_on_squares,
    "blue_pen_on_sharp_squares": blue_pen_on_sharp_squares,
    "squares_in_a_jpeg": squares_in_a_jpeg,
    "marks_on_squares": marks_on_squares,
    "textured_paper": textured_paper,
    "taped_to_wall": taped_to_wall,
}


def render(name: str, page: int, digits: np.ndarray, labels: np.ndarray, seed: int = SEED) -> Picture:
    """Page `page` of condition `name`: the same picture on every call."""
    rng = np.random.default_rng([seed, zlib.crc32(name.encode()), page])
    return CONDITIONS[name](rng, DigitBank(digits, labels, rng))


@dataclass
class Row:
    """One condition's pooled counts."""

    name: str
    pages: int = 0
    true: int = 0
    right: int = 0
    read: int = 0  # digits read in all, right or not
    extra: int = 0  # read beyond the truth's count, page by page
    numbers: int = 0
    numbers_right: int = 0
    seconds: float = 0.0  # recognizer time, all pages
    sheets: int = 0  # pages whose sheet lies wholly in the frame, OUTLINE inside its edge or more
    sheets_found: int = 0  # ...and was found: every corner within OUTLINE of where it is
    outlines_wrong: int = 0  # outlines found further off (on any page)
    lost: Counter = field(default_factory=Counter)  # why true digits were lost (see why_lost), where asked

    def add(self, other: Row) -> None:
        """Pool another row's counts into this one (a total)."""
        for count in fields(self)[1:]:  # (all but the name)
            setattr(self, count.name, getattr(self, count.name) + getattr(other, count.name))

    def line(self) -> str:
        share = 100 * self.right / self.true if self.true else 0.0
        exact = 100 * self.numbers_right / self.numbers if self.numbers else 0.0
        ms = 1000 * self.seconds / self.pages if self.pages else 0.0
        return (f"{self.name:<18} {self.pages:>5} {self.true:>7} {share:>10.1f}% {self.extra:>6} "
                f"{exact:>13.1f}% {f'{self.sheets_found}/{self.sheets}':>12} {self.outlines_wrong:>6} {ms:>9.0f}")

    def why_line(self) -> str:
        """Its true digits, the share lost and, per cause (LOST), the share lost to it."""
        shares = [100 * self.lost[k] / max(1, self.true) for k in LOST]
        return f"{self.name:<18} {self.true:>7} {sum(shares):>6.1f}%  " + "  ".join(f"{v:>8.1f}%" for v in shares)

    def sheets_line(self) -> str:
        """The sheets found, as a sentence."""
        return (f"sheets wholly in view found on {self.sheets_found} of {self.sheets} pages, "
                f"{self.outlines_wrong} outlines found wrong")


WHY_HEADER = f"{'':<18} {'digits':>7} {'lost':>7}  " + "  ".join(f"{k:>9}" for k in LOST)


def every_mark(config: Config) -> Recognizer:
    """The recognizer with its keep rules off (no least confidence, no specks, faint marks or words
    left out): every mark it reads is in its reading, to tell why a digit was lost (see why_lost)."""
    return Recognizer(replace(config, min_confidence=0.0, min_relative_height=0.0, min_relative_ink=0.0,
                              skip_words=False))


def measure(name: str, pages: int, digits: np.ndarray, labels: np.ndarray, recognizer: Recognizer,
            why: Recognizer | None = None) -> Row:
    """Read `pages` pictures of one condition, each as a new scene (see tally for ``why``)."""
    row = Row(name)
    for page in range(pages):
        tally(row, render(name, page, digits, labels), recognizer, why)
    return row


def tally(row: Row, picture: Picture, recognizer: Recognizer, why: Recognizer | None = None) -> None:
    """Read one picture, as a new scene, into the row's counts; and with ``why`` (see every_mark),
    read it again with that to tell why the digits lost were lost."""
    recognizer.reset()
    clock = time.perf_counter()
    result = recognizer.process(picture.frame)
    row.seconds += time.perf_counter() - clock
    record = {"digits": [asdict(t) for t in picture.truth]}  # as the samples' truth files hold it
    truth = truth_digits(record)
    read = [(d.box, d.label) for d in result.digits]
    row.right += match_digits(truth, read, MIN_IOU)
    if why is not None:
        why.reset()
        candidates = [(d.box, d.label, d.confidence) for d in why.process(picture.frame).digits]
        row.lost.update(why_lost(truth, read, candidates, MIN_IOU))
    row.true += len(truth)
    row.read += len(result.digits)
    row.extra += max(0, len(result.digits) - len(truth))
    numbers = truth_numbers(record, picture.spelled)
    row.numbers += len(numbers)
    row.numbers_right += numbers_read_exactly(numbers, [(n.text, n.box) for n in result.numbers])
    row.pages += 1
    if picture.corners is not None:
        h, w = picture.frame.shape[:2]
        tolerance = OUTLINE * max(h, w)
        in_view = bool(((picture.corners >= tolerance) & (picture.corners < [w - tolerance, h - tolerance])).all())
        right = result.sheet is not None and bool(
            np.abs(order_corners(result.sheet.corners) - order_corners(picture.corners)).max() <= tolerance)
        row.sheets += in_view
        row.sheets_found += in_view and right
        row.outlines_wrong += result.sheet is not None and not right


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.conditions", description=__doc__.splitlines()[0])
    p.add_argument("--pages", type=int, default=4, help="pictures per condition")
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="npz of MNIST test digits")
    p.add_argument("--model", type=Path, default=DEFAULT_MODEL, help="model the recognizer loads")
    p.add_argument("--only", nargs="+", choices=list(CONDITIONS), metavar="NAME",
                   help=f"conditions to run (default all: {', '.join(CONDITIONS)})")
    p.add_argument("--why", action="store_true", help="also tell why the digits lost were lost (twice the time)")
    args = p.parse_args(argv)
    digits, labels = load_digits(str(args.data))
    config = Config(model_path=args.model)
    recognizer, why = Recognizer(config), every_mark(config) if args.why else None
    print(f"{'condition':<18} {'pages':>5} {'digits':>7} {'read right':>11} {'extra':>6} {'numbers exact':>14} "
          f"{'sheet found':>12} {'wrong':>6} {'ms/frame':>9}")
    total, rows = Row("all"), []
    for name in args.only or CONDITIONS:
        row = measure(name, args.pages, digits, labels, recognizer, why)
        print(row.line(), flush=True)
        total.add(row)
        rows.append(row)
    print(total.line())
    if why is not None:
        print(f"\nwhy digits were lost (share of the true digits)\n{WHY_HEADER}")
        for row in [*rows, total]:
            print(row.why_line())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
