"""Speed, as ratios measured in one run over the same sample videos (this machine is shared and noisy).

    python -m bench.throughput [VIDEO ...] [--frames 150] [--naive-frames 10]

Prints: decode-only fps; the full pipeline's fps (decode + read); the naive loop most webcam
digit demos use (Keras `model.predict` once per region) on the same regions; the ratios between
them; ms per stage; p50/p95 frame latency; peak memory.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

import cv2
import numpy as np

from realtime.config import Config
from realtime.normalize import normalize_batch
from realtime.pipeline import Recognizer
from realtime.segment import find_regions

ROOT = Path(__file__).resolve().parent.parent


def decode(path: Path, limit: int) -> list[np.ndarray]:
    cap = cv2.VideoCapture(str(path))
    frames = []
    while len(frames) < limit:
        ok, frame = cap.read()
        if not ok:
            break
        frames.append(frame)
    cap.release()
    return frames


def time_decode(path: Path, limit: int) -> tuple[int, float]:
    start = time.perf_counter()
    count = len(decode(path, limit))
    return count, time.perf_counter() - start


def time_pipeline(path: Path, limit: int) -> tuple[list[float], dict[str, list[float]], int]:
    """Per-frame latency (decode excluded) and per-stage ms; frames include their decode in the total."""
    recognizer = Recognizer()
    cap = cv2.VideoCapture(str(path))
    latencies, stages, digits = [], {}, 0
    while len(latencies) < limit:
        ok, frame = cap.read()
        if not ok:
            break
        start = time.perf_counter()
        result = recognizer.process(frame, len(latencies))
        latencies.append((time.perf_counter() - start) * 1000)
        digits += len(result.digits)
        for stage, ms in result.timings.items():
            stages.setdefault(stage, []).append(ms)
    cap.release()
    return latencies, stages, digits


def time_naive(frames: list[np.ndarray], model_path: Path) -> float:
    """Seconds per frame when each region is classified by its own Keras model.predict call."""
    import keras

    model = keras.models.load_model(model_path, compile=False)
    model.predict(np.zeros((1, 28, 28, 1), np.float32), verbose=0)  # warm-up
    cfg = Config()
    start = time.perf_counter()
    for frame in frames:
        regions = find_regions(frame, cfg)
        for image in normalize_batch([r.ink for r in regions]):
            model.predict(image[None], verbose=0)
    return (time.perf_counter() - start) / max(len(frames), 1)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.throughput", description=__doc__.splitlines()[0])
    p.add_argument("videos", nargs="*", type=Path, help="videos to time (default: the 720p samples)")
    p.add_argument("--frames", type=int, default=150, help="frames per video for decode and pipeline")
    p.add_argument("--naive-frames", type=int, default=10, help="frames per video for the naive loop (slow; 0: none)")
    p.add_argument("--keras-model", type=Path, default=ROOT / "models" / "digits.keras")
    args = p.parse_args(argv)
    videos = args.videos or sorted(v for v in (ROOT / "samples").glob("*.mp4")
                                   if cv2.VideoCapture(str(v)).get(cv2.CAP_PROP_FRAME_HEIGHT) >= 720)
    if not videos:
        print("bench.throughput: no videos to time")
        return 2
    for video in videos:
        n_dec, t_dec = time_decode(video, args.frames)
        latencies, stages, digits = time_pipeline(video, args.frames)
        pipeline_s = t_dec / n_dec + np.mean(latencies) / 1000  # decode + read, per frame
        decode_fps, pipeline_fps = n_dec / t_dec, 1 / pipeline_s
        h = int(cv2.VideoCapture(str(video)).get(cv2.CAP_PROP_FRAME_HEIGHT))
        print(f"{video.name} ({h}p, {n_dec} frames, {digits / len(latencies):.1f} digits per frame)")
        print(f"  decode only      {decode_fps:8.1f} fps")
        print(f"  full pipeline    {pipeline_fps:8.1f} fps   = {pipeline_fps / decode_fps:6.1%} of decode-only")
        if args.naive_frames > 0:  # (0: not timed, and TensorFlow not loaded)
            naive_fps = 1 / (time_naive(decode(video, args.naive_frames), args.keras_model) + t_dec / n_dec)
            print(f"  naive loop       {naive_fps:8.2f} fps   pipeline is {pipeline_fps / naive_fps:6.1f}x faster")
        p50, p95 = np.percentile(latencies, [50, 95])
        print(f"  frame latency    p50 {p50:.1f} ms, p95 {p95:.1f} ms")
        print("  ms per stage     " + ", ".join(f"{k} {np.mean(v):.1f}" for k, v in stages.items()))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with_tf = " (includes TensorFlow, loaded for the naive loop)" if args.naive_frames > 0 else ""
    print(f"peak memory {peak:.0f} MB{with_tf}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
