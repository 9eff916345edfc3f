"""bench.mixes draws the same scene for the same seed, with sound truth, and scores its scenes."""

from __future__ import annotations

import numpy as np

from bench import mixes
from bench.scoring import LOST
from samples.synth import DigitBank


def draw(mnist_digits, seed: int, k: int):
    rng = np.random.default_rng([seed, k])
    return mixes.scene(rng, DigitBank(*mnist_digits, rng))


def test_a_scene_is_the_same_for_the_same_seed_and_names_what_it_drew(mnist_digits):
    for k in range(4):
        name, picture = draw(mnist_digits, 101, k)
        again, same = draw(mnist_digits, 101, k)
        assert name == again and np.array_equal(picture.frame, same.frame)
        ink, paper, light, camera, pose = name.split("/")
        assert ink in mixes.INKS and paper in mixes.PAPERS and light in mixes.LIGHTS
        assert camera in mixes.CAMERAS and pose in mixes.POSES
        h, w = picture.frame.shape[:2]
        assert picture.truth
        for t in picture.truth:
            x, y, bw, bh = t.box
            assert 0 <= x < x + bw <= w and 0 <= y < y + bh <= h


def test_the_bench_reads_its_scenes_and_totals_them(capsys):
    assert mixes.main(["--seeds", "101", "--scenes", "2", "--all"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4  # the header, both scenes, the total
    assert lines[-1].startswith("2 scenes, ")
    assert mixes.main(["--seeds", "101", "--scenes", "2", "--only", "no such ink"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "no scene matches"


def test_the_bench_tells_why_digits_were_lost(capsys):
    assert mixes.main(["--seeds", "101", "--scenes", "1", "--all", "--why"]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = lines.index(next(line for line in lines if line.startswith("why digits were lost"))) + 1
    assert all(cause in lines[header] for cause in LOST)
    name = lines[1].split()[2]  # the scene's, as listed: ink/paper/light/camera/pose
    rows = [line.split() for line in lines[header + 1 :]]
    assert [row[0] for row in rows] == [*name.split("/"), "all"]  # each part drawn, then the total
    for row in rows:
        assert int(row[1]) > 0  # the true digits, then the shares lost: in all, and per cause
        lost, *causes = (float(v.rstrip("%")) for v in row[2:])
        assert len(causes) == len(LOST) and abs(lost - sum(causes)) < 0.2
