"""The ink map: paper balanced and measured, rules keyed out by colour, strokes thresholded."""

import cv2
import numpy as np

from realtime.config import Config
from realtime.ink import (
    EVERY_COLOUR,
    balance_white,
    ink_components,
    ink_map,
    key_out_rules,
    lightest_channel,
    noise_level,
    rule_channel,
)
from tests.conftest import NOTEBOOK_BLUE, PENCIL_GREY, squared_page

BLUE = 0  # the colour channel (BGR) in which a notebook's blue rules fade
RED_PEN, GEL_PEN = (40, 40, 190), (235, 200, 170)  # BGR: a red pen's ink, a light blue gel pen's


def test_the_noise_level_grows_with_the_grain_not_in_whole_grey_levels():
    """On paper as dark as a dim room's (70 of 255) the median step between a pixel and its
    neighbours is one or two grey levels: read between levels, the noise level grows step by
    step with the grain, and does not stand still and then jump by a whole level."""
    rng = np.random.default_rng(0)
    levels = [noise_level(np.clip(70 + rng.normal(0, sigma, (400, 400)), 0, 255).astype(np.uint8))
              for sigma in (1.5, 2.0, 2.5, 3.0, 3.5, 4.0)]
    steps = np.diff(levels)
    assert (steps > 0).all() and steps.max() < 2 * steps.min()


def test_blue_ink_under_tungsten_light_is_as_dark_as_under_daylight():
    """Tungsten light (blue at 45%, green at 80%) on white paper and a blue ballpoint's stroke
    (dark in red and green, light in blue): balanced, the stroke is as dark against the paper
    as in daylight; a frame in neutral light is left as it is."""
    paper, ink = np.array([220.0, 220.0, 220.0]), np.array([200.0, 90.0, 60.0])  # BGR
    daylight = np.full((100, 100, 3), paper, np.float32)
    daylight[40:60, 48:52] = ink
    warm = np.clip(daylight * np.float32([0.45, 0.8, 1.0]), 0, 255).astype(np.uint8)
    daylight = daylight.astype(np.uint8)
    assert balance_white(daylight) is daylight
    stroke = (slice(45, 55), slice(49, 51))
    before, after, neutral = (int(np.median(ink_map(f)[0][stroke])) for f in (warm, balance_white(warm), daylight))
    assert before < 0.7 * neutral and abs(after - neutral) <= 0.05 * neutral


def test_a_yellow_pad_under_tungsten_light_is_balanced_too():
    """A yellow pad's blue is about half its red, and tungsten light halves it again: the blue
    channel must gain nearly four times for the paper to come out neutral."""
    paper, ink = np.array([125.0, 215.0, 230.0]), np.array([120.0, 60.0, 40.0])  # BGR, in daylight
    daylight = np.full((100, 100, 3), paper, np.float32)
    daylight[40:60, 48:52] = ink
    warm = np.clip(daylight * np.float32([0.5, 0.8, 1.0]), 0, 255).astype(np.uint8)
    bright = np.percentile(balance_white(warm).reshape(-1, 3), 90, axis=0)
    assert bright.max() - bright.min() <= 0.05 * bright.max()  # the paper neutral


def test_a_channel_gained_a_lot_has_its_colour_noise_smoothed_and_the_strokes_kept():
    """Balanced, a yellow pad under tungsten light has its blue channel gained nearly four times, and
    its colour noise with it: in the darkest channel (ink_map's) that noise would read as faint ink
    all over the page. Its colour is smoothed, and the pen's stroke stays as dark."""
    rng = np.random.default_rng(0)
    paper, ink = np.array([125.0, 215.0, 230.0]), np.array([120.0, 60.0, 40.0])  # BGR, in daylight
    daylight = np.full((120, 160, 3), paper, np.float32)
    daylight[40:80, 78:82] = ink
    warm = daylight * np.float32([0.5, 0.8, 1.0])
    warm[..., 0] += rng.normal(0, 3, warm.shape[:2])  # the dim blue channel's noise
    warm = np.clip(warm, 0, 255).astype(np.uint8)
    gains = np.percentile(warm.reshape(-1, 3), 90, axis=0)
    plain = np.clip(warm * (gains.max() / gains), 0, 255).astype(np.uint8)  # gained, not smoothed
    balanced = balance_white(warm)
    paper_only = (slice(0, 30), slice(0, 160))
    noise = [float(np.min(f, axis=2)[paper_only].std()) for f in (plain, balanced)]
    assert noise[1] < 0.6 * noise[0]
    stroke = (slice(45, 75), slice(79, 81))
    dark = [float(np.median(ink_map(f)[0][stroke])) for f in (plain, balanced)]
    assert dark[1] >= 0.9 * dark[0]


def test_ink_map_is_flat_on_a_lighting_gradient():
    xx = np.linspace(0.3, 1.0, 640, dtype=np.float32)
    frame = (np.tile(xx, (480, 1)) * 230).astype(np.uint8)
    ink, _ = ink_map(frame)
    assert np.percentile(ink, 99) < 0.1 * 255


def test_light_coloured_rules_are_keyed_out_of_the_ink():
    """In the darkest channel the grid is 0.70 as dark as the pencil; keyed out, it is gone, while
    the writing keeps its darkest ink: pencil 86 of 120 (its 120 lies on the grid), a blue
    ballpoint 116 of 228 (measured)."""
    rule, digit = (42, 20), (slice(200, 310), slice(100, 240))  # a grid line's pixel; the 3
    for pen, kept in ((PENCIL_GREY, 0.7), ((140, 60, 25), 0.5)):
        page = squared_page(NOTEBOOK_BLUE, pen)
        ink, _ = ink_map(page)
        keyed = key_out_rules(page, ink, EVERY_COLOUR)
        if pen == PENCIL_GREY:
            assert ink[rule] >= 0.6 * ink[digit].max()
        assert keyed[rule] == 0
        assert keyed[digit].max() >= kept * ink[digit].max()


def test_rules_are_keyed_out_only_when_coloured_with_writing_beside_them_that_stays():
    assert rule_channel(squared_page(NOTEBOOK_BLUE, PENCIL_GREY)) == EVERY_COLOUR
    assert rule_channel(squared_page(NOTEBOOK_BLUE, (40, 40, 40))) == EVERY_COLOUR  # black pen
    assert rule_channel(squared_page(NOTEBOOK_BLUE, RED_PEN)) == BLUE  # dark where blue rules fade
    assert rule_channel(squared_page(NOTEBOOK_BLUE, GEL_PEN)) is None  # a light blue gel pen would vanish
    assert rule_channel(squared_page((150, 150, 150), PENCIL_GREY)) is None  # grey squares: no colour to go by
    plain = np.full((480, 640, 3), 235, np.uint8)
    cv2.putText(plain, "385", (120, 300), cv2.FONT_HERSHEY_SIMPLEX, 3, PENCIL_GREY, 4)
    assert rule_channel(plain) is None  # no rules at all


def test_the_channel_rules_fade_in_is_the_one_most_of_their_pixels_are_lightest_in():
    """Pale blue rules, some in light and some under a shadow (darker in every channel), and a
    red pen's strokes that cross them: each rule pixel is lightest in blue, but the channels'
    medians fall on different pixels (blue's on a shadowed rule, red's on the pen) and are
    highest in red."""
    lit, shadowed, pen = (232, 226, 222), (139, 136, 133), (90, 90, 215)  # BGR
    pixels = np.array([lit] * 40 + [shadowed] * 37 + [pen] * 23)
    assert int(np.argmax(np.median(pixels, axis=0))) == 2  # red, by the medians
    assert lightest_channel(pixels) == BLUE


def test_a_red_pen_stays_where_blue_rules_are_keyed_out():
    """Red ink is as coloured as blue rules, but dark in the blue channel, where they fade."""
    rule, digit = (42, 20), (slice(200, 310), slice(100, 240))  # a grid line's pixel; the 3
    page = squared_page(NOTEBOOK_BLUE, RED_PEN)
    ink, _ = ink_map(page)
    keyed = key_out_rules(page, ink, rule_channel(page))
    assert keyed[rule] == 0
    assert keyed[digit].max() >= 0.9 * ink[digit].max()


def test_the_sheet_edge_in_view_is_no_writing_that_stays():
    """A levelled sheet's view ends in a sliver of the desk: dark, neutral, and along every edge as
    much of it as a few numbers' strokes. Counted as writing, it let a pen as blue as the rules
    (a gel pen's numbers on a blue ruled page) be keyed out with them."""
    for ink, stays in ((GEL_PEN, False), (PENCIL_GREY, True)):
        page = squared_page(NOTEBOOK_BLUE, ink)
        page[:3], page[-3:], page[:, :3], page[:, -3:] = 60, 60, 60, 60  # the desk beyond the sheet's edge
        assert (rule_channel(page) is not None) == stays


def test_a_desks_grain_beside_the_rules_is_no_writing_that_stays():
    """A page whose outline was not found (turned, its corners out of the frame) is read with the
    desk beside it: the wood's dark grain is neutral ink, as much as a page's writing, but it lies
    beyond the rules. Counted as writing, it let a pen as blue as the rules be keyed out with them."""
    for ink, stays in ((GEL_PEN, False), (PENCIL_GREY, True)):
        page = squared_page(NOTEBOOK_BLUE, ink)
        desk = np.full((480, 110, 3), 120, np.uint8)
        for k in range(-480, 110, 18):
            cv2.line(desk, (k, 479), (k + 480, 0), (60, 70, 80), 4)  # the wood's grain
        page[:, :110] = desk
        assert (rule_channel(page) is not None) == stays


def test_rules_are_keyed_out_in_a_jpeg_photo_too():
    """A phone's JPEG keeps colour at half resolution: a thin rule's colour spreads and pales, so
    the rules are told apart by colour down to the faintest ink a stroke may hold."""
    def photo(page: np.ndarray) -> np.ndarray:
        return cv2.imdecode(cv2.imencode(".jpg", page, [cv2.IMWRITE_JPEG_QUALITY, 95])[1], cv2.IMREAD_COLOR)

    assert rule_channel(photo(squared_page(NOTEBOOK_BLUE, PENCIL_GREY))) == EVERY_COLOUR
    assert rule_channel(photo(squared_page(NOTEBOOK_BLUE, (40, 40, 40)))) == EVERY_COLOUR
    assert rule_channel(photo(squared_page(NOTEBOOK_BLUE, RED_PEN))) == BLUE
    assert rule_channel(photo(squared_page(NOTEBOOK_BLUE, GEL_PEN))) is None  # the gel pen still stays


def _stroke_with_a_faint_end(darkness: float, fade: float, grain: float = 0.0) -> np.ndarray:
    """An ink map (0-255): a bar of the given darkness whose lower part fades to ``fade``, on paper
    that is clean or carries grain of the given darkness over a fifth of it."""
    ink = np.zeros((200, 300), np.uint8)
    if grain:
        ink[np.random.default_rng(0).random(ink.shape) < 0.2] = round(grain * 255)
    ink[40:100, 100:106] = round(darkness * 255)
    ink[100:120, 100:106] = round(fade * 255)
    return ink


def _length_of_the_stroke(ink: np.ndarray, pencil: bool = True) -> int:
    labels, stats = ink_components(ink, np.ones(ink.shape, bool), Config(), pencil=pencil)
    return int(stats[labels[50, 102], 3])


def test_a_pencil_page_keeps_the_faint_end_of_a_stroke_but_a_pen_page_and_grain_do_not():
    """Pressed lightly, a pencil's line fades under the weak threshold: on a page whose darkest ink
    is a faint pencil's (22% darker than the paper), or a soft one's (28%: its darkest ink says
    nothing of how light its lightest strokes are), the stroke keeps its faint end. Not on a
    page with pen ink (the same end beside a pen's stroke is its shadow or the paper's grain), not
    where rules were keyed out by colour, and not where as faint a level would take in the grain."""
    pencil_stroke = _stroke_with_a_faint_end(0.22, 0.05)
    assert _length_of_the_stroke(pencil_stroke) == 80
    assert _length_of_the_stroke(_stroke_with_a_faint_end(0.28, 0.05)) == 80
    assert _length_of_the_stroke(pencil_stroke, pencil=False) == 60
    pen_stroke = _stroke_with_a_faint_end(0.8, 0.05)
    assert _length_of_the_stroke(pen_stroke) == 60
    assert _length_of_the_stroke(_stroke_with_a_faint_end(0.22, 0.05, grain=0.05)) == 60

