"""MNIST-style normalisation: the one function that training and run time share.

MNIST was made by fitting each digit into a 20x20 box (keeping its aspect), placing it
in a 28x28 field and shifting its centre of mass to the centre. Doing exactly that to
every candidate cut from a camera frame is what lets an MNIST-trained model read paper.
Two additions for ink from a camera. Strokes too thin to survive the shrink (fine-liner on a big
digit) are thickened first, so a 1 px line does not fade into nothing. And the ink is scaled so that
its strokes, not its one darkest pixel, are full ink: a camera's stroke is soft, dark only in places
(a pencil's grain, blur, a pen pressed unevenly), where MNIST's strokes are solid, and scaled by its
darkest pixel it comes out dimmer than the digits the model learned. MNIST's own digits hardly change.
"""

from __future__ import annotations

import cv2
import numpy as np

SIZE = 28
BOX = 20
# Stroke width, in 20x20-box pixels, below which strokes are thickened: a ballpoint's or fine
# liner's line on a big digit then comes out nearly as heavy as MNIST's felt-marker strokes, not as
# a dim trace (at 1.6, the model refused 1.2% of test digits drawn so; MNIST's own are wider still).
MIN_STROKE = 2.0
STROKE_LEVEL = 0.85  # the share of a patch's inked pixels that are no darker than its full ink...
MOST_GAIN = 1.25  # ...which is at least its darkest pixel's ink over this: a hairline beside a blot stays faint


def stroke_level(ink: np.ndarray) -> float:
    """The ink level that STROKE_LEVEL of the inked pixels stay at or under (a partial sort: this
    runs for every candidate of every frame)."""
    inked = ink[ink > 0]
    if not inked.size:
        return 0.0
    rank = int(STROKE_LEVEL * (inked.size - 1))
    return float(np.partition(inked, rank)[rank])


def stroke_width(mask: np.ndarray) -> float:
    """Mean stroke width of a binary mask: area over half the boundary length."""
    area = int(np.count_nonzero(mask))
    if area == 0:
        return 0.0
    inner = cv2.erode(mask, np.ones((3, 3), np.uint8), borderType=cv2.BORDER_CONSTANT, borderValue=0)
    boundary = area - int(np.count_nonzero(inner))
    return 2.0 * area / max(boundary, 1)


def normalize_digit(ink: np.ndarray) -> np.ndarray:
    """Turn a patch of ink (bright on dark, any size, uint8 or float) into a 28x28 MNIST image.

    Returns float32 in [0, 1], white ink on black, or an all-zero image for an empty patch.
    """
    ink = np.asarray(ink, dtype=np.float32)
    full = max(stroke_level(ink), float(ink.max(initial=0.0)) / MOST_GAIN)
    if full <= 0:
        return np.zeros((SIZE, SIZE), np.float32)
    ink = np.minimum(ink / full, 1.0)
    x, y, w, h = cv2.boundingRect((ink > 0.1).astype(np.uint8))
    if w == 0:
        return np.zeros((SIZE, SIZE), np.float32)
    crop = ink[y : y + h, x : x + w]
    scale = BOX / max(crop.shape)

    width = stroke_width((crop > 0.5).astype(np.uint8))
    if width * scale < MIN_STROKE:
        grow = int(np.ceil((MIN_STROKE / scale - width) / 2))
        if grow > 0:
            kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * grow + 1, 2 * grow + 1))
            crop = cv2.dilate(cv2.copyMakeBorder(crop, grow, grow, grow, grow, cv2.BORDER_CONSTANT, value=0), kernel)
            scale = BOX / max(crop.shape)

    h, w = crop.shape
    new_w, new_h = max(1, round(w * scale)), max(1, round(h * scale))
    interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    small = cv2.resize(crop, (new_w, new_h), interpolation=interp)

    total = float(small.sum())
    if total <= 0:  # ink too faint to survive the shrink
        return np.zeros((SIZE, SIZE), np.float32)
    cx = float(small.sum(axis=0) @ np.arange(small.shape[1])) / total
    cy = float(small.sum(axis=1) @ np.arange(small.shape[0])) / total
    shift = np.float32([[1, 0, (SIZE - 1) / 2 - cx], [0, 1, (SIZE - 1) / 2 - cy]])
    out = cv2.warpAffine(small, shift, (SIZE, SIZE), flags=cv2.INTER_LINEAR, borderValue=0)
    top = float(out.max())
    return np.clip(out / top, 0.0, 1.0).astype(np.float32) if top > 0 else out


def normalize_batch(patches: list[np.ndarray]) -> np.ndarray:
    """Normalise many patches into one N x 28 x 28 x 1 float32 batch for the classifier."""
    batch = np.zeros((len(patches), SIZE, SIZE, 1), np.float32)
    for i, patch in enumerate(patches):
        batch[i, :, :, 0] = normalize_digit(patch)
    return batch
