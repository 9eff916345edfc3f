"""Make the sample videos and photos in samples/ with exact ground truth, from MNIST test digits.

    python -m samples.make_samples [--data ../shared/data/mnist.npz] [--out samples] [--only NAME ...]

Each video NAME.mp4 gets NAME.truth.jsonl, one line per frame: {"frame", "digits": [{"box", "label",
"line", "number"}], "numbers": [{"number", "line", "text", "box"}]} with every digit wholly inside
the frame (box x, y, w, h in frame pixels after all warps; line counts the sheet's lines that hold
digits, number the sheet's numbers) and every number all of whose digits are. Each photo NAME.jpg
gets NAME.truth.json, one such record. Words and doodles are never in the truth.
Handwriting is MNIST's test split only (CC BY-SA 3.0). Deterministic: the same seed and data give
the same files (each scene's seed comes from its name, so --only renders it the same way).
Words (never digits) are written in handwriting fonts from Debian packages: apt-get install
fonts-dkg-handwriting fonts-humor-sans fonts-breip fonts-kristi; without them OpenCV's own font is used.
"""

from __future__ import annotations

import argparse
import json
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from samples.synth import (
    DigitBank,
    Sheet,
    Shot,
    TruthDigit,
    defocus,
    film,
    frame_truth,
    hand_shadow,
    homography,
    lay_sheet,
    lighting,
    load_digits,
    motion_blur,
    paper,
    rule_paper,
    sensor,
    surface,
)

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "data" / "mnist.npz"
FPS = 30
RULED = 50  # spacing of ruled paper's lines, sheet px


@dataclass(frozen=True)
class Motion:
    """How the hand-held camera moves over a clip: mean pose, slow swings and tremor."""

    roll: float = 0.0  # degrees the sheet is turned in the frame
    sway: float = 3.0  # slow swing of the roll, degrees
    pitch: float = 0.0  # tilt towards/away (perspective), degrees
    tilt_sway: float = 2.0
    yaw: float = 0.0
    pan: tuple[float, float] = (15.0, 10.0)  # slow pan, world px
    zoom: float = 1.0  # frame px per sheet px
    zoom_sway: float = 0.03  # slow zoom in and out, as a share
    zoom_drift: float = 0.0  # steady zoom over the clip (0.2: ends 20% closer)
    shake: float = 1.5  # hand tremor, px
    speed: float = 1.0  # how fast the slow swings go
    jolt: float = 0.0  # px of a quick sideways jerk (out at 30% of the clip, back at 65%): strong motion blur


@dataclass(frozen=True)
class Look:
    """Light, optics and sensor of a shot."""

    noise: float = 0.006  # sensor noise (share of full scale); mp4v spends many bytes on it
    blur: float = 0.5  # lens softness, Gaussian sigma px
    defocus: float = 0.0  # largest defocus disc radius, px; it comes and goes as focus hunts
    shadow: float = 0.0  # darkness of a hand's shadow over the sheet (0: none)
    vignette: float = 0.25
    ramp: float = 0.12  # a lamp to one side
    exposure: float = 0.5  # shutter open for this share of a frame interval (motion blur)
    jpeg: int = 0  # JPEG quality of a webcam's MJPEG stream or a phone photo (0: none)


@dataclass(frozen=True)
class Scene:
    """One sample: frame size, length (0 s: a still photo), the sheet and how it is written and filmed."""

    size: tuple[int, int]
    seconds: float
    sheet: tuple[int, int]  # sheet size, world px
    write: Callable[[Sheet], None]
    paper: str = "plain"  # plain, ruled (spacing px) or squared
    spacing: int = 0
    ink: str = "black"
    pen: float = 0.03  # stroke thinning, share of digit height (0: MNIST's marker strokes)
    surround: str = "wood"
    motion: Motion = field(default_factory=Motion)
    look: Look = field(default_factory=Look)
    slide: bool = False  # the sheet slides into view, rests, and slides out


# ----------------------------------------------------------------------------- what is written

def random_number(rng: np.random.Generator, n: int) -> str:
    return "".join(str(int(d)) for d in rng.integers(0, 10, n))


def rows(s: Sheet, texts: list[str], left: int, top: int, pitch: int, height: tuple[int, int],
         indent: int = 10) -> None:
    """Write lines of text one under another, each at its own height and a slight slant, as by hand."""
    for i, text in enumerate(texts):
        h = int(s.rng.integers(*height))
        x = left + int(s.rng.integers(0, indent + 1))
        s.write(text, x, top + i * pitch + h, h, slope=float(np.clip(s.rng.normal(0, 0.01), -0.025, 0.025)))


def write_numbers_sheet(s: Sheet) -> None:
    counts = [[3, 4], [2, 2, 2], [5], [4, 3]]
    rows(s, [" ".join(random_number(s.rng, n) for n in line) for line in counts], 150, 90, 140, (45, 70), 40)


def write_big_digits(s: Sheet) -> None:
    rows(s, ["42", "905"], 60, 40, 200, (115, 135), 60)


def write_phone_number(s: Sheet) -> None:
    s.word("Anna", 120, 140, 50)
    rows(s, ["030 4471 982", "0" + random_number(s.rng, 10)], 110, 200, 150, (55, 66))


def write_meter_column(s: Sheet) -> None:
    s.word("Strom", 70, 70, 34)
    start = int(s.rng.integers(10000, 40000))
    readings = np.cumsum([start, *s.rng.integers(60, 400, 6)])
    rows(s, [f"{r:05d}" for r in readings], 70, 95, 64, (43, 49), 8)


def write_dense_sheet(s: Sheet) -> None:
    lines = [" ".join(random_number(s.rng, int(s.rng.integers(2, 5))) for _ in range(int(s.rng.integers(2, 4))))
             for _ in range(9)]
    rows(s, lines, 80, 40, 66, (30, 40), 60)


def write_letters_and_doodles(s: Sheet) -> None:
    texts = ["Shopping list", "Milk eggs bread", "Call Anna at 7", "Room 12 Bus 45", "Hello world ok",
             "todo fix bike", "Love Zoe"]
    rows(s, texts, 70, 30, 88, (40, 50), 30)
    for i, kind in enumerate(["circle", "arrow", "star", "scribble", "smiley", "box", "wave", "underline"]):
        s.doodle(kind, 820 + (i % 2) * 170, 40 + (i // 2) * 160, int(s.rng.integers(70, 110)))


def write_sliding_sheet(s: Sheet) -> None:
    rows(s, ["2048", "315 77", "61"], 60, 40, 110, (55, 66), 40)


def on_rules(s: Sheet, texts: list[str], height: tuple[int, int], left: int = 80) -> None:
    """Numbers sitting on the printed lines, as on a school pad: one line of writing per rule,
    from the third rule down (rule_paper starts at two spacings)."""
    for i, text in enumerate(texts):
        h = int(s.rng.integers(*height))
        s.write(text, left + int(s.rng.integers(0, 20)), (i + 3) * RULED - 3, h, slope=float(s.rng.normal(0, 0.004)))


def write_ruled_paper(s: Sheet) -> None:
    on_rules(s, [" ".join(random_number(s.rng, int(s.rng.integers(2, 5))) for _ in range(2)) for _ in range(7)],
             (36, 41))


def write_squared_paper(s: Sheet) -> None:
    """Sums as a pupil writes them in a squared exercise book (+ and = are not digits)."""
    texts = []
    for _ in range(5):
        a, b = int(s.rng.integers(10, 999)), int(s.rng.integers(10, 999))
        texts.append(f"{a} + {b} = {a + b}")
    rows(s, texts, 75, 45, 120, (48, 56), 0)


def write_blue_pen(s: Sheet) -> None:
    rows(s, ["1984 365", "27 5031", "808 46"], 60, 40, 120, (45, 56), 40)


def write_pencil(s: Sheet) -> None:
    rows(s, ["3172 60", "459 2281", "76 913"], 60, 40, 120, (48, 58), 40)


def write_photo_tilt(s: Sheet) -> None:
    rows(s, [random_number(s.rng, 4) + " " + random_number(s.rng, 3) for _ in range(5)], 90, 60, 110, (50, 62), 40)


def write_photo_shadow(s: Sheet) -> None:
    rows(s, ["12 34 56", "789 1011", "4 8 15 16"], 80, 60, 130, (52, 62), 0)


def write_photo_dense(s: Sheet) -> None:
    lines = [" ".join(random_number(s.rng, int(s.rng.integers(2, 5))) for _ in range(3)) for _ in range(8)]
    rows(s, lines, 70, 40, 80, (36, 46), 40)


def write_photo_pencil(s: Sheet) -> None:
    on_rules(s, ["2718 28", "1414 21", "", "1732 05", "2236 06"], (36, 42))


SCENES: dict[str, Scene] = {
    # Used by tests/test_cli.py: 1280x720, upright-ish, black ink, about 25 digits.
    "numbers_sheet": Scene((1280, 720), 5, (1240, 700), write_numbers_sheet, pen=0.0,
                           motion=Motion(sway=4, tilt_sway=1, pan=(12, 8), zoom=0.95, zoom_sway=0.02, shake=1),
                           look=Look(noise=0.006)),
    "big_digits": Scene((640, 480), 5, (620, 460), write_big_digits, pen=0.0, surround="table",
                        motion=Motion(roll=5, sway=4, zoom=1.0, zoom_sway=0.06, pan=(25, 15), shake=2)),
    "phone_number": Scene((1280, 720), 5, (1100, 620), write_phone_number,
                          motion=Motion(roll=-6, pitch=15, tilt_sway=4, yaw=-5, zoom=1.0, jolt=30),
                          look=Look(shadow=0.45)),
    "meter_column": Scene((640, 480), 5, (420, 560), write_meter_column, surround="wall",
                          motion=Motion(roll=8, pitch=10, pan=(15, 45), zoom=0.85, shake=2),
                          look=Look(noise=0.01, jpeg=75, vignette=0.35)),
    "dense_sheet": Scene((1280, 720), 5, (1200, 680), write_dense_sheet,
                         motion=Motion(sway=2, tilt_sway=2, zoom=1.0, zoom_sway=0.02, shake=1),
                         look=Look(defocus=1.5)),
    "letters_and_doodles": Scene((1280, 720), 5, (1200, 680), write_letters_and_doodles,
                                 motion=Motion(roll=-4, sway=3, pitch=8, zoom=1.0)),
    "sliding_sheet": Scene((640, 480), 6, (520, 380), write_sliding_sheet, surround="cloth", slide=True,
                           motion=Motion(sway=2, zoom=1.0, shake=1.5)),
    "ruled_paper": Scene((640, 480), 5, (620, 460), write_ruled_paper, paper="ruled", spacing=RULED,
                         motion=Motion(roll=10, pitch=18, tilt_sway=3, zoom=1.0)),
    "squared_paper": Scene((1280, 720), 5, (1180, 680), write_squared_paper, paper="squared", spacing=30,
                           motion=Motion(roll=-3, zoom=0.9, zoom_drift=0.25, pan=(20, 10)),
                           look=Look(shadow=0.35)),
    "blue_pen": Scene((640, 480), 5, (580, 430), write_blue_pen, ink="blue", pen=0.04, surround="wall",
                      motion=Motion(roll=-15, sway=4, pan=(45, 25), speed=2.5, zoom=1.0, shake=2.5, jolt=50),
                      look=Look(exposure=0.8)),
    "pencil": Scene((640, 480), 5, (580, 430), write_pencil, ink="pencil", pen=0.03,
                    motion=Motion(roll=4, pitch=-8, zoom=1.0),
                    look=Look(noise=0.01, defocus=2.0, shadow=0.3, ramp=0.2)),
    # Still photos, as a phone takes them: JPEG, sharper and less noisy, held at a slant.
    "photo_tilt": Scene((1280, 960), 0, (1000, 700), write_photo_tilt,
                        motion=Motion(roll=18, pitch=28, yaw=12, zoom=1.0),
                        look=Look(noise=0.008, jpeg=85)),
    "photo_shadow": Scene((1024, 768), 0, (900, 560), write_photo_shadow, paper="squared", spacing=28,
                          ink="blue", surround="table", motion=Motion(roll=-8, pitch=10, zoom=1.0),
                          look=Look(noise=0.01, shadow=0.55, vignette=0.4, jpeg=80)),
    "photo_dense": Scene((1280, 960), 0, (1100, 720), write_photo_dense,
                         motion=Motion(roll=-12, yaw=8, zoom=1.0), look=Look(noise=0.008, defocus=1.5, jpeg=85)),
    "photo_pencil": Scene((1024, 768), 0, (880, 520), write_photo_pencil, paper="ruled", spacing=RULED, ink="pencil",
                          motion=Motion(roll=6, pitch=-12, zoom=1.05), look=Look(noise=0.01, jpeg=85)),
}


# ----------------------------------------------------------------------------- how it is filmed

def write_sheet(scene: Scene, bank: DigitBank, rng: np.random.Generator) -> Sheet:
    """A blank sheet (ruled or squared if asked), then the scene's writing on it."""
    tint = tuple(float(v) for v in rng.uniform(0.96, 1.0, 3))
    page = paper(scene.sheet, rng, tint=tint, light=0.12)
    if scene.paper != "plain":
        rule_paper(page, scene.paper, scene.spacing, "blue" if scene.paper == "ruled" else "grey",
                   margin=55 if scene.paper == "ruled" else None)
    sheet = Sheet(page, bank, rng, ink=scene.ink, pen=scene.pen)
    scene.write(sheet)
    return sheet


def ease(u: float) -> float:
    """0 before u = 0, 1 after u = 1, smoothly between: how a hand starts and stops a move."""
    u = min(max(u, 0.0), 1.0)
    return u * u * (3 - 2 * u)


def shot_at(t: float, scene: Scene, rest: tuple[float, float], phases: np.ndarray) -> Shot:
    """The camera pose at time t: mean pose plus slow swings (sines) and tremor (faster sines)."""
    m, p, v = scene.motion, phases, scene.motion.speed
    tremor = [sum(np.sin(2 * np.pi * f * t + p[6 + k + 3 * axis]) / (k + 1) for k, f in enumerate((1.3, 2.9, 4.7)))
              for axis in range(2)]
    length = max(scene.seconds, 1e-6)
    jerk = m.jolt * (ease((t - 0.3 * length) / 0.25) - ease((t - 0.65 * length) / 0.25))
    return Shot(center=(rest[0] + m.pan[0] * np.sin(0.45 * v * t + p[0]) + m.shake * tremor[0] + jerk,
                        rest[1] + m.pan[1] * np.sin(0.6 * v * t + p[1]) + m.shake * tremor[1]),
                scale=m.zoom * (1 + m.zoom_sway * np.sin(0.35 * v * t + p[2]) + m.zoom_drift * t / length),
                roll=m.roll + m.sway * np.sin(0.7 * v * t + p[3]),
                pitch=m.pitch + m.tilt_sway * np.sin(0.5 * v * t + p[4]),
                yaw=m.yaw + 0.6 * m.tilt_sway * np.sin(0.4 * v * t + p[5]))


def slide_offset(t: float, seconds: float, size: tuple[int, int]) -> tuple[int, int]:
    """Where a sliding sheet lies at time t, relative to its resting place: it comes in from the
    right during the first 30% of the clip, rests, and leaves downwards during the last 30%."""
    a, b = ease(1 - t / (0.3 * seconds)), ease((t - 0.7 * seconds) / (0.3 * seconds))
    return int(1.3 * size[0] * a), int(1.3 * size[1] * b)


def shutter_shift(m0: np.ndarray, m1: np.ndarray, frame: tuple[int, int]) -> tuple[float, float]:
    """How far the frame's centre moved between two camera poses (the motion-blur path)."""
    c = np.float32([[[frame[0] / 2, frame[1] / 2]]])
    moved = cv2.perspectiveTransform(c, m1 @ np.linalg.inv(m0))[0, 0]
    return float(moved[0] - c[0, 0, 0]), float(moved[1] - c[0, 0, 1])


class Camera:
    """Films one scene: the world (surround + sheet), the camera's path, light and sensor."""

    def __init__(self, scene: Scene, sheet: Sheet, rng: np.random.Generator) -> None:
        self.scene, self.sheet, self.rng = scene, sheet, rng
        fw, fh = scene.size
        sw, sh = scene.sheet
        self.margin = (fw // 2, fh // 2)
        self.desk = surface((sw + fw, sh + fh), scene.surround, rng)
        self.world = lay_sheet(self.desk, sheet.page, *self.margin)
        self.rest = (self.margin[0] + sw / 2, self.margin[1] + sh / 2)
        self.phases = rng.uniform(0, 2 * np.pi, 12)
        self.light = lighting(scene.size, rng, scene.look.vignette, scene.look.ramp).astype(np.float32)
        self.hand = (rng.uniform(0.45, 0.7) * fw, rng.uniform(0.45, 0.7) * fh, rng.uniform(-150, -30))

    def frame(self, t: float) -> tuple[np.ndarray, list[TruthDigit]]:
        """The frame at time t and the truth for it."""
        scene, look = self.scene, self.scene.look
        offset, world = (0, 0), self.world
        if scene.slide:  # the sheet moves over the desk, smeared by its own motion while the shutter is open
            offset = slide_offset(t, scene.seconds, scene.size)
            later = slide_offset(t + look.exposure / FPS, scene.seconds, scene.size)
            page = motion_blur(self.sheet.page, later[0] - offset[0], later[1] - offset[1])
            world = lay_sheet(self.desk, page, self.margin[0] + offset[0], self.margin[1] + offset[1])
        m = homography(shot_at(t, scene, self.rest, self.phases), scene.size)
        image = film(world, m, scene.size)
        image *= self._light(t)[..., None]
        if scene.seconds and look.exposure:
            later = homography(shot_at(t + look.exposure / FPS, scene, self.rest, self.phases), scene.size)
            image = motion_blur(image, *shutter_shift(m, later, scene.size))
        radius = look.defocus * (np.sin(1.1 * t + self.phases[2]) ** 2 if scene.seconds else 1.0)
        image = defocus(image, radius)
        if look.blur:
            image = cv2.GaussianBlur(image, (0, 0), look.blur)
        truth = frame_truth(self.sheet.placed, m, scene.size, (self.margin[0] + offset[0],
                                                               self.margin[1] + offset[1]))
        # A still is JPEG-compressed once, when it is saved; a video frame as a webcam's MJPEG stream.
        return sensor(image, self.rng, look.noise, look.jpeg if scene.seconds else 0), truth

    def _light(self, t: float) -> np.ndarray:
        """Uneven light, and a hand's shadow drifting over the sheet."""
        shadow = self.scene.look.shadow
        if not shadow:
            return self.light
        x, y, angle = self.hand
        w, h = self.scene.size
        tip = (x + 0.08 * w * np.sin(0.6 * t), y + 0.06 * h * np.sin(0.45 * t + 1))
        return self.light * (1 - shadow * hand_shadow(self.scene.size, tip, angle + 10 * np.sin(0.3 * t), 0.22 * h))


def record(index: int, truth: list[TruthDigit], sizes: Counter) -> dict:
    """One frame's truth: its digits, and the numbers wholly in view (`sizes`: digits per number)."""
    numbers: dict[int, list[TruthDigit]] = {}
    for d in truth:
        numbers.setdefault(d.number, []).append(d)
    whole = []
    for k, digits in numbers.items():
        if len(digits) == sizes[k]:
            x0, y0 = min(d.box[0] for d in digits), min(d.box[1] for d in digits)
            x1 = max(d.box[0] + d.box[2] for d in digits)
            y1 = max(d.box[1] + d.box[3] for d in digits)
            whole.append({"number": k, "line": digits[0].line, "text": "".join(str(d.label) for d in digits),
                          "box": [x0, y0, x1 - x0, y1 - y0]})
    return {"frame": index,
            "digits": [{"box": list(d.box), "label": d.label, "line": d.line, "number": d.number} for d in truth],
            "numbers": whole}


def dump(rec: dict) -> str:
    return json.dumps(rec, separators=(",", ":"))  # compact: the truth files are a share of samples/ size


def render(name: str, digits: np.ndarray, labels: np.ndarray, out: Path, seed: int) -> Path:
    """Render one scene to out/NAME.mp4 + NAME.truth.jsonl, or out/NAME.jpg + NAME.truth.json for a still."""
    scene = SCENES[name]
    rng = np.random.default_rng([seed, zlib.crc32(name.encode())])
    sheet = write_sheet(scene, DigitBank(digits, labels, rng), rng)
    camera = Camera(scene, sheet, rng)
    sizes = Counter(number for _, _, _, number in sheet.placed)
    if not scene.seconds:
        frame, truth = camera.frame(0.0)
        path = out / f"{name}.jpg"
        cv2.imwrite(str(path), frame, [cv2.IMWRITE_JPEG_QUALITY, scene.look.jpeg or 90])
        (out / f"{name}.truth.json").write_text(dump(record(0, truth, sizes)) + "\n", encoding="utf-8")
        return path
    path = out / f"{name}.mp4"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), FPS, scene.size)
    with open(out / f"{name}.truth.jsonl", "w", encoding="utf-8") as truth_file:
        for i in range(int(scene.seconds * FPS)):
            frame, truth = camera.frame(i / FPS)
            writer.write(frame)
            truth_file.write(dump(record(i, truth, sizes)) + "\n")
    writer.release()
    return path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m samples.make_samples", description=__doc__.splitlines()[0])
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="npz of MNIST (its x_test/y_test are used)")
    p.add_argument("--out", type=Path, default=HERE)
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--only", nargs="+", choices=list(SCENES), metavar="NAME", help="render only these scenes")
    args = p.parse_args(argv)
    if not args.data.is_file():
        p.error(f"no MNIST at {args.data} (give --data)")
    digits, labels = load_digits(str(args.data))
    cv2.setNumThreads(1)  # modest: the samples are made beside other work
    for name in args.only or SCENES:
        print(render(name, digits, labels, args.out, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
