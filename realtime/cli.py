"""Command line: python -m realtime SOURCE [--output FILE] [--json FILE] ..."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from contextlib import ExitStack
from pathlib import Path

from realtime.capture import CAMERA_SIZE, ImageSource, open_source
from realtime.config import DEFAULT_MODEL, Config
from realtime.errors import UserError

PROG = "paperdigits"


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad flag in one line instead of a usage block."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{PROG}: error: {message} (see --help)\n")


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 1")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text} is not above 0")
    return value


def _frame_size(text: str) -> tuple[int, int] | None:
    """WIDTHxHEIGHT, or "native": the camera's own size."""
    if text == "native":
        return None
    width, _, height = text.partition("x")
    if not (width.isdigit() and height.isdigit() and int(width) > 0 and int(height) > 0):
        raise argparse.ArgumentTypeError(f"{text!r} is not WIDTHxHEIGHT (such as 1280x720) or native")
    return int(width), int(height)


def build_parser() -> argparse.ArgumentParser:
    defaults = Config()
    p = _Parser(prog="python -m realtime",
                description="Read handwritten digits and numbers on paper from a camera, video or images.")
    p.add_argument("source", help="camera index (0), video file, image file, folder of images, or stream URL")
    p.add_argument("--output", "-o", type=Path,
                   help="write the annotated video (.mp4/.avi), image (.png/.jpg) or, for a folder, a folder of images")
    p.add_argument("--json", type=Path, help="write one JSON line per frame with the digits and numbers read")
    p.add_argument("--csv", type=Path,
                   help="write the sheet's reading: one row per line (source name first), one cell per number")
    p.add_argument("--model", type=Path, default=DEFAULT_MODEL, help="digit model: .tflite (fast) or .keras")
    p.add_argument("--min-confidence", type=_fraction, default=defaults.min_confidence,
                   help="drop digits whose probability is below this (0-1)")
    p.add_argument("--ink", type=_fraction, default=defaults.ink_strong,
                   help="how much darker than the paper a stroke must be to start a digit (0-1); "
                   "lower it for faint pencil")
    p.add_argument("--ink-weak", type=_fraction, default=defaults.ink_weak,
                   help="how much darker than the paper a pixel must be to extend a stroke (0-1)")
    p.add_argument("--work-size", type=_positive_int, default=defaults.work_size,
                   help="longest side, in pixels, frames are analysed at; larger finds smaller digits, slower")
    p.add_argument("--camera-size", type=_frame_size, default=CAMERA_SIZE, metavar="WxH",
                   help=f"frame size to ask a camera for (default {CAMERA_SIZE[0]}x{CAMERA_SIZE[1]}; it sends its "
                   "nearest); native: the camera's own")
    p.add_argument("--no-rotate", action="store_true", help="assume the sheet is upright; do not try 90/180/270")
    p.add_argument("--no-sheet", action="store_true", help="do not look for the sheet's outline; read the whole frame")
    p.add_argument("--no-split", action="store_true", help="never cut a wide blob into touching digits")
    p.add_argument("--max-frames", type=_positive_int, help="stop after this many frames")
    p.add_argument("--no-display", action="store_true", help="never open a window, even for a camera")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no summary")
    return p


def _config(args: argparse.Namespace) -> Config:
    if args.ink_weak > args.ink:
        raise UserError(f"--ink-weak ({args.ink_weak}) must not exceed --ink ({args.ink})")
    return Config(model_path=args.model, min_confidence=args.min_confidence, ink_strong=args.ink,
                  ink_weak=args.ink_weak, work_size=args.work_size, auto_rotate=not args.no_rotate,
                  find_sheet=not args.no_sheet, split_touching=not args.no_split)


class _Interrupt:
    """Ctrl-C, remembered as well as raised. Python swallows an exception raised while it runs an
    object's finaliser, so a Ctrl-C that lands there would otherwise be lost, and the run would
    end as if nobody had stopped it."""

    def __init__(self) -> None:
        self.seen = False
        self._installed = False
        self._previous: object = None

    def _handle(self, signum: int, frame: object) -> None:
        self.seen = True
        raise KeyboardInterrupt

    def __enter__(self) -> _Interrupt:
        if threading.current_thread() is threading.main_thread():  # only there can signals be handled
            self._previous = signal.signal(signal.SIGINT, self._handle)
            self._installed = True
        return self

    def __exit__(self, *exc: object) -> None:
        if self._installed:
            signal.signal(signal.SIGINT, self._previous)  # type: ignore[arg-type]


def _has_display() -> bool:
    return sys.platform in ("win32", "darwin") or bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    import cv2

    # OpenCV and FFmpeg would print their own multi-line complaints about a bad camera or
    # video; we say it once, in one line. (FFmpeg's own log, such as "moov atom not found" for a
    # truncated file, only listens to this variable, read when the first video is opened.)
    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)
    os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")
    from realtime.pipeline import Recognizer
    from realtime.run import run
    from realtime.sinks import CsvSink, JsonlSink, WindowSink, output_sink

    summary = None
    source = None
    interrupt = _Interrupt()
    try:
        with interrupt, ExitStack() as stack:
            recognizer = Recognizer(_config(args))
            source = open_source(args.source, args.camera_size)
            stack.callback(source.close)
            sinks = []
            if args.output:
                many = isinstance(source, ImageSource) and source.total > 1
                sinks.append(output_sink(args.output, source.fps, source.size, many))
                stack.callback(sinks[-1].close)
            if args.json:
                sinks.append(JsonlSink(args.json))
                stack.callback(sinks[-1].close)
            if args.csv:
                sinks.append(CsvSink(args.csv))
                stack.callback(sinks[-1].close)
            if source.live and not args.no_display and _has_display():
                sinks.append(WindowSink())
                stack.callback(sinks[-1].close)
            summary = run(recognizer, source, sinks, args.max_frames, progress=not args.quiet)
    except UserError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        interrupt.seen = True
    faults = source.faults() if source is not None else []
    for fault in faults:
        print(f"{PROG}: error: {fault}", file=sys.stderr)
    if interrupt.seen:
        print(f"{PROG}: interrupted; output written so far is saved", file=sys.stderr)
        return 130
    if not args.quiet and summary is not None:
        print(f"{summary.frames} frames, {summary.digits} digits, {summary.fps:.1f} fps")
    return 1 if faults else 0
