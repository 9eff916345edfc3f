import numpy as np

from realtime.normalize import normalize_batch, normalize_digit


def centre_of_mass(img):
    ys, xs = np.indices(img.shape)
    return (ys * img).sum() / img.sum(), (xs * img).sum() / img.sum()


def test_output_is_28x28_in_unit_range_with_ink_peak_one():
    patch = np.zeros((90, 60), np.uint8)
    patch[10:80, 25:35] = 200
    out = normalize_digit(patch)
    assert out.shape == (28, 28) and out.dtype == np.float32
    assert out.min() >= 0 and out.max() == 1.0


def test_fits_20x20_box_keeping_aspect_and_centres_mass():
    patch = np.zeros((100, 300), np.uint8)  # a wide bar: 20 px wide after fitting
    patch[40:60, 0:300] = 255
    out = normalize_digit(patch)
    cols = np.nonzero(out.max(axis=0) > 0.5)[0]
    rows = np.nonzero(out.max(axis=1) > 0.5)[0]
    assert 19 <= cols.size <= 21
    assert rows.size < 8
    cy, cx = centre_of_mass(out)
    assert abs(cy - 13.5) < 0.6 and abs(cx - 13.5) < 0.6


def test_mnist_digit_comes_back_nearly_unchanged(mnist_digits):
    x, _ = mnist_digits
    diffs = [np.abs(normalize_digit(img) - img / 255.0).mean() for img in x[:50]]
    assert np.median(diffs) < 0.05


def test_thin_strokes_are_thickened():
    patch = np.zeros((200, 200), np.uint8)
    patch[10:190, 100] = 255  # a 1 px line on a big digit would shrink to a tenth of a pixel
    out = normalize_digit(patch)
    assert (out > 0.5).sum(axis=1).max() >= 2


def test_a_thin_pens_digit_comes_out_nearly_as_heavy_as_mnists(mnist_digits):
    """A ballpoint writes a big digit with strokes a third as wide as MNIST's: normalised, they
    keep most of the ink of the same digit in MNIST's own strokes, not a dim trace of it."""
    from samples.synth import digit_alpha

    x, _ = mnist_digits
    ratios = [normalize_digit(digit_alpha(img, 50, 0.04)).sum() / normalize_digit(img).sum() for img in x[:200]]
    assert np.median(ratios) > 0.7


def test_empty_patch_gives_blank_image_and_batch_shape():
    assert not normalize_digit(np.zeros((10, 10), np.uint8)).any()
    batch = normalize_batch([np.zeros((5, 5)), np.full((30, 20), 255, np.uint8)])
    assert batch.shape == (2, 28, 28, 1)
