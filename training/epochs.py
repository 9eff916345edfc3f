"""Background generation of whole training epochs (augmented digits plus fresh negatives).

Augmentation and negative generation are plain numpy/OpenCV per image, so they run in worker
processes (spawned, never forked from a process holding TensorFlow) at a lower priority:
the next epoch is produced from the cycles training leaves idle, and training never waits
except for the first epoch.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from multiprocessing import get_context
from multiprocessing.pool import AsyncResult

import cv2
import numpy as np

from training.augment import augment_batch
from training.negatives import NOT_A_DIGIT, make_negatives

_X: np.ndarray | None = None


def _init(x: np.ndarray, nice: int) -> None:
    global _X
    _X = x
    cv2.setNumThreads(1)
    if nice:
        os.nice(nice)


def _digits_job(job: tuple[int, int, int, float]) -> np.ndarray:
    start, stop, seed, strength = job
    assert _X is not None
    return augment_batch(_X[start:stop], seed, strength)


def _negatives_job(job: tuple[int, int]) -> np.ndarray:
    n, seed = job
    return make_negatives(n, seed, digits=_X)[0]


class EpochSource:
    """Hands out epoch e as (images N x 28 x 28 x 1 float32, labels N), generated ahead of time,
    its digits augmented at ``strengths[e]`` (the last one for any later epoch)."""

    def __init__(
        self,
        x: np.ndarray,
        y: np.ndarray,
        negatives: int,
        strengths: Sequence[float],
        seed: int,
        workers: int = 2,
        chunk: int = 2500,
        nice: int = 5,
    ) -> None:
        self.x, self.y = x, y
        self.negatives, self.strengths, self.seed, self.chunk = negatives, list(strengths), seed, chunk
        self.pool = get_context("spawn").Pool(workers, initializer=_init, initargs=(x, nice))
        self.pending: dict[int, tuple[list[AsyncResult], list[AsyncResult]]] = {}

    def prefetch(self, epoch: int) -> None:
        """Queue the generation of an epoch (no-op if already queued)."""
        if epoch in self.pending:
            return
        base = (self.seed + 1) * 1_000_003 + epoch * 7919
        strength = self.strengths[min(epoch, len(self.strengths) - 1)]
        digit_jobs = [
            (i, min(i + self.chunk, len(self.x)), base + i, strength) for i in range(0, len(self.x), self.chunk)
        ]
        neg_jobs = [
            (min(self.chunk, self.negatives - i), base + 500_000 + i) for i in range(0, self.negatives, self.chunk)
        ]
        self.pending[epoch] = (
            [self.pool.apply_async(_digits_job, (j,)) for j in digit_jobs],
            [self.pool.apply_async(_negatives_job, (j,)) for j in neg_jobs],
        )

    def get(self, epoch: int) -> tuple[np.ndarray, np.ndarray]:
        """Wait for an epoch and return it (digits first, then negatives; fit shuffles)."""
        self.prefetch(epoch)
        digit_h, neg_h = self.pending.pop(epoch)
        digits = np.concatenate([h.get() for h in digit_h])
        parts = [digits] + [h.get() for h in neg_h]
        images = np.concatenate(parts)[..., None]
        labels = np.concatenate([self.y.astype(np.int64), np.full(self.negatives, NOT_A_DIGIT, np.int64)])
        return images, labels

    def close(self) -> None:
        self.pool.terminate()
        self.pool.join()
