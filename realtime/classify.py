"""The digit classifier: one batch per frame, through the fastest runtime available.

A `.tflite` model runs on LiteRT (no TensorFlow needed at run time); a `.keras` file falls
back to Keras. Output: one probability row per candidate, classes 0-9 and, when the model
has it, class 10 "not a digit".
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from realtime.errors import ModelError

NOT_A_DIGIT = 10
CHUNK = 8  # images per interpreter call: larger batches are no faster per image on a CPU, nor is 1 slower


@contextmanager
def _quiet_stderr():
    """Silence what the C++ runtime prints on stderr (its delegate banner) while it starts up."""
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def _load_litert(path: Path):
    try:
        from ai_edge_litert.interpreter import Interpreter
    except ImportError:  # older installs ship the same interpreter inside TensorFlow
        try:
            from tensorflow.lite import Interpreter
        except ImportError as exc:
            raise ModelError("no LiteRT runtime: pip install ai-edge-litert") from exc
    try:
        return Interpreter(model_path=str(path), num_threads=os.cpu_count() or 1)
    except (ValueError, RuntimeError) as exc:
        raise ModelError(f"model file {path} is not a valid LiteRT model") from exc


def _sized(interpreter, batch: int):
    """The interpreter set up for batches of this size, its one-time set-up done."""
    interpreter.resize_tensor_input(interpreter.get_input_details()[0]["index"], [batch, 28, 28, 1])
    interpreter.allocate_tensors()
    interpreter.invoke()  # the runtime's one-time set-up happens here
    return interpreter


class Classifier:
    """Loads a digit model once and classifies N x 28 x 28 x 1 batches in one call each."""

    def __init__(self, model_path: str | Path) -> None:
        path = Path(model_path)
        if not path.is_file():
            raise ModelError(f"model file not found: {path}")
        if path.stat().st_size == 0:
            raise ModelError(f"model file is empty: {path}")
        self.path = path
        self._keras = None
        self._runners = {}  # LiteRT interpreters by the batch size each is set up for
        if path.suffix == ".tflite":
            with _quiet_stderr():
                self._runners = {size: _sized(_load_litert(path), size) for size in (CHUNK, 1)}
            details = self._runners[1].get_output_details()[0]
            self._input = self._runners[1].get_input_details()[0]["index"]
            self._output = details["index"]
            self.classes = int(details["shape"][-1])
        elif path.suffix in (".keras", ".h5"):
            try:
                import keras

                self._keras = keras.models.load_model(path, compile=False)
            except Exception as exc:  # keras raises many kinds for a broken file
                raise ModelError(f"model file {path} could not be loaded: {type(exc).__name__}") from exc
            self.classes = int(self._keras.output_shape[-1])
        else:
            raise ModelError(f"unknown model type {path.suffix!r}: use a .tflite or .keras file")
        if self.classes not in (10, 11):
            raise ModelError(f"model {path} has {self.classes} outputs; a digit model has 10 or 11")

    def predict(self, batch: np.ndarray) -> np.ndarray:
        """Class probabilities (N x classes) for a float32 batch of N MNIST-style images."""
        n = len(batch)
        if n == 0:
            return np.zeros((0, self.classes), np.float32)
        if self._keras is not None:
            return np.asarray(self._keras(batch, training=False), np.float32)
        # Each interpreter keeps one batch size, as resizing costs a slow first call after it: the
        # frame's batch runs through one in chunks of CHUNK, and what is left over through another
        # image by image (an image costs the same alone, so padding the rest would be waste).
        batch = np.ascontiguousarray(batch, np.float32)
        out = np.empty((n, self.classes), np.float32)
        whole = n - n % CHUNK
        spans = [(start, CHUNK) for start in range(0, whole, CHUNK)] + [(start, 1) for start in range(whole, n)]
        for start, size in spans:
            runner = self._runners[size]
            runner.set_tensor(self._input, batch[start : start + size])
            runner.invoke()
            out[start : start + size] = runner.get_tensor(self._output)
        return out
