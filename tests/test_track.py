from realtime.track import Tracker
from realtime.types import Box, Digit


def test_ids_persist_while_boxes_overlap_and_new_digits_get_new_ids():
    tracker = Tracker(min_iou=0.3, max_age=2)
    first = tracker.update([Digit(Box(10, 10, 20, 30), 4, 0.9), Digit(Box(100, 10, 20, 30), 2, 0.9)])
    second = tracker.update([Digit(Box(13, 11, 20, 30), 4, 0.9), Digit(Box(300, 10, 20, 30), 7, 0.9)])
    assert second[0].track_id == first[0].track_id
    assert second[1].track_id not in {d.track_id for d in first}


def test_track_survives_a_short_gap_then_expires():
    tracker = Tracker(min_iou=0.3, max_age=1)
    (a,) = tracker.update([Digit(Box(10, 10, 20, 30), 4, 0.9)])
    tracker.update([])
    (b,) = tracker.update([Digit(Box(10, 10, 20, 30), 4, 0.9)])
    assert b.track_id == a.track_id
    tracker.update([])
    tracker.update([])
    (c,) = tracker.update([Digit(Box(10, 10, 20, 30), 4, 0.9)])
    assert c.track_id != a.track_id
