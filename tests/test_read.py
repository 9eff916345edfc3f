from dataclasses import replace

import pytest

from realtime.read import drop_specks, drop_words, read_numbers, typical_height, writing_slant
from realtime.types import Box, Digit, Layout


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


def test_a_lone_mark_far_away_does_not_take_a_table_row_into_its_line():
    """A table's rows: digits a cell apart (about two heights), rows 1.5 heights apart, and a stray
    mark (a row name's capital read as a digit) up and to the left of the first row. The first
    row's first digit is far from it: it does not start a line sloping down into the row below."""
    h = 30
    stray = [Digit(Box(40, 185, 30, 35), 6, 0.9)]
    first = [Digit(Box(175 + 68 * k, 253 + (k % 2) * 3, 24, h), d, 0.9) for k, d in enumerate((5, 0, 1, 5, 6, 5))]
    second = [Digit(Box(165 + 68 * k, 313 - (k % 2) * 2, 24, h), d, 0.9) for k, d in enumerate((3, 4, 2, 5, 5, 9))]
    lines = [[n.text for n in read_numbers(stray + first + second, 0.9) if n.line == k] for k in range(3)]
    assert lines == [["6"], list("501565"), list("342559")]


def test_number_confidence_is_the_weakest_digit_and_box_covers_all():
    digits = row("12")
    digits[1] = Digit(digits[1].box, 2, 0.6)
    (number,) = read_numbers(digits, 0.9)
    assert number.confidence == 0.6
    assert number.box == digits[0].box.union(digits[1].box)


def test_a_digit_among_letters_is_left_out_but_a_number_beside_a_word_stays():
    hello = row("00000", x0=100)  # five marks in a row: H E L L are not digits, the O reads as 0
    letters = [d.box for d in hello[:4]]
    o = hello[4]
    number = row("45", x0=600)  # far from the word
    kept = drop_words([o, *number], letters, 0.9)
    assert kept == number


def test_letters_read_unsurely_as_digits_beside_a_letter_make_a_word():
    """A printed word ("Total"): its t reads as no digit, its T as a 7 and its a as a 0, both
    unsurely, its o and l surely. One letter alone does not make a word, but with two unsure
    digits it does. Digits all read unsurely, with no letter among them, stay a number."""
    total = row("70001")
    t = total[2].box
    marks = [replace(d, confidence=c) for d, c in zip(total, (0.80, 0.97, 0.0, 0.78, 0.97), strict=True)]
    letters_as_digits = [marks[k] for k in (0, 1, 3, 4)]
    assert drop_words(letters_as_digits, [t], 0.9) == []
    sure = [replace(d, confidence=0.95) for d in letters_as_digits]
    assert drop_words(sure, [t], 0.9) == sure
    faint = [replace(d, confidence=0.7) for d in row("4205")]
    assert drop_words(faint, [], 0.9) == faint


def test_one_unreadable_digit_does_not_make_a_number_a_word():
    digits = row("4271")
    kept = drop_words(digits[:2] + digits[3:], [digits[2].box], 0.9)
    assert len(kept) == 3


def test_flecks_of_grain_beside_a_number_do_not_make_it_a_word():
    """Grey recycled paper's fibres read as no digit; a tenth of the writing's height, they are no letters."""
    number = row("40", h=120, w=80, gap=30)
    flecks = [Box(60, 230, 12, 18), Box(215, 260, 10, 16), Box(300, 215, 14, 12)]  # left of, between, after
    assert drop_words(number, flecks, 0.9) == number
    # Letters of the writing's size are read as letters: "4o0" with a lowercase o read as none is a word.
    assert drop_words(number, [Box(300, 240, 40, 60), Box(380, 230, 50, 90)], 0.9) == []


def test_letters_read_as_strokes_do_not_outvote_the_letters_read_as_none():
    # "Science" in print: its i, n and e's strokes read as 1s and 7s, two letters as no digit at all.
    marks = row("51001700")
    letters = [marks[3].box, marks[7].box]
    word = [d for k, d in enumerate(marks) if k not in (3, 7)]
    assert drop_words(word, letters, 0.9) == []
    # Digits of a shape of their own do outvote two unreadable marks.
    marks = row("35820460")
    number = [d for k, d in enumerate(marks) if k not in (3, 7)]
    assert drop_words(number, [marks[3].box, marks[7].box], 0.9) == number


def test_a_word_of_tall_and_lowercase_letters_read_as_digits_is_no_number():
    # "Call" read as 6 6 1 1: the a stands on the C's baseline at half its height.
    numbers = row("3572 48") + row("91", y=320)
    call = [Digit(Box(100, 440, 30, 40), 6, 0.9), Digit(Box(138, 460, 22, 20), 6, 0.7),
            Digit(Box(168, 438, 8, 42), 1, 0.9), Digit(Box(184, 438, 8, 42), 1, 0.9)]
    assert drop_words(numbers + call, [], 0.9) == numbers


def test_lowercase_letters_read_as_digits_beside_a_capital_read_as_none_are_no_number():
    # "Bus": the B reads as no digit, the s at half its height as a 5, on the B's baseline.
    numbers = row("3572 48") + row("91", y=320)
    b = Box(100, 440, 30, 40)
    s = Digit(Box(138, 460, 22, 20), 5, 0.9)
    assert drop_words([*numbers, s], [b], 0.9) == numbers
    # A digit beside a mark that reads as none, both full-sized (a $ or a %), is a number's.
    dollar_five = Digit(Box(138, 440, 25, 40), 5, 0.9)
    assert drop_words([*numbers, dollar_five], [b], 0.9) == [*numbers, dollar_five]
    # So is a raised small digit beside such a mark (no shared baseline).
    raised = Digit(Box(138, 440, 22, 20), 2, 0.9)
    assert drop_words([*numbers, raised], [b], 0.9) == [*numbers, raised]


def label(x0, y_bottom, specs):
    """Printed marks on a baseline: (label, height, width) each, 4 px apart; label -1 reads as none.
    Returns (digits, boxes of the marks read as none, right edge)."""
    digits, none, x = [], [], x0
    for lab, h, w in specs:
        box = Box(x, y_bottom - h, w, h)
        if lab < 0:
            none.append(box)
        else:
            digits.append(Digit(box, lab, 0.9))
        x += w + 4
    return digits, none, x


def test_a_number_beside_a_small_printed_label_stays_and_the_label_goes():
    # "Total: 342": the label's capitals 22 px, lowercase 17, the digits 55 px tall, 25 px on.
    text, none, right = label(100, 300, [(7, 22, 14), (0, 17, 12), (-1, 22, 8), (2, 17, 12), (1, 22, 4)])
    number = row("342", x0=right + 25, y=245, h=55, w=35)
    others = row("3572 48", y=450, h=55, w=35)
    assert drop_words([*text, *number, *others], none, 0.9) == [*number, *others]
    # A unit after the number: "342 kg", and a label before and a unit after at once.
    unit, unit_none, _ = label(number[-1].box.x2 + 25, 300, [(-1, 24, 14), (9, 24, 14)])
    assert drop_words([*number, *unit, *others], unit_none, 0.9) == [*number, *others]
    assert drop_words([*text, *number, *unit, *others], none + unit_none, 0.9) == [*number, *others]
    # Read wholly as digits, the label is no word, but the number beside it stays all the same.
    digits_only = [Digit(b, 0, 0.9) for b in none]
    assert set(drop_words([*text, *digits_only, *number], [], 0.9)) >= set(number)
    # A digit of the number read as none is lost, but not the rest of the number with it:
    # the number is judged apart from the label, by the word test on its own.
    price = row("94638", x0=right + 25, y=245, h=55, w=35)
    unread = [price[1].box]
    rest = [d for d in price if d is not price[1]]
    assert drop_words([*text, *rest, *others], none + unread, 0.9) == [*rest, *others]


def test_a_printed_label_read_wholly_as_digits_is_no_part_of_the_number_beside_it():
    # "Total 342", every letter of the label read as a digit: two numbers, so 342 is read as it is.
    text, _, right = label(100, 300, [(7, 22, 14), (0, 17, 12), (1, 22, 4), (2, 17, 12), (1, 22, 4)])
    number = row("342", x0=right + 25, y=245, h=55, w=35)
    assert [n.text for n in read_numbers([*text, *number], 0.9)] == ["70121", "342"]


def test_a_word_with_ascenders_close_to_its_small_letters_stays_one_word():
    # "world": w, o, r small, then l and d tall (read as 1 and 2) right beside them; and "Zoe",
    # a capital read as 2 beside its lowercase letters read as digits.
    others = row("3572 48", y=450, h=45, w=30)
    world, none, x = label(100, 300, [(-1, 20, 16), (0, 14, 12), (-1, 14, 10)])
    ld = [Digit(Box(x, 259, 6, 41), 1, 0.9), Digit(Box(x + 10, 267, 18, 33), 2, 0.9)]
    assert drop_words([*world, *ld, *others], none, 0.9) == others
    zoe = [Digit(Box(100, 560, 30, 40), 2, 0.9), Digit(Box(150, 580, 20, 20), 0, 0.9),
           Digit(Box(174, 580, 20, 20), 6, 0.9)]
    assert drop_words([*zoe, *others], [], 0.9) == others


def test_digits_of_one_number_written_at_other_sizes_stay():
    small_zero = [Digit(Box(100, 200, 12, 60), 1, 0.9), Digit(Box(120, 225, 30, 35), 0, 0.9)]  # a 10, its 0 small
    raised = [Digit(Box(300, 200, 30, 60), 4, 0.9), Digit(Box(338, 200, 20, 30), 2, 0.9)]  # a 4 squared: 2 raised
    growing = [Digit(Box(500 + 50 * k, 260 - 10 * k, 35, 30 + 10 * k), k + 2, 0.9) for k in range(5)]  # ever bigger
    page = row("3572 48", h=60, w=35) + small_zero + raised + growing
    assert drop_words(page, [], 0.9) == page
    # Each stays one number, too (read_numbers cuts a run where a label's far smaller print begins).
    for number, text in ((small_zero, "10"), (raised, "42"), (growing, "23456")):
        assert [n.text for n in read_numbers(number, 0.9)] == [text]


def test_the_indexed_labels_over_a_mark_tables_columns_are_no_numbers():
    # "d1 d2 d3" over the columns: each d (48 px, read as a 2 or as none) with an index digit of
    # 20 px at its foot, a little below it. The marks in the columns are read.
    marks = row("47 52 61", y=300, h=36, w=24) + row("50 39 88", y=400, h=36, w=24)
    header, unread = [], []
    for k, x in enumerate((100, 250, 400)):
        d = Box(x, 150, 30, 48)
        if k == 1:
            unread.append(d)
        else:
            header.append(Digit(d, 2, 0.8))
        header.append(Digit(Box(x + 34, 181, 12, 20), k + 1, 0.9))
    assert drop_words([*header, *marks], unread, 0.9) == marks


def test_a_digit_at_the_foot_of_a_blob_read_as_none_is_no_index():
    # Touching digits read as none whole (a blob twice the writing's height), then an 8 of the
    # page's size at its foot: a number's digit, not an index. So is a small 0 after a 1 (a 10).
    page = row("444", x0=100, y=300, h=50, w=34)
    blob = Box(250, 250, 80, 100)
    eight = Digit(Box(350, 300, 38, 50), 8, 0.9)
    ten = [Digit(Box(100, 500, 10, 50), 1, 0.9), Digit(Box(116, 526, 20, 24), 0, 0.9)]
    assert drop_words([*page, eight, *ten], [blob], 0.9) == [*page, eight, *ten]


def test_a_scrap_of_a_broken_digit_at_the_foot_of_the_one_before_is_no_index():
    """A 5 broken where it crossed a rule: its small lower scrap, at the foot of the 4 before it,
    reads unsurely (0.58); an index under a label's letter reads as surely as any digit."""
    number = row("4512", y=300, h=44, w=30)
    scrap = Digit(Box(number[0].box.x2 + 4, 323, 10, 21), 6, 0.58)
    assert drop_words([number[0], scrap, *number[1:]], [], 0.9) == [number[0], scrap, *number[1:]]
    index = replace(scrap, confidence=0.95)
    assert drop_words([number[0], index, *number[1:]], [], 0.9) == []

def test_a_capital_read_as_a_digit_before_its_joined_letters_is_a_word():
    # "Eng" on a mark table's row: the E reads as a 6, "ng" written joined is one mark read as
    # none, twice the writing's height wide. A number with one digit read as none stays a number,
    # and so does one beside a blob far taller than the writing (a hand, a shadow).
    marks = row("47 52 61", y=300, h=50, w=34)
    e = Digit(Box(100, 500, 40, 50), 6, 0.9)
    ng = Box(146, 505, 100, 55)
    assert drop_words([*marks, e], [ng], 0.9) == marks
    unread_digit = Box(146, 500, 34, 50)
    assert drop_words([*marks, e], [unread_digit], 0.9) == [*marks, e]
    hand = Box(146, 300, 140, 240)
    assert drop_words([*marks, e], [hand], 0.9) == [*marks, e]


def test_two_touching_digits_left_unread_among_sure_ones_do_not_make_a_number_a_word():
    # "47 [two digits joined, read as none] 7944" in a blurred JPEG: the joined mark counts as two
    # letters, and it stands for two places of the run too, so six sure digits outweigh it. "Eng"
    # (its E read as a 6, "ng" joined) is still a word.
    number = row("47", y=300, h=50, w=30) + row("7944", x0=300, y=300, h=50, w=30)
    joined = Box(number[1].box.x2 + 8, 300, 100, 52)
    assert drop_words(number, [joined], 0.9) == number
    e = Digit(Box(100, 500, 40, 50), 6, 0.97)
    assert drop_words([*number, e], [Box(146, 505, 100, 55)], 0.9) == number


def test_two_digits_drawn_into_each_other_read_unsurely_as_one_count_as_one_letter():
    # "96[66]7" in pencil on squares: the two 6s drawn into each other read 0.44 as one digit. A mark
    # read as a digit, however unsurely and however wide, is one letter at most; the same mark read
    # as no digit at all is joined letters, two of them, and with the 9 read unsurely makes a word.
    number = [replace(d, confidence=c) for d, c in zip(row("96", h=50, w=34), (0.67, 0.96), strict=True)]
    number.append(Digit(Box(292, 200, 34, 50), 7, 0.97))
    drawn_into = Box(184, 200, 100, 50)
    assert drop_words(number, [], 0.9, unsure=[Digit(drawn_into, 6, 0.44)]) == number
    assert drop_words(number, [drawn_into], 0.9) == []


def test_typical_height_follows_the_writing_not_a_crowd_of_small_marks():
    writing = row("4389", h=100, w=60)
    flecks = [Digit(Box(20 * k, 600, 4, 15), 1, 0.9) for k in range(10)]
    assert typical_height([d.box for d in writing + flecks]) == 100


def test_one_huge_mark_does_not_make_the_writing_look_huge():
    # A sheet's edge read as a tall 1 (where no outline was found) has more area than the page's
    # digits together; weighted by area alone, the writing would look that tall, and its 1s specks.
    writing = row("41718 6403 7125 9981 2164 3", h=44, w=35)  # 22 digits, five 1s
    edge = Digit(Box(1500, 100, 125, 364), 1, 0.85)
    assert sum(d.box.w * d.box.h for d in writing) < edge.box.w * edge.box.h
    assert typical_height([d.box for d in [*writing, edge]]) == 44
    assert [d.label for d in drop_specks([*writing, edge], 0.35)].count(1) == 6  # the five and the edge (no speck)


def test_tiny_ones_beside_the_writing_are_flecks_but_small_digits_stay():
    writing = row("4389", h=100, w=60)
    fleck = Digit(Box(700, 600, 5, 20), 1, 0.9)
    small_seven = Digit(Box(700, 800, 12, 20), 7, 0.9)
    one = Digit(Box(900, 200, 12, 90), 1, 0.9)
    kept = drop_specks([*writing, fleck, small_seven, one], 0.35)
    assert fleck not in kept and small_seven in kept and one in kept and len(kept) == 6
    assert drop_specks([fleck], 0.35) == [fleck]  # alone, a small 1 is all the writing there is


def test_writing_at_a_slant_is_measured_but_scattered_digits_tell_no_slant():
    slanted = row("4271 538", slope=-0.3)
    assert writing_slant([d.box for d in slanted]) == pytest.approx(16.7, abs=1.5)
    # Seven digits spread over a page, two of them each with a neighbour below on the right.
    scattered = [Digit(Box(x, y, 25, 40), 5, 0.9) for x, y in
                 ((100, 100), (140, 120), (400, 500), (440, 520), (700, 100), (300, 300), (600, 650))]
    assert writing_slant([d.box for d in scattered]) is None


def test_lines_steeper_than_45_degrees_are_measured_off_upright():
    """A page a quarter turn and 25 degrees round: its lines run 65 degrees off level, where no
    digit has a neighbour on its right within 45 degrees of level, but each has one above within
    45 degrees of upright, 25 degrees to its right."""
    steep = [Box(100 + round(20 * k), 600 - round(43 * k), 40, 30) for k in range(8)]
    assert writing_slant(steep) is None
    assert writing_slant(steep, steep=True) == pytest.approx(-25, abs=1.5)


def dots_after(digits, k, size=6, rise=0, colon=False):
    """A dot at the foot of a row's gap after its k-th digit (``rise`` px over it), and a colon's
    upper dot too."""
    left, right = digits[k].box, digits[k + 1].box
    x = (left.x2 + right.x) // 2 - size // 2
    dots = [Box(x, left.y2 - size - rise, size, size)]
    if colon:
        dots.append(Box(x, left.y2 - left.h // 2 - size // 2, size, size))
    return dots


def test_a_dot_at_the_foot_between_digits_is_a_decimal_point_and_two_are_a_colon():
    digits = row("125", gap=14)
    assert texts(read_numbers(digits, 0.9, Layout(dots_after(digits, 1)))) == [(0, "12.5")]
    assert texts(read_numbers(digits, 0.9, Layout(dots_after(digits, 0, colon=True)))) == [(0, "1:25")]


def test_a_dot_whose_tail_runs_under_the_line_is_a_comma():
    digits = row("1250", gap=14)  # 40 px digits standing on row 240
    x = (digits[0].box.x2 + digits[1].box.x) // 2 - 3
    comma = Box(x, 234, 6, 14)  # a dot at the foot, its tail 8 px (0.2 heights) under the line
    assert texts(read_numbers(digits, 0.9, Layout([comma]))) == [(0, "1,250")]
    point = Box(x, 234, 6, 6)
    assert texts(read_numbers(digits, 0.9, Layout([point]))) == [(0, "1.250")]


def test_a_dot_widens_the_gap_it_stands_in_without_cutting_the_number():
    digits = row("305", gap=34)  # 0.85 heights apart with the dot in the gap, 0.7 without it
    assert texts(read_numbers(digits, 0.7)) == [(0, "3"), (0, "0"), (0, "5")]
    assert texts(read_numbers(digits, 0.7, Layout(dots_after(digits, 0)))) == [(0, "3.0"), (0, "5")]


def test_dots_elsewhere_are_no_decimal_points():
    digits = row("12 34", gap=14)
    cases = [
        dots_after(digits, 0, rise=20),  # half way up: a hyphen's place, not a point's
        dots_after(digits, 0, size=20),  # half the digits' height: a blob, no pen's dot
        dots_after(digits, 1),  # in the gap between two numbers: they stay two
    ]
    for dots in cases:
        assert texts(read_numbers(digits, 0.9, Layout(dots))) == [(0, "12"), (0, "34")], dots


def walls_at(xs, top=180, height=80):
    return [Box(x, top, 2, height) for x in xs]


def test_a_tables_wall_parts_the_numbers_in_its_cells():
    digits = row("1234", gap=20)  # 25 px digits 20 px apart: one number by the gap alone
    wall = (digits[1].box.x2 + digits[2].box.x) // 2
    assert texts(read_numbers(digits, 0.9, Layout(walls=walls_at([wall])))) == [(0, "12"), (0, "34")]
    short = [Box(wall, 205, 2, 30)]  # a line shorter than the digits: a scrap, no wall
    assert texts(read_numbers(digits, 0.9, Layout(walls=short))) == [(0, "1234")]


def test_a_label_in_its_cell_does_not_make_letters_of_the_number_in_the_next():
    """A row of a table: a word (three marks read as no digit, an O read as 0) in the first cell, a
    wall, and a number in the next cell 0.7 heights on, read unsurely (read surely, a number a space
    after a word stays anyway: see the test of a number after its label). Without the wall the
    number is the word's end; with it, the number stays. A line through the word's own letters
    (0.2 heights apart) leaves the word a word."""
    word = row("0000", gap=8)  # 25 px marks 8 px apart, 40 px tall
    letters = [d.box for d in word[:3]]
    number = [replace(d, confidence=0.8) for d in row("57", x0=word[-1].box.x2 + 28)]
    wall = word[-1].box.x2 + 14
    assert drop_words([word[-1], *number], letters, 0.9) == []
    assert drop_words([word[-1], *number], letters, 0.9, walls_at([wall])) == number
    through_word = walls_at([word[1].box.x2 + 4, wall])
    assert drop_words([word[-1], *number], letters, 0.9, through_word) == number


def test_a_forms_boxes_for_one_digit_each_and_a_grid_part_no_numbers():
    digits = row("1234", gap=20)
    walls = [d.box.x - 10 for d in digits] + [digits[-1].box.x2 + 10]  # a wall every 45 px: 1.1 heights
    assert texts(read_numbers(digits, 0.9, Layout(walls=walls_at(walls)))) == [(0, "1234")]


def test_narrow_digits_in_a_forms_neighbouring_boxes_make_one_number():
    """Boxes 56 px wide for one digit each, a 40 px digit in each: 1s 8 px wide leave gaps of 1.2
    heights, wider than number_gap, yet the row is one number (an account number, a date). An
    empty box between two digits still parts them, and so do the same gaps without the boxes."""
    walls = [100 + 56 * k for k in range(6)]
    ones = [Digit(Box(wall + 24, 200, 8, 40), label, 0.9) for wall, label in zip(walls, (1, 1, 7, 1), strict=False)]
    assert texts(read_numbers(ones, 0.9, Layout(walls=walls_at(walls)))) == [(0, "1171")]
    assert texts(read_numbers(ones, 0.9)) == [(0, "1"), (0, "1"), (0, "7"), (0, "1")]
    gap = [ones[0], ones[1], replace(ones[3], box=replace(ones[3].box, x=walls[4] + 24))]
    assert texts(read_numbers(gap, 0.9, Layout(walls=walls_at(walls)))) == [(0, "11"), (0, "1")]

def dash_before(digit, length=14, rise=20, gap=6):
    """A dash ending ``gap`` px before a digit, its centre ``rise`` px over the digit's foot."""
    b = digit.box
    return Box(b.x - gap - length, b.y2 - rise - 2, length, 4)


def test_a_dash_half_way_up_before_a_number_is_its_minus_sign_and_between_digits_a_hyphen():
    digits = row("12 34", gap=14)
    assert texts(read_numbers(digits, 0.9, Layout([dash_before(digits[2])]))) == [(0, "12"), (0, "-34")]
    hyphen = dash_before(digits[1], gap=2)
    assert texts(read_numbers(digits, 0.9, Layout([hyphen]))) == [(0, "1-2"), (0, "34")]


def test_dashes_elsewhere_are_no_minus_signs():
    digits = row("12 34", gap=14)
    cases = [
        dash_before(digits[2], rise=2),  # at the foot: an underline's scrap
        dash_before(digits[2], gap=30),  # far before the number
        dash_before(digits[2], length=40),  # a rule's piece, longer than a digit is tall
    ]
    for dash in cases:
        assert texts(read_numbers(digits, 0.9, Layout([dash]))) == [(0, "12"), (0, "34")], dash
    close = row("5 7", gap=14)
    close[1] = Digit(Box(close[0].box.x2 + 40, close[1].box.y, 25, 40), 7, 0.9)  # 1 height apart, a dash between
    dash = Box(close[0].box.x2 + 16, close[0].box.y2 - 22, 14, 4)  # 0.4 heights after the 5, 0.25 before the 7
    assert texts(read_numbers(close, 0.5, Layout([dash]))) == [(0, "5"), (0, "7")]  # a hyphen whose number broke


def slashed(text, gap=10):
    """A row where each "/" is a 1 as wide as a slash leaning 30 degrees, and each 1 a narrow one."""
    digits = row(text.replace("/", "1"), gap=gap)
    width = {"/": 28, "1": 10}
    return [Digit(Box(d.box.x, d.box.y, width.get(ch, d.box.w), d.box.h), d.label, 0.9)
            for d, ch in zip(digits, text, strict=True)]


def test_two_wide_ones_that_lay_a_number_out_as_a_date_are_its_slashes():
    digits = slashed("12/05/24")
    (number,) = read_numbers(digits, 0.9)
    assert number.text == "12/05/24"
    assert [d.label for d in number.digits] == [1, 2, 0, 5, 2, 4]  # the slashes are no digits
    assert texts(read_numbers(slashed("5/09/2024"), 0.9)) == [(0, "5/09/2024")]


def test_wide_ones_not_laid_out_as_a_date_stay_ones():
    assert texts(read_numbers(slashed("12/052/4"), 0.9)) == [(0, "12105214")]  # a year of one digit
    assert texts(read_numbers(slashed("1205/24"), 0.9)) == [(0, "1205124")]  # one slash


def test_a_number_a_space_after_its_label_stays_though_closer_than_the_number_gap():
    """A label and its number ("Math 5", "Call 911"), the number 0.6 heights after the word: the
    word's letters go (three read as no digit, one as a 0 unsurely), the number read surely stays.
    Read unsurely, it may be the word's last letters, and goes with them."""
    word = row("0000", x0=100)
    letters = [d.box for d in word[:3]]
    o = replace(word[3], confidence=0.6)
    number = row("45", x0=word[3].box.x2 + 24)
    assert drop_words([o, *number], letters, 0.9) == number
    unsure = [replace(d, confidence=0.7) for d in number]
    assert drop_words([o, *unsure], letters, 0.9) == []


def test_a_label_is_judged_apart_from_the_number_a_space_after_it():
    """A label whose letters mostly read as digits ("Food": its F as no digit, its o's as 0s
    unsurely, its d as a 1 surely), then its number 0.6 heights on. Judged with the number's sure
    digits, the label would be no word; alone, it is one, and only the number stays."""
    food = row("0001", x0=100)
    o1, o2 = (replace(d, confidence=0.8) for d in food[1:3])
    number = row("225", x0=food[3].box.x2 + 24)
    assert drop_words([o1, o2, food[3], *number], [food[0].box], 0.9) == number


def test_a_number_a_space_before_its_unit_stays():
    """A number and its unit ("541 km", 0.6 heights apart): the unit's letters read as no digit,
    the number's digits surely. Judged with the number, the two letters make the run a word;
    alone, the unit is the word, and the number stays."""
    number = row("541", x0=100)
    km = row("00", x0=number[-1].box.x2 + 24)
    assert drop_words(number, [d.box for d in km], 0.9) == number


def test_a_number_with_one_digit_read_unsurely_stays_before_its_unit():
    """A number of three digits, one of them read unsurely (a 9 at 0.8, as a smudged 9 reads), a
    space before its unit: two sure digits beside it make it a number still. Of two digits, both
    must read surely (see the label test above: an unsure pair may be a word's last letters)."""
    number = row("791", x0=100)
    number[1] = replace(number[1], confidence=0.8)
    kg = row("00", x0=number[-1].box.x2 + 24)
    assert drop_words(number, [d.box for d in kg], 0.9) == number
    pair = [replace(row("41", x0=100)[0], confidence=0.8), row("41", x0=100)[1]]
    assert drop_words(pair, [d.box for d in row("00", x0=pair[-1].box.x2 + 24)], 0.9) == []
