"""The web page: its endpoints over HTTP, then the page itself in headless Chromium (draw, photo, live camera)."""

from __future__ import annotations

import base64
import importlib.util
import json
import os
import queue
import re
import struct
import subprocess
import sys
import threading
from pathlib import Path

import cv2
import numpy as np
import pytest
from fastapi.testclient import TestClient

from realtime.types import Box
from realtime.web import create_app
from tests.conftest import damaged_video

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "numbers_sheet.mp4"
TRUTH = ROOT / "samples" / "numbers_sheet.truth.jsonl"
MNIST = ROOT / "tests" / "data" / "mnist_test_500.npz"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]


def png(image: np.ndarray) -> bytes:
    return cv2.imencode(".png", image)[1].tobytes()


def drawing(digits: list[np.ndarray]) -> np.ndarray:
    """MNIST digits drawn dark on a white 640x320 canvas, side by side, as the page's pen would."""
    canvas = np.full((320, 640, 3), 255, np.uint8)
    for i, digit in enumerate(digits):
        big = cv2.resize(digit, (200, 200), interpolation=cv2.INTER_LINEAR)
        x = 320 - 100 * len(digits) + 200 * i
        canvas[60:260, x : x + 200] = np.minimum(canvas[60:260, x : x + 200], 255 - big[:, :, None])
    return canvas


@pytest.fixture(scope="module")
def mnist() -> tuple[np.ndarray, np.ndarray]:
    data = np.load(MNIST)
    return data["x"], data["y"]


@pytest.fixture(scope="module")
def sheet_png(tmp_path_factory) -> Path:
    """The first frame of the sample video, as a photo."""
    ok, frame = cv2.VideoCapture(str(SAMPLE)).read()
    assert ok, f"cannot read {SAMPLE}"
    path = tmp_path_factory.mktemp("photo") / "numbers_sheet.png"
    cv2.imwrite(str(path), frame)
    return path


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(max_upload_mb=2, max_video_frames=5)) as test_client:
        yield test_client


def upload(client: TestClient, url: str, name: str, data: bytes, mime: str):
    return client.post(url, files={"file": (name, data, mime)})


def truth_hits(digits: list[dict]) -> float:
    """Share of the first frame's true digits read with the right label at the right place."""
    truth = json.loads(TRUTH.read_text().splitlines()[0])["digits"]
    read = [(Box(*d["box"]), d["label"]) for d in digits]
    hits = sum(any(label == t["label"] and box.iou(Box(*t["box"])) >= 0.5 for box, label in read) for t in truth)
    return hits / len(truth)


# ---- HTTP


def test_page_and_its_files_are_served(client):
    page = client.get("/")
    assert page.status_code == 200 and 'id="pad"' in page.text
    for name in ("app.js", "style.css"):
        assert client.get(f"/static/{name}").status_code == 200


def test_drawn_digits_read_with_probabilities_and_model_input(client, mnist):
    x, y = mnist
    right = 0
    for i in range(10):
        answer = upload(client, "/api/draw", "drawing.png", png(drawing([x[i]])), "image/png")
        assert answer.status_code == 200, answer.text
        reading = answer.json()
        right += reading["text"] == str(y[i])
        first = reading["candidates"][0]
        assert len(first["probs"]) == 11 and abs(sum(first["probs"]) - 1) < 0.01
        model_input = cv2.imdecode(np.frombuffer(base64.b64decode(first["image"].split(",", 1)[1]), np.uint8), 0)
        assert model_input.shape == (28, 28)
        assert 0 <= first["box"][0] < 640 and 0 <= first["box"][1] < 320  # in the canvas's pixels
    assert right >= 9


def test_drawn_number_reads_as_one_number(client, mnist):
    x, y = mnist
    answer = upload(client, "/api/draw", "drawing.png", png(drawing([x[3], x[4], x[6]])), "image/png")
    reading = answer.json()
    assert reading["text"] == f"{y[3]}{y[4]}{y[6]}"
    assert len(reading["candidates"]) == 3


def test_photo_digits_match_the_truth(client, sheet_png):
    answer = upload(client, "/api/photo", sheet_png.name, sheet_png.read_bytes(), "image/png")
    assert answer.status_code == 200, answer.text
    reading = answer.json()
    assert reading["kind"] == "image" and len(reading["frames"]) == 1
    assert set(reading["frames"][0]) >= {"source", "frame", "time_ms", "digits", "numbers", "timings_ms"}
    assert truth_hits(reading["frames"][0]["digits"]) >= 0.8
    assert reading["digits"] == len(reading["frames"][0]["digits"]) and reading["numbers"]
    assert reading["annotated"].startswith("data:image/jpeg;base64,")


def test_video_upload_reads_its_first_frames(client):
    answer = upload(client, "/api/photo", "clip.mp4", SAMPLE.read_bytes(), "video/mp4")
    assert answer.status_code == 200, answer.text
    reading = answer.json()
    assert reading["kind"] == "video"
    assert [f["frame"] for f in reading["frames"]] == list(range(5))  # max_video_frames
    assert reading["frames"][1]["time_ms"] > 0
    assert reading["digits"] > 0 and "longer video" in reading["caption"]


def test_a_video_damaged_midway_gives_what_came_before_and_says_so(client, tmp_path):
    damaged = damaged_video(tmp_path, frames=12, kept=0.3)
    answer = upload(client, "/api/photo", "cut.avi", damaged.read_bytes(), "video/x-msvideo")
    assert answer.status_code == 200, answer.text
    reading = answer.json()
    assert 0 < len(reading["frames"]) < 5  # fewer than max_video_frames: the damage came first
    assert f"damaged after frame {len(reading['frames'])} of its 12" in reading["caption"]
    assert reading["digits"] > 0

@pytest.mark.parametrize(("name", "data", "mime", "status", "message"), [
    ("big.png", b"\x89PNG" + bytes(3 * 2**20), "image/png", 413, "larger than the limit of 2 MB"),
    ("notes.png", b"just some text, not a picture\n", "image/png", 400, "could not be decoded as an image"),
    ("notes.txt", b"just some text\n", "text/plain", 415, "not a supported type"),
    ("sheet.png", b"\x89PNG", "text/plain", 415, "not as an image"),
    ("clip.mp4", b"not a video at all" * 100, "video/mp4", 400, "could not be read as a video"),
    ("empty.jpg", b"", "image/jpeg", 400, "is empty"),
])
def test_bad_uploads_get_a_clear_4xx_and_the_server_keeps_answering(client, mnist, name, data, mime, status,
                                                                    message):
    answer = upload(client, "/api/photo", name, data, mime)
    assert answer.status_code == status
    assert message in answer.json()["detail"]
    x, y = mnist
    again = upload(client, "/api/draw", "drawing.png", png(drawing([x[0]])), "image/png")
    assert again.status_code == 200 and again.json()["text"] == str(y[0])


def test_upload_without_a_file_field(client):
    answer = client.post("/api/photo", data={"other": "1"})
    assert answer.status_code == 400 and "no file" in answer.json()["detail"]


def test_live_socket_answers_each_frame_and_survives_a_bad_one(client, sheet_png):
    frame = cv2.resize(cv2.imread(str(sheet_png)), (640, 360), interpolation=cv2.INTER_AREA)
    jpeg = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, 70])[1].tobytes()
    with client.websocket_connect("/ws/live") as socket:
        socket.send_bytes(struct.pack("<d", 0.0) + b"garbage")
        assert "then a JPEG" in socket.receive_json()["error"]
        socket.send_text("hello")
        assert "then a JPEG" in socket.receive_json()["error"]
        for i in range(2):
            socket.send_bytes(struct.pack("<d", 40.0 * i) + jpeg)
            result = socket.receive_json()
        assert (result["width"], result["height"]) == (640, 360)
        assert result["frame"] == 1 and result["time_ms"] == 40.0
        assert len(result["digits"]) >= 15 and all(d["track"] is not None for d in result["digits"])


# ---- the command line


def start_server(*args: str, log: Path) -> tuple[subprocess.Popen, str]:
    """`python -m realtime.web --port 0 ...` and the address it prints (bounded wait)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with log.open("w") as stderr:
        server = subprocess.Popen([sys.executable, "-m", "realtime.web", "--port", "0", *args], cwd=ROOT, env=env,
                                  stdout=subprocess.PIPE, stderr=stderr, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(server.stdout.readline()), daemon=True).start()
    try:
        line = lines.get(timeout=90)
    except queue.Empty:
        line = ""
    found = re.fullmatch(r"paperdigits web page at (http://127\.0\.0\.1:\d+)\n", line)
    if not found:
        stop_server(server)
        pytest.fail(f"the server did not print its address: {line!r} {log.read_text()}")
    return server, found.group(1)


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def test_port_in_use_and_bad_flags_give_one_line(tmp_path):
    server, address = start_server(log=tmp_path / "server.log")
    try:
        port = address.rsplit(":", 1)[1]
        for args, words in ((["--port", port], "Address already in use"), (["--port", "http"], "not a port number"),
                            (["--max-upload-mb", "0"], "not above 0"), (["--model", "none.tflite"], "not found")):
            done = subprocess.run([sys.executable, "-m", "realtime.web", *args], cwd=ROOT, capture_output=True,
                                  text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
            lines = done.stderr.strip().splitlines()
            assert done.returncode != 0 and len(lines) == 1 and words in lines[0], done.stderr
    finally:
        stop_server(server)


# ---- the page in a real browser


def _browser_missing() -> str:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "playwright is missing (pip install playwright)"
    return ""


needs_browser = pytest.mark.skipif(bool(_browser_missing()) and not os.environ.get("CI"),
                                   reason=f"browser tests: {_browser_missing()}; they always run when CI is set")


@pytest.fixture(scope="module")
def fake_camera(tmp_path_factory) -> Path:
    """A second of the sample video as Y4M, which Chromium's fake camera plays in a loop."""
    path = tmp_path_factory.mktemp("camera") / "sample.y4m"
    capture = cv2.VideoCapture(str(SAMPLE))
    with path.open("wb") as out:
        out.write(b"YUV4MPEG2 W640 H360 F30:1 Ip A1:1 C420jpeg\n")
        for _ in range(30):
            ok, frame = capture.read()
            assert ok, f"cannot read {SAMPLE}"
            frame = cv2.resize(frame, (640, 360), interpolation=cv2.INTER_AREA)
            out.write(b"FRAME\n" + cv2.cvtColor(frame, cv2.COLOR_BGR2YUV_I420).tobytes())
    capture.release()
    return path


@pytest.fixture(scope="module")
def page(tmp_path_factory, fake_camera):
    """The page, served by `python -m realtime.web`, open in headless Chromium with a fake camera."""
    from playwright.sync_api import sync_playwright

    server, address = start_server(log=tmp_path_factory.mktemp("server") / "server.log")
    try:
        with sync_playwright() as playwright:
            camera = f"--use-file-for-fake-video-capture={fake_camera}"
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, camera])
            tab = browser.new_page(viewport={"width": 1000, "height": 700})
            tab.set_default_timeout(30_000)
            tab.goto(address)
            yield tab
            browser.close()
    finally:
        stop_server(server)


def stroke(page, points: list[tuple[float, float]]) -> None:
    """Draw one stroke through points given as shares of the canvas's width and height."""
    box = page.locator("#pad").bounding_box()
    page.mouse.move(box["x"] + points[0][0] * box["width"], box["y"] + points[0][1] * box["height"])
    page.mouse.down()
    for x, y in points[1:]:
        page.mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"], steps=8)
    page.mouse.up()


@needs_browser
def test_browser_draw_a_seven_then_clear(page):
    page.click("button.tab[data-mode=draw]")
    page.click("#clear")
    stroke(page, [(0.40, 0.2), (0.58, 0.2), (0.47, 0.85)])
    page.wait_for_function("document.getElementById('draw-reading').dataset.text !== ''")
    assert page.locator("#draw-reading").get_attribute("data-text") == "7"
    assert page.locator("#bars .bar").count() == 11
    assert page.locator("#bars .bar.best .label").text_content() == "7"
    assert page.locator("#model-input").get_attribute("src").startswith("data:image/png")
    page.click("#clear")
    assert page.locator("#draw-reading").get_attribute("data-text") == ""
    assert page.locator("#candidates .tile").count() == 0


@needs_browser
def test_browser_photo_upload_shows_digits_and_refuses_a_fake_png(page, sheet_png, tmp_path):
    page.click("button.tab[data-mode=photo]")
    fake = tmp_path / "notes.png"
    fake.write_text("not a picture")
    page.set_input_files("#photo-file", str(fake))
    page.wait_for_function("document.getElementById('photo-error').textContent !== ''")
    assert "could not be decoded as an image" in page.locator("#photo-error").text_content()
    page.set_input_files("#photo-file", str(sheet_png))
    page.wait_for_function("document.getElementById('photo-status').dataset.digits !== ''")
    assert int(page.locator("#photo-status").get_attribute("data-digits")) >= 20
    assert page.locator("#photo-error").text_content() == ""
    assert page.locator("#photo-json").get_attribute("href").startswith("blob:")
    assert page.locator("#photo-image").evaluate("img => img.complete && img.naturalWidth") == 1280


@needs_browser
def test_browser_live_camera_shows_boxes(page):
    page.click("button.tab[data-mode=live]")
    page.click("#live-start")
    page.wait_for_function("Number(document.getElementById('live-overlay').dataset.boxes) >= 10")
    page.wait_for_function("Number(document.getElementById('live-fps').dataset.fps) > 0")
    assert re.fullmatch(r"\d+\.\d fps", page.locator("#live-fps").text_content())
    assert page.locator("#live-error").text_content() == ""
    page.click("#live-stop")
    assert page.locator("#live-overlay").get_attribute("data-boxes") == "0"
