"""Shared fixtures: shipped MNIST test digits (CC BY-SA 3.0) and synthetic camera pages."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from samples.synth import compose_page, load_digits, photograph

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def mnist_digits() -> tuple[np.ndarray, np.ndarray]:
    return load_digits(str(DATA / "mnist_test_500.npz"))


def make_page(digits, labels, seed=0, lines=((3, 4), (2, 2, 2), (5,)), angle=0.0, ink="black",
              size=(1280, 720), desk=None, height=(40, 80)):
    """A synthetic camera frame of numbers on paper, and its exact truth."""
    rng = np.random.default_rng(seed)
    offset = int(rng.integers(0, len(digits) - 40))
    page, placed = compose_page(digits[offset:], labels[offset:], [list(x) for x in lines], size, rng,
                                height=height, ink=ink)
    return photograph(page, placed, rng, angle=angle, desk=desk, zoom=0.9 if desk else 1.0)


NOTEBOOK_BLUE = (200, 140, 100)  # BGR of a notebook's blue squares
PENCIL_GREY = (170, 170, 170)  # faint pencil: in the red channel no darker than the blue squares


def squared_page(rule: tuple[int, int, int], ink: tuple[int, int, int], text: str = "385") -> np.ndarray:
    """A page of 28 px squares printed in `rule`, with `text` written over them in `ink` (BGR)."""
    page = np.full((480, 640, 3), 235, np.uint8)
    for v in range(14, 640, 28):
        cv2.line(page, (v, 0), (v, 479), rule, 1)
    for v in range(14, 480, 28):
        cv2.line(page, (0, v), (639, v), rule, 1)
    for k, ch in enumerate(text):
        cv2.putText(page, ch, (120 + 140 * k, 300), cv2.FONT_HERSHEY_SIMPLEX, 3, ink, 4)
    return cv2.GaussianBlur(page, (0, 0), 0.7)


def soft_squares_page(text: str, squares: bool = True) -> np.ndarray:
    """A page of 24 px squares whose rules are soft: 20 px dashes about 33 of 255 dark and 8 px
    gaps about 17 dark, so the weak ink threshold (25) keeps only the dashes, too far apart
    to be found as lines; with ``text`` written over them."""
    frame = np.full((480, 640, 3), 235, np.uint8)
    for k in range(10, 640, 24) if squares else ():
        for a in range(0, 640, 28):
            for start, stop, grey in ((a, a + 19, 205), (a + 20, a + 27, 219)):
                cv2.line(frame, (k, start), (k, stop), (grey,) * 3, 1)
                cv2.line(frame, (start, k), (stop, k), (grey,) * 3, 1)
    for k, ch in enumerate(text):
        cv2.putText(frame, ch, (150 + 70 * k, 260), cv2.FONT_HERSHEY_SIMPLEX, 2.0, (60, 60, 60), 3)
    return frame


def one_touching_a_loop(width: int = 34, h: int = 40) -> np.ndarray:
    """A 1 whose foot touches a tall loop beside it (a 10): narrower than two digits side by side."""
    ink = np.zeros((h, width), np.uint8)
    ink[:, 2:7] = 200  # the 1
    cv2.ellipse(ink, (width - 13, h // 2), (10, h // 2 - 2), 0, 0, 360, 200, 4)  # the 0
    ink[h - 8 : h - 4, 7 : width - 20] = 200  # where they touch, once
    return ink


def damaged_video(folder: Path, frames: int = 12, kept: float = 0.6) -> Path:
    """An MJPG AVI of the numbers sheet sample's first frames, cut off after ``kept`` of its bytes:
    it opens (an AVI's header comes first) and its header counts every frame, but decoding stops
    at the cut."""
    source, whole = cv2.VideoCapture(str(ROOT / "samples" / "numbers_sheet.mp4")), folder / "whole.avi"
    writer = cv2.VideoWriter(str(whole), cv2.VideoWriter_fourcc(*"MJPG"), 30, (640, 360))
    for _ in range(frames):
        writer.write(cv2.resize(source.read()[1], (640, 360)))
    writer.release()
    damaged = folder / "damaged.avi"
    damaged.write_bytes(whole.read_bytes()[: int(whole.stat().st_size * kept)])
    return damaged
