from realtime.signs import date_slashes, has_minus, sign_between
from realtime.types import Box, Digit

LEFT, RIGHT = Box(100, 200, 25, 40), Box(140, 200, 25, 40)  # two digits 40 px tall on row 240, 15 px apart


def test_a_mark_between_two_digits_is_told_by_its_place_and_shape():
    assert sign_between(LEFT, RIGHT, [Box(129, 234, 6, 6)]) == (".", 6.0)  # a dot at the foot
    assert sign_between(LEFT, RIGHT, [Box(129, 234, 6, 14)]) == (",", 6.0)  # its tail under the line
    assert sign_between(LEFT, RIGHT, [Box(129, 234, 6, 6), Box(129, 214, 6, 6)]) == (":", 6.0)
    assert sign_between(LEFT, RIGHT, [Box(126, 218, 12, 4)]) == ("-", 12.0)  # a dash half way up
    assert sign_between(LEFT, RIGHT, [Box(129, 214, 6, 6)]) == ("", 0.0)  # a dot half way up: no sign
    assert sign_between(LEFT, RIGHT, [Box(60, 234, 6, 6)]) == ("", 0.0)  # a dot elsewhere


def test_a_dash_just_before_a_number_is_its_minus_sign_unless_a_digit_stands_close_before_it():
    dash = Box(80, 218, 14, 4)
    assert has_minus(LEFT, None, [dash], 0.9)
    assert has_minus(LEFT, Box(0, 200, 25, 40), [dash], 0.9)  # the digit before is a number apart
    assert not has_minus(LEFT, Box(50, 200, 25, 40), [dash], 0.9)  # a hyphen whose number broke
    assert not has_minus(LEFT, None, [Box(40, 218, 14, 4)], 0.9)  # too far before it


def test_two_wide_ones_laying_a_number_out_as_a_date_are_its_slashes():
    def digits(text: str) -> list[Digit]:
        width = {"/": 28, "1": 10}
        return [Digit(Box(40 * k, 0, width.get(ch, 25), 40), 1 if ch in "/1" else int(ch), 0.9)
                for k, ch in enumerate(text)]

    assert date_slashes(digits("12/05/24")) == (2, 5)
    assert date_slashes(digits("3/11/2024")) == (1, 4)
    assert date_slashes(digits("12/05124")) == ()  # one slash: no date
    assert date_slashes(digits("12/052/4")) == ()  # a year of one digit
