"""Render MNIST digits as pen or pencil ink on paper, then photograph it with a simulated camera.

Every digit's box is tracked through all the warps, so the ground truth is exact. Used by the
tests (on a few hundred shipped MNIST test digits) and by the sample maker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

INKS = {  # BGR colours of common pens, as they look on white paper
    "black": (30, 30, 35),
    "blue": (140, 60, 25),
    "pencil": (95, 95, 100),
    "red": (40, 40, 190),
}


@dataclass(frozen=True)
class TruthDigit:
    box: tuple[int, int, int, int]  # x, y, w, h in frame pixels
    label: int
    line: int
    number: int  # index of the number it belongs to


def paper(size: tuple[int, int], rng: np.random.Generator, tint: tuple[float, float, float] = (1.0, 1.0, 1.0),
          light: float = 0.35) -> np.ndarray:
    """A sheet of paper (float BGR in [0,1]) lit unevenly: a brightness gradient and grain."""
    w, h = size
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    ramp = (np.cos(angle) * xx / w + np.sin(angle) * yy / h)
    ramp = (ramp - ramp.min()) / max(float(np.ptp(ramp)), 1e-6)
    shade = 0.92 - light * ramp
    page = np.empty((h, w, 3), np.float32)
    for c in range(3):
        page[..., c] = shade * tint[c]
    page += rng.normal(0, 0.012, (h, w, 1)).astype(np.float32)
    return page


def draw_digit(page: np.ndarray, digit: np.ndarray, x: int, y: int, height: int,
               ink: tuple[int, int, int], strength: float = 0.9) -> np.ndarray:
    """Lay an MNIST digit's ink onto the page with its ink box's top-left at (x, y); return ink pixel coords."""
    ys, xs = np.nonzero(digit > 30)
    crop = digit[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1].astype(np.float32) / 255.0
    scale = height / crop.shape[0]
    w = max(1, round(crop.shape[1] * scale))
    alpha = cv2.resize(crop, (w, height), interpolation=cv2.INTER_CUBIC).clip(0, 1) * strength
    region = page[y : y + height, x : x + w]
    colour = np.array(ink, np.float32) / 255.0
    a = alpha[: region.shape[0], : region.shape[1], None]
    region[:] = region * (1 - a) + colour * a
    py, px = np.nonzero(alpha > 0.3 * strength)
    return np.stack([px + x, py + y], axis=1)


def compose_page(digits: np.ndarray, labels: np.ndarray, lines: list[list[int]], size: tuple[int, int],
                 rng: np.random.Generator, height: tuple[int, int] = (40, 80), ink: str = "black",
                 margin: float = 0.12) -> tuple[np.ndarray, list[tuple[np.ndarray, int, int, int]]]:
    """Write numbers on a page: lines[i] lists the digit counts of line i's numbers.

    Returns the page (float BGR) and, per digit, (ink pixel coords, label, line, number).
    """
    w, h = size
    page = paper(size, rng)
    placed = []
    k = number = 0
    line_h = (1 - 2 * margin) * h / max(len(lines), 1)
    for line_no, numbers in enumerate(lines):
        dh = int(min(rng.integers(*height), 0.8 * line_h))
        x = int(margin * w + rng.uniform(0, 0.05 * w))
        base = int(margin * h + line_no * line_h + (line_h - dh) / 2)
        for count in numbers:
            for _ in range(count):
                d, lab = digits[k % len(digits)], int(labels[k % len(labels)])
                k += 1
                y = base + int(rng.integers(-dh // 10, dh // 10 + 1))
                pts = draw_digit(page, d, x, y, dh, INKS[ink])
                placed.append((pts, lab, line_no, number))
                x = int(pts[:, 0].max()) + int(dh * rng.uniform(0.15, 0.35))
            number += 1
            x += int(dh * rng.uniform(1.2, 1.8))
    return page, placed


def photograph(page: np.ndarray, placed: list[tuple[np.ndarray, int, int, int]], rng: np.random.Generator,
               angle: float = 0.0, noise: float = 0.02, blur: float = 0.6,
               desk: tuple[int, int, int] | None = None, zoom: float = 1.0,
               shift: tuple[float, float] = (0.0, 0.0)) -> tuple[np.ndarray, list[TruthDigit]]:
    """Turn the page by `angle` degrees, zoom and shift it (on a desk colour if given), blur, add
    sensor noise, make uint8 BGR."""
    h, w = page.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, zoom)
    m[:, 2] += shift
    border = tuple(c / 255.0 for c in desk) if desk is not None else None
    mode = cv2.BORDER_CONSTANT if desk is not None else cv2.BORDER_REPLICATE
    out = cv2.warpAffine(page, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=mode, borderValue=border or 0)
    if blur > 0:
        out = cv2.GaussianBlur(out, (0, 0), blur)
    out = out + rng.normal(0, noise, out.shape).astype(np.float32)
    frame = (out.clip(0, 1) * 255).astype(np.uint8)
    truth = []
    for pts, label, line, number in placed:
        moved = pts @ m[:, :2].T + m[:, 2]
        x0, y0 = np.floor(moved.min(axis=0)).astype(int)
        x1, y1 = np.ceil(moved.max(axis=0)).astype(int)
        truth.append(TruthDigit((int(x0), int(y0), int(x1 - x0 + 1), int(y1 - y0 + 1)), label, line, number))
    return frame, truth


def load_digits(path: str) -> tuple[np.ndarray, np.ndarray]:
    """MNIST digits and labels from an npz holding x/y (shipped subset) or x_test/y_test (full MNIST)."""
    data = np.load(path)
    if "x_test" in data:
        return data["x_test"], data["y_test"]
    return data["x"], data["y"]


# ---------------------------------------------------------------------------------------------
# Sheets: ruled or squared paper, lines of numbers and words, doodles. Everything is drawn in
# "world" pixels (the desk plane); the camera below maps the world into frames.
# ---------------------------------------------------------------------------------------------

RULE_COLOURS = {"blue": (200, 150, 110), "grey": (170, 170, 170), "red": (110, 110, 225)}  # BGR, printed lines
# Handwriting fonts from Debian packages (fonts-dkg-handwriting, fonts-humor-sans, fonts-breip, fonts-kristi),
# used only for words, never for digits. Without them, words are drawn in OpenCV's own font.
FONT_FILES = ("fifthhorseman/dkg.ttf", "humor-sans/Humor-Sans.ttf", "breip/Breip.ttf", "kristi/Kristi.ttf")
FONT_DIR = Path("/usr/share/fonts/truetype")
_fonts: list = []


def handwriting_fonts() -> list:
    """The installed handwriting fonts (OpenCV FontFace objects), loaded once."""
    if not _fonts:
        _fonts.extend(cv2.FontFace(str(FONT_DIR / f)) for f in FONT_FILES if (FONT_DIR / f).is_file())
    return _fonts


def ink_onto(page: np.ndarray, alpha: np.ndarray, ink: tuple[int, int, int], x: int = 0, y: int = 0) -> None:
    """Blend ink of coverage `alpha` (0..1) into the page at (x, y), clipped to the page."""
    h, w = page.shape[:2]
    x0, y0 = max(x, 0), max(y, 0)
    x1, y1 = min(x + alpha.shape[1], w), min(y + alpha.shape[0], h)
    if x1 <= x0 or y1 <= y0:
        return
    a = alpha[y0 - y : y1 - y, x0 - x : x1 - x, None]
    colour = np.array(ink, np.float32) / 255.0
    page[y0:y1, x0:x1] = page[y0:y1, x0:x1] * (1 - a) + colour * a


def rule_paper(page: np.ndarray, style: str, spacing: int, colour: str = "blue", margin: int | None = None) -> None:
    """Print ruled lines (with a red margin) or a squared grid onto blank paper, before any writing,
    so that the writing lies on top of the lines as on a real sheet."""
    h, w = page.shape[:2]
    mask = np.zeros((h, w), np.uint8)
    if style == "ruled":
        for y in range(2 * spacing, h - spacing // 2, spacing):
            cv2.line(mask, (0, y), (w - 1, y), 255, 1, cv2.LINE_AA)
    elif style == "squared":
        for y in range(spacing // 2, h, spacing):
            cv2.line(mask, (0, y), (w - 1, y), 255, 1, cv2.LINE_AA)
        for x in range(spacing // 2, w, spacing):
            cv2.line(mask, (x, 0), (x, h - 1), 255, 1, cv2.LINE_AA)
    ink_onto(page, mask.astype(np.float32) / 255.0 * 0.75, RULE_COLOURS[colour])
    if style == "ruled" and margin:
        red = np.zeros((h, w), np.uint8)
        cv2.line(red, (margin, 0), (margin, h - 1), 255, 2, cv2.LINE_AA)
        ink_onto(page, red.astype(np.float32) / 255.0 * 0.7, RULE_COLOURS["red"])


def digit_alpha(digit: np.ndarray, height: int, pen: float = 0.0) -> np.ndarray:
    """An MNIST digit's ink cropped and scaled to `height` px (0..1). MNIST strokes are as thick as
    a felt marker's; `pen` > 0 thins them by that share of the height, as a ballpoint or pencil writes."""
    ys, xs = np.nonzero(digit > 30)
    crop = digit[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1].astype(np.float32) / 255.0
    scale = height / crop.shape[0]
    w = max(1, round(crop.shape[1] * scale))
    alpha = cv2.resize(crop, (w, height), interpolation=cv2.INTER_CUBIC).clip(0, 1)
    k = round(pen * height)
    if k >= 1:
        thinned = cv2.erode(alpha, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * k + 1, 2 * k + 1)))
        alpha = cv2.GaussianBlur(thinned, (0, 0), 0.6)
    return alpha


def pencil_grain(alpha: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Graphite leaves broken, grainy strokes: thin the coverage by speckle."""
    grain = rng.uniform(0.55, 1.0, alpha.shape).astype(np.float32)
    return alpha * cv2.GaussianBlur(grain, (0, 0), 0.7)


class DigitBank:
    """Draws MNIST test digits of a wanted label at random, without repeating one until all were used."""

    def __init__(self, digits: np.ndarray, labels: np.ndarray, rng: np.random.Generator) -> None:
        self.digits = digits
        self.rng = rng
        self.pool = {d: list(rng.permutation(np.flatnonzero(labels == d))) for d in range(10)}
        self.used: dict[int, int] = dict.fromkeys(range(10), 0)

    def take(self, label: int) -> np.ndarray:
        pool = self.pool[label]
        image = self.digits[pool[self.used[label] % len(pool)]]
        self.used[label] += 1
        return image


def ink_of(mask: np.ndarray) -> tuple[np.ndarray, int]:
    """A text mask (0-255) cropped to its ink, as 0-1 floats, and the row of the mask its ink starts on."""
    ys, xs = np.nonzero(mask)
    if not len(xs):
        return np.zeros((0, 0), np.float32), 0
    return mask[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1].astype(np.float32) / 255.0, int(ys.min())


@dataclass
class Sheet:
    """A sheet being written on: numbers (recorded for the truth), words and doodles (not recorded)."""

    page: np.ndarray
    bank: DigitBank
    rng: np.random.Generator
    ink: str = "black"
    pen: float = 0.0  # stroke thinning, see digit_alpha
    placed: list = field(default_factory=list)  # (ink pixel coords, label, line, number)
    spelled: dict = field(default_factory=dict)  # number -> its text, where it holds more than digits (12.5)
    lines: int = 0
    numbers: int = 0

    @property
    def colour(self) -> tuple[int, int, int]:
        return INKS[self.ink]

    def lay_ink(self, alpha: np.ndarray, x: int, y: int) -> np.ndarray:
        """Put ink on the page; return the page coords of its clearly inked pixels."""
        strength = 0.65 if self.ink == "pencil" else 0.92
        if self.ink == "pencil":
            alpha = pencil_grain(alpha, self.rng)
        alpha = alpha * strength
        ink_onto(self.page, alpha, self.colour, x, y)
        py, px = np.nonzero(alpha > 0.3 * strength)
        return np.stack([px + x, py + y], axis=1).astype(np.float32)

    def digit(self, label: int, x: int, bottom: int, height: int) -> int:
        """Write one digit with its ink box's bottom-left at (x, bottom); return its right edge."""
        alpha = digit_alpha(self.bank.take(label), height, self.pen)
        pts = self.lay_ink(alpha, x, bottom - height)
        self.placed.append((pts, label, self.lines, self.numbers))
        return x + alpha.shape[1]

    def word(self, text: str, x: int, bottom: int, height: int) -> int:
        """Write a word in a handwriting font, capitals about `height` px, its baseline at `bottom`;
        return its right edge."""
        size = max(8, round(height / 0.7))  # a font's capitals are about 0.7 of its size
        base = int(1.6 * size)
        mask = np.zeros((2 * size + 10, size * len(text) + 20), np.uint8)
        fonts = handwriting_fonts()
        if fonts:
            cv2.putText(mask, text, (5, base), 255, fonts[int(self.rng.integers(len(fonts)))], size)
        else:  # no handwriting font installed: OpenCV's own
            cv2.putText(mask, text, (5, base), cv2.FONT_HERSHEY_SCRIPT_SIMPLEX, size / 30, 255, max(1, size // 15),
                        cv2.LINE_AA)
        crop, top = ink_of(mask)
        if not crop.size:
            return x
        self.lay_ink(crop, x, bottom - (base - top))
        return x + crop.shape[1]

    def write(self, text: str, x: int, bottom: int, height: int, slope: float = 0.0,
              gaps: tuple[float, float] = (1.2, 1.8)) -> int:
        """Write a line: runs of digits become numbers (in the truth), other tokens words (not in it).

        Digits of a number stand 0.15-0.35 heights apart, tokens `gaps` heights apart; the line
        drifts by `slope` (pixels down per pixel right), as handwriting does. Returns the right edge.
        """
        start, has_digits, right = x, False, x
        for token in text.split():
            if token.isdigit():
                for ch in token:
                    h = int(height * self.rng.uniform(0.9, 1.08))
                    y = int(bottom + slope * (x - start) + self.rng.uniform(-0.05, 0.05) * height)
                    x = self.digit(int(ch), x, y, h) + int(height * self.rng.uniform(0.15, 0.35))
                self.numbers += 1
                has_digits = True
            else:
                x = self.word(token, x, int(bottom + slope * (x - start)), int(0.8 * height))
            right = x
            x += int(height * self.rng.uniform(*gaps))
        if has_digits and right > self.page.shape[1]:
            raise ValueError(f"line {text!r} runs off the sheet ({right} > {self.page.shape[1]} px)")
        self.lines += int(has_digits)
        return x

    def doodle(self, kind: str, x: int, y: int, size: int) -> None:
        """Draw a non-digit mark with its box's top-left at (x, y): circle, arrow, star, scribble,
        smiley, box, wave or underline. Never in the truth: a reader must not take them for digits."""
        mask = np.zeros((size + 8, size + 8), np.uint8)
        t, c, r = max(2, size // 25), (size // 2 + 4, size // 2 + 4), size // 2
        draw = DOODLES[kind]
        draw(mask, self.rng, c, r, t)
        self.lay_ink(mask.astype(np.float32) / 255.0, x - 4, y - 4)


def _circle(m, rng, c, r, t):
    cv2.ellipse(m, c, (r, int(r * rng.uniform(0.6, 0.95))), float(rng.uniform(0, 180)), 0, 340, 255, t, cv2.LINE_AA)


def _arrow(m, rng, c, r, t):
    cv2.arrowedLine(m, (c[0] - r, c[1] + r // 3), (c[0] + r, c[1] - r // 3), 255, t, cv2.LINE_AA, tipLength=0.3)


def _star(m, rng, c, r, t):
    pts = [(c[0] + r * np.sin(a), c[1] - r * np.cos(a)) for a in np.arange(5) * 4 * np.pi / 5]
    cv2.polylines(m, [np.int32(pts)], True, 255, t, cv2.LINE_AA)


def _scribble(m, rng, c, r, t):
    """Loops run together, as when trying a pen."""
    u = np.linspace(0, 1, 80)
    loops = int(rng.integers(3, 6))
    xs = c[0] + r * 0.9 * (2 * u - 1) + r / 4 * np.cos(2 * np.pi * loops * u)
    ys = c[1] + r / 3 * np.sin(2 * np.pi * loops * u) + rng.normal(0, r / 30, u.size)
    cv2.polylines(m, [np.int32(np.stack([xs, ys], axis=1))], False, 255, t, cv2.LINE_AA)


def _smiley(m, rng, c, r, t):
    cv2.circle(m, c, r - t, 255, t, cv2.LINE_AA)
    for dx in (-r // 3, r // 3):
        cv2.circle(m, (c[0] + dx, c[1] - r // 4), max(1, t), 255, -1, cv2.LINE_AA)
    cv2.ellipse(m, (c[0], c[1] + r // 8), (r // 2, r // 3), 0, 20, 160, 255, t, cv2.LINE_AA)


def _box(m, rng, c, r, t):
    cv2.rectangle(m, (c[0] - r + t, c[1] - r + t), (c[0] + r - t, c[1] + r - t), 255, t, cv2.LINE_AA)
    cv2.line(m, (c[0] - r // 2, c[1]), (c[0] - r // 8, c[1] + r // 2), 255, t, cv2.LINE_AA)
    cv2.line(m, (c[0] - r // 8, c[1] + r // 2), (c[0] + r // 2, c[1] - r // 2), 255, t, cv2.LINE_AA)


def _wave(m, rng, c, r, t):
    xs = np.linspace(c[0] - r, c[0] + r, 40)
    ys = c[1] + r / 4 * np.sin((xs - xs[0]) / r * 3 * np.pi)
    cv2.polylines(m, [np.int32(np.stack([xs, ys], axis=1))], False, 255, t, cv2.LINE_AA)


def _underline(m, rng, c, r, t):
    cv2.line(m, (c[0] - r, c[1] + r // 2), (c[0] + r, c[1] + r // 2 - int(rng.integers(-3, 4))), 255, t, cv2.LINE_AA)


DOODLES = {"circle": _circle, "arrow": _arrow, "star": _star, "scribble": _scribble, "smiley": _smiley,
           "box": _box, "wave": _wave, "underline": _underline}


# ---------------------------------------------------------------------------------------------
# The world (a desk or wall with the sheet on it) and a camera that films it.
# ---------------------------------------------------------------------------------------------

def smooth_noise(shape: tuple[int, int], cells: int, rng: np.random.Generator) -> np.ndarray:
    """Low-frequency noise in [-1, 1]: a coarse random grid blown up smoothly."""
    h, w = shape
    coarse = rng.uniform(-1, 1, (max(2, cells * h // max(w, 1)), cells)).astype(np.float32)
    return cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC).clip(-1, 1)


def surface(size: tuple[int, int], kind: str, rng: np.random.Generator) -> np.ndarray:
    """What lies around the sheet (float BGR): a wooden desk, a plain wall, dark cloth or a grey table."""
    w, h = size
    base = {"wood": (60, 95, 140), "wall": (200, 205, 210), "cloth": (55, 45, 40), "table": (120, 120, 115)}[kind]
    out = np.empty((h, w, 3), np.float32)
    out[:] = np.array(base, np.float32) / 255.0
    shade = 1 + 0.12 * smooth_noise((h, w), 6, rng)
    if kind == "wood":  # long grain along x
        grain = np.sin(np.arange(h, dtype=np.float32)[:, None] / 3.0 + 6 * smooth_noise((h, w), 4, rng))
        shade = shade + 0.08 * grain
    return out * shade[..., None]


def lay_sheet(world: np.ndarray, page: np.ndarray, x: int, y: int) -> np.ndarray:
    """The world with the sheet laid at (x, y) (it may hang over the world's edge), casting a soft shadow."""
    out = world.copy()
    h, w = page.shape[:2]
    mask = np.zeros(world.shape[:2], np.float32)
    ink_onto(mask[..., None], np.ones((h, w), np.float32), (255,), x + 6, y + 8)
    shadow = cv2.GaussianBlur(mask, (0, 0), 6)
    out *= (1 - 0.35 * shadow)[..., None]
    ink_onto(out, np.ones((h, w), np.float32), (0, 0, 0), x, y)  # clear the sheet's area
    x0, y0 = max(x, 0), max(y, 0)
    x1, y1 = min(x + w, world.shape[1]), min(y + h, world.shape[0])
    if x1 > x0 and y1 > y0:
        out[y0:y1, x0:x1] = page[y0 - y : y1 - y, x0 - x : x1 - x]
    return out


@dataclass(frozen=True)
class Shot:
    """Where a camera looks at one moment: the world point at the frame's centre, the scale there
    (frame px per world px) and its turn about the view axis (roll) and tilts (pitch, yaw), in degrees."""

    center: tuple[float, float]
    scale: float = 1.0
    roll: float = 0.0
    pitch: float = 0.0
    yaw: float = 0.0


def homography(shot: Shot, frame: tuple[int, int]) -> np.ndarray:
    """World-to-frame homography of a pinhole camera (focal length = frame width, about a webcam's
    55 degrees across) looking at the desk plane, so tilts give true perspective."""
    w, h = frame
    f = float(w)
    a, b, c = np.radians([shot.roll, shot.pitch, shot.yaw])
    rz = np.array([[np.cos(a), -np.sin(a), 0], [np.sin(a), np.cos(a), 0], [0, 0, 1]])
    rx = np.array([[1, 0, 0], [0, np.cos(b), -np.sin(b)], [0, np.sin(b), np.cos(b)]])
    ry = np.array([[np.cos(c), 0, np.sin(c)], [0, 1, 0], [-np.sin(c), 0, np.cos(c)]])
    r = rz @ rx @ ry
    k = np.array([[f, 0, w / 2], [0, f, h / 2], [0, 0, 1]])
    plane = np.column_stack([r[:, 0], r[:, 1], [0, 0, f / shot.scale]])
    move = np.array([[1, 0, -shot.center[0]], [0, 1, -shot.center[1]], [0, 0, 1]])
    m = k @ plane @ move
    return m / m[2, 2]


def frame_truth(placed: list, m: np.ndarray, frame: tuple[int, int],
                offset: tuple[int, int] = (0, 0)) -> list[TruthDigit]:
    """Each placed digit's box in the frame through homography m (sheet laid at `offset` in the
    world); digits not wholly inside the frame are left out, since no reader can see all of them."""
    w, h = frame
    truth = []
    for pts, label, line, number in placed:
        moved = cv2.perspectiveTransform((pts + np.float32(offset)).reshape(-1, 1, 2), m).reshape(-1, 2)
        x0, y0 = np.floor(moved.min(axis=0)).astype(int)
        x1, y1 = np.ceil(moved.max(axis=0)).astype(int)
        if x0 >= 0 and y0 >= 0 and x1 < w and y1 < h:
            truth.append(TruthDigit((int(x0), int(y0), int(x1 - x0 + 1), int(y1 - y0 + 1)), label, line, number))
    return truth


def hand_shadow(frame: tuple[int, int], tip: tuple[float, float], angle: float, reach: float) -> np.ndarray:
    """A soft shadow of a hand and forearm (0..1, 1 = darkest) reaching in from outside the frame to
    `tip`, pointing along `angle` degrees; `reach` is the palm's length in px."""
    w, h = frame
    mask = np.zeros((h, w), np.float32)
    d = np.array([np.cos(np.radians(angle)), np.sin(np.radians(angle))])
    palm = np.array(tip) - d * reach * 0.5
    arm = palm - d * reach * 1.6
    cv2.ellipse(mask, tuple(int(v) for v in palm), (int(reach * 0.55), int(reach * 0.4)), angle, 0, 360, 1.0, -1)
    cv2.ellipse(mask, tuple(int(v) for v in arm), (int(reach * 1.4), int(reach * 0.28)), angle, 0, 360, 1.0, -1)
    for k in (-1.5, -0.5, 0.5, 1.5):  # fingers
        side = np.array([-d[1], d[0]]) * k * reach * 0.16
        base = palm + d * reach * 0.3 + side
        end = base + d * reach * 0.45
        cv2.line(mask, tuple(int(v) for v in base), tuple(int(v) for v in end), 1.0, max(2, int(reach * 0.11)))
    return cv2.GaussianBlur(mask, (0, 0), reach * 0.18)


def lighting(frame: tuple[int, int], rng: np.random.Generator, vignette: float = 0.25,
             ramp: float = 0.15) -> np.ndarray:
    """Uneven light over the frame (multiplier): a lamp to one side and the lens' darker corners."""
    w, h = frame
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    r2 = ((xx - w / 2) / (w / 2)) ** 2 + ((yy - h / 2) / (h / 2)) ** 2
    angle = rng.uniform(0, 2 * np.pi)
    side = (np.cos(angle) * (xx / w - 0.5) + np.sin(angle) * (yy / h - 0.5))
    return (1 - vignette * r2 / 2) * (1 + ramp * side * 2)


def motion_blur(image: np.ndarray, dx: float, dy: float) -> np.ndarray:
    """Smear along the path (dx, dy) the image moved while the shutter was open (a line kernel)."""
    length = float(np.hypot(dx, dy))
    if length < 1.0:
        return image
    size = int(np.ceil(length)) | 1
    kernel = np.zeros((size, size), np.float32)
    c = size // 2
    ux, uy = dx / 2, dy / 2
    cv2.line(kernel, (round(c - ux), round(c - uy)), (round(c + ux), round(c + uy)), 1.0, 1, cv2.LINE_AA)
    return cv2.filter2D(image, -1, kernel / kernel.sum())


def defocus(image: np.ndarray, radius: float) -> np.ndarray:
    """Out of focus: each point spreads to a disc (what a lens does), not a Gaussian."""
    if radius < 0.7:
        return image
    size = int(np.ceil(radius)) * 2 + 1
    kernel = np.zeros((size, size), np.float32)
    cv2.circle(kernel, (size // 2, size // 2), round(radius), 1.0, -1, cv2.LINE_AA)
    return cv2.filter2D(image, -1, kernel / kernel.sum())


def sensor(image: np.ndarray, rng: np.random.Generator, noise: float = 0.01, jpeg: int = 0) -> np.ndarray:
    """A sensor's reading: noise that grows with brightness plus a floor, 8 bits, and optionally the
    JPEG compression of a webcam's MJPEG stream or a phone photo (quality 1-100)."""
    shot = noise * (0.5 + 0.5 * np.sqrt(image.clip(0, 1)))
    out = image + shot * rng.standard_normal(image.shape[:2], dtype=np.float32)[..., None]
    frame = (out.clip(0, 1) * 255 + 0.5).astype(np.uint8)
    if jpeg:
        frame = cv2.imdecode(cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, jpeg])[1], cv2.IMREAD_COLOR)
    return frame


def film(world: np.ndarray, m: np.ndarray, frame: tuple[int, int]) -> np.ndarray:
    """The world as the camera sees it through homography m (float BGR); beyond its edge the surround
    is mirrored, which keeps the world (and the time to make it) small."""
    return cv2.warpPerspective(world, m, frame, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT_101)
