"""Where results go: an annotated video or images, a JSON-lines record, a window.

Each sink writes as it goes and is closed by a context manager, so Ctrl-C or a source that
ends early still leaves a playable video and every JSON line already produced on disk.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import TextIO

import cv2
import numpy as np

from realtime.capture import IMAGE_SUFFIXES
from realtime.errors import UserError
from realtime.types import FrameResult

VIDEO_SUFFIXES = {".mp4": "mp4v", ".m4v": "mp4v", ".mov": "mp4v", ".avi": "MJPG", ".mkv": "MJPG"}


def _check_parent(path: Path) -> None:
    if not path.parent.is_dir():
        raise UserError(f"cannot write {path}: folder {path.parent} does not exist")


class VideoSink:
    """Writes annotated frames to a video file at the source's size and frame rate."""

    def __init__(self, path: Path, fps: float, size: tuple[int, int]) -> None:
        _check_parent(path)
        fourcc = VIDEO_SUFFIXES[path.suffix.lower()]
        self.writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*fourcc), fps, size)
        if not self.writer.isOpened():
            raise UserError(f"cannot write video {path}")
        self.size = size

    def write(self, image: np.ndarray, result: FrameResult) -> None:
        if (image.shape[1], image.shape[0]) != self.size:
            image = cv2.resize(image, self.size)
        self.writer.write(image)

    def close(self) -> None:
        self.writer.release()


class ImageSink:
    """Writes the annotated image to a file (one image in) or into a folder (many images in)."""

    def __init__(self, path: Path, many: bool) -> None:
        self.path = path
        self.many = many
        _check_parent(path)
        if many:
            path.mkdir(exist_ok=True)

    def write(self, image: np.ndarray, result: FrameResult) -> None:
        target = self.path / f"{Path(result.source).stem}.png" if self.many else self.path
        if not cv2.imwrite(str(target), image):
            raise UserError(f"cannot write image {target}")

    def close(self) -> None:
        pass


class JsonlSink:
    """One JSON object per frame, flushed line by line."""

    def __init__(self, path: Path) -> None:
        _check_parent(path)
        try:
            self.file: TextIO = open(path, "w", encoding="utf-8")  # noqa: SIM115 - closed by close()
        except OSError as exc:
            raise UserError(f"cannot write {path}: {exc.strerror}") from exc

    def write(self, image: np.ndarray, result: FrameResult) -> None:
        self.file.write(json.dumps(result.to_dict()) + "\n")
        self.file.flush()

    def close(self) -> None:
        self.file.close()


class CsvSink:
    """The reading of each sheet: one row per line, one cell per number, after the source's name.

    A photo's reading is its own; a video's or camera's is the latest frame in which numbers
    were confirmed (or, if none ever were, the last frame read). Written when the sink closes.
    """

    def __init__(self, path: Path) -> None:
        _check_parent(path)
        self.path = path
        self.readings: dict[str, list[list[str]]] = {}
        self._confirmed: dict[str, bool] = {}
        try:
            path.touch()
        except OSError as exc:
            raise UserError(f"cannot write {path}: {exc.strerror}") from exc

    def write(self, image: np.ndarray, result: FrameResult) -> None:
        confirmed = [n for n in result.numbers if n.confirmed]
        if self._confirmed.get(result.source) and not confirmed:
            return  # keep the last confirmed reading of this source
        lines: dict[int, list[str]] = {}
        for number in confirmed or result.numbers:
            lines.setdefault(number.line, []).append(number.text)
        self.readings[result.source] = [lines[k] for k in sorted(lines)]
        self._confirmed[result.source] = bool(confirmed)

    def close(self) -> None:
        with open(self.path, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            for source, lines in self.readings.items():
                for line in lines:
                    writer.writerow([source, *line])


class WindowSink:
    """Shows the annotated frames in a window; q or Esc asks the loop to stop."""

    def __init__(self, title: str = "paperdigits") -> None:
        self.title = title
        self.stopped = False

    def write(self, image: np.ndarray, result: FrameResult) -> None:
        cv2.imshow(self.title, image)
        if cv2.waitKey(1) & 0xFF in (ord("q"), 27):
            self.stopped = True

    def close(self) -> None:
        cv2.destroyAllWindows()


def output_sink(path: Path, fps: float, size: tuple[int, int], many_images: bool) -> VideoSink | ImageSink:
    """The sink for --output: a video for video suffixes, images otherwise."""
    suffix = path.suffix.lower()
    if suffix in VIDEO_SUFFIXES:
        return VideoSink(path, fps, size)
    if suffix in IMAGE_SUFFIXES or (many_images and suffix == ""):
        return ImageSink(path, many_images and suffix == "")
    raise UserError(f"cannot tell what to write from {path.name!r}: use .mp4/.avi for video, "
                    ".png/.jpg for an image, or a folder name for a folder of images")
