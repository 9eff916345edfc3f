"""Give digits ids that persist across frames, by how much their boxes overlap."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from realtime.types import Box, Digit


class Tracker:
    """Greedy overlap tracker: a digit takes the id of the best-overlapping recent track."""

    def __init__(self, min_iou: float = 0.3, max_age: int = 5) -> None:
        self.min_iou = min_iou
        self.max_age = max_age
        self._tracks: dict[int, tuple[Box, int]] = {}  # id -> (last box, frames since seen)
        self._next_id = 1

    def update(self, digits: list[Digit]) -> list[Digit]:
        """Return the digits with track ids: matched to the best-overlapping recent track, or new."""
        ids = list(self._tracks)
        overlap = _iou_matrix([d.box for d in digits], [self._tracks[t][0] for t in ids])
        assigned: dict[int, int] = {}
        while overlap.size and overlap.max() >= self.min_iou:
            i, k = np.unravel_index(int(overlap.argmax()), overlap.shape)
            assigned[int(i)] = ids[k]
            overlap[i, :] = -1
            overlap[:, k] = -1
        out = []
        for i, d in enumerate(digits):
            tid = assigned.get(i)
            if tid is None:
                tid, self._next_id = self._next_id, self._next_id + 1
            out.append(replace(d, track_id=tid))
        used = set(assigned.values())
        aged = {tid: (box, age + 1) for tid, (box, age) in self._tracks.items() if tid not in used}
        self._tracks = {tid: v for tid, v in aged.items() if v[1] <= self.max_age}
        self._tracks.update({d.track_id: (d.box, 0) for d in out})
        return out


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
