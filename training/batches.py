"""Feeds one ``model.fit`` call with fresh epochs from an ``EpochSource``.

A single fit (rather than one fit per epoch) keeps the optimizer's state whole across epochs,
which a weight average (EMA) needs: Keras copies the averaged weights into the model at the
end of every fit call. While an epoch is trained on, the next one is generated in the background.
"""

from __future__ import annotations

import time

import keras
import numpy as np

from training.epochs import EpochSource
from training.negatives import NOT_A_DIGIT


class EpochBatches(keras.utils.PyDataset):
    """Shuffled batches of the current epoch; ``on_epoch_end`` moves on to the next one."""

    def __init__(self, source: EpochSource, epochs: int, batch: int, seed: int) -> None:
        super().__init__()
        self.source, self.epochs, self.batch = source, epochs, batch
        self.rng = np.random.default_rng(seed)
        self.epoch = 0
        self.waited = 0.0  # seconds the last epoch switch waited for generation
        self._load(0)

    def _load(self, epoch: int) -> None:
        t0 = time.time()
        images, labels = self.source.get(epoch)
        self.waited = time.time() - t0
        if epoch + 1 < self.epochs:
            self.source.prefetch(epoch + 1)
        order = self.rng.permutation(len(images))
        self.images = images[order]
        self.onehot = keras.utils.to_categorical(labels[order], NOT_A_DIGIT + 1)

    def __len__(self) -> int:
        return int(np.ceil(len(self.images) / self.batch))

    def __getitem__(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        s = slice(index * self.batch, (index + 1) * self.batch)
        return self.images[s], self.onehot[s]

    def on_epoch_end(self) -> None:
        if self.epoch + 1 < self.epochs:
            self.epoch += 1
            self._load(self.epoch)
