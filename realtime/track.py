"""Give digits ids that persist across frames, by how much their boxes overlap."""

from __future__ import annotations

from dataclasses import replace

from realtime.types import Box, Digit


class Tracker:
    """Greedy overlap tracker: a digit takes the id of the best-overlapping recent track."""

    def __init__(self, min_iou: float = 0.3, max_age: int = 5) -> None:
        self.min_iou = min_iou
        self.max_age = max_age
        self._tracks: dict[int, tuple[Box, int]] = {}  # id -> (last box, frames since seen)
        self._next_id = 1

    def update(self, digits: list[Digit]) -> list[Digit]:
        pairs = sorted(((d.box.iou(box), i, tid) for i, d in enumerate(digits)
                        for tid, (box, _) in self._tracks.items()), reverse=True)
        assigned: dict[int, int] = {}
        used: set[int] = set()
        for iou, i, tid in pairs:
            if iou < self.min_iou:
                break
            if i not in assigned and tid not in used:
                assigned[i] = tid
                used.add(tid)
        out = []
        for i, d in enumerate(digits):
            tid = assigned.get(i)
            if tid is None:
                tid, self._next_id = self._next_id, self._next_id + 1
            out.append(replace(d, track_id=tid))
        aged = {tid: (box, age + 1) for tid, (box, age) in self._tracks.items() if tid not in used}
        self._tracks = {tid: v for tid, v in aged.items() if v[1] <= self.max_age}
        self._tracks.update({d.track_id: (d.box, 0) for d in out})
        return out
