"""One place for every tunable number of the recognizer, with the reason for its default."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "models" / "digits.tflite"


@dataclass(frozen=True)
class Config:
    """Settings of the recognizer; the CLI flags map onto these fields."""

    model_path: Path = DEFAULT_MODEL
    # A candidate whose best digit probability is below this is dropped (not confident enough).
    min_confidence: float = 0.5
    # Frames are segmented with their longest side at most this many pixels: enough for small
    # digits in a phone photo, and it keeps a 12 MP photo as fast as a 720p frame.
    work_size: int = 1600
    # Ink is "darker than the paper around it" by this share of the paper's brightness.
    # Seeds must pass ink_strong; strokes grow from seeds down to ink_weak (hysteresis),
    # so faint pencil joins a stroke but paper grain alone never starts one.
    ink_strong: float = 0.22
    ink_weak: float = 0.10
    # Digit height limits, as a share of the frame's shorter side (and an absolute floor in
    # work pixels below which no digit is legible).
    min_height: float = 0.012
    min_height_px: int = 9
    max_height: float = 0.85
    # Width over height of a candidate's box. Generous, because a digit lying on its side (a
    # sheet turned by 90 degrees) is wide, and the classifier, not the box, decides what is a digit.
    max_aspect: float = 3.0
    # Share of the box covered by ink: below is a thin arc or frame, above is a blob (unless it is
    # an upright bar, a broad felt-tip 1: see segment.BAR).
    min_fill: float = 0.04
    max_fill: float = 0.92
    # Straight strokes longer than this share of the shorter side, and thinner than
    # line_thinness of their length, are ruled lines or table borders, not digits.
    line_length: float = 0.05
    line_thinness: float = 0.08
    # Level writing that runs at a slant of at least min_slant degrees (up to max_slant), so
    # digits are classified upright and lines read level.
    deskew: bool = True
    min_slant: float = 4.0
    max_slant: float = 45.0
    # Cut blobs too wide for one digit into two or three touching digits, where that reads better.
    split_touching: bool = True
    # Try reading the frame turned by 90, 180 and 270 degrees too, and keep the turn under which
    # the digits read most confidently (a sheet photographed sideways).
    auto_rotate: bool = True
    # Look for the sheet's outline and read it straight on (perspective undone, desk left out).
    find_sheet: bool = True
    # In a video the sheet rarely turns, so the other turns are tried on every n-th frame only.
    rotate_every: int = 15
    # Leave out "digits" that stand among letters (the O of HELLO).
    skip_words: bool = True
    # Leave out "digits" shorter than this share of the page's typical digit height (grain, scraps).
    min_relative_height: float = 0.35
    # Leave out "digits" whose ink is lighter than this share of the page's writing: writing that
    # shows through from the back of the page, or a ghost of an erased one.
    min_relative_ink: float = 0.3
    # A dot or a dash is a sign in a number (a decimal point, a minus sign) only this dark against
    # the page's writing, or darker: a pen's dot is as dark as its strokes (0.7-1.6 of them), where
    # grain, a paper's fibres and the scraps a rule leaves are fainter (0.3-0.66).
    min_sign_ink: float = 0.7
    # Two digits belong to one number when the gap between them is below this share of their height.
    number_gap: float = 0.9
    # Tracks: a digit keeps its id across frames while its box overlaps the last one this much,
    # and for this long unseen. Times are in ms of the frames' clock, the same at any frame rate.
    track_iou: float = 0.3
    track_max_age_ms: float = 500.0
    # A tracked digit's label is the one with most confidence over this window (no flicker).
    vote_window_ms: float = 600.0
    # A number is confirmed once the same reading has held this long.
    confirm_ms: float = 500.0
