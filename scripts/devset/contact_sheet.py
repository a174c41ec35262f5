"""Timestamped contact sheets of a video, for counting reps by eye (never with a pose model).

    python scripts/devset/contact_sheet.py CLIP.mp4 OUT_DIR [--fps 4] [--columns 6] [--rows 5]
        [--start S] [--end S]

Writes OUT_DIR/<clip>_sheet01.png, ... : thumbnails at `--fps` a second, each with its time in
seconds written on it, and prints the clip's frame rate, size, duration and the sheets written.
`--start`/`--end` keep one window of the clip (timing one event by eye: `--fps 15` or more). A file
whose container states no usable frame rate (a variable-rate WebM says 1000) is timed by the
container's own timestamps.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import cv2
import numpy as np

MAX_PLAUSIBLE_FPS = 240.0  # above: the container's rate is a time base, not frames a second


def thumbnails(
    path: Path, fps: float, width: int, start: float = 0.0, end: float = float("inf")
) -> tuple[list[tuple[float, np.ndarray]], float, int, int, float]:
    video = cv2.VideoCapture(str(path))
    if not video.isOpened():
        raise SystemExit(f"{path}: cannot open the video")
    rate = video.get(cv2.CAP_PROP_FPS) or 30.0
    container_times = rate > MAX_PLAUSIBLE_FPS
    w, h = int(video.get(cv2.CAP_PROP_FRAME_WIDTH)), int(video.get(cv2.CAP_PROP_FRAME_HEIGHT))
    picked: list[tuple[float, np.ndarray]] = []
    next_t, index, t = start, 0, 0.0
    while True:
        ok, frame = video.read()
        if not ok:
            break
        t = video.get(cv2.CAP_PROP_POS_MSEC) / 1000.0 if container_times else index / rate
        index += 1
        if t > end:
            break
        if t + 1e-6 < next_t:
            continue
        next_t += 1.0 / fps
        scale = width / frame.shape[1]
        small = cv2.resize(frame, (width, max(1, round(frame.shape[0] * scale))))
        cv2.rectangle(small, (0, 0), (64, 18), (0, 0, 0), -1)
        cv2.putText(small, f"{t:5.2f}s", (2, 14), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (255, 255, 255), 1)
        picked.append((t, small))
    return picked, rate, w, h, t if container_times else index / rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clip", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--fps", type=float, default=4.0)
    parser.add_argument("--columns", type=int, default=6)
    parser.add_argument("--rows", type=int, default=5)
    parser.add_argument("--width", type=int, default=200, help="thumbnail width in pixels")
    parser.add_argument("--start", type=float, default=0.0, help="first second to show")
    parser.add_argument("--end", type=float, default=float("inf"), help="last second to show")
    args = parser.parse_args()
    picked, rate, w, h, seconds = thumbnails(args.clip, args.fps, args.width, args.start, args.end)
    print(f"{args.clip.name}: {rate:.3f} fps, {w}x{h}, {seconds:.2f} s, {len(picked)} thumbnails")
    args.out.mkdir(parents=True, exist_ok=True)
    per_sheet = args.columns * args.rows
    for number, first in enumerate(range(0, len(picked), per_sheet), start=1):
        tiles = [img for _, img in picked[first : first + per_sheet]]
        tile_h = max(t.shape[0] for t in tiles)
        tiles = [cv2.copyMakeBorder(t, 0, tile_h - t.shape[0] + 2, 0, 2, cv2.BORDER_CONSTANT) for t in tiles]
        blank = np.zeros_like(tiles[0])
        tiles += [blank] * (-len(tiles) % args.columns)
        rows = [np.hstack(tiles[i : i + args.columns]) for i in range(0, len(tiles), args.columns)]
        sheet = args.out / f"{args.clip.stem}_sheet{number:02d}.png"
        cv2.imwrite(str(sheet), np.vstack(rows))
        print(f"  {sheet}  ({picked[first][0]:.2f}-{picked[min(first + per_sheet, len(picked)) - 1][0]:.2f} s)")


if __name__ == "__main__":
    main()
