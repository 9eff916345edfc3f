"""Accuracy on labelled real photos (a MANIFEST.tsv as in ../shared/realpaper): digit F1, CER,
image exact and lines exact, pooled, plus one row per photo and the share of video frames read exactly.
With --samples: per sample video/photo in samples/ (boxed truth), digit precision and recall and the
share of numbers read exactly (see bench.scoring).

    python -m bench.accuracy [--manifest ../shared/realpaper/MANIFEST.tsv] [--model models/digits.tflite] [-v]
    python -m bench.accuracy --samples [DIR] [--step 5] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

import cv2

from bench.scoring import SampleScore, Score, parse_truth, reading_lines
from realtime.capture import VideoSource
from realtime.config import DEFAULT_MODEL, Config
from realtime.pipeline import Recognizer

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MANIFEST = ROOT.parent / "shared" / "realpaper" / "MANIFEST.tsv"
DEFAULT_SAMPLES = ROOT / "samples"


# Stages that --without switches off, as Config fields.
WITHOUT = {
    "sheet": {"find_sheet": False},
    "rotate": {"auto_rotate": False},
    "deskew": {"deskew": False},
    "split": {"split_touching": False},
    "words": {"skip_words": False},
    "ghosts": {"min_relative_ink": 0.0},
    "votes": {"vote_window_ms": 0.0},
}


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


def sample_files(folder: Path) -> list[tuple[str, Path, Path]]:
    """(name, media, truth) for every sample in folder with a truth file: NAME.mp4 + NAME.truth.jsonl
    (a video) or NAME.jpg/.png + NAME.truth.json (a photo), in name order."""
    out = []
    for truth in sorted(folder.glob("*.truth.json*")):
        name = truth.name.split(".truth.")[0]
        suffixes = (".mp4", ".avi", ".mov") if truth.suffix == ".jsonl" else (".jpg", ".jpeg", ".png")
        media = next((folder / (name + s) for s in suffixes if (folder / (name + s)).is_file()), None)
        if media is not None:
            out.append((name, media, truth))
    return out


def load_records(truth: Path) -> list[dict]:
    """A sample's truth records: one per video frame (jsonl), or the one of a photo (json)."""
    text = truth.read_text(encoding="utf-8")
    if truth.suffix == ".jsonl":
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return [json.loads(text)]


def score_sample(recognizer: Recognizer, name: str, media: Path, truth: Path, step: int = 1) -> SampleScore:
    """Read a sample and score every `step`-th video frame (only those are read: the others are
    skipped undecoded) or the photo."""
    records = load_records(truth)
    score = SampleScore(name)
    recognizer.reset()
    if truth.suffix != ".jsonl":
        image = cv2.imread(str(media))
        start = time.perf_counter()
        result = recognizer.process(image)
        score.add(records[0], result, time.perf_counter() - start)
        return score
    video = cv2.VideoCapture(str(media))
    try:
        for index, rec in enumerate(records):
            if index % step:
                if not video.grab():
                    break
                continue
            ok, frame = video.read()
            if not ok:
                break
            start = time.perf_counter()
            result = recognizer.process(frame, index, index * 1000 / 30)
            score.add(rec, result, time.perf_counter() - start)
    finally:
        video.release()
    return score


def print_samples(scores: list[SampleScore]) -> None:
    print(f"{'sample':22s} {'frames':>6s} {'digits':>7s} {'precision':>9s} {'recall':>7s} {'numbers':>7s} "
          f"{'exact':>6s} {'true':>6s} {'flips/100f':>10s} {'ms/frame':>8s}")
    for s in scores:
        print(f"{s.name:22s} {s.frames:6d} {s.true_digits:7d} {100 * s.precision:9.1f} {100 * s.recall:7.1f} "
              f"{s.numbers:7d} {100 * s.exact:6.1f} {100 * s.numbers_precision:6.1f} {s.flips_per_100:10.2f} "
              f"{s.ms_per_frame:8.0f}")


def run_samples(folder: Path, config: Config, step: int, only: list[str] | None) -> int:
    files = [f for f in sample_files(folder) if not only or f[0] in only]
    if not files:
        print(f"bench.accuracy: error: no samples with truth in {folder}", file=sys.stderr)
        return 2
    recognizer = Recognizer(config)
    print_samples([score_sample(recognizer, name, media, truth, step) for name, media, truth in files])
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.accuracy", description=__doc__.splitlines()[0])
    p.add_argument("--manifest", type=Path, default=DEFAULT_MANIFEST)
    p.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    p.add_argument("-v", "--verbose", action="store_true", help="one row per photo")
    p.add_argument("--samples", type=Path, nargs="?", const=DEFAULT_SAMPLES, metavar="DIR",
                   help="score the samples with boxed truth in DIR (default samples/) instead of a manifest")
    p.add_argument("--step", type=int, default=1, help="with --samples: score every n-th video frame")
    p.add_argument("--only", nargs="+", metavar="NAME", help="with --samples: only these samples")
    p.add_argument("--min-confidence", type=float, default=Config.min_confidence)
    p.add_argument("--without", nargs="+", choices=sorted(WITHOUT), default=[],
                   help="switch stages off, to measure what each brings")
    args = p.parse_args(argv)
    config = Config(model_path=args.model, min_confidence=args.min_confidence,
                    **{k: v for name in args.without for k, v in WITHOUT[name].items()})
    if args.samples is not None:
        return run_samples(args.samples, config, max(1, args.step), args.only)
    if not args.manifest.is_file():
        print(f"bench.accuracy: error: no manifest at {args.manifest}", file=sys.stderr)
        return 2
    rows = read_manifest(args.manifest)
    recognizer = Recognizer(config)
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
