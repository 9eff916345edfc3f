"""Generated "not a digit" patches (class 10), so the model can refuse what a segmenter wrongly cuts out.

On real paper the segmenter also finds letters and symbols, scribbles, smudges, specks,
the edge of the sheet, crossings of ruled or squared paper, stray line segments and broken
pieces of digits. None of these may be read as a digit. The opposite mistake matters as much:
a negative that looks like a digit teaches the model to reject real digits, so characters
that resemble digits (O, l, I, |, S, Z, B, g, q, b, ...), near-vertical strokes and 7-like
corners are never generated, and any candidate that came out as one steep straight stroke is dropped.
Everything goes through ``normalize_digit``.
"""

from __future__ import annotations

import cv2
import numpy as np

from realtime.normalize import normalize_digit
from training.augment import affine_warp, elastic_warp, ink_box, upscale

NOT_A_DIGIT = 10
CANVAS = 64
# Characters that are never confused with a digit (after rotation of +-20 degrees and normalisation).
# A lone "+" is left out (an open-top 4 looks like one), so are u, n and h (open 0s and 4s).
GLYPHS = "AEFHKLMNPRVWXkmpvwxdf" + "#%*<>=^~:_-\""
FONTS = (
    cv2.FONT_HERSHEY_SIMPLEX,
    cv2.FONT_HERSHEY_PLAIN,
    cv2.FONT_HERSHEY_DUPLEX,
    cv2.FONT_HERSHEY_COMPLEX,
    cv2.FONT_HERSHEY_TRIPLEX,
    cv2.FONT_HERSHEY_COMPLEX_SMALL,
    cv2.FONT_HERSHEY_SCRIPT_SIMPLEX,
    cv2.FONT_HERSHEY_SCRIPT_COMPLEX,
)
KINDS = ("glyph", "scribble", "blob", "specks", "edge", "grid", "segment", "fragment", "texture")
WEIGHTS = np.array([0.30, 0.14, 0.09, 0.08, 0.09, 0.11, 0.07, 0.05, 0.07])
LINE_RATIO = 0.3  # minor/major spread of the ink below which a patch is one straight stroke


def _glyph(rng: np.random.Generator, digits: np.ndarray | None) -> np.ndarray:
    canvas = np.zeros((96, 128), np.uint8)  # putText anti-aliases only on 8-bit images
    n = 1 if rng.random() < 0.8 else 2
    text = "".join(GLYPHS[int(rng.integers(len(GLYPHS)))] for _ in range(n))
    font = int(FONTS[int(rng.integers(len(FONTS)))]) | (cv2.FONT_ITALIC if rng.random() < 0.2 else 0)
    scale = rng.uniform(1.3, 2.4)
    thick = int(rng.integers(1, 6))
    cv2.putText(canvas, text, (14, 68), font, scale, 255, thick, cv2.LINE_AA)
    canvas = affine_warp(canvas.astype(np.float32) / 255.0, rng, 1.3)
    return elastic_warp(canvas, rng, 1.0) if rng.random() < 0.5 else canvas


def _smooth_path(points: np.ndarray, rounds: int = 3) -> np.ndarray:
    """Chaikin corner cutting: turns a polygon into a smooth pen path."""
    for _ in range(rounds):
        q = 0.75 * points[:-1] + 0.25 * points[1:]
        r = 0.25 * points[:-1] + 0.75 * points[1:]
        points = np.vstack([points[:1], np.stack([q, r], 1).reshape(-1, 2), points[-1:]])
    return points


def _scribble(rng: np.random.Generator, digits: np.ndarray | None) -> np.ndarray:
    canvas = np.zeros((CANVAS, CANVAS), np.float32)
    if rng.random() < 0.3:  # hatching: a dense zigzag (few turns would make a 3 or a 2)
        k = int(rng.integers(10, 16))
        xs = np.where(np.arange(k) % 2 == 0, rng.uniform(6, 18, k), rng.uniform(46, 58, k))
        ys = np.linspace(8, 56, k) + rng.uniform(-1.5, 1.5, k)
        pts = np.stack([xs, ys], 1) if rng.random() < 0.5 else np.stack([ys, xs], 1)
        path = pts
    else:  # a tangle of many turns (few turns would draw a digit)
        pts = rng.uniform(6, CANVAS - 6, size=(int(rng.integers(10, 18)), 2))
        path = _smooth_path(pts, 3 if rng.random() < 0.7 else 1)
    cv2.polylines(canvas, [np.round(path).astype(np.int32)], False, 1.0, int(rng.integers(1, 5)), cv2.LINE_AA)
    return canvas


def _blob(rng: np.random.Generator, digits: np.ndarray | None) -> np.ndarray:
    canvas = np.zeros((CANVAS, CANVAS), np.float32)
    c = np.array([CANVAS / 2, CANVAS / 2]) + rng.uniform(-6, 6, 2)
    k = int(rng.integers(6, 12))
    ang = np.sort(rng.uniform(0, 2 * np.pi, k))
    radius = rng.uniform(8, 20) * rng.uniform(0.6, 1.0, k)
    stretch = rng.uniform(1.0, 2.0)
    pts = np.stack([c[0] + radius * np.cos(ang) * stretch, c[1] + radius * np.sin(ang)], 1)
    cv2.fillPoly(canvas, [np.round(pts).astype(np.int32)], float(rng.uniform(0.5, 1.0)), cv2.LINE_AA)
    canvas = cv2.GaussianBlur(canvas, (0, 0), rng.uniform(0.5, 4.0))
    if rng.random() < 0.5:  # smudge: uneven ink inside
        canvas *= cv2.resize(rng.uniform(0.4, 1.0, (4, 4)).astype(np.float32), (CANVAS, CANVAS))
    return canvas


def _specks(rng: np.random.Generator, digits: np.ndarray | None) -> np.ndarray:
    canvas = np.zeros((CANVAS, CANVAS), np.float32)
    for _ in range(int(rng.integers(1, 7))):
        centre = tuple(int(v) for v in rng.integers(4, CANVAS - 4, 2))
        cv2.circle(canvas, centre, int(rng.integers(1, 5)), float(rng.uniform(0.4, 1.0)), -1, cv2.LINE_AA)
    return canvas


def _edge(rng: np.random.Generator, digits: np.ndarray | None) -> np.ndarray:
    """The dark table beyond the sheet's edge: a filled half-plane with a straight or bent border."""
    h, w = int(rng.integers(24, 72)), int(rng.integers(24, 72))
    gy, gx = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    nx, ny = np.cos(angle), np.sin(angle)
    along = -ny * (gx - w / 2) + nx * (gy - h / 2)
    bend = rng.uniform(-0.02, 0.02) * along**2 if rng.random() < 0.5 else 0.0
    dist = nx * (gx - w / 2) + ny * (gy - h / 2) + rng.uniform(-0.3, 0.3) * min(h, w) + bend
    return np.clip(dist / rng.uniform(0.5, 2.0), 0, 1).astype(np.float32) * rng.uniform(0.5, 1.0)


def _grid(rng: np.random.Generator, digits: np.ndarray | None) -> np.ndarray:
    """Ruled or squared paper: parallel rules or a small grid; never a lone corner, T or "+" (a 7, 1 or 4)."""
    canvas = np.zeros((CANVAS, CANVAS), np.float32)
    thick = int(rng.integers(1, 3))
    value = float(rng.uniform(0.4, 1.0))
    rows = int(rng.integers(2, 5))
    cols = 0 if rng.random() < 0.5 else int(rng.integers(2, 5))
    gap = rng.uniform(9, 16)
    for i in range(rows):
        y = int(8 + i * gap)
        cv2.line(canvas, (4, y), (CANVAS - 4, y), value, thick, cv2.LINE_AA)
    for j in range(cols):
        x = int(8 + j * gap)
        cv2.line(canvas, (x, 4), (x, CANVAS - 4), value, thick, cv2.LINE_AA)
    return affine_warp(canvas, rng, 0.6)


def _segment(rng: np.random.Generator, digits: np.ndarray | None) -> np.ndarray:
    """A straight stroke kept within 35 degrees of horizontal: a steep one would be a 1."""
    canvas = np.zeros((CANVAS, CANVAS), np.float32)
    angle = np.deg2rad(rng.uniform(-35, 35))
    half = rng.uniform(10, 28)
    c = CANVAS / 2
    p0 = (int(c - half * np.cos(angle)), int(c - half * np.sin(angle)))
    p1 = (int(c + half * np.cos(angle)), int(c + half * np.sin(angle)))
    cv2.line(canvas, p0, p1, float(rng.uniform(0.5, 1.0)), int(rng.integers(1, 7)), cv2.LINE_AA)
    return canvas


def _fragment(rng: np.random.Generator, digits: np.ndarray | None) -> np.ndarray:
    """A piece (35-50 % in each direction) of a real training digit, as when a stroke is broken."""
    if digits is None or len(digits) == 0:
        return _scribble(rng, digits)
    img = upscale(digits[int(rng.integers(len(digits)))])
    y0, y1, x0, x1 = ink_box(img)
    h, w = y1 - y0, x1 - x0
    fh, fw = max(1, int(h * rng.uniform(0.35, 0.5))), max(1, int(w * rng.uniform(0.35, 0.5)))
    oy, ox = y0 + int(rng.integers(0, h - fh + 1)), x0 + int(rng.integers(0, w - fw + 1))
    return img[oy : oy + fh, ox : ox + fw].copy()


def _texture(rng: np.random.Generator, digits: np.ndarray | None) -> np.ndarray:
    """Empty paper: faint grain and shading, nothing written."""
    h, w = int(rng.integers(16, 64)), int(rng.integers(16, 64))
    grain = np.abs(rng.normal(0, 1, (h, w))).astype(np.float32)
    grain = cv2.GaussianBlur(grain, (0, 0), rng.uniform(0.3, 2.0))
    shade = cv2.resize(rng.uniform(0, 1, (2, 2)).astype(np.float32), (w, h), interpolation=cv2.INTER_LINEAR)
    return (grain * rng.uniform(0.02, 0.1) + shade * rng.uniform(0, 0.05)).astype(np.float32)


MAKERS = {name: globals()[f"_{name}"] for name in KINDS}


def _finish(patch: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Camera effects (thicker/thinner ink, blur, noise), then the shared normalisation."""
    if patch.size == 0 or patch.max() <= 0:
        return np.zeros((28, 28), np.float32)
    if rng.random() < 0.3:
        k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3))
        patch = cv2.dilate(patch, k) if rng.random() < 0.6 else cv2.erode(patch, k)
    if rng.random() < 0.3:
        patch = cv2.GaussianBlur(patch, (0, 0), rng.uniform(0.5, 1.5))
    if rng.random() < 0.25 and patch.max() > 0:
        patch = patch + rng.normal(0, rng.uniform(0.01, 0.04) * patch.max(), patch.shape).astype(np.float32)
    return normalize_digit(np.clip(patch, 0, None))


def looks_like_a_one(img: np.ndarray) -> bool:
    """True for a single steep straight stroke (thin ink spread along a near-vertical axis): that is a 1."""
    ys, xs = np.nonzero(img > 0.2)
    if ys.size < 5:
        return False
    w = img[ys, xs]
    cov = np.cov(np.stack([xs, ys]), aweights=w)
    evals, evecs = np.linalg.eigh(cov)
    if evals[1] <= 0:
        return False
    thin = np.sqrt(max(evals[0], 0.0) / evals[1]) < LINE_RATIO
    major = evecs[:, 1]
    steep = abs(major[1]) > np.cos(np.deg2rad(50))  # within 50 degrees of vertical
    return bool(thin and steep)


def make_negatives(
    n: int,
    seed: int,
    digits: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` normalised negatives (n x 28 x 28 float32) and their kind names; deterministic for a seed.

    ``digits`` (uint8 MNIST training digits) feed the fragment kind. Candidates that are a single
    steep straight stroke (a 1) are dropped and replaced.
    """
    rng = np.random.default_rng(seed)
    probs = WEIGHTS / WEIGHTS.sum()
    images: list[np.ndarray] = []
    kinds: list[str] = []
    while len(images) < n:
        want = int((n - len(images)) * 1.3) + 8
        names = rng.choice(len(KINDS), size=want, p=probs)
        batch = np.stack([_finish(MAKERS[KINDS[k]](rng, digits), rng) for k in names])
        keep = np.array([not looks_like_a_one(img) for img in batch])
        images.extend(batch[keep])
        kinds.extend(KINDS[k] for k in names[keep])
    return np.stack(images[:n]).astype(np.float32), np.array(kinds[:n])


HELDOUT_SEED = 777_001  # the measuring set: never trained on, never used for choices
HELDOUT_SIZE = 5000


def heldout_negatives(validation_digits: np.ndarray, n: int = HELDOUT_SIZE) -> tuple[np.ndarray, np.ndarray]:
    """The fixed held-out negative set used to measure acceptance (fragments come from validation digits)."""
    return make_negatives(n, HELDOUT_SEED, digits=validation_digits)
