"""KeyPoints, the batched keypoint type: shapes, indexing, conversions and the missing-joint invariants."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from rehab_coach.keypoints.types import NUM_KEYPOINTS, KeyPoints, Person, PoseFrame, boxes_around, missing_keypoints


def _person(seed: int, world: bool = False) -> Person:
    rng = np.random.default_rng(seed)
    kp = np.column_stack([rng.uniform(0, 640, (NUM_KEYPOINTS, 2)), rng.uniform(0.2, 1.0, NUM_KEYPOINTS)])
    kp[3] = (np.nan, np.nan, 0.0)  # the left ear was not seen
    return Person.from_keypoints(kp, world=rng.normal(size=(NUM_KEYPOINTS, 3)) if world else None)


def _three() -> KeyPoints:
    return KeyPoints.from_people([_person(0), _person(1), _person(2)])


def test_from_people_and_back_is_lossless() -> None:
    people = [_person(0, world=True), _person(1), _person(2, world=True)]
    batch = KeyPoints.from_people(people)
    assert len(batch) == 3
    assert batch.xy.shape == (3, NUM_KEYPOINTS, 2) and batch.confidence.shape == (3, NUM_KEYPOINTS)
    assert batch.box.shape == (3, 4) and batch.score.shape == (3,)
    assert batch.world is not None and batch.world.shape == (3, NUM_KEYPOINTS, 3)
    assert np.isnan(batch.world[1]).all()  # the person without 3D among people with it
    for before, after in zip(people, batch.people(), strict=True):
        np.testing.assert_array_equal(after.keypoints, before.keypoints)
        np.testing.assert_array_equal(after.bbox, before.bbox)
        assert after.score == before.score
        if before.world is None:
            assert after.world is None
        else:
            np.testing.assert_array_equal(after.world, before.world)
    assert KeyPoints.from_people(batch.people()) == batch


def test_int_index_gives_a_person_and_counts_back_from_the_end() -> None:
    batch = _three()
    person = batch[1]
    assert isinstance(person, Person)
    np.testing.assert_array_equal(person.xy, batch.xy[1])
    np.testing.assert_array_equal(person.confidence, batch.confidence[1])
    np.testing.assert_array_equal(batch[-1].bbox, batch.box[2])
    assert batch[np.int64(0)].score == batch.score[0]
    with pytest.raises(IndexError):
        batch[3]
    assert [p.score for p in batch] == list(batch.score)


def test_slices_masks_and_index_arrays_give_keypoints() -> None:
    batch = _three()
    for index, rows in (
        (slice(1, None), [1, 2]),
        (np.array([True, False, True]), [0, 2]),
        ([2, 0], [2, 0]),
        (np.array([1]), [1]),
        ([], []),
    ):
        picked = batch[index]
        assert isinstance(picked, KeyPoints) and len(picked) == len(rows)
        np.testing.assert_array_equal(picked.xy, batch.xy[rows])
        np.testing.assert_array_equal(picked.score, batch.score[rows])
    with pytest.raises(IndexError):
        batch[np.array([True, False])]  # a mask must cover everyone
    with pytest.raises(TypeError, match="boolean mask or integer indices"):
        batch[np.array([0.5])]


def test_world_follows_the_rows_it_belongs_to() -> None:
    batch = KeyPoints.from_people([_person(0, world=True), _person(1, world=True)])
    assert batch.world is not None
    picked = batch[[1]]
    assert picked.world is not None
    np.testing.assert_array_equal(picked.world[0], batch.world[1])
    assert _three()[[0, 1]].world is None


def test_a_joint_without_a_position_has_zero_confidence_and_no_3d() -> None:
    xy = np.zeros((1, NUM_KEYPOINTS, 2))
    xy[0, 5] = np.nan
    confidence = np.full((1, NUM_KEYPOINTS), 0.9)
    confidence[0, 6] = np.nan  # a backend's NaN confidence means not seen
    confidence[0, 7] = 0.0
    world = np.ones((1, NUM_KEYPOINTS, 3))
    batch = KeyPoints(xy, confidence, np.array([[0.0, 0.0, 10.0, 10.0]]), np.array([0.9]), world)
    assert batch.confidence[0, 5] == 0.0 and batch.confidence[0, 6] == 0.0
    assert batch.world is not None
    assert np.isnan(batch.world[0, [5, 6, 7]]).all() and np.isfinite(batch.world[0, 8]).all()
    assert confidence[0, 5] == 0.9 and world[0, 5, 0] == 1.0  # the caller's arrays are left alone


def test_empty() -> None:
    nobody = KeyPoints.empty()
    assert len(nobody) == 0 and nobody.xy.shape == (0, NUM_KEYPOINTS, 2) and nobody.world is None
    assert nobody.people() == [] and list(nobody) == []
    assert KeyPoints.from_people([]) == nobody
    assert KeyPoints.empty(with_world=True).world is not None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"xy": np.zeros((2, 17))}, r"xy must have shape \(n, 17, 2\), got \(2, 17\)"),
        ({"xy": np.zeros((2, 16, 2))}, r"xy must have shape \(n, 17, 2\), got \(2, 16, 2\)"),
        ({"confidence": np.zeros((2, 16))}, r"confidence must have shape \(n, 17\), here \(2, 17\).*got \(2, 16\)"),
        ({"box": np.zeros((3, 4))}, r"box must have shape \(n, 4\), here \(2, 4\) for the 2 people.*got \(3, 4\)"),
        ({"score": np.zeros((2, 1))}, r"score must have shape \(n,\), here \(2,\).*got \(2, 1\)"),
        ({"world": np.zeros((2, 17, 2))}, r"world must have shape \(n, 17, 3\).*got \(2, 17, 2\)"),
    ],
)
def test_bad_shapes_are_refused_with_the_field_and_both_shapes(changes: dict, message: str) -> None:
    fields = {
        "xy": np.zeros((2, NUM_KEYPOINTS, 2)),
        "confidence": np.zeros((2, NUM_KEYPOINTS)),
        "box": np.zeros((2, 4)),
        "score": np.zeros(2),
    }
    with pytest.raises(ValueError, match=message):
        KeyPoints(**{**fields, **changes})


def test_from_xyc_refuses_other_layouts() -> None:
    with pytest.raises(ValueError, match=r"\(n, 17, 3\)"):
        KeyPoints.from_xyc(np.zeros((1, NUM_KEYPOINTS, 2)), np.zeros((1, 4)), np.zeros(1))


def test_equality_compares_values_with_nan_as_equal() -> None:
    batch = _three()
    assert batch == KeyPoints.from_xyc(batch.xyc, batch.box, batch.score)
    assert batch != batch[:2]
    assert batch != replace(batch, score=batch.score + 1e-9)


def test_boxes_around_visible_joints() -> None:
    kp = missing_keypoints()
    kp[[5, 6, 11]] = [(10.0, 20.0, 0.9), (50.0, 25.0, 0.6), (30.0, 90.0, 0.01)]  # the hip is below min_conf
    boxes, scores = boxes_around(np.stack([kp[:, :2], kp[:, :2]]), np.stack([kp[:, 2], np.zeros(NUM_KEYPOINTS)]))
    np.testing.assert_array_equal(boxes, [[10.0, 20.0, 50.0, 25.0], [0.0, 0.0, 0.0, 0.0]])
    np.testing.assert_allclose(scores, [0.75, 0.0])


def test_pose_frame_holds_keypoints_and_people_are_their_view() -> None:
    people = [_person(0), _person(1)]
    frame = PoseFrame(t=0.5, people=people, width=640, height=480)
    assert frame.keypoints == KeyPoints.from_people(people)
    assert frame.people[1] is people[1]  # built from people: the same objects come back
    from_arrays = PoseFrame(t=0.5, keypoints=frame.keypoints, width=640, height=480)
    assert [p.score for p in from_arrays.people] == [p.score for p in people]
    assert from_arrays.people is from_arrays.people  # built once
    assert len(PoseFrame(t=0.0).keypoints) == 0 and PoseFrame(t=0.0).people == []
    moved = replace(frame, t=1.0)
    assert moved.t == 1.0 and moved.keypoints == frame.keypoints
    with pytest.raises(ValueError, match="people or keypoints, not both"):
        PoseFrame(t=0.0, people=people, keypoints=frame.keypoints)
