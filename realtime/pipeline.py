"""The recognizer: one frame in, a FrameResult out: sheet → segment → normalise → classify → track → read."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import NamedTuple

import numpy as np

from realtime.classify import NOT_A_DIGIT, Classifier
from realtime.config import Config
from realtime.ink import darkness_of, frame_is_noisy, rule_channel, to_work_size
from realtime.normalize import normalize_batch
from realtime.read import drop_specks, drop_words, read_numbers, typical_height, writing_slant
from realtime.segment import find_marks, strokes_of
from realtime.sheet import find_sheet
from realtime.split import SHORT, SURE, UNSURE, choose_reading, cut_may_win, split_margin, split_options
from realtime.track import NumberTracker, Tracker
from realtime.types import Box, Digit, FrameResult, Layout, Marks, Number, Region, enclosing
from realtime.view import View

DOUBT = 3.0  # a first frame turns where its digits' doubt is this many times what it is turned (see extra_turn)
CLEARLY = 0.2  # a candidate reads clearly better one way up where its confidence is this much higher...
WINS = 3.0  # ...and a first frame turns where this many times as many read clearly better turned as upright...
WINS_MORE = 3  # ...and at least this many more (see extra_turn)
SURE_WHOLE = 0.9  # a candidate read this surely whole counts towards the writing's height (see writing_height)
QUARTER_GAIN = 1.5  # a page cut again a quarter turned must read this many times as much (see _cut_a_quarter_turned)
LEVEL_DOUBT = 2.0  # a view levelled by its candidates must cut their doubt by this much (see _level_by_candidates)


DigitsRead = list[tuple[Digit, Region]]  # digits as read, each with the region it was read from
ReadOption = tuple[list[Region], np.ndarray, np.ndarray]  # a candidate's pieces, their labels and digit confidences


class ViewReading(NamedTuple):
    """What _classify read in a view of the frame."""

    digits: DigitsRead  # the digits that stand (touching ones split where that reads better)
    turns: list[np.ndarray]  # per quarter turn tried, each candidate's digit confidence (see extra_turn)
    candidates: list[Box]  # each candidate's box
    layout: Layout  # the signs as dark as the digits, and a table's walls (see read_numbers)
    sighted: DigitsRead  # the digits as read without blind cuts (Region.blind), where turns were tried


def _add_time(timings: dict[str, float], stage: str, since: float) -> None:
    """Count the milliseconds since ``since`` (a perf_counter reading) to a stage of the frame's timings."""
    timings[stage] = timings.get(stage, 0.0) + (time.perf_counter() - since) * 1000


def digit_scores(probs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Best digit label and its probability per row; a row whose top class is "not a digit" scores 0."""
    labels = probs[:, :10].argmax(axis=1)
    conf = probs[np.arange(len(probs)), labels]
    if probs.shape[1] > NOT_A_DIGIT:
        conf = np.where(probs.argmax(axis=1) == NOT_A_DIGIT, 0.0, conf)
    return labels, conf


def _doubt(readings: list[np.ndarray]) -> float:
    """How unsurely a view's candidates read under their best quarter turn: 1 less their mean
    digit confidence (1 where there are none), given per turn tried each one's confidence."""
    return 1.0 - max(float(r.mean()) if r.size else 0.0 for r in readings)


def _digits_read(readings: list[np.ndarray]) -> float:
    """How much of a view reads as digits under its best quarter turn: its candidates' digit
    confidences summed, given per turn tried each one's."""
    return max(float(r.sum()) for r in readings)


def extra_turn(readings: list[np.ndarray], settled: bool = False, accept: float = 0.5) -> int:
    """The further quarter turn under which the candidates read most confidently (0: none),
    given per quarter turn tried each candidate's digit confidence (0 where it reads as none;
    ``accept``: the confidence at which a candidate counts as read).

    The view as it is wins unless another turn is clearly better, so a frame with few or
    symmetric digits (0, 1, 8, 6/9) does not flip the page. A new scene's first frame needs a
    tenth better: the 0s, 1s and 8s of an upside-down page read as well either way up, so turned
    back it reads only 11-50% better (generated pages), while an upright page of more than a few
    digits reads at least 12% worse turned (one of a digit or two may read as well either way:
    the one point added holds it). On a small upside-down page the few digits that tell the way
    up are too few for a tenth; but the doubt (1 - confidence) of the digits it holds either way
    is DOUBT times or more what it is turned (4-6 times; an upright page's is never more than
    twice), so that turns a first frame too. So does a page whose candidates, counted one by one,
    read clearly better (CLEARLY) turned WINS times as often as upright, and WINS_MORE more often:
    a sum of confidences is diluted by every candidate that reads alike either way up, while those
    that read differently almost all side with the way up (on bench.mixes' upright pages the
    turned view wins at most about half as often as the upright one). Once the scene's
    orientation is ``settled`` a turn needs a quarter better: a page of words may read up to a
    fifth better upside down, and a video's sheet rarely turns.
    """
    scores = [float(r.sum()) for r in readings]
    best = int(np.argmax(scores))
    if best == 0:
        return 0
    if scores[best] > (1.25 if settled else 1.1) * scores[0] + 1.0:
        return best
    if settled:
        return 0
    upright, turned = readings[0], readings[best]
    gain = turned - upright
    better, worse = int(np.count_nonzero(gain > CLEARLY)), int(np.count_nonzero(gain < -CLEARLY))
    if better >= WINS * worse and better - worse >= WINS_MORE:
        return best
    digits = np.maximum(upright, turned) >= accept  # read as a digit one way or the other
    doubt_upright, doubt = float((1 - upright[digits]).sum()), float((1 - turned[digits]).sum())
    return best if doubt_upright >= DOUBT * doubt and doubt_upright - doubt >= 1.0 else 0


def _number_in_frame(number: Number, in_frame: dict[int | None, Digit], view: View) -> Number:
    """A number read in the view, in frame coordinates: round its digits' own boxes, and where its
    text was kept from earlier frames (a digit unseen in this one), round where the number stood."""
    digits = tuple(in_frame[d.track_id] for d in number.digits)
    boxes = [d.box for d in digits] + ([view.box_to_frame(number.box)] if number.held else [])
    return replace(number, box=enclosing(boxes), digits=digits)


def writing_height(regions: list[Region], conf: np.ndarray, least: int = 3) -> float:
    """The height of the page's digits: the typical height (read.typical_height) of the candidates
    read surely whole (SURE_WHOLE); 0 where fewer than ``least`` are."""
    sure = [r.box for r, c in zip(regions, conf, strict=True) if c >= SURE_WHOLE]
    return typical_height(sure) if len(sure) >= least else 0.0


def pen_darkness(region: Region) -> float:
    """How dark the pen that wrote a region was: the darkest of the pieces it was joined from, if
    any (segment evens out a joined region's ink for the classifier)."""
    return max(darkness_of(p.ink) for p in region.parts) if region.parts else darkness_of(region.ink)


def _with_reads(options: list[list[list[Region]]], labels: np.ndarray, confidences: np.ndarray
                ) -> list[list[ReadOption]]:
    """Per candidate, its other readings (its options' pieces) with their pieces' labels and
    digit confidences, given flat in the options' order (see Recognizer._read_pieces)."""
    read, start = [], 0
    for candidate in options:
        read.append([])
        for opt in candidate:
            read[-1].append((opt, labels[start : start + len(opt)], confidences[start : start + len(opt)]))
            start += len(opt)
    return read


def _chosen(region: Region, whole: Digit, none_surely: bool, short: bool, options: list[ReadOption],
            sighted_too: bool) -> tuple[DigitsRead, DigitsRead, int | None]:
    """A candidate's digits as chosen (choose_reading): itself read ``whole``, or the pieces of one
    of its ``options``; and, where ``sighted_too`` and a blind cut (Region.blind) won, as chosen had
    no blind cut been offered (the same list otherwise: sighted serves judging turns only), with
    that choice (None: whole)."""
    scored = [(labels, confidences) for _, labels, confidences in options]
    blind = [pieces[0].blind for pieces, _, _ in options]
    choice = choose_reading(region, whole.confidence, none_surely, scored, short, blind)
    read = _as_read(whole, region, choice, options)
    if not (sighted_too and choice is not None and blind[choice]):
        return read, read, choice
    unseen = [(labels, 0 * c if cut_blind else c) for (labels, c), cut_blind in zip(scored, blind, strict=True)]
    choice = choose_reading(region, whole.confidence, none_surely, unseen, short)
    return read, _as_read(whole, region, choice, options), choice


def _as_read(whole: Digit, region: Region, choice: int | None, options: list[ReadOption]) -> DigitsRead:
    """A candidate's digits as chosen (choose_reading): itself read ``whole``, or the pieces of one option."""
    if choice is None:
        return [(whole, region)]
    pieces, labels, confidences = options[choice]
    return [(Digit(p.box, int(label), float(c)), p) for p, label, c in zip(pieces, labels, confidences, strict=True)]


class Recognizer:
    """Reads the handwritten digits and numbers in frames; keeps track ids and the sheet's
    orientation across calls."""

    def __init__(self, config: Config | None = None, classifier: Classifier | None = None) -> None:
        self.config = config or Config()
        self.classifier = classifier or Classifier(self.config.model_path)
        self.turn = 0  # quarter turns (counter-clockwise) that make the sheet upright
        self.slant = 0.0  # degrees (counter-clockwise) that level the writing
        self.squared = False  # the page's printed grid is taken out before its ink is cut (find_marks)
        self.rules_fade_in = None  # the colour channel light rules fade in, left out of the ink (ink.rule_channel)
        self._noisy: bool | None = None  # the frame being read is noisy (ink.frame_is_noisy); None: unmeasured
        self._frames = 0
        cfg = self.config
        self.tracker = Tracker(cfg.track_iou, cfg.track_max_age_ms, cfg.vote_window_ms)
        self.number_tracker = NumberTracker(cfg.track_iou, cfg.confirm_ms, cfg.track_max_age_ms)
        self._had_sheet = False

    def _end_tracks(self) -> None:
        """Positions are in another frame of reference now: no track can continue."""
        self.tracker.end_all()
        self.number_tracker.end_all()

    def _classify(self, view: View, frame: np.ndarray, timings: dict[str, float], try_turns: bool,
                  on_sheet: bool) -> ViewReading:
        """Segment and classify the frame as the upright view sees it: every candidate whole,
        turned by each quarter turn tried, in one classifier call; then, in two more (_read_pieces),
        the pieces of the candidates that may read better cut (touching digits) or unjoined.

        Returns a ViewReading: the digits that stand, each with the region it was read from; per
        quarter turn tried each candidate's digit confidence, for choosing the page's orientation
        (extra_turn); the candidates' boxes; and the page's layout. The view as it is counts each
        candidate as it was read, split or not, so touching digits (wide, and read as no digit
        whole) do not make the page look better turned, where they stand tall and each reads as
        one digit. Where ``try_turns``, the digits are also read ``sighted``, as if no blind cut
        (Region.blind) had been offered, and those confidences count for the view as it is: a
        page's turn and slant are judged on them, as a sideways or upside-down page's marks, cut
        blind, may read as digits too (otherwise the digits and confidences as read).
        """
        cfg = self.config
        clock = time.perf_counter()
        if self._noisy is None and not view.is_identity:  # measured once a frame, where a view needs it
            self._noisy = frame_is_noisy(frame, cfg.work_size)
        # A page's grid is looked for where its inks are settled (every turn tried) and on a squared page.
        marks = find_marks(frame, cfg, on_sheet, self.rules_fade_in, view, self._noisy, try_turns or self.squared)
        if try_turns:
            self.squared = marks.squared
        regions = marks.regions
        _add_time(timings, "segment", clock)
        n = len(regions)
        turns = 4 if try_turns and regions else 1
        clock = time.perf_counter()
        batch = normalize_batch([r.ink for r in regions])
        stacked = np.concatenate([np.rot90(batch, k, axes=(1, 2)) for k in range(turns)])
        _add_time(timings, "normalize", clock)
        clock = time.perf_counter()
        probs = self.classifier.predict(stacked)  # every candidate of the frame, in one call
        by_turn = [probs[k * n : (k + 1) * n] for k in range(turns)]
        labels, conf = digit_scores(by_turn[0])
        _add_time(timings, "classify", clock)
        clock = time.perf_counter()
        tops = by_turn[0].max(axis=1)  # each candidate's likeliest class, "not a digit" too
        none_surely = (by_turn[0].argmax(axis=1) == NOT_A_DIGIT) & (tops >= UNSURE)
        # Lowercase letters' height: under SHORT of the writing, but above a speck's (drop_specks).
        heights, writing = np.array([r.box.h for r in regions]), writing_height(regions, conf)
        small = heights < SHORT * writing  # (touching digits stand as tall as the writing: no blind cuts)
        short = small & (heights >= cfg.min_relative_height * writing)
        options = [self._other_readings(r, float(c), float(t), bool(s))
                   for r, c, t, s in zip(regions, conf, tops, small, strict=True)]
        _add_time(timings, "segment", clock)
        read_options = _with_reads(options, *self._read_pieces(regions, conf, options, timings))
        clock = time.perf_counter()
        digits, sighted = [], []  # sighted: as read without blind cuts (Region.blind)
        any_blind = False
        readings = np.zeros(n)  # each candidate's confidence as read (sighted): whole, or its weakest piece
        for i, (region, others) in enumerate(zip(regions, read_options, strict=True)):
            whole = Digit(region.box, int(labels[i]), float(conf[i]))
            read, seen, choice = _chosen(region, whole, bool(none_surely[i]), bool(short[i]), others, try_turns)
            digits += read
            sighted += seen
            any_blind |= seen is not read
            # (a piece that fell away does not count)
            readings[i] = conf[i] if choice is None else min(d.confidence for d, _ in seen if d.confidence > 0)
        _add_time(timings, "classify", clock)
        kept, layout = self._keep(digits, marks)
        return ViewReading(kept, [readings] + [digit_scores(p)[1] for p in by_turn[1:]], [r.box for r in regions],
                           layout, self._keep(sighted, marks)[0] if any_blind else kept)

    def _keep(self, digits: DigitsRead, marks: Marks) -> tuple[DigitsRead, Layout]:
        """The digits read that stand: read surely enough, not specks, not far fainter than the page's
        pen, not letters of a word; and the page's layout (signs as dark as the digits, table walls)."""
        cfg = self.config
        kept = [(d, r) for d, r in digits if d.confidence >= cfg.min_confidence]
        if cfg.min_relative_height:
            big_enough = {id(d) for d in drop_specks([d for d, _ in kept], cfg.min_relative_height)}
            kept = [(d, r) for d, r in kept if id(d) in big_enough]
        darkness = np.array([pen_darkness(r) for _, r in kept])
        writing = float(np.median(darkness)) if kept else 0.0  # how dark the page's pen is
        if cfg.min_relative_ink and len(kept) >= 3:
            kept = [pair for pair, dark in zip(kept, darkness, strict=True) if dark >= cfg.min_relative_ink * writing]
        signs = [r.box for r in marks.signs if kept and darkness_of(r.ink) >= cfg.min_sign_ink * writing]
        layout = Layout(signs, marks.walls)
        if cfg.skip_words:
            others = [d for d, _ in digits if d.confidence < cfg.min_confidence]
            no_digit = [d.box for d in others if d.confidence == 0.0]  # (its top class "not a digit": digit_scores)
            unsure = [d for d in others if d.confidence > 0.0]
            standing = drop_words([d for d, _ in kept], no_digit, cfg.number_gap, layout.walls, unsure)
            not_in_words = {id(d) for d in standing}
            kept = [(d, r) for d, r in kept if id(d) in not_in_words]
        return kept, layout

    def _read_pieces(self, regions: list[Region], whole: np.ndarray, options: list[list[list[Region]]],
                     timings: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
        """Labels and digit confidences of every option's pieces, flat in their order, in two
        classifier calls: first each cut's first piece and the pieces of every join undone; then
        the other pieces of the cuts that may still win, their first piece read as it is
        (split.cut_may_win). Those of a cut that cannot are left unread, at 0: on squared paper
        and on words, that is about half of all the pieces the cuts offer."""
        pieces, cuts, first = [], [], []  # cuts: each one's span in pieces, its blob's whole reading, its margin
        for region, conf, opts in zip(regions, whole, options, strict=True):
            for k, opt in enumerate(opts):
                span = range(len(pieces), len(pieces) + len(opt))
                pieces += opt
                if k < len(opts) - bool(region.parts):
                    cuts.append((span, float(conf), split_margin(region), opt[0].blind))
                    first.append(span[0])
                else:
                    first += span
        labels, confidences = np.zeros(len(pieces), int), np.zeros(len(pieces), np.float32)
        labels[first], confidences[first] = self._read([pieces[i] for i in first], timings)
        rest = [i for span, conf, margin, blind in cuts if cut_may_win(conf, margin, float(confidences[span[0]]), blind)
                for i in span[1:]]
        labels[rest], confidences[rest] = self._read([pieces[i] for i in rest], timings)
        return labels, confidences

    def _read(self, pieces: list[Region], timings: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
        """The pieces' labels and digit confidences, classified in one call (none for no pieces)."""
        if not pieces:
            return np.zeros(0, int), np.zeros(0, np.float32)
        clock = time.perf_counter()
        batch = normalize_batch([piece.ink for piece in pieces])
        _add_time(timings, "normalize", clock)
        clock = time.perf_counter()
        read = digit_scores(self.classifier.predict(batch))
        _add_time(timings, "classify", clock)
        return read

    def _other_readings(self, region: Region, whole: float, top: float, small: bool = False) -> list[list[Region]]:
        """Other ways to read a candidate: cut into touching digits, unless it read so surely
        whole that no cut could win (split.cut_may_win); or back into the pieces it was joined
        from (a piece beside it may be a digit of its own)."""
        cuts = []
        if self.config.split_touching and cut_may_win(whole, split_margin(region)):
            cuts = split_options(region, unsure=top < SURE, small=small)
        return cuts + ([list(region.parts)] if region.parts else [])

    def _level(self, digits: list[tuple[Digit, Region]]) -> bool:
        """Whether the digits' writing runs at a slant worth levelling (min_slant or more); if so,
        the view's slant is changed to level it (up to max_slant either way)."""
        return self._level_by(writing_slant([d.box for d, _ in digits]) if self.config.deskew else None)

    def _level_by(self, slant: float | None) -> bool:
        """Level writing that runs at ``slant`` degrees, if that is min_slant or more."""
        cfg = self.config
        if slant is None or abs(slant) < cfg.min_slant:
            return False
        self.slant = float(np.clip(self.slant - slant, -cfg.max_slant, cfg.max_slant))
        return True

    def _level_by_candidates(self, readings: list[np.ndarray], candidates: list[Box], base: View, frame: np.ndarray,
                             timings: dict[str, float], on_sheet: bool) -> tuple[View, ViewReading] | None:
        """A page turned so far that too few of its digits read as digits to tell its slant (35-50
        degrees, or a quarter turn and 15-30 more) is levelled by the slant of every candidate's
        box, read as a digit or not: of its lines, or, where that reads no better, of its lines
        off upright (lines nearer upright than level are stood upright, and a turn then levels
        them). A levelled view is kept where its candidates' doubt (1 less their mean confidence,
        under their best turn) is under 1 / LEVEL_DOUBT of what it was under any turn (digits
        scattered down a diagonal are no line): returns it, and what _classify read in it with
        every turn tried, and its layout. None (the slant as it was) otherwise. Called where the
        digits read told no slant."""
        if not self.config.deskew:
            return None
        doubt, before = _doubt(readings), self._settings()
        for steep in (False, True):
            if self._level_by(writing_slant(candidates, steep=steep)) and (levelled := self._try_view(
                    base, frame, timings, on_sheet, before, lambda there: LEVEL_DOUBT * _doubt(there) < doubt)):
                return levelled
        return None

    def _cut_a_quarter_turned(self, readings: list[np.ndarray], base: View, frame: np.ndarray,
                              timings: dict[str, float], on_sheet: bool) -> tuple[View, ViewReading] | None:
        """A page whose digits told no slant, cut again a quarter turned. The segmenter's rules
        assume upright writing: a sideways page's rules run down it, and a rule broken into pieces
        (by a shadow, by blur) joins the digits along it into tall marks, as narrow for their height
        as a 1, so they are kept whole as digits, read as none under any turn, and set the page's
        writing height besides. Cut a quarter turned, its rules run across, and go. That view is
        kept where its candidates read QUARTER_GAIN times as surely as before under their best turn
        (their confidences summed), and a digit more: returns it as _level_by_candidates does,
        None (the turn as it was) otherwise."""
        before = self._settings()
        self.turn = (self.turn + 1) % 4
        return self._try_view(base, frame, timings, on_sheet, before,
                              lambda turned: _digits_read(turned) > QUARTER_GAIN * _digits_read(readings) + 1.0)

    def _try_view(self, base: View, frame: np.ndarray, timings: dict[str, float], on_sheet: bool,
                  before: tuple[int, float, bool], better: Callable[[list[np.ndarray]], bool]
                  ) -> tuple[View, ViewReading] | None:
        """Read the frame in the view the turn and slant now give, every turn tried, and keep that
        view where its readings are ``better``: returns it, what was read there and its layout.
        Otherwise None, and the turn, slant and squared flag are put back as they were ``before``
        (_settings), so a view turned down leaves no trace on how the page is read."""
        view = self._view(base)
        reading = self._classify(view, frame, timings, True, on_sheet)
        if better(reading.turns):
            return view, reading
        self.turn, self.slant, self.squared = before
        return None

    def _settings(self) -> tuple[int, float, bool]:
        """What a view tried may change: the turn, the slant and whether the page is squared."""
        return self.turn, self.slant, self.squared

    def _view(self, base: View) -> View:
        return base.rotated(self.slant).turned(self.turn)

    def _oriented_reading(self, base: View, frame: np.ndarray, timings: dict[str, float],
                          on_sheet: bool) -> tuple[View, ViewReading]:
        """The frame read through ``base`` (the sheet's view, or the frame's) as its writing asks:
        every rotate_every frames each quarter turn is tried and the page's inks settled; writing
        at a slant is levelled, by its digits or its candidates, and a turned page read again
        upright. Where the view changed, the tracks end (their positions were in the old one)."""
        cfg = self.config
        self._noisy = None
        try_turns = cfg.auto_rotate and self._frames % cfg.rotate_every == 0
        self._frames += 1
        view = self._view(base)
        if try_turns:  # a page's inks are settled as seldom as its orientation
            self.rules_fade_in = rule_channel(to_work_size(base.apply(frame), cfg.work_size)[0])
        reading = self._classify(view, frame, timings, try_turns, on_sheet)
        changed = False
        tried_turns = len(reading.turns) > 1
        slant = writing_slant([d.box for d, _ in reading.sighted]) if tried_turns and cfg.deskew else None
        if tried_turns and self._level_by(slant):
            # Writing at a slant reads poorly under every turn (a page at 30 degrees may read better
            # a quarter turned): level it first, then judge the turns on the level view.
            view, changed = self._view(base), True
            reading = self._classify(view, frame, timings, True, on_sheet)
        elif tried_turns and slant is None and (
                better := self._level_by_candidates(reading.turns, reading.candidates, base, frame, timings, on_sheet)
                or self._cut_a_quarter_turned(reading.turns, base, frame, timings, on_sheet)):
            view, reading = better
            changed = True
        if len(reading.turns) > 1 and (extra := extra_turn(reading.turns, self._frames > 1, cfg.min_confidence)):
            # The page is turned: read it again upright, so that every rule about a digit's
            # shape (its height, its pieces) applies as on an upright page.
            self.turn = (self.turn + extra) % 4
            view, changed = self._view(base), True
            reading = self._classify(view, frame, timings, False, on_sheet)
        if self._level(reading.digits):
            # The writing runs at a slant: level it and read again (digits upright, lines level).
            view, changed = self._view(base), True
            reading = self._classify(view, frame, timings, False, on_sheet)
        if changed:  # positions are in another view now
            self._end_tracks()
        return view, reading

    def process(self, frame: np.ndarray, index: int = 0, time_ms: float = 0.0, source: str = "") -> FrameResult:
        """Read one BGR (or grey) frame: find the sheet, read it the right way up and level
        (_oriented_reading), track the digits, read their numbers, and put both back in the frame."""
        cfg = self.config
        timings: dict[str, float] = {}
        clock = time.perf_counter()
        sheet = find_sheet(frame, cfg.work_size) if cfg.find_sheet else None
        base = sheet.view if sheet is not None else View.of_frame(frame)
        if (sheet is not None) != self._had_sheet:
            self._end_tracks()  # a sheet came or went
        self._had_sheet = sheet is not None
        timings["sheet"] = (time.perf_counter() - clock) * 1000
        view, reading = self._oriented_reading(base, frame, timings, sheet is not None)
        digits = reading.digits
        clock = time.perf_counter()
        tracked = self.tracker.update([d for d, _ in digits], time_ms)
        timings["track"] = (time.perf_counter() - clock) * 1000
        clock = time.perf_counter()
        read = read_numbers(tracked, cfg.number_gap, reading.layout)
        slashes = {d.track_id for d in tracked} - {d.track_id for n in read for d in n.digits}  # a date's, read as 1s
        numbers = self.number_tracker.update(read, time_ms, self.tracker.shift)
        # Boxes back in the frame, each tight around its own strokes (not around a turned box, nor
        # around a grid's hairlines that run on from them).
        in_frame = {d.track_id: replace(d, box=view.ink_box_to_frame(strokes_of(r)))
                    for d, (_, r) in zip(tracked, digits, strict=True)}
        tracked = list(in_frame.values())
        numbers = tuple(_number_in_frame(n, in_frame, view) for n in numbers)
        if slashes:
            tracked = [d for d in tracked if d.track_id not in slashes]  # no digits
        timings["read"] = (time.perf_counter() - clock) * 1000
        return FrameResult(index, time_ms, tuple(tracked), numbers, timings, source, sheet=sheet)

    def reset(self) -> None:
        """Forget tracks and orientation: the next frame starts a new scene."""
        self.turn = 0
        self.slant = 0.0
        self.rules_fade_in = None
        self.squared = False
        self._frames = 0
        self._had_sheet = False
        self._end_tracks()
