"""Keypoint stream files: each person's 3D points or their absence, and boxes around the visible joints."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from rehab_coach.keypoints.stream import KeypointStream, StreamHeader, write_stream
from rehab_coach.keypoints.types import NUM_KEYPOINTS, KeyPoints, Person, PoseFrame, missing_keypoints


def _person(seed: int, world: bool = False) -> Person:
    rng = np.random.default_rng(seed)
    kp = np.column_stack([rng.uniform(0, 640, (NUM_KEYPOINTS, 2)), rng.uniform(0.2, 1.0, NUM_KEYPOINTS)])
    kp[3] = (np.nan, np.nan, 0.0)  # the left ear was not seen
    return Person.from_keypoints(kp, world=rng.normal(size=(NUM_KEYPOINTS, 3)) if world else None)


def test_stream_file_round_trip_keeps_each_persons_3d_or_its_absence(tmp_path: Path) -> None:
    people = [_person(0, world=True), _person(1), _person(2, world=True)]
    frames = [PoseFrame(t=0.0, people=people, width=640, height=480), PoseFrame(t=0.04, width=640, height=480)]
    path = tmp_path / "poses.jsonl"
    write_stream(path, StreamHeader(640, 480, 25.0), frames)
    first, empty = list(KeypointStream(path))
    assert len(empty.keypoints) == 0 and empty.people == []
    read, written = first.keypoints, KeyPoints.from_people(people)
    assert len(read) == 3 and read.world is not None
    np.testing.assert_allclose(read.xy, written.xy, atol=5e-4)  # the file keeps 3 decimals of a pixel
    np.testing.assert_allclose(read.confidence, written.confidence, atol=5e-5)
    np.testing.assert_allclose(read.box, written.box, atol=5e-3)
    np.testing.assert_allclose(read.world, written.world, atol=5e-5)
    assert [p.world is None for p in first.people] == [False, True, False]
    assert np.isnan(read.xy[:, 3]).all() and (read.confidence[:, 3] == 0).all()  # the unseen ear stays unseen


def test_stream_person_without_bbox_gets_the_box_around_its_visible_joints(tmp_path: Path) -> None:
    kp = missing_keypoints()
    kp[[5, 6, 11]] = [(10.0, 20.0, 0.9), (50.0, 25.0, 0.6), (30.0, 90.0, 0.01)]
    rows = [[None if np.isnan(v) else float(v) for v in row] for row in kp]
    path = tmp_path / "old.jsonl"
    header = {"format": "coco17-keypoints", "version": 1, "width": 640, "height": 480, "fps": 25}
    path.write_text(json.dumps(header) + "\n" + json.dumps({"t": 0.0, "people": [{"keypoints": rows}]}) + "\n")
    (frame,) = KeypointStream(path)
    np.testing.assert_array_equal(frame.keypoints.box, [[10.0, 20.0, 50.0, 25.0]])
    np.testing.assert_allclose(frame.keypoints.score, [0.75])
