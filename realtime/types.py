"""The currency types that flow between the stages: plain, frozen, JSON-ready."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import reduce
from typing import Any

import cv2
import numpy as np


@dataclass(frozen=True)
class Box:
    """An axis-aligned box in frame pixels."""

    x: int
    y: int
    w: int
    h: int

    @property
    def x2(self) -> int:
        return self.x + self.w

    @property
    def y2(self) -> int:
        return self.y + self.h

    @property
    def center(self) -> tuple[float, float]:
        return self.x + self.w / 2, self.y + self.h / 2

    def union(self, other: Box) -> Box:
        x, y = min(self.x, other.x), min(self.y, other.y)
        return Box(x, y, max(self.x2, other.x2) - x, max(self.y2, other.y2) - y)

    def overlap(self, other: Box) -> int:
        """The area the two boxes share."""
        iw = min(self.x2, other.x2) - max(self.x, other.x)
        ih = min(self.y2, other.y2) - max(self.y, other.y)
        return iw * ih if iw > 0 and ih > 0 else 0

    def iou(self, other: Box) -> float:
        inter = self.overlap(other)
        return inter / (self.w * self.h + other.w * other.h - inter) if inter else 0.0

    def scaled(self, factor: float) -> Box:
        return Box(round(self.x * factor), round(self.y * factor), round(self.w * factor), round(self.h * factor))

    def to_list(self) -> list[int]:
        return [self.x, self.y, self.w, self.h]


def enclosing(boxes: Iterable[Box]) -> Box:
    """The smallest box holding all the given boxes (at least one)."""
    return reduce(Box.union, boxes)


def weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    """The value below which half the weight lies: the typical size of what makes up most of
    the writing, not of the many small marks beside it."""
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(np.asarray(weights, np.float64)[order])
    return float(np.asarray(values)[order][np.searchsorted(cumulative, cumulative[-1] / 2)])


@dataclass(frozen=True)
class Region:
    """A candidate digit cut out by the segmenter: where it is and its ink (uint8, bright on dark)."""

    box: Box
    ink: np.ndarray = field(repr=False, compare=False)
    parts: tuple[Region, ...] = field(default=(), repr=False, compare=False)  # pieces it was joined from, if unsure
    # Cut from a blob where its ink showed no joint (split.EVEN_CUTS): a sideways or upside-down
    # page's digits, so cut, may read as digits too, so the page's turn and slant are judged without it.
    blind: bool = field(default=False, compare=False)
    # A line drawn under the digit it was joined to (segment._line_under): read apart from it, that
    # digit must beat the mark read whole by split.LINE_MARGIN (a 2 without its flat base reads as a 9).
    underline: bool = field(default=False, compare=False)

    def part(self, keep: np.ndarray) -> Region | None:
        """Its ink where ``keep`` (a mask over the ink) holds, cropped to that ink, the box scaled as
        the ink is to it; None where no ink is left."""
        ink = np.where(keep, self.ink, 0).astype(np.uint8)
        left, top, w, h = cv2.boundingRect(ink)  # of its ink (non-zero pixels)
        if not w:
            return None
        sx, sy = self.box.w / self.ink.shape[1], self.box.h / self.ink.shape[0]
        box = Box(self.box.x + round(left * sx), self.box.y + round(top * sy),
                  max(1, round(w * sx)), max(1, round(h * sy)))
        return Region(box, ink[top : top + h, left : left + w])


@dataclass(frozen=True)
class Marks:
    """What the segmenter cut from a frame: candidate digits, the marks that may be signs in a
    number (the dots of a decimal point, a comma or a colon, a minus sign's dash), each a Region too, and
    the boxes of the upright lines it took out (a table's walls); and whether it took a printed
    grid out of the ink first (see lines.soft_grid and lines.printed_grid)."""

    regions: list[Region]
    signs: list[Region]
    walls: list[Box]
    squared: bool = False


@dataclass(frozen=True)
class Layout:
    """What a page shows beside its digits that tells how they make numbers: signs (the dots of
    decimal points, commas and colons, the dashes of minus signs and hyphens), and the upright walls of a
    table's cells (boxes in the digits' pixels)."""

    signs: Sequence[Box] = ()
    walls: Sequence[Box] = ()


@dataclass(frozen=True)
class Digit:
    """A classified digit; rejected candidates never become one."""

    box: Box
    label: int
    confidence: float
    track_id: int | None = None

    def to_dict(self) -> dict:
        return {"box": self.box.to_list(), "label": self.label, "confidence": round(self.confidence, 4),
                "track": self.track_id}


@dataclass(frozen=True)
class Number:
    """Digits on one line that stand close together, read left to right."""

    text: str
    box: Box
    digits: tuple[Digit, ...]
    confidence: float
    line: int
    confirmed: bool = False  # the same reading has held at this place for a while
    held: bool = False  # the text is the confirmed reading of earlier frames, not this frame's

    def to_dict(self) -> dict:
        return {"text": self.text, "box": self.box.to_list(), "line": self.line,
                "confidence": round(self.confidence, 4), "confirmed": self.confirmed, "held": self.held}


@dataclass(frozen=True)
class FrameResult:
    """Everything the pipeline read from one frame."""

    index: int
    time_ms: float
    digits: tuple[Digit, ...]
    numbers: tuple[Number, ...]
    timings: dict[str, float]
    source: str = ""
    sheet: Any = field(default=None, compare=False)  # realtime.sheet.Sheet when the sheet's outline was found

    def to_dict(self) -> dict:
        data = {
            "source": self.source,
            "frame": self.index,
            "time_ms": round(self.time_ms, 1),
            "digits": [d.to_dict() for d in self.digits],
            "numbers": [n.to_dict() for n in self.numbers],
            "timings_ms": {k: round(v, 2) for k, v in self.timings.items()},
        }
        if self.sheet is not None:
            data["sheet"] = [[round(float(v), 1) for v in corner] for corner in self.sheet.corners]
        return data
