"""Render MNIST digits as pen or pencil ink on paper, then photograph it with a simulated camera.

Every digit's box is tracked through all the warps, so the ground truth is exact. Used by the
tests (on a few hundred shipped MNIST test digits) and by the sample maker.
"""

from __future__ import annotations

from dataclasses import dataclass

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
