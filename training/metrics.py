"""Scores shared by training and evaluation (numpy only).

A camera reader acts on a prediction only when the top class is a digit with probability
at least 0.5; everything else is a rejection. So besides plain 10-class accuracy we report
how many real digits get rejected and how many non-digits get accepted, by that same rule.
"""

from __future__ import annotations

import numpy as np

NOT_A_DIGIT = 10
ACCEPT_PROB = 0.5


def digit_accuracy(probs: np.ndarray, labels: np.ndarray) -> float:
    """10-class accuracy: argmax over the digit classes only (class 10 ignored)."""
    return float(np.mean(probs[:, :NOT_A_DIGIT].argmax(1) == labels))


def rejected(probs: np.ndarray) -> np.ndarray:
    """True where the reader would refuse: top class is 'not a digit' or the best digit is below 0.5."""
    return (probs.argmax(1) == NOT_A_DIGIT) | (probs[:, :NOT_A_DIGIT].max(1) < ACCEPT_PROB)


def strict_accuracy(probs: np.ndarray, labels: np.ndarray) -> float:
    """Share of digits read correctly and accepted (a rejection counts as an error)."""
    return float(np.mean(~rejected(probs) & (probs[:, :NOT_A_DIGIT].argmax(1) == labels)))


def confusion(labels: np.ndarray, predicted: np.ndarray, classes: int = 10) -> np.ndarray:
    """classes x classes counts, rows = true label, columns = prediction."""
    m = np.zeros((classes, classes), np.int64)
    np.add.at(m, (labels, predicted), 1)
    return m


def per_class(cm: np.ndarray) -> dict[str, dict[str, float]]:
    """Precision, recall and F1 per class from a confusion matrix."""
    out = {}
    for c in range(len(cm)):
        tp = cm[c, c]
        precision = tp / max(cm[:, c].sum(), 1)
        recall = tp / max(cm[c, :].sum(), 1)
        f1 = 2 * precision * recall / max(precision + recall, 1e-12)
        support = int(cm[c].sum())
        out[str(c)] = {"precision": float(precision), "recall": float(recall), "f1": float(f1), "support": support}
    return out


def summary(digit_probs: np.ndarray, labels: np.ndarray, negative_probs: np.ndarray | None = None) -> dict[str, float]:
    """The headline figures of a model on test digits (and optionally on held-out negatives)."""
    out = {
        "test_accuracy": digit_accuracy(digit_probs, labels),
        "test_strict_accuracy": strict_accuracy(digit_probs, labels),
        "test_reject_rate": float(rejected(digit_probs).mean()),
        "test_errors": int(np.sum(digit_probs[:, :NOT_A_DIGIT].argmax(1) != labels)),
    }
    if negative_probs is not None:
        out["negatives_accepted"] = float(1.0 - rejected(negative_probs).mean())
    return out


def top_confusions(cm: np.ndarray, k: int = 8) -> list[tuple[int, int, int]]:
    """The k largest off-diagonal cells as (true, predicted, count)."""
    off = cm.copy()
    np.fill_diagonal(off, 0)
    cells = [(int(i), int(j), int(off[i, j])) for i, j in zip(*np.nonzero(off), strict=True)]
    return sorted(cells, key=lambda c: -c[2])[:k]
