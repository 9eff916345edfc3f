"""Share of digits read right on synthetic camera pages (MNIST test digits as ink on paper).

    python -m bench.synthetic [--pages 24] [--data tests/data/mnist_test_500.npz] [--model M]

A digit counts as read when a digit of the same label overlaps its true box with IoU >= 0.5.
Pages vary the ink (black, blue, pencil), the sheet's rotation (up to 20 degrees), the light
gradient and the desk around the sheet.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from realtime.config import DEFAULT_MODEL, Config
from realtime.pipeline import Recognizer
from realtime.types import Box
from samples.synth import compose_page, load_digits, photograph

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.synthetic", description=__doc__.splitlines()[0])
    p.add_argument("--pages", type=int, default=24)
    p.add_argument("--data", type=Path, default=ROOT / "tests" / "data" / "mnist_test_500.npz")
    p.add_argument("--model", type=Path, default=DEFAULT_MODEL, help="model the recognizer loads")
    args = p.parse_args(argv)
    digits, labels = load_digits(str(args.data))
    recognizer = Recognizer(Config(model_path=args.model))
    inks = ["black", "blue", "pencil"]
    hits = total = extra = 0
    for page_no in range(args.pages):
        rng = np.random.default_rng(1000 + page_no)
        start = int(rng.integers(0, len(digits) - 40))
        lines = [[int(rng.integers(1, 5)) for _ in range(int(rng.integers(1, 4)))]
                 for _ in range(int(rng.integers(2, 5)))]
        page, placed = compose_page(digits[start:], labels[start:], lines, (1280, 720), rng,
                                    height=(30, 90), ink=inks[page_no % 3])
        desk = (int(rng.integers(30, 120)),) * 3 if page_no % 2 else None
        frame, truth = photograph(page, placed, rng, angle=float(rng.uniform(-20, 20)), desk=desk,
                                  zoom=0.9 if desk else 1.0)
        recognizer.reset()
        result = recognizer.process(frame)
        for t in truth:
            box = Box(*t.box)
            hits += any(d.label == t.label and d.box.iou(box) >= 0.5 for d in result.digits)
        total += len(truth)
        extra += max(0, len(result.digits) - len(truth))
    print(f"{args.pages} pages, {total} digits: {100 * hits / total:.1f}% read right, "
          f"{extra} digits read beyond the true count")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
