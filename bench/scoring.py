"""How a reading is scored against truth: digit F1, CER, image and line exactness against hand-labelled
text, and digit precision/recall and numbers read exactly against the samples' boxed truth."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from realtime.types import Box, FrameResult, enclosing


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


# --------------------------------------------------------------------------------------------
# Samples with boxes (samples/*.truth.jsonl): digits matched by place and label, numbers by text.
# --------------------------------------------------------------------------------------------

DIGIT_IOU = 0.5  # a read digit matches a true one when their boxes overlap this much and labels agree
NUMBER_IOU = 0.3  # a read number matches a true one when its text is equal and boxes overlap this much


@dataclass(frozen=True)
class TrueNumber:
    text: str
    box: Box


def truth_digits(record: dict) -> list[tuple[Box, int]]:
    """The true digits of one frame's truth record: (box, label)."""
    return [(Box(*d["box"]), int(d["label"])) for d in record["digits"]]


def truth_numbers(record: dict, spelled: dict[int, str] | None = None) -> list[TrueNumber]:
    """The true numbers of a frame: each number's digits in writing order, and their union box.

    A record's "numbers" list (numbers wholly in view) is used when present; otherwise numbers are
    gathered from the digits' "number" fields, and spell their digits, or as ``spelled`` gives a
    number's text where it holds more (a decimal point) and all its digits are in view."""
    if "numbers" in record:
        return [TrueNumber(n["text"], Box(*n["box"])) for n in record["numbers"]]
    groups: dict[int, list[dict]] = {}
    for d in record["digits"]:
        groups.setdefault(d["number"], []).append(d)
    out = []
    for k, digits in groups.items():
        box = enclosing(Box(*d["box"]) for d in digits)
        text = "".join(str(d["label"]) for d in digits)
        written = (spelled or {}).get(k, text)
        out.append(TrueNumber(written if "".join(filter(str.isdigit, written)) == text else text, box))
    return out


def match_digits(truth: list[tuple[Box, int]], read: list[tuple[Box, int]], min_iou: float = DIGIT_IOU) -> int:
    """How many read digits match a true digit one to one (same label, IoU >= min_iou), best overlaps first.

    One to one, so a digit read twice counts once and the second reading is a false one."""
    pairs = sorted(((tb.iou(rb), i, j) for i, (tb, tl) in enumerate(truth) for j, (rb, rl) in enumerate(read)
                    if tl == rl), reverse=True)
    used_t: set[int] = set()
    used_r: set[int] = set()
    for iou, i, j in pairs:
        if iou < min_iou:
            break
        if i not in used_t and j not in used_r:
            used_t.add(i)
            used_r.add(j)
    return len(used_t)


LOST = ("not found", "cut wrong", "misread", "dropped")  # why a true digit was not read (see why_lost)
TOUCHED = 0.2  # ...a candidate overlapping it this much (IoU) or more was cut from it, or it from one


def why_lost(truth: list[tuple[Box, int]], read: list[tuple[Box, int]], candidates: list[tuple[Box, int, float]],
             min_iou: float = DIGIT_IOU) -> Counter:
    """Why each true digit that no read digit matches (same label, IoU >= min_iou) was lost, told
    by the ``candidates``: every mark the classifier read, (box, label, confidence), before any
    rule left one out. "dropped": a candidate reads it right (the recognizer's rules left it out:
    read unsurely, a speck, fainter than the page's pen, a letter of a word); "misread": one covers
    it (IoU >= min_iou) but reads another digit, or no digit (confidence 0); "cut wrong": one only
    overlaps it, TOUCHED or more (three digits read as one blob, a piece of one); "not found":
    none does (its ink was lost, or judged no mark). So a bench says which stage to mend."""
    lost: Counter = Counter()
    for box, label in truth:
        if any(rl == label and box.iou(rb) >= min_iou for rb, rl in read):
            continue
        covering = [(rl, conf) for rb, rl, conf in candidates if box.iou(rb) >= min_iou]
        if any(rl == label and conf > 0.0 for rl, conf in covering):
            lost["dropped"] += 1
        elif covering:
            lost["misread"] += 1
        elif any(box.iou(rb) >= TOUCHED for rb, _, _ in candidates):
            lost["cut wrong"] += 1
        else:
            lost["not found"] += 1
    return lost


def _spells(text: str, box: Box, number: TrueNumber, min_iou: float) -> bool:
    """Whether a read number spells a true one exactly, with boxes overlapping at least min_iou."""
    return text == number.text and box.iou(number.box) >= min_iou


def numbers_read_exactly(truth: list[TrueNumber], read: list[tuple[str, Box]], min_iou: float = NUMBER_IOU) -> int:
    """How many true numbers some read number spells (see _spells)."""
    return sum(any(_spells(text, box, t, min_iou) for text, box in read) for t in truth)


def numbers_true(truth: list[TrueNumber], read: list[tuple[str, Box]], min_iou: float = NUMBER_IOU) -> int:
    """How many read numbers spell a true number (see _spells); the rest are misread, or not there:
    a word's letters, a number kept where it is no more."""
    return sum(any(_spells(text, box, t, min_iou) for t in truth) for text, box in read)


@dataclass
class SampleScore:
    """Pooled counts over the scored frames of one sample."""

    name: str = ""
    frames: int = 0
    true_digits: int = 0
    read_digits: int = 0
    matched: int = 0
    numbers: int = 0
    numbers_exact: int = 0
    numbers_read: int = 0
    numbers_true: int = 0  # read numbers that spell a true one
    seconds: float = 0.0
    tracked: int = 0  # digit readings that carried a track id
    flips: int = 0  # times a tracked digit's label changed from one scored frame to the next
    last_label: dict = field(default_factory=dict)

    def add(self, record: dict, result: FrameResult, seconds: float = 0.0) -> None:
        """Score one frame's reading against its truth record."""
        truth = truth_digits(record)
        read = [(d.box, d.label) for d in result.digits]
        numbers = truth_numbers(record)
        self.frames += 1
        self.true_digits += len(truth)
        self.read_digits += len(read)
        self.matched += match_digits(truth, read)
        self.numbers += len(numbers)
        read_numbers = [(n.text, n.box) for n in result.numbers]
        self.numbers_exact += numbers_read_exactly(numbers, read_numbers)
        self.numbers_read += len(read_numbers)
        self.numbers_true += numbers_true(numbers, read_numbers)
        self.seconds += seconds
        for d in result.digits:
            if d.track_id is not None:
                self.tracked += 1
                self.flips += self.last_label.get(d.track_id, d.label) != d.label
                self.last_label[d.track_id] = d.label

    @property
    def precision(self) -> float:
        """Share of read digits that are true; 1 when nothing was read (nothing read wrongly)."""
        return self.matched / self.read_digits if self.read_digits else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.true_digits if self.true_digits else 1.0

    @property
    def exact(self) -> float:
        """Share of true numbers read exactly."""
        return self.numbers_exact / self.numbers if self.numbers else 1.0

    @property
    def numbers_precision(self) -> float:
        """Share of read numbers that spell a true number where it stands; 1 when none was read."""
        return self.numbers_true / self.numbers_read if self.numbers_read else 1.0

    @property
    def flips_per_100(self) -> float:
        """Label changes per tracked digit per 100 frames."""
        return 100 * self.flips / self.tracked if self.tracked else 0.0

    @property
    def ms_per_frame(self) -> float:
        return 1000 * self.seconds / max(self.frames, 1)
