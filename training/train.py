"""Train the digit reader and ship it: ``python -m training.train --data PATH``.

Trains on camera-like augmented MNIST plus generated non-digits, measures on the untouched
MNIST test set (through the run time's normalisation) and on held-out generated negatives,
then writes models/digits.keras, models/digits.tflite (checked against Keras),
models/digits_history.json and models/model_card.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shlex
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from training.augment import normalize_all
from training.data import DataError, file_sha256, load_mnist, resolve_path, split_train_val
from training.export import ExportError, export_tflite, keras_file_problem, save_keras
from training.metrics import NOT_A_DIGIT, confusion, summary, top_confusions
from training.negatives import HELDOUT_SIZE, heldout_negatives, make_negatives

if TYPE_CHECKING:  # (Keras and the epoch source load TensorFlow: imported where a model is trained)
    import keras

    from training.epochs import EpochSource

Soften = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]  # (images, one-hot targets, labels) -> targets

VAL_SIZE = 5000
VAL_NEG_SEED = 555_001  # validation negatives: watched during training


def log(msg: str) -> None:
    """Progress line on stdout, flushed so a log file shows it at once."""
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m training.train", description=__doc__.splitlines()[0])
    p.add_argument("--data", help="MNIST .npz or IDX folder (default: $PAPERDIGITS_MNIST, else Keras download)")
    p.add_argument("--epochs", type=int, help="training epochs (default 18, --quick 3)")
    p.add_argument("--out", default="models", help="output folder (default models)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--ensemble", type=int, default=1, help="train K models and report the averaged ensemble")
    p.add_argument("--quick", action="store_true", help="short run (3 epochs), for a first usable model")
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--lr", type=float, default=2e-3, help="peak learning rate")
    p.add_argument("--negatives", type=int, help="generated negatives per epoch (default 8000, --quick 6000)")
    p.add_argument("--strength", type=float, help="augmentation strength 0..1 at the first epoch (default 0.5)")
    p.add_argument("--strength-end", type=float, help="...eased linearly to this at the last (default: --strength)")
    p.add_argument("--dropout", type=float, default=0.4, help="dropout rate after each block (default 0.4)")
    p.add_argument("--width", type=int, help="filters in the first block (default 32, or --init's)")
    p.add_argument("--weight-decay", type=float, default=0.0, help="decoupled weight decay (AdamW; default 0: none)")
    p.add_argument("--ema", type=float, default=0.0,
                   help="keep an exponential moving average of the weights with this momentum (e.g. 0.999) and "
                   "ship it (default 0: none)")
    p.add_argument("--init", type=Path, help="start from this model's weights (a .keras file of the same design)")
    p.add_argument("--teacher", type=Path, nargs="+", help="learn the digits also from these .keras models (averaged)")
    p.add_argument("--distill", type=float, default=0.5, help="share of a digit's target the teachers give (0.5)")
    p.add_argument("--train-limit", type=int, default=0, help="use only the first N training digits (for tests)")
    p.add_argument("--val-size", type=int, default=VAL_SIZE)
    p.add_argument("--workers", type=int, default=2, help="processes generating epochs in the background")
    return p.parse_args(argv)


def strength_schedule(start: float, end: float, epochs: int) -> list[float]:
    """Augmentation strength per epoch, eased linearly from start to end: strong distortion teaches
    robustness early, milder at the end fits the clean digits better."""
    return [float(v) for v in np.linspace(start, end, epochs)]


def epoch_batches(source: EpochSource, epochs: int, batch: int, seed: int, classes: int,
                  soften: Soften | None = None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Endless (images, targets) batches, epoch after epoch from ``source``, each epoch shuffled;
    the next epoch is generated in the background while this one trains. Targets are one-hot
    labels, or what ``soften(images, one_hot, labels)`` makes of them (a teacher's knowledge)."""
    rng = np.random.default_rng(seed)
    eye = np.eye(classes, dtype=np.float32)
    for epoch in range(epochs):
        xe, ye = source.get(epoch)
        if epoch + 1 < epochs:
            source.prefetch(epoch + 1)
        order = rng.permutation(len(xe))
        for i in range(len(xe) // batch):
            take = order[i * batch : (i + 1) * batch]
            x, y = xe[take], eye[ye[take]]
            yield x, (soften(x, y, ye[take]) if soften else y)


def distilled(teachers: list[keras.Model], share: float) -> Soften:
    """A ``soften`` for epoch_batches: each digit's target becomes (1 - share) of its label plus
    ``share`` of the teachers' averaged probabilities, which say which other digits it resembles
    (a model trained without non-digits, or an ensemble, passes on what one model alone cannot
    learn); non-digits keep their label."""

    def soften(x: np.ndarray, one_hot: np.ndarray, labels: np.ndarray) -> np.ndarray:
        probs = np.mean([np.asarray(t(x, training=False)) for t in teachers], axis=0)
        digits = labels < NOT_A_DIGIT
        out = one_hot.copy()
        out[digits] = (1 - share) * one_hot[digits] + share * probs[digits]
        return out

    return soften


def train_one(args: argparse.Namespace, seed: int, data: dict, source_seed: int, init_weights: list | None = None
              ) -> tuple[keras.Model, list[dict[str, float]], float]:
    """Train a single model with a given seed (from ``init_weights`` if given); returns (model,
    history list, seconds). One ``fit`` over all epochs, so a weight average (``--ema``) runs unbroken."""
    import keras

    from training.epochs import EpochSource
    from training.model import build_model

    keras.utils.set_random_seed(seed)
    x_train, y_train = data["train"]
    steps = (len(x_train) + args.negatives) // args.batch
    schedule = keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=args.lr / 10,
        decay_steps=steps * max(args.epochs - 1, 1),
        alpha=0.01,
        warmup_target=args.lr,
        warmup_steps=steps,
    )
    model = build_model(args.dropout, args.width)
    if init_weights is not None:
        model.set_weights(init_weights)
    model.compile(
        optimizer=keras.optimizers.Adam(
            schedule,
            weight_decay=args.weight_decay or None,
            use_ema=args.ema > 0,
            ema_momentum=args.ema or 0.99,
        ),
        loss=keras.losses.CategoricalCrossentropy(label_smoothing=0.05),
        metrics=["accuracy"],
    )
    val_x, val_y = data["val"]
    val_onehot = keras.utils.to_categorical(val_y, NOT_A_DIGIT + 1)
    strengths = strength_schedule(args.strength, args.strength_end, args.epochs)
    history: list[dict[str, float]] = []
    start = time.time()

    class Log(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
            self.t0 = time.time()

        def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
            row = {k: float(v) for k, v in (logs or {}).items()}
            row.update(epoch=epoch + 1, lr=float(schedule(self.model.optimizer.iterations)))
            row.update(strength=strengths[epoch], seconds=time.time() - self.t0)
            history.append(row)
            log(
                f"seed {seed} epoch {epoch + 1}/{args.epochs}: loss {row['loss']:.4f} acc {row['accuracy']:.4f} "
                f"val_loss {row['val_loss']:.4f} val_acc {row['val_accuracy']:.4f} lr {row['lr']:.2e} "
                f"strength {row['strength']:.2f} ({row['seconds']:.0f}s)"
            )

    soften = None
    if args.teacher:
        soften = distilled([keras.models.load_model(t, compile=False) for t in args.teacher], args.distill)
    source = EpochSource(x_train, y_train, args.negatives, strengths, source_seed, workers=args.workers)
    try:
        source.prefetch(0)
        model.fit(
            epoch_batches(source, args.epochs, args.batch, source_seed, NOT_A_DIGIT + 1, soften),
            steps_per_epoch=steps,
            epochs=args.epochs,
            validation_data=(val_x, val_onehot),
            callbacks=[Log()],
            shuffle=False,  # each epoch is shuffled as it is handed out
            verbose=0,
        )
    finally:
        source.close()
    return model, history, time.time() - start


def args_problem(args: argparse.Namespace) -> str | None:
    """What is wrong with the settings, in one line (None: nothing), before any data is loaded."""
    if args.epochs < 1 or args.ensemble < 1 or (args.width is not None and args.width < 1):
        return "--epochs, --ensemble and --width must be at least 1"
    if not (0 <= args.ema < 1 and args.weight_decay >= 0):
        return "--ema must be in [0, 1) and --weight-decay at least 0"
    for flag, path in [("--init", args.init)] + [("--teacher", t) for t in args.teacher or []]:
        problem = keras_file_problem(flag, path) if path else None
        if problem:
            return problem
    if not 0 <= args.distill <= 1:
        return "--distill must be in [0, 1]"
    return None


def model_card(args: argparse.Namespace, command: list[str], data_path: str | None, counts: tuple[int, int, int],
               model: keras.Model, metrics: dict, parity: float | None, seconds: float, total_seconds: float) -> dict:
    """What the model is and how it was made: data (and its hash), design, settings, figures, times."""
    import keras

    from training.model import architecture_summary

    return {
        "name": "paperdigits digit reader",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": "python -m training.train " + shlex.join(command),
        "seed": args.seed,
        "data": {
            "source": "MNIST (LeCun, Cortes, Burges), licence CC BY-SA 3.0",
            "path": data_path or "keras.datasets.mnist download",
            "sha256": file_sha256(data_path),
            "train_digits": counts[0],
            "validation_digits": counts[1],
            "test_digits": counts[2],
            "negatives_per_epoch": args.negatives,
            "augmentation_strength": [args.strength, args.strength_end],
        },
        "input": "float32 [N,28,28,1] in [0,1], white ink on black, from realtime.normalize.normalize_digit",
        "output": "softmax [N,11]: 0-9 digits, 10 = not a digit",
        "architecture": architecture_summary(model),
        "parameters": int(model.count_params()),
        "training": {
            "epochs": args.epochs,
            "batch": args.batch,
            "dropout": args.dropout,
            "width": args.width,
            "weight_decay": args.weight_decay,
            "ema_momentum": args.ema,
            "init": {"path": str(args.init), "sha256": file_sha256(str(args.init))} if args.init else None,
            "teachers": [{"path": str(t), "sha256": file_sha256(str(t))} for t in args.teacher or []],
            "distill": args.distill if args.teacher else None,
            "optimizer": f"Adam, 1-epoch warmup to {args.lr} then cosine decay",
            "loss": "categorical cross-entropy, label smoothing 0.05",
            "seconds": round(seconds, 1),
            "total_seconds": round(total_seconds, 1),
        },
        "metrics": metrics,
        "backend": keras.backend.backend(),
        "tflite_parity_max_abs_diff": parity,
        "quick": bool(args.quick),
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.epochs = args.epochs or (3 if args.quick else 18)
    args.negatives = args.negatives if args.negatives is not None else (6000 if args.quick else 8000)
    args.strength = args.strength if args.strength is not None else 0.5
    args.strength_end = args.strength_end if args.strength_end is not None else args.strength
    problem = args_problem(args)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    data_path = resolve_path(args.data)
    try:
        (x_all, y_all), (x_test, y_test) = load_mnist(data_path)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    started = time.time()
    try:
        (x_train, y_train), (x_val, y_val) = split_train_val(x_all, y_all, args.val_size, seed=args.seed)
    except ValueError as exc:
        print(f"error: --val-size: {exc}", file=sys.stderr)
        return 2
    if args.train_limit:
        x_train, y_train = x_train[: args.train_limit], y_train[: args.train_limit]
    log(f"data: {len(x_train)} train, {len(x_val)} validation, {len(x_test)} test digits from {data_path or 'keras'}")

    n_val_neg = max(len(x_val) // 5, 200)
    val_neg = make_negatives(n_val_neg, VAL_NEG_SEED, digits=x_val)[0]
    heldout_neg = heldout_negatives(x_val)[0]
    val_x = np.concatenate([normalize_all(x_val), val_neg])[..., None]
    val_y = np.concatenate([y_val.astype(np.int64), np.full(len(val_neg), NOT_A_DIGIT)])
    test_x = normalize_all(x_test)[..., None]
    log(f"prepared validation ({len(val_x)} incl. {len(val_neg)} negatives), test, {len(heldout_neg)} held-out negs")
    data = {"train": (x_train, y_train), "val": (val_x, val_y)}

    import keras  # imported after the cheap checks: TensorFlow takes seconds to load

    from training.model import DEFAULT_WIDTH, build_model, model_width

    init_weights = None
    if args.init:
        try:
            init_model = keras.models.load_model(args.init, compile=False)
            args.width = args.width or model_width(init_model)
            init_weights = init_model.get_weights()
            build_model(args.dropout, args.width).set_weights(init_weights)  # the same design, or this fails
        except Exception as exc:  # a broken file or another design: say so, no traceback
            print(f"error: --init {args.init}: cannot start from it ({type(exc).__name__})", file=sys.stderr)
            return 2
    args.width = args.width or DEFAULT_WIDTH

    models, histories, times, test_probs, neg_probs, val_metrics = [], [], [], [], [], []
    for k in range(args.ensemble):
        model, history, seconds = train_one(args, args.seed + k, data, source_seed=args.seed + 1000 * k,
                                            init_weights=init_weights)
        models.append(model)
        histories.append(history)
        times.append(seconds)
        n_val = len(x_val)
        val_probs = model.predict(val_x, batch_size=512, verbose=0)
        val_metrics.append(summary(val_probs[:n_val], y_val, val_probs[n_val:]))
        test_probs.append(model.predict(test_x, batch_size=512, verbose=0))
        neg_probs.append(model.predict(heldout_neg[..., None], batch_size=512, verbose=0))
        m, v = summary(test_probs[-1], y_test, neg_probs[-1]), val_metrics[-1]
        log(
            f"model {k + 1}/{args.ensemble}: validation acc {v['test_accuracy']:.4%}, "
            f"rejected {v['test_reject_rate']:.2%}, accepted {v['negatives_accepted']:.2%} of validation negatives"
        )
        log(
            f"model {k + 1}/{args.ensemble}: test acc {m['test_accuracy']:.4%} ({m['test_errors']} errors), "
            f"rejected {m['test_reject_rate']:.2%} of test digits, accepted {m['negatives_accepted']:.2%} "
            f"of held-out negatives, trained in {seconds / 60:.1f} min"
        )

    metrics = summary(test_probs[0], y_test, neg_probs[0])
    cm = confusion(y_test, test_probs[0][:, :NOT_A_DIGIT].argmax(1))
    metrics["top_confusions"] = [{"true": t, "predicted": p, "count": c} for t, p, c in top_confusions(cm)]
    metrics["heldout_negatives"] = HELDOUT_SIZE
    metrics["validation"] = val_metrics[0]  # the figures to choose settings by: the test set only reports
    if args.ensemble > 1:
        ens = summary(np.mean(test_probs, 0), y_test, np.mean(neg_probs, 0))
        metrics["ensemble"] = {"k": args.ensemble, **ens}
        metrics["ensemble_members_test_accuracy"] = [summary(p, y_test)["test_accuracy"] for p in test_probs]
        log(
            f"ensemble of {args.ensemble}: test acc {ens['test_accuracy']:.4%}, "
            f"rejected {ens['test_reject_rate']:.2%}, "
            f"negatives accepted {ens['negatives_accepted']:.2%} (the single first model is what is shipped)"
        )

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    model = models[0]
    diff = None
    if keras.backend.backend() == "tensorflow":
        try:
            diff = export_tflite(model, out / "digits.tflite", test_x[:1000])
        except ExportError as exc:
            print(f"error: export failed: {exc}", file=sys.stderr)
            return 1
        log(f"exported {out / 'digits.tflite'} (LiteRT vs Keras max abs diff {diff:.2e} on 1000 test digits)")
    else:  # trained with JAX or PyTorch (on a GPU, say): the LiteRT file is made where TensorFlow is
        log(f"no LiteRT export from the {keras.backend.backend()} backend: run python -m training.export --model "
            f"{out / 'digits.keras'} where TensorFlow is installed")
    save_keras(model, out / "digits.keras")
    (out / "digits_history.json").write_text(json.dumps(histories[0], indent=1))
    card = model_card(args, sys.argv[1:] if argv is None else argv, data_path, (len(x_train), len(x_val), len(x_test)),
                      model, metrics, diff, times[0], time.time() - started)
    (out / "model_card.json").write_text(json.dumps(card, indent=1))
    log(f"wrote {out / 'digits.keras'}, {out / 'model_card.json'} and {out / 'digits_history.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
