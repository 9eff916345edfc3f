import numpy as np
import pytest

from realtime.classify import Classifier
from realtime.config import DEFAULT_MODEL
from realtime.errors import ModelError
from realtime.normalize import normalize_batch


@pytest.fixture(scope="module")
def classifier():
    return Classifier(DEFAULT_MODEL)


def test_shipped_model_reads_mnist_test_digits(classifier, mnist_digits):
    x, y = mnist_digits
    probs = classifier.predict(normalize_batch(list(x)))
    assert probs.shape == (len(x), classifier.classes)
    assert (probs[:, :10].argmax(axis=1) == y).mean() >= 0.98


def test_one_batch_equals_digit_by_digit(classifier, mnist_digits):
    batch = normalize_batch(list(mnist_digits[0][:13]))
    together = classifier.predict(batch)
    alone = np.concatenate([classifier.predict(batch[i : i + 1]) for i in range(len(batch))])
    assert np.abs(together - alone).max() < 1e-5


def test_empty_batch(classifier):
    assert classifier.predict(np.zeros((0, 28, 28, 1), np.float32)).shape == (0, classifier.classes)


@pytest.mark.parametrize("content", [b"", b"this is not a model"])
def test_broken_model_file_is_a_clear_error(tmp_path, content):
    path = tmp_path / "digits.tflite"
    path.write_bytes(content)
    with pytest.raises(ModelError):
        Classifier(path)


def test_missing_model_file_is_a_clear_error(tmp_path):
    with pytest.raises(ModelError, match="not found"):
        Classifier(tmp_path / "nothing.tflite")
