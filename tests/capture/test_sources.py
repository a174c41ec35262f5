"""The frame sources: a replayed keypoint stream loops, a video file is read to its end."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from odd_videos import write_video
from rehab_coach.capture.sources import SourceSpec, open_source
from rehab_coach.keypoints.types import PoseFrame
from rehab_synth.squat_stream import SquatPlan, squat_frames


def test_replay_source_loops(squat_stream: Callable[..., Path]) -> None:
    path = squat_stream(reps=1, lead_in=0.2, pause=0.1)
    frames = len(squat_frames(SquatPlan(reps=1, lead_in=0.2, pause=0.1)))
    source = open_source(SourceSpec("replay", path, loop=True))
    assert source.fps == 30.0
    items = [source.read() for _ in range(frames + 3)]
    assert all(isinstance(payload, PoseFrame) for _, payload in items)
    assert items[frames][0] == items[0][0]  # the loop starts again; Timeline keeps session time going


def test_video_source_reads_to_the_end(tmp_path: Path) -> None:
    source = open_source(SourceSpec("video", write_video(tmp_path / "five.avi", 5)))
    reads = [source.read() for _ in range(6)]
    assert [r is None for r in reads] == [False] * 5 + [True]
    assert reads[0][1].shape == (48, 64, 3)
