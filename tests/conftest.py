"""Shared fixtures: shipped MNIST test digits (CC BY-SA 3.0) and synthetic camera pages."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from samples.synth import compose_page, load_digits, photograph

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def mnist_digits() -> tuple[np.ndarray, np.ndarray]:
    return load_digits(str(DATA / "mnist_test_500.npz"))


def make_page(digits, labels, seed=0, lines=((3, 4), (2, 2, 2), (5,)), angle=0.0, ink="black",
              size=(1280, 720), desk=None, height=(40, 80)):
    """A synthetic camera frame of numbers on paper, and its exact truth."""
    rng = np.random.default_rng(seed)
    offset = int(rng.integers(0, len(digits) - 40))
    page, placed = compose_page(digits[offset:], labels[offset:], [list(x) for x in lines], size, rng,
                                height=height, ink=ink)
    return photograph(page, placed, rng, angle=angle, desk=desk, zoom=0.9 if desk else 1.0)
