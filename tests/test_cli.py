"""The command line end to end: a sample video in, JSON and video out; every bad input gives one line."""

import contextlib
import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import ClassVar

import cv2
import numpy as np
import pytest

from realtime import capture
from realtime.cli import main
from realtime.sinks import CsvSink
from realtime.types import Box, FrameResult, Number
from tests.conftest import damaged_video

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "numbers_sheet.mp4"
TRUTH = ROOT / "samples" / "numbers_sheet.truth.jsonl"


def cli(*args, timeout=120):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "realtime", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def one_clean_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_sample_video_gives_json_and_video_matching_the_truth(tmp_path):
    out_json, out_video = tmp_path / "read.jsonl", tmp_path / "read.mp4"
    done = cli(SAMPLE, "--json", out_json, "--output", out_video, "--max-frames", 30)
    assert done.returncode == 0, done.stderr
    assert "30 frames" in done.stdout
    records = [json.loads(line) for line in out_json.read_text().splitlines()]
    truths = [json.loads(line) for line in TRUTH.read_text().splitlines()][:30]
    assert [r["frame"] for r in records] == list(range(30))
    assert set(records[0]) == {"source", "frame", "time_ms", "digits", "numbers", "timings_ms"}
    hits = total = numbers_exact = numbers_total = 0
    for record, truth in zip(records, truths, strict=True):
        read = [(Box(*d["box"]), d["label"]) for d in record["digits"]]
        for t in truth["digits"]:
            total += 1
            hits += any(label == t["label"] and box.iou(Box(*t["box"])) >= 0.5 for box, label in read)
        expected = {}
        for t in truth["digits"]:
            expected.setdefault(t["number"], []).append(str(t["label"]))
        texts = [n["text"] for n in record["numbers"]]
        numbers_total += len(expected)
        numbers_exact += sum("".join(v) in texts for v in expected.values())
    assert hits / total >= 0.9
    assert numbers_exact / numbers_total >= 0.7
    video = cv2.VideoCapture(str(out_video))
    frames = 0
    while video.read()[0]:
        frames += 1
    source = cv2.VideoCapture(str(SAMPLE))
    assert frames == 30
    assert video.get(cv2.CAP_PROP_FRAME_WIDTH) == source.get(cv2.CAP_PROP_FRAME_WIDTH)
    assert video.get(cv2.CAP_PROP_FPS) == pytest.approx(source.get(cv2.CAP_PROP_FPS), abs=0.5)


def test_image_in_annotated_image_out(tmp_path):
    source = cv2.VideoCapture(str(SAMPLE))
    _, frame = source.read()
    cv2.imwrite(str(tmp_path / "page.png"), frame)
    assert main([str(tmp_path / "page.png"), "--output", str(tmp_path / "out.png"), "-q"]) == 0
    out = cv2.imread(str(tmp_path / "out.png"))
    assert out.shape == frame.shape and not np.array_equal(out, frame)


def test_folder_of_images(tmp_path, capsys):
    source = cv2.VideoCapture(str(SAMPLE))
    for i in range(3):
        cv2.imwrite(str(tmp_path / f"p{i}.jpg"), source.read()[1])
    assert main([str(tmp_path), "--json", str(tmp_path / "r.jsonl"), "--output", str(tmp_path / "ann")]) == 0
    assert "3 frames" in capsys.readouterr().out
    assert len((tmp_path / "r.jsonl").read_text().splitlines()) == 3
    assert len(list((tmp_path / "ann").glob("*.png"))) == 3


def test_a_damaged_image_in_a_folder_is_named_and_the_rest_are_read(tmp_path, capsys):
    source = cv2.VideoCapture(str(SAMPLE))
    for name in ("a.jpg", "c.jpg"):
        cv2.imwrite(str(tmp_path / name), source.read()[1])
    (tmp_path / "b.jpg").write_bytes(b"\xff\xd8 cut off in the middle")
    (tmp_path / "0-first.png").write_bytes(b"\x89PNG broken")  # sorts first: the frame size comes from the next
    code = main([str(tmp_path), "--json", str(tmp_path / "r.jsonl"), "--output", str(tmp_path / "ann")])
    captured = capsys.readouterr()
    assert code != 0
    assert "2 frames" in captured.out
    errors = [line for line in captured.err.splitlines() if "paperdigits:" in line]
    assert len(errors) == 2 and "Traceback" not in captured.err
    assert "0-first.png" in errors[0] and "b.jpg" in errors[1]
    records = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text().splitlines()]
    assert [Path(r["source"]).name for r in records] == ["a.jpg", "c.jpg"]
    assert sorted(p.name for p in (tmp_path / "ann").glob("*.png")) == ["a.png", "c.png"]


def test_a_folders_images_are_each_decoded_once(tmp_path, monkeypatch):
    """The first image (which gives the frame size) is handed out as it was read, not decoded again."""
    source = cv2.VideoCapture(str(SAMPLE))
    for name in ("a.png", "b.png"):
        cv2.imwrite(str(tmp_path / name), source.read()[1])
    (tmp_path / "0-damaged.png").write_bytes(b"\x89PNG broken")
    decoded = []
    imread = cv2.imread
    monkeypatch.setattr(capture.cv2, "imread", lambda path, *a: decoded.append(Path(path).name) or imread(path, *a))
    images = capture.open_source(str(tmp_path))
    names = [Path(f.name).name for f in images.frames()]
    assert names == ["a.png", "b.png"] and [p.name for p in images.skipped] == ["0-damaged.png"]
    assert sorted(decoded) == ["0-damaged.png", "a.png", "b.png"]


def write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


BAD_INPUTS = {
    "missing file": lambda t: [t / "missing.mp4"],
    "zero-byte file": lambda t: [write(t / "empty.mp4", b"")],
    "text named .mp4": lambda t: [write(t / "text.mp4", b"not a video, just text\n" * 50)],
    "broken image": lambda t: [write(t / "bad.png", b"\x89PNG broken")],
    "corrupt model": lambda t: [SAMPLE, "--model", write(t / "m.tflite", b"garbage")],
    "missing model": lambda t: [SAMPLE, "--model", t / "none.tflite"],
    "output folder missing": lambda t: [SAMPLE, "--output", t / "no" / "such" / "folder.mp4"],
    "json folder missing": lambda t: [SAMPLE, "--json", t / "no" / "such" / "folder.jsonl"],
    "unknown output type": lambda t: [SAMPLE, "--output", t / "out.xyz"],
    "confidence above 1": lambda t: [SAMPLE, "--min-confidence", "2"],
    "negative max frames": lambda t: [SAMPLE, "--max-frames", "-3"],
    "work size not a number": lambda t: [SAMPLE, "--work-size", "big"],
    "weak ink above strong": lambda t: [SAMPLE, "--ink", "0.1", "--ink-weak", "0.5"],
    "unknown flag": lambda t: [SAMPLE, "--no-such-flag"],
    "camera size not WxH": lambda t: ["0", "--camera-size", "1280"],
}


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_bad_input_gives_one_line_and_nonzero_exit(tmp_path, capsys, case):
    args = [str(a) for a in BAD_INPUTS[case](tmp_path)]
    try:
        code = main(args)
    except SystemExit as exc:  # argparse's own exit for flags
        code = exc.code
    assert code != 0
    line = one_clean_line(capsys.readouterr().err)
    assert line.startswith("paperdigits: error:")


def test_a_truncated_video_gives_one_line_not_ffmpegs_complaints_too(tmp_path):
    """FFmpeg writes straight to the process's stderr (no capsys sees it): run the real command."""
    truncated = write(tmp_path / "cut.mp4", SAMPLE.read_bytes()[:5000])  # its index ("moov atom") is lost
    done = cli(truncated, "--no-display", timeout=60)
    assert done.returncode != 0
    assert "cannot decode video" in one_clean_line(done.stderr)


def test_a_video_damaged_midway_is_named_and_what_came_before_is_kept(tmp_path):
    """A file cut off in the middle still opens, then stops decoding early: the frames before the
    damage are read and written, and the run says it fell short."""
    damaged = damaged_video(tmp_path, frames=12, kept=0.6)
    out, video = tmp_path / "r.jsonl", tmp_path / "r.mp4"
    done = cli(damaged, "--json", out, "--output", video, "--no-display", "-q", timeout=120)
    assert done.returncode != 0
    assert "stopped decoding after" in one_clean_line(done.stderr)
    lines = out.read_text().splitlines()
    assert 0 < len(lines) < 12
    assert int(cv2.VideoCapture(str(video)).get(cv2.CAP_PROP_FRAME_COUNT)) == len(lines)


def test_absent_camera_gives_one_line():
    done = cli("7", "--no-display", timeout=60)
    assert done.returncode != 0
    assert "camera" in one_clean_line(done.stderr)


class FlakyCamera:
    """A camera that delivers a few frames and is then unplugged."""

    frame = cv2.VideoCapture(str(SAMPLE)).read()[1]
    asked: ClassVar[dict[int, float]] = {}  # what the last one opened was asked for, by property

    def __init__(self, index):
        self.left = 4
        FlakyCamera.asked = {}

    def set(self, prop, value):
        self.asked[prop] = value
        return True

    def isOpened(self):
        return True

    def read(self):
        time.sleep(0.01)
        if self.left <= 0:
            return False, None
        self.left -= 1
        return True, self.frame.copy()

    def get(self, prop):
        return 30.0

    def release(self):
        pass


def test_camera_unplugged_mid_stream_keeps_what_was_written(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(capture.cv2, "VideoCapture", FlakyCamera)
    out = tmp_path / "r.jsonl"
    code = main(["0", "--json", str(out), "--no-display", "-q"])
    assert code != 0
    assert "stopped delivering frames" in one_clean_line(capsys.readouterr().err)
    lines = out.read_text().splitlines()
    assert len(lines) >= 1 and all(json.loads(line)["digits"] is not None for line in lines)


@pytest.mark.parametrize(("flag", "asked"), [([], (1280, 720)), (["--camera-size", "1920x1080"], (1920, 1080)),
                                             (["--camera-size", "native"], None)])
def test_a_camera_is_asked_for_hd_frames_unless_told_otherwise(tmp_path, capsys, monkeypatch, flag, asked):
    monkeypatch.setattr(capture.cv2, "VideoCapture", FlakyCamera)
    main(["0", "--no-display", "-q", "--max-frames", "2", *flag])
    size = (FlakyCamera.asked.get(cv2.CAP_PROP_FRAME_WIDTH), FlakyCamera.asked.get(cv2.CAP_PROP_FRAME_HEIGHT))
    assert size == (asked or (None, None))


def test_ctrl_c_leaves_playable_video_and_complete_json(tmp_path):
    out_json, out_video = tmp_path / "r.jsonl", tmp_path / "r.mp4"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "realtime", str(SAMPLE), "--json", str(out_json),
                             "--output", str(out_video), "-q"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 90
    while time.time() < deadline and (not out_json.exists() or len(out_json.read_text().splitlines()) < 3):
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "Traceback" not in err
    lines = out_json.read_text().splitlines()
    assert len(lines) >= 3 and all(json.loads(line) for line in lines)
    video = cv2.VideoCapture(str(out_video))
    frames = 0
    while video.read()[0]:
        frames += 1
    assert frames >= len(lines) - 1


def test_a_ctrl_c_that_python_swallows_still_stops_the_run(tmp_path, monkeypatch):
    """Python ignores an exception raised while it runs a finaliser (a __del__); a Ctrl-C that lands
    there is remembered all the same, and the run still ends as interrupted."""
    from realtime import pipeline

    original = pipeline.Recognizer.process
    calls = []

    def process(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            with contextlib.suppress(KeyboardInterrupt):  # as a finaliser would
                signal.raise_signal(signal.SIGINT)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(pipeline.Recognizer, "process", process)
    out = tmp_path / "r.jsonl"
    before = signal.getsignal(signal.SIGINT)  # Python's own, or "ignore" in a shell's background job
    assert main([str(SAMPLE), "--json", str(out), "--max-frames", "4", "-q"]) == 130
    assert len(out.read_text().splitlines()) == 4
    assert signal.getsignal(signal.SIGINT) is before  # the handler is put back

def test_csv_holds_the_reading_one_row_per_line(tmp_path):
    _, frame = cv2.VideoCapture(str(SAMPLE)).read()
    cv2.imwrite(str(tmp_path / "sheet.png"), frame)
    assert main([str(tmp_path / "sheet.png"), "--csv", str(tmp_path / "r.csv"), "--json",
                 str(tmp_path / "r.jsonl"), "-q"]) == 0
    record = json.loads((tmp_path / "r.jsonl").read_text())
    lines = {}
    for n in record["numbers"]:
        lines.setdefault(n["line"], []).append(n["text"])
    rows = [row.split(",") for row in (tmp_path / "r.csv").read_text().splitlines()]
    assert rows == [[str(tmp_path / "sheet.png"), *lines[k]] for k in sorted(lines)]
    assert len(rows) >= 3


def test_csv_cells_keep_a_numbers_signs_and_commas(tmp_path):
    numbers = tuple(Number(text, Box(10 * k, 0, 8, 8), (), 0.9, 0) for k, text in enumerate(("1,250", "-5", "12.5")))
    sink = CsvSink(tmp_path / "r.csv")
    sink.write(np.zeros((8, 8, 3), np.uint8), FrameResult(0, 0.0, (), numbers, {}, "sheet.png"))
    sink.close()
    with open(tmp_path / "r.csv", newline="", encoding="utf-8") as f:
        assert list(csv.reader(f)) == [["sheet.png", "1,250", "-5", "12.5"]]
