"""Keep what was read steady over time: ids that persist, labels voted over a short window,
numbers confirmed once their reading has held.

All spans are in milliseconds of the frames' own clock (video time for files, wall time for a
camera), so the behaviour is the same at 10 and at 60 frames per second.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field, replace

import numpy as np

from realtime.types import Box, Digit, Number, enclosing

REACH = 2.5  # the writing moves at most this many digit heights between two frames
NEAREST = 4  # and by less than this many digits' spacing


@dataclass
class _Track:
    box: Box
    seen_ms: float
    votes: deque = field(default_factory=deque)  # (time_ms, label, confidence)


def _iou_matrix(a: list[Box], b: list[Box]) -> np.ndarray:
    """Intersection over union of every box in a with every box in b."""
    if not a or not b:
        return np.zeros((len(a), len(b)))
    pa = np.array([[x.x, x.y, x.x2, x.y2] for x in a], float)[:, None, :]
    pb = np.array([[x.x, x.y, x.x2, x.y2] for x in b], float)[None, :, :]
    iw = np.clip(np.minimum(pa[..., 2], pb[..., 2]) - np.maximum(pa[..., 0], pb[..., 0]), 0, None)
    ih = np.clip(np.minimum(pa[..., 3], pb[..., 3]) - np.maximum(pa[..., 1], pb[..., 1]), 0, None)
    inter = iw * ih
    area_a = (pa[..., 2] - pa[..., 0]) * (pa[..., 3] - pa[..., 1])
    area_b = (pb[..., 2] - pb[..., 0]) * (pb[..., 3] - pb[..., 1])
    return inter / np.maximum(area_a + area_b - inter, 1e-9)


def estimate_shift(boxes: list[Box], previous: list[Box],
                   last: tuple[float, float] = (0.0, 0.0)) -> tuple[float, float]:
    """How far the writing moved since the previous boxes (a sliding sheet, a panning camera).

    Every pair of a box and a previous box of about its size, at most REACH heights apart and
    among the box's NEAREST previous ones, proposes its offset as the shift; the shift that most
    pairs agree on (within a quarter of the writing's height) wins, and of a tie the one closest
    to the ``last`` shift (evenly spaced digits also agree on moves by their spacing; the writing
    keeps moving as it moved). A still page agrees on no movement; fewer than two pairs agreeing
    prove nothing (no shift).
    """
    if not boxes or not previous:
        return 0.0, 0.0
    a = np.array([[*b.center, b.h] for b in boxes], float)
    b = np.array([[*q.center, q.h] for q in previous], float)
    height = float(np.median(a[:, 2]))
    offsets = a[:, None, :2] - b[None, :, :2]
    distance = np.linalg.norm(offsets, axis=2)
    similar = np.abs(np.log(a[:, None, 2] / np.maximum(b[None, :, 2], 1))) < np.log(1.3)
    if len(previous) > NEAREST:  # each box proposes only its nearest previous boxes (a dense page stays fast)
        similar &= distance <= np.partition(distance, NEAREST - 1, axis=1)[:, NEAREST - 1 : NEAREST]
    offsets = offsets[similar & (distance <= REACH * height)]
    if len(offsets) < 2:
        return 0.0, 0.0
    ox, oy = offsets[:, 0], offsets[:, 1]  # compared squared, a coordinate at a time: a dense page has 300
    close = (ox[:, None] - ox[None, :]) ** 2 + (oy[:, None] - oy[None, :]) ** 2 <= (0.25 * height) ** 2
    support = close.sum(axis=1)
    if support.max() < 2:
        return 0.0, 0.0
    contenders = np.flatnonzero(support == support.max())
    best = contenders[np.argmin(np.linalg.norm(offsets[contenders] - np.array(last), axis=1))]
    dx, dy = offsets[close[best]].mean(axis=0)
    return float(dx), float(dy)


def _moved(box: Box, shift: tuple[float, float]) -> Box:
    return Box(round(box.x + shift[0]), round(box.y + shift[1]), box.w, box.h)


def _match(boxes: list[Box], previous: list[Box], min_iou: float,
           shift: tuple[float, float] = (0.0, 0.0)) -> dict[int, int]:
    """Greedy one-to-one matching, best overlap first, with the previous boxes moved by `shift`:
    index in boxes -> index in previous."""
    overlap = _iou_matrix(boxes, [_moved(b, shift) for b in previous])
    pairs: dict[int, int] = {}
    while overlap.size and overlap.max() >= min_iou:
        i, k = np.unravel_index(int(overlap.argmax()), overlap.shape)
        pairs[int(i)] = int(k)
        overlap[i, :] = -1
        overlap[:, k] = -1
    return pairs


class Tracker:
    """Digits take the id of the best-overlapping recent track, once the tracks are moved as the
    writing moved (see estimate_shift); a track unseen in a frame moves on all the same, so it
    waits where its digit will be seen again. A digit's label is the one with the most confidence
    summed over the last `window_ms`, so one bad frame does not flip it."""

    def __init__(self, min_iou: float = 0.3, max_age_ms: float = 500.0, window_ms: float = 600.0) -> None:
        self.min_iou = min_iou
        self.max_age_ms = max_age_ms
        self.window_ms = window_ms
        self._tracks: dict[int, _Track] = {}
        self._next_id = 1
        self.shift = (0.0, 0.0)  # how far the writing moved at the last update

    def end_all(self) -> None:
        """End every track (the scene changed); ids are never given out twice."""
        self._tracks = {}

    def update(self, digits: list[Digit], time_ms: float) -> list[Digit]:
        """The digits with track ids and voted labels."""
        self._tracks = {t: tr for t, tr in self._tracks.items() if time_ms - tr.seen_ms <= self.max_age_ms}
        ids = list(self._tracks)
        boxes, previous = [d.box for d in digits], [self._tracks[t].box for t in ids]
        self.shift = estimate_shift(boxes, previous, self.shift)
        pairs = _match(boxes, previous, self.min_iou, self.shift)
        for k in set(range(len(ids))) - set(pairs.values()):  # unseen this frame: it moved as the writing did
            self._tracks[ids[k]].box = _moved(self._tracks[ids[k]].box, self.shift)
        out = []
        for i, d in enumerate(digits):
            if i in pairs:
                tid = ids[pairs[i]]
                track = self._tracks[tid]
                track.box, track.seen_ms = d.box, time_ms
            else:
                tid, self._next_id = self._next_id, self._next_id + 1
                track = self._tracks[tid] = _Track(d.box, time_ms)
            track.votes.append((time_ms, d.label, d.confidence))
            while track.votes[0][0] < time_ms - self.window_ms:
                track.votes.popleft()
            out.append(Digit(d.box, *_vote(track.votes), track_id=tid))
        return out


def _vote(votes: deque) -> tuple[int, float]:
    """The label with the most confidence summed over the votes, and its mean confidence."""
    totals: dict[int, list[float]] = {}
    for _, label, confidence in votes:
        totals.setdefault(label, []).append(confidence)
    label = max(totals, key=lambda k: sum(totals[k]))
    return label, sum(totals[label]) / len(totals[label])


def misread(reading: str, of: str) -> bool:
    """Whether ``reading`` may be the number ``of`` misread: with digits lost (the rest in order),
    or with one digit read otherwise. Not with digits more: a digit seen in this frame alone is
    likelier a faint one seen at last than a mark that was never there."""
    if len(reading) == len(of):
        return sum(x != y for x, y in zip(reading, of, strict=True)) <= 1
    rest = iter(of)
    return len(reading) < len(of) and all(ch in rest for ch in reading)


def _inside(box: Box, outer: Box, share: float = 0.8) -> bool:
    """Whether ``share`` of a box's area lies inside ``outer``."""
    inter = box.overlap(outer)
    return inter > 0 and inter >= share * box.w * box.h


@dataclass
class _NumberTrack:
    box: Box  # where the number stands, moved as the writing moves
    seen_ms: float
    readings: deque = field(default_factory=deque)  # (time_ms, text)

    def vote(self) -> tuple[str, float]:
        """The reading seen most often (the latest of a tie), and when it was first seen."""
        count: dict[str, int] = {}
        first: dict[str, float] = {}
        for t, text in self.readings:
            count[text] = count.get(text, 0) + 1
            first.setdefault(text, t)
        best = max(reversed([text for _, text in self.readings]), key=lambda text: count[text])
        return best, first[best]


class NumberTracker:
    """Each number's reading is voted over the last two `hold_ms` at its place: the reading seen
    most often wins, and is confirmed once it has been seen for `hold_ms`. A frame that reads the
    number otherwise, in a way that may be it misread (a faint digit lost for a frame, one read
    otherwise), gives the confirmed reading, held. A number read where a held one stands,
    apart from it (a digit of it that broke away), waits."""

    def __init__(self, min_iou: float = 0.3, hold_ms: float = 500.0, max_age_ms: float = 500.0) -> None:
        self.min_iou = min_iou
        self.hold_ms = hold_ms
        self.max_age_ms = max_age_ms
        self._tracks: list[_NumberTrack] = []

    def end_all(self) -> None:
        self._tracks = []

    def update(self, numbers: tuple[Number, ...], time_ms: float,
               shift: tuple[float, float] = (0.0, 0.0)) -> tuple[Number, ...]:
        """The numbers, confirmed where their reading has won at their place, or given the winner
        (held) where they read as it misread; `shift`: how far the writing moved (Tracker.shift)."""
        live = [t for t in self._tracks if time_ms - t.seen_ms <= self.max_age_ms]
        for t in live:  # unseen ones move on too, to wait where their number will be seen again
            t.box = _moved(t.box, shift)
        pairs = _match([n.box for n in numbers], [t.box for t in live], self.min_iou)
        out: list[tuple[Number, _NumberTrack]] = []
        for i, n in enumerate(numbers):
            track = live[pairs[i]] if i in pairs else _NumberTrack(n.box, time_ms)
            track.seen_ms = time_ms
            track.readings.append((time_ms, n.text))
            while track.readings[0][0] < time_ms - 2 * self.hold_ms:
                track.readings.popleft()
            best, since = track.vote()
            confirmed = time_ms - since >= self.hold_ms
            if best != n.text and confirmed and misread(n.text, best):
                n = replace(n, text=best, box=enclosing([n.box, track.box]), confirmed=True, held=True)
            else:
                n, track.box = replace(n, confirmed=confirmed and best == n.text), n.box
            out.append((n, track))
        kept = [n.box for n, _ in out if n.held]
        out = [(n, t) for k, (n, t) in enumerate(out) if k in pairs or not any(_inside(n.box, b) for b in kept)]
        matched = set(pairs.values())
        self._tracks = [t for _, t in out] + [t for k, t in enumerate(live) if k not in matched]
        return tuple(n for n, _ in out)
