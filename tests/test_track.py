from realtime.track import NumberTracker, Tracker, estimate_shift, misread
from realtime.types import Box, Digit, Number


def digit(x, label=4, conf=0.9):
    return Digit(Box(x, 10, 20, 30), label, conf)


def test_ids_persist_while_boxes_overlap_and_new_digits_get_new_ids():
    tracker = Tracker(min_iou=0.3, max_age_ms=200)
    first = tracker.update([digit(10), digit(100, 2)], 0)
    second = tracker.update([digit(13), digit(300, 7)], 33)
    assert second[0].track_id == first[0].track_id
    assert second[1].track_id not in {d.track_id for d in first}


def test_ids_follow_a_sheet_sliding_faster_than_boxes_overlap():
    """A row of digits 30 px apart slides 21 px a frame: by overlap alone each box would go to
    its neighbour's track or start a new one; moved with the writing, every digit keeps its id."""
    tracker = Tracker(min_iou=0.3)
    ids = None
    for frame in range(6):
        row = [digit(400 + 30 * k - 21 * frame, label=k) for k in range(5)]
        out = tracker.update(row, frame * 33)
        assert ids is None or [d.track_id for d in out] == ids
        assert [d.label for d in out] == list(range(5))
        ids = [d.track_id for d in out]
    assert tracker.shift == (-21.0, 0.0)


def test_digits_missed_for_a_frame_keep_their_ids_as_the_sheet_slides():
    """Most digits of a sliding row go unseen for a frame (motion blur): their tracks move on
    with the writing, so when they are seen again each one is where its track expects it, not
    where it was two frames ago (one digit spacing back, where a neighbour's track would take it)."""
    tracker = Tracker(min_iou=0.3)
    ids = None
    for frame in range(7):
        row = [digit(400 + 40 * k - 20 * frame, label=k) for k in range(5)]
        seen = row if frame != 3 else row[:2]
        out = tracker.update(seen, frame * 33)
        assert [d.label for d in out] == list(range(len(seen)))
        if frame != 3:
            assert ids is None or [d.track_id for d in out] == ids
            ids = [d.track_id for d in out]


def test_shift_is_what_most_boxes_agree_on():
    before = [Box(100 * k, 50, 20, 30) for k in range(4)]
    after = [Box(b.x + 12, b.y - 5, b.w, b.h) for b in before[1:]] + [Box(900, 300, 20, 30)]  # one new
    assert estimate_shift(after, before) == (12.0, -5.0)
    assert estimate_shift(before, before) == (0.0, 0.0)
    assert estimate_shift([Box(0, 0, 20, 30)], before) == (0.0, 0.0)  # one pair proves nothing
    assert estimate_shift([], before) == (0.0, 0.0)


def test_track_survives_a_short_gap_then_expires_by_time_not_frames():
    tracker = Tracker(min_iou=0.3, max_age_ms=100)
    (a,) = tracker.update([digit(10)], 0)
    tracker.update([], 50)
    (b,) = tracker.update([digit(10)], 90)
    assert b.track_id == a.track_id
    tracker.update([], 150)
    (c,) = tracker.update([digit(10)], 300)
    assert c.track_id != a.track_id


def test_one_odd_frame_does_not_flip_a_voted_label():
    tracker = Tracker(window_ms=600)
    labels = []
    for i, label in enumerate([4, 4, 4, 9, 4, 4]):
        (d,) = tracker.update([digit(10, label, 0.8 if label == 4 else 0.95)], i * 33.3)
        labels.append(d.label)
    assert labels == [4, 4, 4, 4, 4, 4]


def test_label_follows_a_lasting_change_within_the_window():
    tracker = Tracker(window_ms=300)
    for i in range(10):
        (d,) = tracker.update([digit(10, 4 if i < 5 else 9)], i * 100.0)
    assert d.label == 9


def number(text, x=10):
    return Number(text, Box(x, 10, 60, 30), (), 0.9, 0)


def test_number_is_confirmed_after_holding_for_the_set_time_at_any_frame_rate():
    for fps in (10, 60):
        tracker = NumberTracker(hold_ms=500)
        states = [tracker.update((number("427"),), i * 1000 / fps)[0].confirmed for i in range(fps)]
        first = states.index(True)
        assert abs(first * 1000 / fps - 500) <= 1000 / fps


def test_a_changed_reading_starts_its_hold_again_while_the_confirmed_one_is_kept():
    """427 confirmed, then read as 421: 427 is still given (held: not this frame's reading) until
    421 has held as long as 427 had to; then 421 is confirmed."""
    tracker = NumberTracker(hold_ms=200)
    for i in range(5):
        tracker.update((number("427"),), i * 100.0)
    shown = [tracker.update((number("421"),), t)[0] for t in (500.0, 600.0, 700.0)]
    assert [(n.text, n.confirmed, n.held) for n in shown] == [
        ("427", True, True), ("427", True, True), ("421", True, False)]


def test_a_confirmed_number_with_a_digit_lost_for_a_frame_keeps_its_reading_and_place():
    tracker = NumberTracker(hold_ms=200)
    for i in range(4):
        tracker.update((Number("5031", Box(10, 10, 80, 30), (), 0.9, 0),), i * 100.0)
    # the 3 lost: 50 and 1 read apart
    (n,) = tracker.update((Number("50", Box(10, 10, 40, 30), (), 0.9, 0),
                           Number("1", Box(80, 10, 10, 30), (), 0.9, 0)), 400.0)
    assert (n.text, n.box, n.held) == ("5031", Box(10, 10, 80, 30), True)
    (n,) = tracker.update((Number("5031", Box(10, 10, 80, 30), (), 0.9, 0),), 500.0)
    assert (n.text, n.confirmed, n.held) == ("5031", True, False)


def test_a_confirmed_reading_is_not_kept_for_another_number():
    tracker = NumberTracker(hold_ms=200)
    for i in range(4):
        tracker.update((number("427"),), i * 100.0)
    (n,) = tracker.update((number("98"),), 400.0)  # not 427 misread: a new number
    assert (n.text, n.confirmed, n.held) == ("98", False, False)
    for late in (1000.0, 1100.0):  # gone for longer than tracks live: nothing to keep
        (n,) = tracker.update((number("4"),), late)
    assert not n.held


def test_what_may_be_a_number_misread():
    assert misread("36", "365") and misread("531", "5031") and misread("1122", "9122")
    assert not misread("460", "46")  # a digit more: shown as read
    assert not misread("1172", "9122") and not misread("98", "365") and not misread("21", "12")


def test_ended_tracks_never_give_their_ids_again():
    tracker = Tracker()
    (a,) = tracker.update([digit(10)], 0)
    tracker.end_all()
    (b,) = tracker.update([digit(10)], 33)
    assert b.track_id != a.track_id
