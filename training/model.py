"""The classifier: a compact CNN, small enough for fast LiteRT inference on a laptop CPU.

The layout is the well-known strong MNIST design (three 32-filter convolutions, three 64-filter
ones, strided 5x5 convolutions instead of pooling, BatchNorm and dropout, a 128-filter head);
with its 4x4 convolution head it has about 0.33 M parameters. Output 11 is "not a digit".
"""

from __future__ import annotations

import keras
from keras import layers

NUM_CLASSES = 11  # 0-9 and 10 = not a digit
DEFAULT_WIDTH = 32


def _conv(x: keras.KerasTensor, filters: int, kernel: int, strides: int = 1, padding: str = "valid"):
    """Convolution, BatchNorm, ReLU (no bias: BatchNorm has one)."""
    x = layers.Conv2D(filters, kernel, strides=strides, padding=padding, use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    return layers.Activation("relu")(x)


def build_model(dropout: float = 0.4, width: int = DEFAULT_WIDTH) -> keras.Model:
    """28x28x1 in [0, 1] (white ink on black) -> softmax over 11 classes; ``width`` filters in the
    first block, twice as many in the second, four times in the head."""
    inputs = keras.Input((28, 28, 1), name="digit")
    x = _conv(inputs, width, 3)  # 26
    x = _conv(x, width, 3)  # 24
    x = _conv(x, width, 5, strides=2, padding="same")  # 12
    x = layers.Dropout(dropout)(x)
    x = _conv(x, 2 * width, 3)  # 10
    x = _conv(x, 2 * width, 3)  # 8
    x = _conv(x, 2 * width, 5, strides=2, padding="same")  # 4
    x = layers.Dropout(dropout)(x)
    x = _conv(x, 4 * width, 4)  # 1
    x = layers.Flatten()(x)
    x = layers.Dropout(dropout)(x)
    outputs = layers.Dense(NUM_CLASSES, activation="softmax", name="probs")(x)
    return keras.Model(inputs, outputs, name="paperdigits_cnn")


def architecture_summary(model: keras.Model) -> list[str]:
    """One line per layer (name, output shape, parameters) for the model card."""
    return [f"{layer.name}: {layer.output.shape} params={layer.count_params()}" for layer in model.layers]


def model_width(model: keras.Model) -> int | None:
    """The ``width`` a model was built with: the filters of its first convolution (None: another design)."""
    convs = [layer for layer in model.layers if isinstance(layer, layers.Conv2D)]
    return int(convs[0].filters) if convs else None
