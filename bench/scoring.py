"""How a reading is scored against hand-labelled truth: digit F1, CER, image and line exactness."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from realtime.types import FrameResult


def parse_truth(text: str) -> list[str]:
    """'1 5 7 2 / 4 3 8 9 0' -> ['1572', '43890'] (uncertainty marks dropped)."""
    return ["".join(tok.rstrip("?") for tok in line.split()) for line in text.split("/") if line.strip()]


def reading_lines(result: FrameResult) -> list[str]:
    """The digits read, as one string per line, lines top to bottom."""
    lines: dict[int, list[str]] = {}
    for number in result.numbers:
        lines.setdefault(number.line, []).append(number.text)
    return ["".join(lines[k]) for k in sorted(lines)]


def edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


@dataclass
class Score:
    """Pooled counts; the figures are computed from them."""

    true_digits: int = 0
    read_digits: int = 0
    matched: int = 0
    edits: int = 0
    images: int = 0
    images_exact: int = 0
    lines: int = 0
    lines_exact: int = 0
    rows: list[tuple] = field(default_factory=list)

    def add(self, name: str, truth: list[str], read: list[str]) -> None:
        t, r = "".join(truth), "".join(read)
        matched = sum((Counter(t) & Counter(r)).values())
        edits = edit_distance(r, t)
        lines_exact = sum(1 for line in truth if line in read)
        self.true_digits += len(t)
        self.read_digits += len(r)
        self.matched += matched
        self.edits += edits
        self.images += 1
        self.images_exact += int(r == t)
        self.lines += len(truth)
        self.lines_exact += lines_exact
        self.rows.append((name, " / ".join(truth), " / ".join(read), matched, len(t), len(r)))

    @property
    def precision(self) -> float:
        return self.matched / self.read_digits if self.read_digits else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.true_digits if self.true_digits else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def figures(self) -> dict[str, float]:
        return {
            "f1": 100 * self.f1,
            "precision": 100 * self.precision,
            "recall": 100 * self.recall,
            "cer": 100 * self.edits / max(self.true_digits, 1),
            "image_exact": 100 * self.images_exact / max(self.images, 1),
            "lines_exact": 100 * self.lines_exact / max(self.lines, 1),
        }
