from realtime.read import read_numbers
from realtime.types import Box, Digit


def row(text, x0=100, y=200, h=40, w=25, gap=8, slope=0.0):
    digits, x = [], x0
    for ch in text:
        if ch == " ":
            x += 2 * h
            continue
        digits.append(Digit(Box(x, int(y + slope * (x - x0)), w, h), int(ch), 0.9))
        x += w + gap
    return digits


def texts(numbers):
    return [(n.line, n.text) for n in numbers]


def test_digits_close_together_form_one_number_read_left_to_right():
    digits = row("427")
    assert texts(read_numbers(digits[::-1], 0.9)) == [(0, "427")]


def test_wide_gaps_split_numbers_and_lines_are_numbered_top_to_bottom():
    digits = row("31 59", y=300) + row("657", y=100)
    assert texts(read_numbers(digits, 0.9)) == [(0, "657"), (1, "31"), (1, "59")]


def test_slanted_line_stays_one_line():
    digits = row("345678", slope=-0.55)  # rising at about 30 degrees
    assert texts(read_numbers(digits, 0.9)) == [(0, "345678")]


def test_number_confidence_is_the_weakest_digit_and_box_covers_all():
    digits = row("12")
    digits[1] = Digit(digits[1].box, 2, 0.6)
    (number,) = read_numbers(digits, 0.9)
    assert number.confidence == 0.6
    assert number.box == digits[0].box.union(digits[1].box)


def test_page_turned_a_quarter_is_read_in_page_order():
    # The page's top is at the frame's right edge (turned clockwise): its lines run top to bottom
    # in the frame; one quarter turn counter-clockwise makes it upright.
    width, height = 1000, 800
    upright = row("42", x0=300, y=100) + row("7", x0=300, y=300)
    turned = [Digit(Box(width - d.box.y2, d.box.x, d.box.h, d.box.w), d.label, d.confidence) for d in upright]
    assert texts(read_numbers(turned, 0.9, turn=1, frame_size=(width, height))) == [(0, "42"), (1, "7")]
