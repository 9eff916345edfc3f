import cv2
import numpy as np
import pytest

from bench import conditions
from realtime.sheet import find_sheet, order_corners
from realtime.types import Box
from samples.synth import compose_page, photograph


def page_on_desk(mnist_digits, angle, seed=0, desk=(50, 45, 40), zoom=0.55):
    rng = np.random.default_rng(seed)
    page, placed = compose_page(*mnist_digits, [[3, 2], [4]], (1280, 720), rng)
    frame, truth = photograph(page, placed, rng, angle=angle, desk=desk, zoom=zoom)
    m = cv2.getRotationMatrix2D((640, 360), angle, zoom)
    corners = np.float32([[0, 0], [1279, 0], [1279, 719], [0, 719]]) @ m[:, :2].T + m[:, 2]
    return frame, truth, order_corners(corners)


@pytest.mark.parametrize("angle", [0, 12, -25])
def test_finds_the_sheet_corners_on_a_desk(mnist_digits, angle):
    frame, _, corners = page_on_desk(mnist_digits, angle)
    sheet = find_sheet(frame)
    assert sheet is not None
    assert np.abs(sheet.corners - corners).max() < 12


def test_corners_of_a_sheet_turned_near_45_degrees_are_four_clockwise():
    diamond = np.float32([[216, 578], [600, 190], [1013, 594], [597, 986]])
    ordered = order_corners(diamond[[2, 0, 3, 1]])
    assert len({tuple(c) for c in ordered}) == 4
    assert ordered.tolist() == diamond[[1, 2, 3, 0]].tolist()  # the one nearest the top-left first


@pytest.mark.parametrize("fold", [0.12, 0.2, 0.3])
def test_finds_a_sheet_turned_40_degrees_with_a_folded_corner_and_where_that_corner_was(mnist_digits, fold):
    """The outline is a pentagon: the sides beside the fold run on to where the corner was. Before,
    a fold of 0.12 of the sides put that corner 28 px off, cutting the page along a diagonal, and
    no sheet was found at 0.2 and 0.3."""
    frame, _, corners = page_on_desk(mnist_digits, 40, zoom=0.45)
    flap = corners[1] + fold * (corners[0] - corners[1]), corners[1], corners[1] + fold * (corners[2] - corners[1])
    cv2.fillConvexPoly(frame, np.int32(flap), (50, 45, 40))  # the corner folded under, the desk seen there
    sheet = find_sheet(frame)
    assert sheet is not None
    assert np.abs(sheet.corners - corners).max() < 12


@pytest.mark.parametrize(("angle", "reach"), [(0, 0.2), (-12, 0.2), (-12, 0.3)])
def test_a_thread_on_the_desk_against_a_side_adds_no_corner(mnist_digits, angle, reach):
    """A thin grey line (a thread, a cable) touching the top side makes the outline a pentagon too,
    its shortest side out on the desk; restored as a folded corner, a corner that is not there was
    put 124-185 px off the page before."""
    frame, _, corners = page_on_desk(mnist_digits, angle)
    side = corners[1] - corners[0]
    up = np.float32([side[1], -side[0]]) / np.linalg.norm(side)
    start = (corners[0] + corners[1]) / 2 + 0.15 * side
    end = start + reach * np.linalg.norm(corners[3] - corners[0]) * up
    cv2.line(frame, tuple(int(v) for v in start), tuple(int(v) for v in end), (150, 150, 150), 4, cv2.LINE_AA)
    sheet = find_sheet(frame)
    assert sheet is not None
    assert np.abs(sheet.corners - corners).max() < 12


@pytest.mark.parametrize("angle", [0, 15])
def test_a_coin_beside_a_corner_is_left_out_of_the_outline(mnist_digits, angle):
    """The outline round the sheet and a coin lying 5 px off its corner is larger, but one of its
    sides has the desk inside it, no paper; before, that outline was taken (64-75 px off)."""
    frame, _, corners = page_on_desk(mnist_digits, angle, desk=(60, 95, 140))
    out = corners[1] - corners.mean(axis=0)
    coin = corners[1] + out / np.linalg.norm(out) * 45
    cv2.circle(frame, tuple(int(v) for v in coin), 40, (160, 165, 165), -1, cv2.LINE_AA)
    sheet = find_sheet(frame)
    assert sheet is not None
    assert np.abs(sheet.corners - corners).max() < 20  # (the bright paper's outline, a little inside it)


def test_no_sheet_when_paper_fills_the_frame(mnist_digits):
    frame, _, _ = page_on_desk(mnist_digits, 0, desk=None, zoom=1.0)
    assert find_sheet(frame) is None


def test_a_sticky_note_is_a_sheet_but_a_box_drawn_on_a_page_is_not():
    desk = np.full((720, 1280, 3), (60, 90, 130), np.uint8)  # brown wood
    note = np.array([[900, 250], [1140, 262], [1130, 500], [890, 490]], np.int32)  # about 6% of the frame
    cv2.fillConvexPoly(desk, note, (120, 215, 235))
    sheet = find_sheet(desk)
    assert sheet is not None
    assert np.abs(order_corners(sheet.corners) - order_corners(note)).max() < 8

    page = np.full((720, 1280, 3), 225, np.uint8)  # paper fills the frame...
    cv2.rectangle(page, (500, 250), (760, 480), (40, 40, 40), 5)  # ...with a box drawn on it in ink
    assert find_sheet(page) is None


def sheet_in_shadow(centre, size, shadow=True, shade=(1.0, 1.0, 1.0)):
    """A white page turned 20 degrees on a wooden desk, the left part of the frame in a soft shadow
    (half the light, times ``shade`` per BGR channel; its edge 30 px wide) that runs across the page
    and on over the desk."""
    frame = np.empty((360, 480, 3), np.float32)
    frame[:] = (60, 100, 150)
    page = cv2.boxPoints((centre, size, -20.0))
    cv2.fillConvexPoly(frame, page.astype(np.int32), (225, 228, 230), cv2.LINE_AA)
    if shadow:
        yy, xx = np.mgrid[0:360, 0:480].astype(np.float32)
        u = ((xx - 150 + 0.35 * (yy - 180)) / 30 + 0.5).clip(0, 1)
        smooth = (u * u * (3 - 2 * u))[..., None]
        frame *= 0.5 * np.float32(shade) * (1 - smooth) + smooth
    return frame.clip(0, 255).astype(np.uint8), order_corners(page)


def test_the_lit_part_of_a_page_half_in_shadow_is_not_taken_for_the_page():
    # The page runs off the frame, so there is no sheet to find: its lit part is a bright
    # quadrilateral, but one side of it is a shadow's soft edge with paper beyond it.
    frame, _ = sheet_in_shadow((210.0, 185.0), (440.0, 220.0))
    assert find_sheet(frame) is None
    # The whole page in view is found, shadow and all; so is the page in full light.
    for shadow in (True, False):
        frame, corners = sheet_in_shadow((250.0, 185.0), (330.0, 190.0), shadow)
        sheet = find_sheet(frame)
        assert sheet is not None and np.abs(sheet.corners - corners).max() < 6


def test_a_shadow_in_light_of_another_colour_is_a_shadow_too():
    # Skylight fills a shadow indoors: the paper in it is a little bluer than in the lamp's light
    # (chromaticities 0.024 apart here), and its lit part is still no sheet.
    bluer = (1.04, 1.0, 0.97)
    frame, _ = sheet_in_shadow((210.0, 185.0), (440.0, 220.0), shade=bluer)
    assert find_sheet(frame) is None
    frame, corners = sheet_in_shadow((250.0, 185.0), (330.0, 190.0), shade=bluer)
    sheet = find_sheet(frame)
    assert sheet is not None and np.abs(sheet.corners - corners).max() < 6


def test_no_sheet_on_a_plain_vignetted_frame():
    yy, xx = np.mgrid[0:480, 0:640]
    shade = 230 - 120 * (((xx - 320) / 320) ** 2 + ((yy - 240) / 240) ** 2)
    frame = np.dstack([shade] * 3).clip(0, 255).astype(np.uint8)
    assert find_sheet(frame) is None


def test_view_boxes_map_back_onto_the_frame(mnist_digits):
    frame, truth, _ = page_on_desk(mnist_digits, 15)
    view = find_sheet(frame).view
    assert view.apply(frame).shape[1::-1] == view.size
    # The view of a frame box's centre lands back inside that box.
    t = Box(*truth[0].box)
    cx, cy = t.center
    vx, vy = cv2.perspectiveTransform(np.float32([[[cx, cy]]]), view.to_view)[0, 0]
    back = view.box_to_frame(Box(int(vx) - 2, int(vy) - 2, 4, 4))
    assert t.iou(back) > 0 and abs(back.center[0] - cx) < 4 and abs(back.center[1] - cy) < 4


@pytest.mark.parametrize("page", [2, 3])
def test_a_pen_lying_against_the_sheet_is_left_out_of_its_outline(mnist_digits, page):
    """bench.conditions' cluttered desk: a black pen along one side of a turned page (and a coin off
    a corner). The outline round page and pen was taken before, 38 and 49 px off."""
    picture = conditions.render("cluttered_desk", page, *mnist_digits)
    sheet = find_sheet(picture.frame)
    assert sheet is not None
    assert np.abs(order_corners(sheet.corners) - order_corners(picture.corners)).max() < 12
