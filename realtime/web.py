"""The web page: draw a digit, drop a photo or a video, or stream the browser's camera.

    python -m realtime.web [--host 127.0.0.1] [--port 8000] [--model PATH] [--max-upload-mb 20]

The server runs the same Recognizer as the command line; the page in web_static/ only draws
and talks to it (HTTP for drawings and uploads, a WebSocket for the live camera).
"""

from __future__ import annotations

import argparse
import base64
import socket
import struct
import sys
import tempfile
import threading
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
from fastapi import FastAPI, HTTPException, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from realtime.capture import IMAGE_SUFFIXES, VideoSource
from realtime.classify import Classifier
from realtime.config import DEFAULT_MODEL, Config
from realtime.errors import SourceError, UserError
from realtime.normalize import normalize_batch
from realtime.overlay import draw
from realtime.pipeline import Recognizer
from realtime.segment import find_regions
from realtime.types import Box, FrameResult

PROG = "paperdigits web"
STATIC = Path(__file__).resolve().parent / "web_static"
VIDEO_SUFFIXES = {".mp4", ".avi", ".mov", ".webm", ".mkv"}
MAX_VIDEO_FRAMES = 300  # a short clip: the request waits for all of it
MAX_PREVIEW = 1600  # longest side of the annotated picture sent back to the page
TIME_HEADER = struct.Struct("<d")  # a live frame: the browser's time in ms, then the JPEG


def _data_url(image: np.ndarray, ext: str = ".jpg") -> str:
    """An image as a data URL the page can show directly."""
    encoded = cv2.imencode(ext, image)[1]
    mime = "image/png" if ext == ".png" else "image/jpeg"
    return f"data:{mime};base64,{base64.b64encode(encoded).decode('ascii')}"


def _preview(frame: np.ndarray, result: FrameResult) -> str:
    """The frame annotated as the CLI would, shrunk for the page."""
    annotated = draw(frame, result)
    scale = MAX_PREVIEW / max(annotated.shape[:2])
    if scale < 1:
        annotated = cv2.resize(annotated, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return _data_url(annotated)


class Engine:
    """The recognizers behind the page's HTTP endpoints, shared by every request.

    A Recognizer keeps tracks and LiteRT's interpreter is not thread-safe, so drawings and photos
    take turns (one lock, they are quick); a video or a live camera gets a Recognizer of its own.
    """

    def __init__(self, model_path: Path = DEFAULT_MODEL, max_video_frames: int = MAX_VIDEO_FRAMES) -> None:
        self.model_path = Path(model_path)
        self.max_video_frames = max_video_frames
        classifier = Classifier(self.model_path)
        self.photo = Recognizer(Config(model_path=self.model_path), classifier)
        # A drawing has no sheet outline and is drawn upright.
        self.drawing = Recognizer(Config(model_path=self.model_path, find_sheet=False, auto_rotate=False), classifier)
        self.lock = threading.Lock()

    def new_recognizer(self) -> Recognizer:
        return Recognizer(Config(model_path=self.model_path))

    def read_drawing(self, image: np.ndarray) -> dict:
        """The reading of a drawing, plus every candidate's class probabilities and 28x28 model input.

        A drawing fills its canvas, while the segmenter expects digits well inside a page (a
        stroke wider than 1/16 of the frame reads as paper), so it is padded with paper first.
        """
        pad = max(image.shape[:2]) // 2
        page = cv2.copyMakeBorder(image, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=(255, 255, 255))
        with self.lock:
            self.drawing.reset()
            result = self.drawing.process(page, source="drawing")
            regions = sorted(find_regions(page, self.drawing.config), key=lambda r: r.box.x)
            batch = normalize_batch([r.ink for r in regions])
            probs = self.drawing.classifier.predict(batch)

        def shift(box: Box) -> Box:
            return replace(box, x=box.x - pad, y=box.y - pad)

        result = replace(result, digits=tuple(replace(d, box=shift(d.box)) for d in result.digits),
                         numbers=tuple(replace(n, box=shift(n.box)) for n in result.numbers))
        candidates = [{"box": shift(r.box).to_list(), "probs": [round(float(p), 4) for p in row],
                       "image": _data_url(np.round(x[:, :, 0] * 255).astype(np.uint8), ".png")}
                      for r, row, x in zip(regions, probs, batch, strict=True)]
        return {**result.to_dict(), "text": " ".join(n.text for n in result.numbers), "candidates": candidates}

    def read_photo(self, image: np.ndarray, name: str) -> dict:
        with self.lock:
            self.photo.reset()
            result = self.photo.process(image, source=name)
        return {"kind": "image", "frames": [result.to_dict()], "numbers": [n.to_dict() for n in result.numbers],
                "digits": len(result.digits), "annotated": _preview(image, result),
                "caption": f"{image.shape[1]}x{image.shape[0]} photo"}

    def read_video(self, path: Path, name: str) -> dict:
        """Up to max_video_frames frames, in order; the last one annotated (its numbers are confirmed).
        A video damaged midway gives what came before the damage, and its caption says so."""
        try:
            video = VideoSource(str(path))
        except SourceError:
            raise HTTPException(400, f"{name} could not be read as a video") from None
        recognizer, frames, longer = self.new_recognizer(), [], False
        try:
            for frame in video.frames():
                if len(frames) == self.max_video_frames:
                    longer = True
                    break
                last = recognizer.process(frame.image, frame.index, frame.time_ms, name)
                frames.append(last.to_dict())
                last_frame = frame.image
        finally:
            video.close()
        more = f", the first {len(frames)} of a longer video" if longer else ""
        if video.cut_short is not None:
            more = f", damaged after frame {video.cut_short} of its {video.total}"
        return {"kind": "video", "frames": frames, "numbers": [n.to_dict() for n in last.numbers],
                "digits": len(last.digits), "annotated": _preview(last_frame, last),
                "caption": f"last of {len(frames)} frames read{more} ({video.fps:.0f} fps)"}


async def _upload(request: Request, limit: int) -> tuple[str, str, bytes]:
    """The one file of a multipart upload (name, MIME type, bytes), refused early when too big."""
    size = request.headers.get("content-length")
    if size is None:
        raise HTTPException(411, "the upload must say its size (Content-Length)")
    if not size.isdigit() or int(size) > limit:
        raise HTTPException(413, f"the file is larger than the limit of {limit / 2**20:g} MB")
    form = await request.form(max_files=1, max_fields=1)
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise HTTPException(400, "no file in the upload (expected a form field named 'file')")
    data = await upload.read()
    if not data:
        raise HTTPException(400, f"{upload.filename} is empty")
    return upload.filename or "upload", upload.content_type or "", data


def _kind(name: str, mime: str) -> str:
    """'image' or 'video' from the file's extension, which its MIME type (if any) must agree with."""
    suffix = Path(name).suffix.lower()
    kind = "image" if suffix in IMAGE_SUFFIXES else "video" if suffix in VIDEO_SUFFIXES else None
    if kind is None:
        known = ", ".join(sorted(IMAGE_SUFFIXES | VIDEO_SUFFIXES))
        raise HTTPException(415, f"{name}: not a supported type; use an image or a video ({known})")
    if mime and mime != "application/octet-stream" and not mime.startswith(f"{kind}/"):
        raise HTTPException(415, f"{name} is sent as {mime}, not as an {kind}")
    return kind


def _decode_image(data: bytes, name: str) -> np.ndarray:
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise HTTPException(400, f"{name} could not be decoded as an image (damaged, or not an image)")
    return image


def create_app(model_path: Path = DEFAULT_MODEL, max_upload_mb: float = 20.0,
               max_video_frames: int = MAX_VIDEO_FRAMES) -> FastAPI:
    """The web app; loads the model now, so a bad model fails before the server starts."""
    engine = Engine(model_path, max_video_frames)
    limit = int(max_upload_mb * 2**20)
    app = FastAPI(title="paperdigits", docs_url=None, redoc_url=None)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    @app.post("/api/draw")
    async def read_drawing(request: Request) -> dict:
        name, mime, data = await _upload(request, limit)
        if _kind(name, mime) != "image":
            raise HTTPException(415, "a drawing is sent as an image")
        return await run_in_threadpool(engine.read_drawing, _decode_image(data, name))

    @app.post("/api/photo")
    async def read_upload(request: Request) -> dict:
        name, mime, data = await _upload(request, limit)
        if _kind(name, mime) == "image":
            return await run_in_threadpool(engine.read_photo, _decode_image(data, name), name)
        with tempfile.TemporaryDirectory(prefix="paperdigits-") as folder:
            path = Path(folder) / f"upload{Path(name).suffix.lower()}"
            path.write_bytes(data)
            return await run_in_threadpool(engine.read_video, path, name)

    @app.websocket("/ws/live")
    async def live(socket_: WebSocket) -> None:
        """Binary messages in (8-byte little-endian float64 time in ms, then a JPEG); one JSON result
        out per frame. The page sends its next frame only when the last one's answer is in."""
        await socket_.accept()
        recognizer = await run_in_threadpool(engine.new_recognizer)
        index = 0
        try:
            while True:
                message = await socket_.receive()
                if message["type"] == "websocket.disconnect":
                    break
                data, frame = message.get("bytes") or b"", None
                if len(data) > TIME_HEADER.size:
                    (time_ms,) = TIME_HEADER.unpack_from(data)
                    frame = cv2.imdecode(np.frombuffer(data, np.uint8, offset=TIME_HEADER.size), cv2.IMREAD_COLOR)
                if frame is None:
                    await socket_.send_json({"error": "a frame is 8 bytes of time (ms) then a JPEG; this one is not"})
                    continue
                result = await run_in_threadpool(recognizer.process, frame, index, time_ms, "camera")
                index += 1
                await socket_.send_json({**result.to_dict(), "width": frame.shape[1], "height": frame.shape[0]})
        except WebSocketDisconnect:
            pass  # the page closed while a frame was being read

    return app


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad flag in one line instead of a usage block."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{PROG}: error: {message} (see --help)\n")


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0-65535)")
    return int(text)


def _megabytes(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text} is not above 0")
    return value


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m realtime.web",
                description="A web page that reads handwritten digits: draw, upload a photo or video, or use a camera.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0 for every interface)")
    p.add_argument("--port", type=_port, default=8000, help="port to listen on (0: any free one)")
    p.add_argument("--model", type=Path, default=DEFAULT_MODEL, help="digit model: .tflite (fast) or .keras")
    p.add_argument("--max-upload-mb", type=_megabytes, default=20.0, help="largest photo or video accepted")
    return p


def _listen(host: str, port: int) -> socket.socket:
    """Bind here rather than in uvicorn, so a port in use is one clear line and port 0 can be reported."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise UserError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    import uvicorn

    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)
    try:
        app = create_app(args.model, args.max_upload_mb)
        sock = _listen(args.host, args.port)
    except UserError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    host, port = sock.getsockname()[:2]
    print(f"paperdigits web page at http://{f'[{host}]' if ':' in host else host}:{port}", flush=True)
    uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])
    return 0


if __name__ == "__main__":
    sys.exit(main())
