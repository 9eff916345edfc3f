"""Export to LiteRT (float32, dynamic batch) and prove the exported file computes what Keras computes.

``python -m training.export --model M`` exports a .keras model trained elsewhere (with the JAX
or PyTorch backend on a GPU, say) and records the check in the model card beside it.

The run time loads only the .tflite file and resizes its input to however many candidates a
frame holds, so the export keeps the batch dimension free and stays float32 (no quantisation),
and it is accepted only if its probabilities match Keras' within a tight tolerance.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # (Keras loads TensorFlow: imported where a model is converted)
    import keras

PARITY_TOLERANCE = 1e-4


def keras_file_problem(flag: str, path: Path) -> str | None:
    """What is wrong with a model file given to ``flag``, in one line (None: nothing): the check
    that costs no TensorFlow, so it runs before anything slow."""
    if not (path.is_file() and zipfile.is_zipfile(path)):  # a .keras file is a zip
        return f"{flag} {path}: no such model file, or not a .keras model"
    return None


class ExportError(RuntimeError):
    """The exported model does not behave like the Keras model; the message says how."""


def tflite_bytes(model: keras.Model) -> bytes:
    """Convert a Keras model to a float32 LiteRT flatbuffer with input [None, 28, 28, 1]."""
    import tensorflow as tf

    @tf.function(input_signature=[tf.TensorSpec([None, 28, 28, 1], tf.float32, name="digit")])
    def serve(x: tf.Tensor) -> tf.Tensor:
        return model(x, training=False)

    from tensorflow.python.framework.convert_to_constants import convert_variables_to_constants_v2

    frozen = convert_variables_to_constants_v2(serve.get_concrete_function())  # weights become constants
    converter = tf.lite.TFLiteConverter.from_concrete_functions([frozen])
    converter.optimizations = []  # float32, no quantisation
    return converter.convert()


def litert_predict(path: str | Path, images: np.ndarray, batch: int | None = None) -> np.ndarray:
    """Run a .tflite file the way the run time does: resize the input to [N,28,28,1], allocate, invoke."""
    from ai_edge_litert.interpreter import Interpreter

    interpreter = Interpreter(model_path=str(path))
    inp = interpreter.get_input_details()[0]["index"]
    out = interpreter.get_output_details()[0]["index"]
    step = batch or len(images)
    results = []
    for i in range(0, len(images), step):
        chunk = np.ascontiguousarray(images[i : i + step], dtype=np.float32)
        interpreter.resize_tensor_input(inp, list(chunk.shape))
        interpreter.allocate_tensors()
        interpreter.set_tensor(inp, chunk)
        interpreter.invoke()
        results.append(interpreter.get_tensor(out).copy())
    return np.concatenate(results)


def save_keras(model: keras.Model, path: str | Path) -> None:
    """Save architecture and weights without optimizer state, deflated (Keras stores it uncompressed, 3x bigger)."""
    import keras

    plain = keras.models.clone_model(model)
    plain.set_weights(model.get_weights())
    path = Path(path)
    fd, tmp = tempfile.mkstemp(suffix=".keras", dir=path.parent)
    os.close(fd)
    try:
        plain.save(tmp)
        with zipfile.ZipFile(tmp) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
            for name in src.namelist():
                dst.writestr(name, src.read(name))
    finally:
        os.remove(tmp)


def parity(tflite_path: str | Path, keras_probs: np.ndarray, images: np.ndarray) -> float:
    """Largest absolute difference between LiteRT and Keras probabilities on the same images."""
    lite = litert_predict(tflite_path, images)
    if lite.shape != keras_probs.shape:
        raise ExportError(f"LiteRT output shape {lite.shape} differs from Keras {keras_probs.shape}")
    return float(np.abs(lite - keras_probs).max())


def export_tflite(model: keras.Model, path: str | Path, check_images: np.ndarray) -> float:
    """Write ``path`` only if LiteRT matches Keras (max abs diff <= 1e-4) on ``check_images``; return the diff.

    Also checks that other batch sizes (1 and an odd one) run, as the run time resizes freely.
    """
    path = Path(path)
    data = tflite_bytes(model)
    keras_probs = model.predict(check_images, batch_size=256, verbose=0)
    fd, tmp = tempfile.mkstemp(suffix=".tflite", dir=path.parent)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    try:
        diff = parity(tmp, keras_probs, check_images)
        if not diff <= PARITY_TOLERANCE:
            raise ExportError(f"LiteRT export differs from Keras by {diff:.3g} (> {PARITY_TOLERANCE}); not written")
        for n in (1, 7):
            single = litert_predict(tmp, check_images[:n])
            if single.shape != (n, keras_probs.shape[1]):
                raise ExportError(f"LiteRT model gave shape {single.shape} for a batch of {n}")
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return diff


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m training.export", description="Write a .keras model's LiteRT file")
    p.add_argument("--model", type=Path, default=Path("models/digits.keras"), help="default models/digits.keras")
    p.add_argument("--data", help="MNIST .npz or IDX folder for the check (default: $PAPERDIGITS_MNIST, else download)")
    args = p.parse_args(argv)
    from training.augment import normalize_all
    from training.data import DataError, load_mnist, resolve_path

    problem = keras_file_problem("--model", args.model)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    try:
        _, (x_test, _) = load_mnist(resolve_path(args.data))
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    import keras

    try:
        model = keras.models.load_model(args.model, compile=False)
    except Exception as exc:  # a broken file: say so, no traceback
        print(f"error: --model {args.model}: cannot load it ({type(exc).__name__})", file=sys.stderr)
        return 2
    target = args.model.with_suffix(".tflite")
    try:
        diff = export_tflite(model, target, normalize_all(x_test[:1000])[..., None])
    except ExportError as exc:
        print(f"error: export failed: {exc}", file=sys.stderr)
        return 1
    card_path = args.model.with_name("model_card.json")
    if card_path.is_file():
        card = json.loads(card_path.read_text())
        card["tflite_parity_max_abs_diff"] = diff
        card_path.write_text(json.dumps(card, indent=1))
    print(f"wrote {target} (LiteRT vs Keras max abs diff {diff:.2e} on 1000 test digits)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
