"""Make the sample videos in samples/ with exact ground truth, from MNIST test digits.

    python -m samples.make_samples [--data ../shared/data/mnist.npz] [--out samples]

Each video gets a truth file NAME.truth.jsonl: one line per frame with every digit's box,
label, line and number. Deterministic: the same seed gives the same files.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import cv2
import numpy as np

from samples.synth import compose_page, load_digits, photograph

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent / "tests" / "data" / "mnist_test_500.npz"

# name: (frame size, seconds, lines of numbers (digit counts), digit height range, ink, desk colour)
SCENES = {
    "numbers_sheet": ((1280, 720), 3, [[3, 4], [2, 2, 2], [5], [4, 3]], (45, 70), "black", (70, 60, 50)),
}


def render(name: str, digits: np.ndarray, labels: np.ndarray, out: Path, seed: int) -> Path:
    size, seconds, lines, height, ink, desk = SCENES[name]
    rng = np.random.default_rng(seed)
    page, placed = compose_page(digits, labels, lines, size, rng, height=height, ink=ink)
    fps = 30
    video = out / f"{name}.mp4"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"mp4v"), fps, size)
    with open(out / f"{name}.truth.jsonl", "w", encoding="utf-8") as truth_file:
        for i in range(seconds * fps):
            t = i / fps
            # A hand-held camera: slow sway in angle and position, a little zoom breathing.
            angle = 4 * np.sin(0.8 * t) + rng.normal(0, 0.15)
            shift = (12 * np.sin(0.5 * t) + rng.normal(0, 1), 8 * np.cos(0.7 * t) + rng.normal(0, 1))
            frame, truth = photograph(page, placed, rng, angle=angle, desk=desk, zoom=0.92 + 0.02 * np.sin(t),
                                      shift=shift)
            writer.write(frame)
            record = {"frame": i, "digits": [{"box": list(d.box), "label": d.label, "line": d.line,
                                              "number": d.number} for d in truth]}
            truth_file.write(json.dumps(record) + "\n")
    writer.release()
    return video


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m samples.make_samples", description=__doc__.splitlines()[0])
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="npz of MNIST test digits")
    p.add_argument("--out", type=Path, default=HERE)
    p.add_argument("--seed", type=int, default=2026)
    args = p.parse_args(argv)
    digits, labels = load_digits(str(args.data))
    for k, name in enumerate(SCENES):
        print(render(name, digits, labels, args.out, args.seed + k))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
