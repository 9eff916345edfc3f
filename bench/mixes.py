"""Share of digits read right on random mixes of the hard conditions, several at once.

    python -m bench.mixes [--seeds 101 202 303 404 505] [--scenes 40] [--only REGEX] [--all]

bench.conditions takes one difficulty at a time; a real picture brings several together (a red
pen on squared paper, in a dim room, through a phone's JPEG, upside down), and what fails there
may pass in each alone. Each scene here draws one of each: an ink (felt pen, blue ballpoint, fine
liner, pencil, red pen), a paper (plain, ruled, squared in blue or grey, a yellow legal pad), a
light (even, dim, warm, a shadow band, a hand's shadow, vignetting), a camera fault (none, motion
blur, defocus, a JPEG at quality 50-80) and a pose (upright, turned 12-28 degrees, a quarter turn,
upside down), and writes four rows of numbers, with bench.conditions' helpers and its scoring.
Scene k of seed s renders the same on every run. Prints the scenes read worst (under WEAK of their
digits, or more than EXTRA digits beyond the truth; --all: every scene), then the total. --why
reads each scene a second time with the recognizer's keep rules off (bench.conditions.every_mark)
and tells why the digits lost were lost (bench.scoring.why_lost), per ink, paper, light, camera
fault and pose, and in all.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import numpy as np

from bench.conditions import (
    DEFAULT_DATA,
    LEGAL_PAD,
    SHEET,
    WHY_HEADER,
    Look,
    Picture,
    Row,
    every_mark,
    new_sheet,
    shoot,
    tally,
    write_rows,
)
from realtime.config import DEFAULT_MODEL, Config
from realtime.pipeline import Recognizer
from samples.synth import DigitBank, load_digits, rule_paper

INKS = {"felt": ("black", 0.02), "ballpoint": ("blue", 0.035), "fineliner": ("black", 0.045),
        "pencil": ("pencil", 0.03), "red": ("red", 0.035)}  # the pen's colour and stroke width
PAPERS = ("plain", "plain", "ruled", "squared", "legal")
LIGHTS = ("even", "dim", "warm", "shadow", "hand", "vignette")
CAMERAS = ("sharp", "sharp", "motion", "defocus", "jpeg")
POSES = ("upright", "upright", "tilted", "quarter", "upside")
SEEDS = (101, 202, 303, 404, 505)
WEAK = 0.85  # a scene with under this share of its digits read right is listed
EXTRA = 3  # ...as is one with more digits read than this beyond its truth


def scene(rng: np.random.Generator, bank: DigitBank) -> tuple[str, Picture]:
    """One random scene: its name (ink/paper/light/camera/pose) and its picture."""
    ink = str(rng.choice(list(INKS)))
    colour, pen = INKS[ink]
    paper = str(rng.choice(PAPERS))
    sheet = new_sheet(SHEET, bank, rng, ink=colour, pen=pen, tint=LEGAL_PAD if paper == "legal" else None,
                      light=0.3 if paper == "squared" else 0.12)
    if paper in ("ruled", "legal"):
        rule_paper(sheet.page, "ruled", 60, margin=80)
        write_rows(sheet, 4, (38, 50), top=119, pitch=120, left=100, indent=40, slant=(0.006, 0.015), on_rules=True)
    elif paper == "squared":
        rule_paper(sheet.page, "squared", 28, colour=str(rng.choice(["blue", "grey"])))
        write_rows(sheet, 4, (44, 54), top=126, pitch=140, indent=40, slant=(0, 0), on_rules=True)
    else:
        write_rows(sheet, 4, (45, 66), top=50, pitch=135)
    light = str(rng.choice(LIGHTS))
    look: dict = {}  # Look's settings that differ from the plain baseline's
    if light == "dim":
        look.update(exposure=float(rng.uniform(0.3, 0.45)), noise=0.02, vignette=0.2)
    elif light == "warm":
        look.update(exposure=0.95, cast=(float(rng.uniform(0.45, 0.6)), float(rng.uniform(0.78, 0.85)), 1.0))
    elif light == "shadow":
        look.update(band=float(rng.uniform(0.3, 0.5)))
    elif light == "hand":
        look.update(hand=float(rng.uniform(0.3, 0.5)))
    elif light == "vignette":
        look.update(vignette=0.35, ramp=0.15)
    camera = str(rng.choice(CAMERAS))
    if camera == "motion":
        look.update(motion=float(rng.uniform(3, 7)))
    elif camera == "defocus":
        look.update(defocus=float(rng.uniform(1.5, 2.5)))
    elif camera == "jpeg":
        look.update(jpeg=int(rng.integers(50, 80)), noise=0.012)
    pose = str(rng.choice(POSES))
    roll = {"upright": rng.uniform(-4, 4), "tilted": rng.uniform(12, 28) * rng.choice([-1, 1]),
            "quarter": 90 * rng.choice([-1, 1]) + rng.uniform(-8, 8), "upside": 180 + rng.uniform(-5, 5)}[pose]
    scale = 1.0 if pose == "upright" else 0.75  # a turned sheet is held further off, to stay in view
    return f"{ink}/{paper}/{light}/{camera}/{pose}", shoot(sheet, rng, Look(**look), roll=float(roll), scale=scale)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.mixes", description=__doc__.splitlines()[0])
    p.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS), help="scene seeds")
    p.add_argument("--scenes", type=int, default=40, help="scenes per seed")
    p.add_argument("--only", type=re.compile, help="only the scenes whose name matches (e.g. 'red/.*/jpeg')")
    p.add_argument("--all", action="store_true", help="list every scene, not only the weak ones")
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="npz of MNIST test digits")
    p.add_argument("--model", type=Path, default=DEFAULT_MODEL, help="model the recognizer loads")
    p.add_argument("--why", action="store_true", help="tell why the digits lost were lost (twice the time)")
    args = p.parse_args(argv)
    digits, labels = load_digits(str(args.data))
    config = Config(model_path=args.model)
    recognizer, why = Recognizer(config), every_mark(config) if args.why else None
    parts: dict[str, Row] = {}  # per ink, paper, light, camera fault and pose drawn: their scenes pooled
    total, weak = Row("all"), 0
    print(f"{'scene':<52} {'read right':>10} {'extra':>6} {'numbers exact':>14}")
    for seed in args.seeds:
        for k in range(args.scenes):
            rng = np.random.default_rng([seed, k])
            name, picture = scene(rng, DigitBank(digits, labels, rng))
            if args.only and not args.only.search(name):
                continue
            row = Row(name)
            tally(row, picture, recognizer, why)
            total.add(row)
            for part in name.split("/"):
                parts.setdefault(part, Row(part)).add(row)
            is_weak = row.right < WEAK * row.true or row.extra > EXTRA
            weak += is_weak
            if args.all or is_weak:
                print(f"{seed:>4} {k:>3} {name:<43} {row.right:>4}/{row.true:<4} {row.extra:>6} "
                      f"{row.numbers_right:>7}/{row.numbers:<6}", flush=True)
    if not total.pages:
        print("no scene matches")
        return 0
    print(f"{total.pages} scenes, {total.true} digits: {100 * total.right / total.true:.1f}% read right, "
          f"{total.extra} extra, {100 * total.numbers_right / max(1, total.numbers):.1f}% of numbers read exactly; "
          f"{weak} scenes weak (under {WEAK:.0%} read right, or over {EXTRA} extra); {total.sheets_line()}")
    if why is not None:
        print(f"\nwhy digits were lost (share of the true digits)\n{WHY_HEADER}")
        for part in dict.fromkeys([*INKS, *PAPERS, *LIGHTS, *CAMERAS, *POSES]):  # (each once, in their order)
            if part in parts:
                print(parts[part].why_line())
        print(total.why_line())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
