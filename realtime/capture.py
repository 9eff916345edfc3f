"""Frame sources: a camera (newest frame only), a video file or stream, an image, a folder of images."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from realtime.errors import SourceError

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp"}
COUNTED = 0.98  # a video that decodes fewer than this share of the frames its header counts is damaged
CAMERA_SIZE = (1280, 720)  # what a camera is asked for: HD, twice a webcam's usual 640x480 across


@dataclass(frozen=True)
class Frame:
    index: int
    time_ms: float
    image: np.ndarray
    name: str


class ImageSource:
    """One image or a folder of images, each read once, in name order.

    In a folder, an image that cannot be read is passed over (and listed in ``skipped``): one
    damaged photo should not stop a batch of hundreds. A folder with no readable image at all,
    or a single image that cannot be read, is an error."""

    live = False

    def __init__(self, paths: list[Path]) -> None:
        self.paths = paths
        self.total = len(paths)
        self.skipped: list[Path] = []
        # The first readable image gives the size, and is handed out as read here (not decoded again).
        self._first = next(((i, image) for i, image in enumerate(map(_read_image, paths)) if image is not None), None)
        if self._first is None:
            what = f"image {paths[0]}" if len(paths) == 1 else f"any image in {paths[0].parent}"
            raise SourceError(f"cannot read {what}: not an image or damaged")
        first = self._first[1]
        self.size = (first.shape[1], first.shape[0])
        self.fps = 1.0

    def frames(self) -> Iterator[Frame]:
        start, first = self._first
        self._first = None  # (not held in memory for the rest of the run)
        self.skipped.extend(self.paths[:start])
        yield Frame(start, 0.0, first, str(self.paths[start]))
        for i in range(start + 1, len(self.paths)):
            image = _read_image(self.paths[i])
            if image is None:
                self.skipped.append(self.paths[i])
                continue
            yield Frame(i, 0.0, image, str(self.paths[i]))

    def faults(self) -> list[str]:
        """What could not be read, a line each (none when all went well): the images passed over."""
        return [f"skipped {path}: not an image or damaged" for path in self.skipped]

    def close(self) -> None:
        pass


def _read_image(path: Path) -> np.ndarray | None:
    return cv2.imread(str(path), cv2.IMREAD_COLOR)


class VideoSource:
    """A video file or stream URL, every frame in order, none dropped."""

    live = False

    def __init__(self, spec: str) -> None:
        self.spec = spec
        self.cap = cv2.VideoCapture(spec)
        ok, frame = self.cap.read() if self.cap.isOpened() else (False, None)
        if not ok or frame is None:
            self.cap.release()
            raise SourceError(f"cannot decode video {spec}: not a video, damaged or unsupported")
        self._first = frame
        self.size = (frame.shape[1], frame.shape[0])
        fps = self.cap.get(cv2.CAP_PROP_FPS)
        self.fps = fps if 0 < fps < 1000 else 30.0
        count = int(self.cap.get(cv2.CAP_PROP_FRAME_COUNT))
        self.total = count if count > 0 else None
        self.cut_short: int | None = None  # frames decoded, where decoding stopped well before the end

    def frames(self) -> Iterator[Frame]:
        frame, index = self._first, 0
        while frame is not None:
            yield Frame(index, index * 1000.0 / self.fps, frame, self.spec)
            ok, frame = self.cap.read()
            frame = frame if ok else None
            index += 1
        # A container's frame count may be an estimate from its duration, a few frames off; a
        # file damaged midway stops decoding far short of it.
        if self.total is not None and index < COUNTED * self.total:
            self.cut_short = index

    def faults(self) -> list[str]:
        """What could not be read, a line each (none when all went well): where decoding stopped."""
        if self.cut_short is None:
            return []
        return [f"video {self.spec} stopped decoding after {self.cut_short} of its {self.total} frames: "
                "damaged there; output written so far is saved"]

    def close(self) -> None:
        self.cap.release()


class CameraSource:
    """A live camera read by a background thread that keeps only the newest frame,
    so a slow pipeline never falls behind the scene (stale frames are dropped).

    A webcam left to itself mostly sends 640x480, where a page's digits are often under 20 px and
    faint pens fade; asked for more (``size``), it sends its nearest mode."""

    live = True
    total = None

    def __init__(self, index: int, timeout_s: float = 2.0, size: tuple[int, int] | None = CAMERA_SIZE) -> None:
        self.cap = cv2.VideoCapture(index)
        if not self.cap.isOpened():
            raise SourceError(f"no camera at index {index}")
        if size:  # a request: the camera picks its nearest mode, and self.size says what it gave
            self.cap.set(cv2.CAP_PROP_FRAME_WIDTH, size[0])
            self.cap.set(cv2.CAP_PROP_FRAME_HEIGHT, size[1])
        ok, frame = self.cap.read()
        if not ok or frame is None:
            self.cap.release()
            raise SourceError(f"camera {index} opened but delivers no frames")
        self.index = index
        self.timeout_s = timeout_s
        self.size = (frame.shape[1], frame.shape[0])
        fps = self.cap.get(cv2.CAP_PROP_FPS)
        self.fps = fps if 0 < fps < 1000 else 30.0
        self._latest: tuple[int, np.ndarray] | None = (0, frame)
        self._seen = -1  # number of the last frame handed out
        self._lock = threading.Condition()
        self._running = True
        self._failed = False
        self._start = time.monotonic()
        self._thread = threading.Thread(target=self._reader, daemon=True)
        self._thread.start()

    def _reader(self) -> None:
        count = 0
        while self._running:
            ok, frame = self.cap.read()
            with self._lock:
                if not ok or frame is None:
                    self._failed = True
                    self._lock.notify_all()
                    return
                count += 1
                self._latest = (count, frame)
                self._lock.notify_all()

    def _fresh(self) -> bool:
        return self._failed or self._latest[0] != self._seen

    def frames(self) -> Iterator[Frame]:
        index = 0
        while True:
            with self._lock:
                got = self._lock.wait_for(self._fresh, timeout=self.timeout_s)
                if self._failed or not got:
                    raise SourceError(f"camera {self.index} stopped delivering frames")
                self._seen, frame = self._latest
            yield Frame(index, (time.monotonic() - self._start) * 1000.0, frame, f"camera:{self.index}")
            index += 1

    def faults(self) -> list[str]:
        """None: a camera that stops delivering raises SourceError as it happens."""
        return []

    def close(self) -> None:
        self._running = False
        self._thread.join(timeout=1.0)
        self.cap.release()


def open_source(spec: str, camera_size: tuple[int, int] | None = CAMERA_SIZE
                ) -> ImageSource | VideoSource | CameraSource:
    """Open what the user named: a camera index (asked for ``camera_size`` frames; None: its
    own), an image, a folder of images, a video or a URL."""
    if spec.isdigit():
        return CameraSource(int(spec), size=camera_size)
    if "://" in spec:
        return VideoSource(spec)
    path = Path(spec)
    if not path.exists():
        raise SourceError(f"no such file or folder: {spec}")
    if path.is_dir():
        images = sorted(p for p in path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        if not images:
            raise SourceError(f"folder {spec} holds no images")
        return ImageSource(images)
    if path.stat().st_size == 0:
        raise SourceError(f"file is empty: {spec}")
    if path.suffix.lower() in IMAGE_SUFFIXES:
        return ImageSource([path])
    return VideoSource(spec)
