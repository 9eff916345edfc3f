"""The recognizer: one frame in, a FrameResult out, through segment → normalise → classify → read → track."""

from __future__ import annotations

import time

import numpy as np

from realtime.classify import NOT_A_DIGIT, Classifier
from realtime.config import Config
from realtime.normalize import normalize_batch
from realtime.read import read_numbers
from realtime.segment import find_regions
from realtime.track import Tracker
from realtime.types import Digit, FrameResult


def digit_scores(probs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Best digit label and its probability per row; a row whose top class is "not a digit" scores 0."""
    labels = probs[:, :10].argmax(axis=1)
    conf = probs[np.arange(len(probs)), labels]
    if probs.shape[1] > NOT_A_DIGIT:
        conf = np.where(probs.argmax(axis=1) == NOT_A_DIGIT, 0.0, conf)
    return labels, conf


def choose_turn(probs_by_turn: list[np.ndarray], current: int) -> int:
    """The quarter turn under which the frame's candidates read most confidently.

    The current turn is kept unless another is clearly better, so a frame with few or
    symmetric digits (0, 1, 8, 6/9) does not flip the page.
    """
    scores = [float(digit_scores(p)[1].sum()) for p in probs_by_turn]
    best = int(np.argmax(scores))
    return best if scores[best] > 1.25 * scores[current] + 1.0 else current


class Recognizer:
    """Reads the handwritten digits and numbers in frames; keeps track ids across calls."""

    def __init__(self, config: Config | None = None, classifier: Classifier | None = None) -> None:
        self.config = config or Config()
        self.classifier = classifier or Classifier(self.config.model_path)
        self.tracker = Tracker(self.config.track_iou, self.config.track_max_age)
        self.turn = 0

    def process(self, frame: np.ndarray, index: int = 0, time_ms: float = 0.0, source: str = "") -> FrameResult:
        """Read one BGR (or grey) frame."""
        cfg = self.config
        timings: dict[str, float] = {}
        clock = time.perf_counter()

        def lap(stage: str) -> None:
            nonlocal clock
            now = time.perf_counter()
            timings[stage] = timings.get(stage, 0.0) + (now - clock) * 1000
            clock = now

        regions = find_regions(frame, cfg)
        lap("segment")
        batch = normalize_batch([r.ink for r in regions])
        turns = [0, 1, 2, 3] if cfg.auto_rotate and regions else [0]
        stacked = np.concatenate([np.rot90(batch, k, axes=(1, 2)) for k in turns]) if regions else batch
        lap("normalize")
        probs = self.classifier.predict(stacked)
        lap("classify")
        n = len(regions)
        by_turn = [probs[k * n : (k + 1) * n] for k in range(len(turns))]
        if len(turns) > 1:
            self.turn = choose_turn(by_turn, self.turn)
        labels, conf = digit_scores(by_turn[self.turn if len(turns) > 1 else 0])
        digits = [Digit(r.box, int(lab), float(c)) for r, lab, c in zip(regions, labels, conf, strict=True)
                  if c >= cfg.min_confidence]
        lap("classify")
        digits = self.tracker.update(digits)
        lap("track")
        height, width = frame.shape[:2]
        numbers = read_numbers(digits, cfg.number_gap, self.turn, (width, height))
        lap("read")
        return FrameResult(index, time_ms, tuple(digits), numbers, timings, source)

    def reset(self) -> None:
        """Forget tracks and orientation: the next frame starts a new scene."""
        self.tracker = Tracker(self.config.track_iou, self.config.track_max_age)
        self.turn = 0

