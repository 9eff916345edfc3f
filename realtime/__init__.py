"""paperdigits' recognizer: read handwritten digits on paper from a camera, video or images."""

from realtime.config import Config
from realtime.types import Box, Digit, FrameResult, Number

__all__ = ["Box", "Config", "Digit", "FrameResult", "Number", "Recognizer", "run"]


def __getattr__(name: str):
    # Recognizer and run pull in the model runtime; import them only when asked for.
    if name == "Recognizer":
        from realtime.pipeline import Recognizer

        return Recognizer
    if name == "run":
        from realtime.run import run

        return run
    raise AttributeError(name)
