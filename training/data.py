"""Loading MNIST from whatever form the user has, and the fixed train/validation split.

Machines here are offline, so the loader takes an explicit path (an .npz in the layout of
``keras.datasets.mnist`` or a folder with the four original IDX files, optionally gzipped),
falls back to the environment variable ``PAPERDIGITS_MNIST`` and only then to Keras' download.
Every failure becomes one ``DataError`` with a one-line message the CLI can print as is.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import zipfile
from pathlib import Path

import numpy as np

ENV_VAR = "PAPERDIGITS_MNIST"
IDX_NAMES = {
    "x_train": ("train-images-idx3-ubyte", "train-images.idx3-ubyte"),
    "y_train": ("train-labels-idx1-ubyte", "train-labels.idx1-ubyte"),
    "x_test": ("t10k-images-idx3-ubyte", "t10k-images.idx3-ubyte"),
    "y_test": ("t10k-labels-idx1-ubyte", "t10k-labels.idx1-ubyte"),
}

Split = tuple[np.ndarray, np.ndarray]


class DataError(ValueError):
    """The data could not be found or read; the message is one line meant for the user."""


def resolve_path(path: str | None) -> str | None:
    """The explicit path, else the environment variable, else None (meaning: use Keras)."""
    return path or os.environ.get(ENV_VAR) or None


def load_mnist(path: str | None = None) -> tuple[Split, Split]:
    """Return ``(x_train, y_train), (x_test, y_test)`` as uint8 arrays (N x 28 x 28, N).

    ``path`` may be an .npz file or a folder of IDX files; without one, ``$PAPERDIGITS_MNIST``
    is used, and without that Keras downloads the set (for users who are online).
    """
    path = resolve_path(path)
    if path is None:
        return _load_keras()
    p = Path(path)
    if not p.exists():
        raise DataError(f"MNIST not found at {path} (give --data PATH or set {ENV_VAR})")
    if p.is_dir():
        return _check(_load_idx_folder(p), str(p))
    return _check(_load_npz(p), str(p))


def _load_keras() -> tuple[Split, Split]:
    try:
        import keras  # deferred: TensorFlow is slow to import and not needed for local files

        (xt, yt), (xs, ys) = keras.datasets.mnist.load_data()
    except Exception as exc:
        raise DataError(
            f"no MNIST path given ({ENV_VAR} unset) and the Keras download failed: {type(exc).__name__}"
        ) from None
    return _check({"x_train": xt, "y_train": yt, "x_test": xs, "y_test": ys}, "keras download")


def _load_npz(p: Path) -> dict[str, np.ndarray]:
    try:
        with np.load(p, allow_pickle=False) as data:
            missing = [k for k in IDX_NAMES if k not in data.files]
            if missing:
                raise DataError(f"{p} lacks the arrays {', '.join(missing)} (expected keras.datasets.mnist layout)")
            return {k: np.asarray(data[k]) for k in IDX_NAMES}
    except DataError:
        raise
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, KeyError) as exc:
        raise DataError(f"cannot read {p} as an MNIST .npz: {_short(exc)}") from None


def _find_idx(folder: Path, names: tuple[str, ...]) -> Path:
    for name in names:
        for candidate in (folder / name, folder / f"{name}.gz"):
            if candidate.is_file():
                return candidate
    raise DataError(f"{folder} has no {names[0]}[.gz] (need the four MNIST IDX files)")


def read_idx(p: Path) -> np.ndarray:
    """Read one IDX file (plain or gzipped) of unsigned bytes into an array of its stated shape."""
    try:
        opener = gzip.open if p.suffix == ".gz" else open
        with opener(p, "rb") as f:
            raw = f.read()
    except (OSError, EOFError) as exc:
        raise DataError(f"cannot read {p}: {_short(exc)}") from None
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise DataError(f"{p} is not an IDX file of unsigned bytes (bad magic number)")
    ndim = raw[3]
    header = 4 + 4 * ndim
    if ndim == 0 or len(raw) < header:
        raise DataError(f"{p} has a truncated IDX header")
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    if len(raw) - header != int(np.prod(shape)):
        raise DataError(f"{p} is truncated or padded: {len(raw) - header} bytes of data for shape {shape}")
    return np.frombuffer(raw, np.uint8, offset=header).reshape(shape)


def _load_idx_folder(folder: Path) -> dict[str, np.ndarray]:
    return {key: read_idx(_find_idx(folder, names)) for key, names in IDX_NAMES.items()}


def _check(arrays: dict[str, np.ndarray], where: str) -> tuple[Split, Split]:
    for part in ("train", "test"):
        x, y = arrays[f"x_{part}"], arrays[f"y_{part}"]
        if x.ndim != 3 or x.shape[1:] != (28, 28) or y.ndim != 1 or len(x) != len(y) or len(x) == 0:
            raise DataError(f"{where}: {part} arrays have shapes {x.shape} and {y.shape}, expected N x 28 x 28 and N")
        if y.min() < 0 or y.max() > 9:
            raise DataError(f"{where}: {part} labels outside 0-9")
    as_u8 = {k: np.asarray(v).astype(np.uint8) for k, v in arrays.items()}
    return (as_u8["x_train"], as_u8["y_train"]), (as_u8["x_test"], as_u8["y_test"])


def split_train_val(x: np.ndarray, y: np.ndarray, val_size: int = 5000, seed: int = 0) -> tuple[Split, Split]:
    """Fixed, seeded split of the training set into (train, validation); the test set stays untouched."""
    if not 0 < val_size < len(x):
        raise ValueError(f"val_size {val_size} must be between 0 and {len(x)}")
    order = np.random.default_rng(seed).permutation(len(x))
    val, train = order[:val_size], order[val_size:]
    return (x[train], y[train]), (x[val], y[val])


def file_sha256(path: str | None) -> str | None:
    """sha256 of the data file (for an IDX folder: of its files' hashes in name order), for the model card."""
    if path is None:
        return None
    p = Path(path)
    files = sorted(f for f in p.iterdir() if f.is_file()) if p.is_dir() else [p]
    digests = []
    for f in files:
        h = hashlib.sha256()
        with open(f, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        digests.append(h.hexdigest())
    if len(digests) == 1:
        return digests[0]
    return hashlib.sha256("".join(digests).encode()).hexdigest()


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:160]
