"""Draw what was read onto the frame: a box and label per digit, the numbers, the frame rate."""

from __future__ import annotations

import cv2
import numpy as np

from realtime.types import FrameResult

FONT = cv2.FONT_HERSHEY_SIMPLEX
DIGIT_COLOUR = (40, 200, 40)
NUMBER_COLOUR = (255, 120, 0)
SHEET_COLOUR = (0, 200, 255)
CONFIRMED_COLOUR = (200, 60, 160)  # a number whose reading has held


def _label(image: np.ndarray, text: str, x: int, y: int, scale: float, colour: tuple[int, int, int]) -> None:
    """Text on a filled background so it stays legible on any paper."""
    thick = max(1, round(scale * 2))
    (tw, th), base = cv2.getTextSize(text, FONT, scale, thick)
    y = max(th + base, y)
    cv2.rectangle(image, (x, y - th - base), (x + tw, y), colour, -1)
    cv2.putText(image, text, (x, y - base), FONT, scale, (255, 255, 255), thick, cv2.LINE_AA)


def draw(frame: np.ndarray, result: FrameResult, fps: float | None = None) -> np.ndarray:
    """Return a copy of the frame with the result drawn over it."""
    image = frame.copy() if frame.ndim == 3 else cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
    unit = max(image.shape[:2]) / 1000  # line and text sizes follow the frame size
    thick = max(1, round(2 * unit))
    if result.sheet is not None:
        cv2.polylines(image, [result.sheet.corners.astype(np.int32)], True, SHEET_COLOUR, thick)
    for number in result.numbers:
        b = number.box
        pad = max(2, round(4 * unit))
        colour = CONFIRMED_COLOUR if number.confirmed else NUMBER_COLOUR
        width = 2 * thick if number.confirmed else thick
        cv2.rectangle(image, (b.x - pad, b.y - pad), (b.x2 + pad, b.y2 + pad), colour, width)
        _label(image, number.text, b.x - pad, b.y2 + pad + round(24 * unit), 0.7 * unit, colour)
    for digit in result.digits:
        b = digit.box
        cv2.rectangle(image, (b.x, b.y), (b.x2, b.y2), DIGIT_COLOUR, thick)
        _label(image, f"{digit.label} {digit.confidence:.2f}", b.x, b.y - thick, 0.5 * unit, DIGIT_COLOUR)
    if fps is not None:
        _label(image, f"{fps:.1f} fps", 0, round(30 * unit), 0.7 * unit, (60, 60, 60))
    return image
