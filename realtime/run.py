"""Drive a recognizer over a source and into sinks: the loop the CLI and embedders share."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from realtime.capture import CameraSource, ImageSource, VideoSource
from realtime.overlay import draw
from realtime.pipeline import Recognizer
from realtime.types import FrameResult


class Sink(Protocol):
    def write(self, image: np.ndarray, result: FrameResult) -> None: ...
    def close(self) -> None: ...


@dataclass
class Summary:
    frames: int = 0
    digits: int = 0
    seconds: float = 0.0

    @property
    def fps(self) -> float:
        return self.frames / self.seconds if self.seconds > 0 else 0.0


def run(recognizer: Recognizer, source: ImageSource | VideoSource | CameraSource, sinks: Sequence[Sink],
        max_frames: int | None = None, progress: bool = False, annotate: bool = True) -> Summary:
    """Process frames until the source ends, max_frames is reached or a window asks to stop.

    Sinks are not closed here: the caller owns them (and closes them also on Ctrl-C).
    """
    summary = Summary()
    bar = None
    if progress and not source.live:
        from tqdm import tqdm

        total = source.total if max_frames is None else min(source.total or max_frames, max_frames)
        bar = tqdm(total=total, unit="frame", leave=False)
    start = time.perf_counter()
    fps = None
    try:
        for frame in source.frames():
            if max_frames is not None and summary.frames >= max_frames:
                break
            tick = time.perf_counter()
            if isinstance(source, ImageSource):
                recognizer.reset()  # separate photos share no tracks or orientation
            result = recognizer.process(frame.image, frame.index, frame.time_ms, frame.name)
            image = draw(frame.image, result, fps) if annotate else frame.image
            for sink in sinks:
                sink.write(image, result)
            summary.frames += 1
            summary.digits += len(result.digits)
            elapsed = time.perf_counter() - tick
            fps = 1.0 / elapsed if fps is None else 0.9 * fps + 0.1 / max(elapsed, 1e-6)
            if bar is not None:
                bar.update(1)
            if any(getattr(sink, "stopped", False) for sink in sinks):
                break
    finally:
        summary.seconds = time.perf_counter() - start
        if bar is not None:
            bar.close()
    return summary
