"""Accuracy on labelled real photos (a MANIFEST.tsv as in ../shared/realpaper): digit F1, CER,
image exact and lines exact, pooled, plus one row per photo and the share of video frames read exactly.

    python -m bench.accuracy [--manifest ../shared/realpaper/MANIFEST.tsv] [--model models/digits.tflite] [-v]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import cv2

from bench.scoring import Score, parse_truth, reading_lines
from realtime.capture import VideoSource
from realtime.config import DEFAULT_MODEL, Config
from realtime.pipeline import Recognizer

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MANIFEST = ROOT.parent / "shared" / "realpaper" / "MANIFEST.tsv"


def read_manifest(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def score_photos(recognizer: Recognizer, rows: list[dict[str, str]], folder: Path) -> tuple[Score, float]:
    score, seconds = Score(), 0.0
    for row in rows:
        image = cv2.imread(str(folder / row["file"]))
        if image is None:
            print(f"skipped unreadable {row['file']}", file=sys.stderr)
            continue
        recognizer.reset()
        start = time.perf_counter()
        result = recognizer.process(image)
        seconds += time.perf_counter() - start
        score.add(row["file"], parse_truth(row["ground_truth"]), reading_lines(result))
    return score, seconds


def score_video(recognizer: Recognizer, path: Path, truth: list[str], step: int = 1) -> tuple[int, int]:
    """Frames read exactly, frames scored."""
    recognizer.reset()
    source = VideoSource(str(path))
    exact = total = 0
    try:
        for frame in source.frames():
            result = recognizer.process(frame.image, frame.index, frame.time_ms)
            if frame.index % step == 0:
                total += 1
                exact += int("".join(reading_lines(result)) == "".join(truth))
    finally:
        source.close()
    return exact, total


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.accuracy", description=__doc__.splitlines()[0])
    p.add_argument("--manifest", type=Path, default=DEFAULT_MANIFEST)
    p.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    p.add_argument("-v", "--verbose", action="store_true", help="one row per photo")
    args = p.parse_args(argv)
    if not args.manifest.is_file():
        print(f"bench.accuracy: error: no manifest at {args.manifest}", file=sys.stderr)
        return 2
    rows = read_manifest(args.manifest)
    recognizer = Recognizer(Config(model_path=args.model))
    photos = [r for r in rows if r["kind"] == "photo"]
    score, seconds = score_photos(recognizer, photos, args.manifest.parent)
    if args.verbose:
        for name, truth, read, matched, n_true, n_read in score.rows:
            flag = "ok " if truth == read else "   "
            print(f"{flag}{matched:3d}/{n_true:<3d} read {n_read:<3d} {name[-40:]:40s} truth: {truth} | read: {read}")
    f = score.figures()
    print(f"photos {score.images}, digits {score.true_digits}: F1 {f['f1']:.1f}  precision {f['precision']:.1f}  "
          f"recall {f['recall']:.1f}  CER {f['cer']:.1f}  image exact {f['image_exact']:.1f}  "
          f"lines exact {f['lines_exact']:.1f}  ms/photo {1000 * seconds / max(score.images, 1):.0f}")
    for row in rows:
        if row["kind"] == "video":
            exact, total = score_video(recognizer, args.manifest.parent / row["file"], parse_truth(row["ground_truth"]))
            print(f"video {row['file']}: {exact}/{total} frames read exactly ({100 * exact / max(total, 1):.1f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
