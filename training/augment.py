"""Augmentation that makes clean MNIST digits look like what a camera segmenter cuts out of paper.

A phone or webcam sees pen strokes of varying width, slightly rotated and sheared, blurred,
noisy, uneven and low in contrast; the segmenter keeps only pixels above its ink threshold,
and its box sometimes catches a sliver of the neighbouring digit or of a ruled line. Digits
that touch are cut apart where the ink is thinnest, so a piece may keep a stub of its neighbour.
Each augmented image then goes through the run time's own ``normalize_digit``, so the model
is trained on exactly what it will be fed.
Work happens at twice MNIST's resolution so that thickening or thinning a stroke is a gentle step.
This module stays free of TensorFlow: it runs in worker processes beside the training.
"""

from __future__ import annotations

import cv2
import numpy as np

from realtime.normalize import normalize_batch, normalize_digit

UP = 2  # working resolution relative to MNIST
PAD = 10  # MNIST pixels of room around the digit for rotation, shift and neighbours
ELLIPSE3 = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3))
ELLIPSE5 = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5))


def upscale(img: np.ndarray) -> np.ndarray:
    f = img.astype(np.float32) / 255.0 if img.dtype == np.uint8 else img.astype(np.float32)
    f = cv2.copyMakeBorder(f, PAD, PAD, PAD, PAD, cv2.BORDER_CONSTANT, value=0)
    return cv2.resize(f, (f.shape[1] * UP, f.shape[0] * UP), interpolation=cv2.INTER_LINEAR)


def affine_warp(img: np.ndarray, rng: np.random.Generator, s: float) -> np.ndarray:
    """Rotation (+-15 deg), scale, aspect change, shear and shift in one warp."""
    h, w = img.shape
    angle = np.deg2rad(rng.uniform(-15, 15) * s)
    scale = rng.uniform(1 - 0.15 * s, 1 + 0.15 * s)
    aspect = np.exp(rng.uniform(-0.15, 0.15) * s)
    shear = rng.uniform(-0.3, 0.3) * s
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    lin = rot @ np.array([[1.0, shear], [0.0, 1.0]]) @ np.diag([scale * aspect, scale / aspect])
    centre = np.array([(w - 1) / 2, (h - 1) / 2])
    shift = rng.uniform(-3, 3, size=2) * UP * s
    offset = centre + shift - lin @ centre
    m = np.hstack([lin, offset[:, None]]).astype(np.float32)
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=0)


def elastic_warp(img: np.ndarray, rng: np.random.Generator, s: float) -> np.ndarray:
    """Smooth random displacement field (Simard et al. 2003), up to ~1.5 MNIST pixels."""
    h, w = img.shape
    amount = rng.uniform(0.5, 1.5) * UP * s
    coarse = rng.standard_normal((2, 6, 6)).astype(np.float32)
    dx = cv2.resize(coarse[0], (w, h), interpolation=cv2.INTER_CUBIC) * amount
    dy = cv2.resize(coarse[1], (w, h), interpolation=cv2.INTER_CUBIC) * amount
    gx, gy = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    return cv2.remap(img, gx + dx, gy + dy, interpolation=cv2.INTER_LINEAR, borderValue=0)


def _stroke(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Thicker (felt pen) or thinner (fine liner) strokes; never erodes a digit away."""
    if rng.random() < 0.55:
        return cv2.dilate(img, ELLIPSE3 if rng.random() < 0.7 else ELLIPSE5)
    thin = cv2.erode(img, ELLIPSE3)
    return thin if thin.sum() > 0.45 * img.sum() else img


def ink_box(img: np.ndarray) -> tuple[int, int, int, int]:
    ys, xs = np.nonzero(img > 0.1 * img.max())
    return int(ys.min()), int(ys.max()) + 1, int(xs.min()), int(xs.max()) + 1


def _ink_only(img: np.ndarray) -> np.ndarray:
    """The image cropped to its ink's box."""
    y0, y1, x0, x1 = ink_box(img)
    return img[y0:y1, x0:x1]


def _segmenter_crop(img: np.ndarray, rng: np.random.Generator, s: float) -> np.ndarray:
    """Cut the digit as a segmenter would: its box plus a small random margin."""
    y0, y1, x0, x1 = ink_box(img)
    size = max(y1 - y0, x1 - x0)
    m = (rng.uniform(0, 0.15 * s, size=4) * size).astype(int)
    y0, x0 = max(0, y0 - m[0]), max(0, x0 - m[1])
    y1, x1 = min(img.shape[0], y1 + m[2]), min(img.shape[1], x1 + m[3])
    return img[y0:y1, x0:x1]


def _neighbour_sliver(patch: np.ndarray, other: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Extend the patch sideways with the nearest edge of another digit, after a small gap."""
    h, w = patch.shape
    nb = _ink_only(upscale(other))
    width = min(int(rng.integers(2, max(3, int(0.2 * w)) + 1)), nb.shape[1])
    gap = int(rng.integers(1, 5))
    right = rng.random() < 0.5
    sliver = nb[:, :width] if right else nb[:, -width:]
    strip = np.zeros((h, gap + width), np.float32)
    dy = int(rng.integers(-h // 3, h // 3 + 1))
    src0, dst0 = max(0, -dy), max(0, dy)
    rows = min(sliver.shape[0] - src0, h - dst0)
    if rows > 0:
        cols = slice(gap, gap + width) if right else slice(0, width)
        strip[dst0 : dst0 + rows, cols] = sliver[src0 : src0 + rows]
    return np.hstack([patch, strip]) if right else np.hstack([strip, patch])


def _touching_cut(x: np.ndarray, other: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The digit as the run time's split hands it over when a neighbour touches it: both set side
    by side, touching or overlapping a little, and cut at the column with the least ink near where
    they meet (as ``realtime.split`` cuts), so the piece keeps a stub of the neighbour or loses a
    sliver of its own ink."""
    digit = _ink_only(x)
    nb = _ink_only(upscale(other))
    scale = digit.shape[0] * rng.uniform(0.8, 1.15) / nb.shape[0]
    nb = cv2.resize(nb, (max(1, round(nb.shape[1] * scale)), max(1, round(nb.shape[0] * scale))))
    mirrored = rng.random() < 0.5  # the neighbour on the left: mirror, cut as if on the right, mirror back
    if mirrored:
        digit, nb = digit[:, ::-1], nb[:, ::-1]
    h, w = digit.shape
    overlap = min(int(rng.uniform(0.0, 0.2) * w), nb.shape[1] - 1)
    dy = int(rng.integers(-h // 8, h // 8 + 1))
    top = min(0, dy)
    canvas = np.zeros((max(h, dy + nb.shape[0]) - top, w + nb.shape[1] - overlap), np.float32)
    canvas[-top : -top + h, :w] = digit
    region = canvas[dy - top : dy - top + nb.shape[0], w - overlap :]
    np.maximum(region, nb[: region.shape[0], : region.shape[1]], out=region)
    meet = w - overlap / 2
    reach = max(1, int(0.15 * (w + nb.shape[1]) / 2))
    lo, hi = max(1, int(meet) - reach), min(canvas.shape[1] - 1, int(meet) + reach)
    cut = lo + int(np.argmin(canvas[:, lo:hi].sum(axis=0))) if hi > lo else int(meet)
    piece = canvas[:, :cut]
    return piece[:, ::-1] if mirrored else piece


def _ruled_line(patch: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Extend the patch above or below with a piece of ruled line, after a small gap."""
    _h, w = patch.shape
    thick = int(rng.integers(1, 4))
    gap = int(rng.integers(1, 5))
    strip = np.zeros((gap + thick + 2, w), np.float32)
    below = rng.random() < 0.5
    y = gap + 1 if below else 1
    tilt = rng.uniform(-1.5, 1.5)
    cv2.line(strip, (0, y), (w - 1, round(y + tilt)), float(rng.uniform(0.3, 1.0)), thick)
    return np.vstack([patch, strip]) if below else np.vstack([strip, patch])


def augment_digit(
    img: np.ndarray, rng: np.random.Generator, strength: float = 1.0, neighbour: np.ndarray | None = None
) -> np.ndarray:
    """One camera-like variant of a 28x28 MNIST digit, already normalised (28x28 float32 in [0, 1]).

    ``strength`` (0..1) scales both how often and how much each distortion is applied;
    ``neighbour`` is another digit whose edge may intrude into the crop.
    """
    s = float(np.clip(strength, 0.0, 1.0))
    if s == 0 or rng.random() < 0.2:
        return normalize_digit(img)  # keep some clean digits: the test set is clean
    x = affine_warp(upscale(img), rng, s)
    if rng.random() < 0.5 * s:
        x = elastic_warp(x, rng, s)
    if rng.random() < 0.5 * s:
        x = _stroke(x, rng)
    if x.max() <= 0.05:
        return normalize_digit(img)
    r = rng.random()
    touching = neighbour is not None and r < 0.3 * s
    patch = _touching_cut(x, neighbour, rng) if touching else _segmenter_crop(x, rng, s)
    if neighbour is not None and 0.3 * s <= r < 0.35 * s:
        patch = _neighbour_sliver(patch, neighbour, rng)
    elif 0.35 * s <= r < 0.4 * s:
        patch = _ruled_line(patch, rng)
    if rng.random() < 0.3 * s:
        patch = cv2.GaussianBlur(patch, (0, 0), rng.uniform(0.5, 1.8))
    if rng.random() < 0.3 * s:  # uneven ink: pen pressure, pencil, light falling off across the patch
        field = cv2.resize(rng.uniform(0.4, 1.0, (3, 3)).astype(np.float32), patch.shape[::-1])
        patch = patch * field
    noisy = rng.random() < 0.3 * s
    if noisy:  # low contrast against paper grain: the same noise weighs more on faint ink
        patch = patch * rng.uniform(0.3, 1.0) + rng.normal(0, rng.uniform(0.01, 0.04), patch.shape).astype(np.float32)
    if rng.random() < (0.7 if noisy else 0.3) * s:  # the segmenter keeps only pixels above its ink threshold
        patch = np.where(patch >= rng.uniform(0.05, 0.3) * patch.max(), patch, 0)
    return normalize_digit(np.clip(patch, 0, None))


def augment_batch(x: np.ndarray, seed: int, strength: float = 1.0) -> np.ndarray:
    """Augment and normalise every image of ``x`` (N x 28 x 28); returns N x 28 x 28 float32.

    Labels are untouched by construction: image i stays image i.
    """
    rng = np.random.default_rng(seed)
    out = np.empty((len(x), 28, 28), np.float32)
    partners = rng.integers(0, len(x), size=len(x))
    for i in range(len(x)):
        out[i] = augment_digit(x[i], rng, strength, neighbour=x[partners[i]])
    return out


def normalize_all(x: np.ndarray) -> np.ndarray:
    """Clean images through the shared normalisation (what evaluation and the run time see), N x 28 x 28."""
    return normalize_batch(list(x))[..., 0]
