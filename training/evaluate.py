"""Write a report on a trained model: ``python -m training.evaluate [--model M ...] [--data PATH] [--out DIR]``.

Several models are scored as an ensemble: their probabilities averaged.

The report folder holds metrics.json (accuracy, per-class precision/recall/F1, macro F1,
reject rates, negative acceptance per kind, the test digits' figures again as drawn with a thin
pen), confusion_matrix.png, misclassified.png and, when training saved a history next to the
model, curves.png. Test digits go through the run time's normalisation first, exactly as a
camera patch would.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from realtime.normalize import normalize_batch
from training.augment import normalize_all
from training.data import DataError, load_mnist, resolve_path, split_train_val
from training.metrics import NOT_A_DIGIT, confusion, per_class, rejected, summary, top_confusions
from training.negatives import heldout_negatives

THIN_PEN = (50, 0.04)  # height in px, thinning a side as a share of it (2 px): a ballpoint's or fine liner's line


def predict(model_path: Path, images: np.ndarray) -> np.ndarray:
    """Probabilities from a .keras (Keras) or .tflite (LiteRT) model."""
    if model_path.suffix == ".tflite":
        from training.export import litert_predict

        return litert_predict(model_path, images, batch=1000)
    import keras

    model = keras.models.load_model(model_path, compile=False)
    return model.predict(images, batch_size=512, verbose=0)


def thin_pen(x: np.ndarray) -> np.ndarray:
    """Test digits as a ballpoint or fine liner writes them big (MNIST's strokes are a felt
    marker's), through the run time's normalisation: thin strokes shrink to dim traces."""
    from samples.synth import digit_alpha

    height, pen = THIN_PEN
    return normalize_batch([digit_alpha(img, height, pen) for img in x])


def plot_confusion(cm: np.ndarray, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 6))
    off = cm.astype(float).copy()
    np.fill_diagonal(off, np.nan)
    ax.imshow(off, cmap="Reds")
    for i in range(cm.shape[0]):
        for j in range(cm.shape[1]):
            if cm[i, j]:
                ax.text(j, i, str(cm[i, j]), ha="center", va="center", fontsize=8, color="black" if i != j else "gray")
    ax.set_xticks(range(cm.shape[1]))
    ax.set_yticks(range(cm.shape[0]))
    ax.set_xlabel("predicted (10 = not a digit)" if cm.shape[1] > 10 else "predicted")
    ax.set_ylabel("true")
    ax.set_title("MNIST test confusion (off-diagonal shaded)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_misclassified(images: np.ndarray, labels: np.ndarray, probs: np.ndarray, path: Path, limit: int = 120) -> int:
    """Grid of wrongly read or rejected test digits, titled true -> predicted (probability)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pred = probs.argmax(1)
    wrong = np.nonzero((probs[:, :NOT_A_DIGIT].argmax(1) != labels) | rejected(probs))[0][:limit]
    cols = 12
    rows = max(1, int(np.ceil(len(wrong) / cols)))
    fig, axes = plt.subplots(rows, cols, figsize=(cols * 1.1, rows * 1.25), squeeze=False)
    for ax in axes.ravel():
        ax.axis("off")
    for ax, i in zip(axes.ravel(), wrong, strict=False):
        ax.imshow(images[i, :, :, 0], cmap="gray", vmin=0, vmax=1)
        shown = "X" if pred[i] == NOT_A_DIGIT else str(pred[i])
        ax.set_title(f"{labels[i]}->{shown} {probs[i, pred[i]]:.2f}", fontsize=7)
    fig.suptitle("misread or rejected MNIST test digits: true->predicted (X = not a digit)", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return len(wrong)


def plot_curves(history: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    epochs = [h["epoch"] for h in history]
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 4))
    a.plot(epochs, [h["loss"] for h in history], label="train")
    a.plot(epochs, [h["val_loss"] for h in history], label="validation")
    a.set_title("loss")
    a.legend()
    b.plot(epochs, [h["accuracy"] for h in history], label="train (augmented)")
    b.plot(epochs, [h["val_accuracy"] for h in history], label="validation")
    b.set_title("accuracy (11 classes)")
    b.legend()
    for ax in (a, b):
        ax.set_xlabel("epoch")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m training.evaluate", description=__doc__.splitlines()[0])
    p.add_argument("--model", nargs="+", default=["models/digits.keras"],
                   help=".keras or .tflite model; several: their average (an ensemble)")
    p.add_argument("--data", help="MNIST .npz or IDX folder (default: $PAPERDIGITS_MNIST, else Keras download)")
    p.add_argument("--out", help="report folder (default reports/<model name>)")
    args = p.parse_args(argv)
    model_paths = [Path(m) for m in args.model]
    for model_path in model_paths:
        if not model_path.is_file():
            print(f"error: model not found: {model_path}", file=sys.stderr)
            return 2
    model_path = model_paths[0]
    try:
        (x_all, y_all), (x_test, y_test) = load_mnist(resolve_path(args.data))
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out = Path(args.out or Path("reports") / model_path.stem)
    out.mkdir(parents=True, exist_ok=True)
    card_path = model_path.with_name("model_card.json")
    card = json.loads(card_path.read_text()) if card_path.is_file() else {}
    seed = int(card.get("seed", 1))
    val_size = min(int(card.get("data", {}).get("validation_digits", 5000)), len(x_all) // 2)  # a small set too
    (_, _), (x_val, _) = split_train_val(x_all, y_all, val_size, seed=seed)

    images = normalize_all(x_test)[..., None]
    negatives, kinds = heldout_negatives(x_val)
    inputs = np.concatenate([images, negatives[..., None], thin_pen(x_test)])
    probs = np.mean([predict(m, inputs) for m in model_paths], axis=0)
    digit_probs, neg_probs = probs[: len(images)], probs[len(images) : len(images) + len(negatives)]
    thin_probs = probs[len(images) + len(negatives) :]

    cm = confusion(y_test, digit_probs[:, :NOT_A_DIGIT].argmax(1))
    cm11 = confusion(y_test, digit_probs.argmax(1), classes=NOT_A_DIGIT + 1)
    classes = per_class(cm)
    accepted = ~rejected(neg_probs)
    metrics = {
        "model": [str(m) for m in model_paths] if len(model_paths) > 1 else str(model_path),
        **summary(digit_probs, y_test, neg_probs),
        "macro_f1": float(np.mean([c["f1"] for c in classes.values()])),
        "thin_pen": {"height_px": THIN_PEN[0], "thinning_share_of_height": THIN_PEN[1], **summary(thin_probs, y_test)},
        "per_class": classes,
        "reject_rate_per_class": {str(c): float(rejected(digit_probs[y_test == c]).mean()) for c in range(10)},
        "negatives_accepted_per_kind": {str(k): float(accepted[kinds == k].mean()) for k in np.unique(kinds)},
        "top_confusions": [{"true": t, "predicted": q, "count": n} for t, q, n in top_confusions(cm)],
        "confusion_matrix": cm.tolist(),
        "confusion_matrix_with_reject_column": cm11[:10].tolist(),
    }
    (out / "metrics.json").write_text(json.dumps(metrics, indent=1))
    plot_confusion(cm11[:10], out / "confusion_matrix.png")
    shown = plot_misclassified(images, y_test, digit_probs, out / "misclassified.png")
    history_path = model_path.with_name("digits_history.json")
    if history_path.is_file() and len(model_paths) == 1:
        plot_curves(json.loads(history_path.read_text()), out / "curves.png")
    print(
        f"test accuracy {metrics['test_accuracy']:.4%} ({metrics['test_errors']} errors), "
        f"macro F1 {metrics['macro_f1']:.4f}, "
        f"rejected {metrics['test_reject_rate']:.2%} of test digits, accepted {metrics['negatives_accepted']:.2%} of "
        f"held-out negatives; thin pen {metrics['thin_pen']['test_accuracy']:.2%} "
        f"({metrics['thin_pen']['test_reject_rate']:.2%} rejected); {shown} digits in misclassified.png; "
        f"report in {out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
