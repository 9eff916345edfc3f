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


def same_number(a: str, b: str) -> bool:
    """Whether two readings may be one number read twice: digits lost or gained (one reading within
    the other, in order), or one digit read otherwise."""
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long = sorted((a, b), key=len)
    rest = iter(long)
    return all(ch in rest for ch in short)


def _inside(box: Box, outer: Box, share: float = 0.8) -> bool:
    """Whether ``share`` of a box's area lies inside ``outer``."""
    iw = min(box.x2, outer.x2) - max(box.x, outer.x)
    ih = min(box.y2, outer.y2) - max(box.y, outer.y)
    return iw > 0 and ih > 0 and iw * ih >= share * box.w * box.h


@dataclass
class _Held:
    box: Box
    text: str  # the reading last seen at this place
    since_ms: float  # when that reading began
    seen_ms: float
    shown: str | None  # the last reading confirmed here: shown until another one is confirmed


class NumberTracker:
    """A number is confirmed once the same reading has held at the same place for `hold_ms`; a
    confirmed reading is then kept while another one at its place has not held as long, as long as
    the other may be the same number misread (a faint digit lost for a frame, one read otherwise).
    A number read where a kept one stands, apart from it (a digit of it that broke away), waits."""

    def __init__(self, min_iou: float = 0.3, hold_ms: float = 500.0, max_age_ms: float = 500.0) -> None:
        self.min_iou = min_iou
        self.hold_ms = hold_ms
        self.max_age_ms = max_age_ms
        self._held: list[_Held] = []

    def end_all(self) -> None:
        self._held = []

    def update(self, numbers: tuple[Number, ...], time_ms: float,
               shift: tuple[float, float] = (0.0, 0.0)) -> tuple[Number, ...]:
        """The numbers, confirmed where held; `shift`: how far the writing moved (Tracker.shift)."""
        previous = [p for p in self._held if time_ms - p.seen_ms <= self.max_age_ms]
        pairs = _match([n.box for n in numbers], [p.box for p in previous], self.min_iou, shift)
        out: list[tuple[Number, _Held | None]] = []
        for i, n in enumerate(numbers):
            p = previous[pairs[i]] if i in pairs else None
            since = p.since_ms if p is not None and p.text == n.text else time_ms
            shown = p.shown if p is not None else None
            if time_ms - since >= self.hold_ms or n.text == shown:
                shown, n = n.text, replace(n, confirmed=True)
            elif p is not None and shown is not None and same_number(shown, n.text):
                n = replace(n, text=shown, box=enclosing([n.box, _moved(p.box, shift)]), confirmed=True, held=True)
            else:
                shown, n = None, replace(n, confirmed=False)
            out.append((n, _Held(n.box, numbers[i].text, since, time_ms, shown)))
        kept = [n.box for n, _ in out if n.held]
        out = [(n, h) for k, (n, h) in enumerate(out) if k in pairs or not any(_inside(n.box, b) for b in kept)]
        matched = set(pairs.values())
        self._held = [h for _, h in out] + [p for k, p in enumerate(previous) if k not in matched]
        return tuple(n for n, _ in out)
