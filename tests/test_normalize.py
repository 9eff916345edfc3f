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


def stroke_with_a_blot(level: int) -> np.ndarray:
    """A bar of ink at ``level`` with a blot of full darkness on it (a pen's blob, a crossing)."""
    patch = np.zeros((100, 60), np.uint8)
    patch[10:90, 24:36] = level
    patch[45:55, 24:36] = 255
    return patch


def test_a_strokes_body_is_full_ink_not_dimmed_by_its_darkest_blot():
    """A camera's stroke is dark only in places (a pen pressed unevenly, a pencil's grain, blur):
    normalised, its body is full ink, as MNIST's solid strokes are, not the share of its darkest
    pixels that scaling by them would leave it."""
    out = normalize_digit(stroke_with_a_blot(210))
    rows = out.max(axis=1)
    assert np.median(rows[rows > 0.05]) > 0.95


def test_a_faint_mark_beside_a_blot_is_not_brightened_past_most_gain():
    """A hairline beside a blot (a letter's, grain's) stays faint: the gain is held to MOST_GAIN."""
    out = normalize_digit(stroke_with_a_blot(100))
    rows = out.max(axis=1)
    assert np.median(rows[rows > 0.05]) < 0.6


def test_empty_patch_gives_blank_image_and_batch_shape():
    assert not normalize_digit(np.zeros((10, 10), np.uint8)).any()
    batch = normalize_batch([np.zeros((5, 5)), np.full((30, 20), 255, np.uint8)])
    assert batch.shape == (2, 28, 28, 1)
