"""How a frame is looked at: one homography onto an upright, straight-on view of the page.

The sheet's perspective, a slant of the writing and a quarter turn of the page all compose into
this one map, so the frame is warped once and every box read in the view maps back to the frame
the same way, whatever was undone.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

import cv2
import numpy as np

from realtime.types import Box, Region


@dataclass(frozen=True)
class View:
    to_view: np.ndarray  # 3 x 3 homography, frame pixels -> view pixels
    size: tuple[int, int]  # width, height of the view

    @classmethod
    def of_frame(cls, frame: np.ndarray) -> View:
        """The frame as it is."""
        return cls(np.eye(3), (frame.shape[1], frame.shape[0]))

    @cached_property
    def is_identity(self) -> bool:
        return bool(np.allclose(self.to_view, np.eye(3)))

    @cached_property
    def to_frame(self) -> np.ndarray:
        """The inverse map, view pixels -> frame pixels (worked out once: every box goes back)."""
        return np.linalg.inv(self.to_view)

    def _then(self, m: np.ndarray, size: tuple[int, int]) -> View:
        return View(m @ self.to_view, size)

    def rotated(self, degrees: float) -> View:
        """Turned counter-clockwise by `degrees` about its centre, on a canvas that keeps all of it."""
        if abs(degrees) < 1e-6:
            return self
        w, h = self.size
        m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
        cos, sin = abs(m[0, 0]), abs(m[0, 1])
        new_w, new_h = round(w * cos + h * sin), round(w * sin + h * cos)
        m[0, 2] += (new_w - w) / 2
        m[1, 2] += (new_h - h) / 2
        return self._then(np.vstack([m, [0, 0, 1]]), (new_w, new_h))

    def turned(self, quarter_turns: int) -> View:
        """Turned counter-clockwise by quarter turns, as numpy's rot90 turns an image."""
        view = self
        for _ in range(quarter_turns % 4):
            w, h = view.size
            view = view._then(np.array([[0.0, 1, 0], [-1, 0, w - 1], [0, 0, 1]]), (h, w))
        return view

    def apply(self, frame: np.ndarray) -> np.ndarray:
        """The frame as this view sees it."""
        if self.is_identity:
            return frame
        # Outside the frame is black: never ink or paper (find_regions is told where, see outside).
        return cv2.warpPerspective(frame, self.to_view, self.size, flags=cv2.INTER_LINEAR,
                                   borderMode=cv2.BORDER_CONSTANT, borderValue=0)

    def outside(self, frame: np.ndarray) -> np.ndarray | None:
        """Where the view looks past the frame's edge, wholly or in part (the black apply blends
        in: the corners of a view turned a few degrees); None where it sees only the frame."""
        if self.is_identity:
            return None
        return _outside(self.to_view.tobytes(), self.size, frame.shape[:2])

    def ink_box_to_frame(self, region: Region) -> Box:
        """The frame box tight around a region's ink (its box in this view, with its ink patch)."""
        ys, xs = np.nonzero(region.ink)
        if xs.size == 0 or self.is_identity:
            return self.box_to_frame(region.box)
        step = max(1, xs.size // 400)  # a few hundred ink pixels outline a digit well enough
        sx = region.box.w / region.ink.shape[1]
        sy = region.box.h / region.ink.shape[0]
        pts = np.stack([region.box.x + (xs[::step] + 0.5) * sx, region.box.y + (ys[::step] + 0.5) * sy], axis=1)
        back = cv2.perspectiveTransform(pts[None].astype(np.float32), self.to_frame)[0]
        lo = np.floor(back.min(axis=0)).astype(int)
        hi = np.ceil(back.max(axis=0)).astype(int)
        return Box(int(lo[0]), int(lo[1]), int(hi[0] - lo[0]), int(hi[1] - lo[1]))

    def box_to_frame(self, box: Box) -> Box:
        """The frame box that holds a box of the view (its corner pixels mapped back)."""
        if self.is_identity:
            return box
        x1, y1 = box.x2 - 1, box.y2 - 1
        pts = np.float32([[box.x, box.y], [x1, box.y], [x1, y1], [box.x, y1]])[None]
        back = cv2.perspectiveTransform(pts, self.to_frame)[0]
        lo = np.floor(back.min(axis=0) + 1e-3).astype(int)
        hi = np.ceil(back.max(axis=0) - 1e-3).astype(int) + 1
        return Box(int(lo[0]), int(lo[1]), int(hi[0] - lo[0]), int(hi[1] - lo[1]))


@lru_cache(maxsize=4)
def _outside(to_view: bytes, size: tuple[int, int], frame_hw: tuple[int, ...]) -> np.ndarray | None:
    """View.outside, worked out once for a video's frames while the view holds (read-only)."""
    m = np.frombuffer(to_view, np.float64).reshape(3, 3)
    h, w = frame_hw[:2]
    vw, vh = size
    corners = np.float32([[0, 0], [vw - 1, 0], [vw - 1, vh - 1], [0, vh - 1]])[None]
    seen = cv2.perspectiveTransform(corners, np.linalg.inv(m))[0]
    if (seen >= 0).all() and (seen[:, 0] <= w - 1).all() and (seen[:, 1] <= h - 1).all():
        return None  # its corners are in the frame, and so is all between them
    inside = cv2.warpPerspective(np.full((h, w), 255, np.uint8), m, size, flags=cv2.INTER_LINEAR,
                                 borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    outside = inside < 255
    outside.flags.writeable = False
    return outside
