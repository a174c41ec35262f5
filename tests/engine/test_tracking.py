"""PatientTracker on synthetic people: acquisition, continuity, bystanders, gaps and bad input."""

from __future__ import annotations

import numpy as np
import pytest

from rehab_coach.engine.tracking import PatientTracker, TrackerConfig, iou, keypoint_distance
from rehab_coach.keypoints.types import KeyPoints, Person, PoseFrame, missing_keypoints

W, H = 1280, 720
FPS = 30.0

# A standing figure in body units: x relative to the centre line, y from the head (0) to the feet (1).
_FIGURE = np.array(
    [
        [0.00, 0.00],
        [-0.03, -0.02],
        [0.03, -0.02],
        [-0.07, 0.00],
        [0.07, 0.00],  # face
        [-0.15, 0.18],
        [0.15, 0.18],
        [-0.20, 0.35],
        [0.20, 0.35],
        [-0.22, 0.50],
        [0.22, 0.50],  # arms
        [-0.10, 0.52],
        [0.10, 0.52],
        [-0.10, 0.76],
        [0.10, 0.76],
        [-0.10, 1.00],
        [0.10, 1.00],  # legs
    ]
)


def person(cx: float, top: float, height: float, conf: float = 0.9) -> Person:
    """A figure `height` pixels tall whose head is at (cx, top)."""
    xy = _FIGURE * height + np.array([cx, top])
    return Person.from_keypoints(np.column_stack([xy, np.full(17, conf)]))


def frame(i: int, *people: Person) -> PoseFrame:
    return PoseFrame(t=i / FPS, people=list(people), width=W, height=H)


def test_acquires_the_largest_most_central_person() -> None:
    small_edge = person(150, 300, 250)
    big_centre = person(640, 100, 550)
    assert PatientTracker().select(frame(0, small_edge, big_centre)) is big_centre


def test_acquisition_prefers_the_centre_between_equal_sizes() -> None:
    edge, centre = person(200, 150, 450), person(700, 150, 450)
    assert PatientTracker().select(frame(0, edge, centre)) is centre


def test_acquires_without_frame_size() -> None:
    big, small = person(400, 100, 500), person(900, 300, 200)
    assert PatientTracker().select(PoseFrame(t=0.0, people=[small, big])) is big


def test_follows_patient_while_sizes_cross() -> None:
    """The patient walks away (shrinks) while a bystander walks closer (grows past the patient)."""
    tracker = PatientTracker()
    for i in range(90):
        k = i / 89
        patient = person(500 - 100 * k, 100 + 150 * k, 550 - 300 * k)
        bystander = person(950 - 150 * k, 300 - 200 * k, 250 + 350 * k)
        people = (bystander, patient) if i % 2 else (patient, bystander)
        assert tracker.select(frame(i, *people)) is patient, f"frame {i}"


def test_frames_from_arrays_follow_the_same_patient_as_frames_from_people() -> None:
    """Backends hand over a KeyPoints, not Person objects: the tracker picks the same row either way,
    skipping the rows it cannot follow (no box) without losing track of which row is which."""
    by_people, by_arrays = PatientTracker(), PatientTracker()
    ghost = Person.from_keypoints(missing_keypoints())
    for i in range(60):
        k = i / 59
        patient = person(500 - 100 * k, 100 + 150 * k, 550 - 300 * k)
        bystander = person(950 - 150 * k, 300 - 200 * k, 250 + 350 * k)
        people, row = ([ghost, bystander, patient], 2) if i % 2 else ([patient, ghost, bystander], 0)
        arrays = PoseFrame(t=i / FPS, keypoints=KeyPoints.from_people(people), width=W, height=H)
        chosen = by_arrays.select(arrays)
        assert by_people.select(frame(i, *people)) is patient
        assert chosen is not None and chosen is arrays.people[row], f"frame {i}"
        np.testing.assert_array_equal(chosen.keypoints, patient.keypoints)


def test_bystander_larger_for_one_frame_is_ignored() -> None:
    tracker = PatientTracker()
    patient = person(640, 150, 400)
    assert tracker.select(frame(0, patient, person(1100, 300, 200))) is patient
    huge_bystander = person(1000, 0, 700)
    assert tracker.select(frame(1, huge_bystander, patient)) is patient
    assert tracker.select(frame(2, person(1100, 300, 200), patient)) is patient


def test_patient_missing_for_one_frame_is_not_replaced() -> None:
    tracker = PatientTracker()
    patient, bystander = person(640, 150, 400), person(1100, 300, 300)
    assert tracker.select(frame(0, patient, bystander)) is patient
    assert tracker.select(frame(1, bystander)) is None
    assert tracker.select(frame(2, bystander, patient)) is patient


def test_overlapping_bystander_is_not_taken_while_patient_is_hidden() -> None:
    tracker = PatientTracker()
    patient = person(640, 200, 400)
    assert tracker.select(frame(0, patient)) is patient
    # A taller person steps in front: the boxes overlap (IoU > 0.3) but the joints do not line up.
    in_front = person(660, 60, 600)
    assert iou(patient.bbox, in_front.bbox[None])[0] > 0.3
    assert tracker.select(frame(1, in_front)) is None


def test_reacquires_only_after_timeout_and_nearest_to_last_position() -> None:
    tracker = PatientTracker(TrackerConfig(reacquire_after_s=1.0))
    patient = person(300, 150, 400)
    assert tracker.select(frame(0, patient)) is patient
    near, far_big = person(420, 160, 380), person(1000, 50, 600)
    # The patient has left; for just under a second nobody else is taken.
    for i in range(1, 30):
        assert tracker.select(frame(i, far_big, near)) is None, f"frame {i}"
    # At 1 s the nearest person to where the patient was is taken, not the biggest.
    assert tracker.select(frame(30, far_big, near)) is near
    assert tracker.select(frame(31, far_big, near)) is near


def test_patient_leaves_and_reenters_in_place() -> None:
    tracker = PatientTracker()
    patient, bystander = person(640, 150, 400), person(1100, 200, 350)
    assert tracker.select(frame(0, patient, bystander)) is patient
    for i in range(1, 20):  # two thirds of a second out of view
        assert tracker.select(frame(i, bystander)) is None
    back = person(650, 155, 395)
    assert tracker.select(frame(20, bystander, back)) is back


def test_empty_frames() -> None:
    tracker = PatientTracker()
    assert tracker.select(frame(0)) is None
    patient = person(640, 150, 400)
    assert tracker.select(frame(1, patient)) is patient
    assert tracker.select(frame(2)) is None
    assert tracker.last_patient is patient  # an empty frame does not forget the patient
    assert tracker.select(frame(3, patient)) is patient


def test_all_nan_keypoints_do_not_crash() -> None:
    tracker = PatientTracker()
    ghost = Person.from_keypoints(missing_keypoints())  # bbox of zeros: not a candidate
    assert tracker.select(frame(0, ghost)) is None
    patient = person(640, 150, 400)
    assert tracker.select(frame(1, ghost, patient)) is patient
    assert tracker.select(frame(2, ghost)) is None
    # No joints but a real box (as a stream file may hold): matched by box overlap instead.
    boxed = Person(missing_keypoints(), patient.bbox + 5, 0.5)
    assert tracker.select(frame(3, boxed)) is boxed
    nan_box = Person(missing_keypoints(), np.full(4, np.nan), 0.0)
    assert tracker.select(frame(4, nan_box)) is None


def test_partially_seen_patient_is_followed() -> None:
    tracker = PatientTracker()
    patient = person(640, 150, 400)
    assert tracker.select(frame(0, patient)) is patient
    kp = patient.keypoints.copy()
    kp[11:, :2], kp[11:, 2] = np.nan, 0.0  # legs hidden behind furniture
    upper = Person.from_keypoints(kp)
    assert tracker.select(frame(1, upper, person(1100, 200, 400))) is upper


def test_reset_and_time_going_backwards_restart_acquisition() -> None:
    tracker = PatientTracker()
    first, second = person(640, 150, 400), person(300, 100, 600)
    assert tracker.select(frame(10, first)) is first
    assert tracker.select(frame(11, second)) is None
    assert tracker.select(frame(0, second)) is second  # a new video started: acquire afresh
    tracker.reset()
    assert tracker.last_patient is None
    assert tracker.select(frame(1, first)) is first


def test_keypoint_distance_is_scale_free() -> None:
    a = person(640, 150, 400)
    shifted = person(640 + 40, 150, 400)
    big = person(2 * 640 + 80, 300, 800)
    d_small = keypoint_distance(a, KeyPoints.from_people([shifted]))[0]
    d_big = keypoint_distance(person(1280, 300, 800), KeyPoints.from_people([big]))[0]
    assert d_small == pytest.approx(d_big)
    unseen = Person(missing_keypoints(), a.bbox, 0.0)
    assert keypoint_distance(a, KeyPoints.from_people([unseen]))[0] == np.inf


def test_patient_stepping_in_takes_over_from_a_lone_bystander_before_the_first_rep() -> None:
    tracker = PatientTracker()
    bystander = person(1150, 250, 250)  # small, at the edge, alone in view at the start
    for i in range(30):
        assert tracker.select(frame(i, bystander)) is bystander
    patient = person(640, 80, 560)
    picks = [tracker.select(frame(30 + i, bystander, patient)) for i in range(60)]
    assert picks[0] is bystander  # never a jump on the first frame
    assert picks[-1] is patient  # but a clearly better candidate for 1 s takes over
    switch = next(i for i, p in enumerate(picks) if p is patient)
    assert all(p is patient for p in picks[switch:])


def test_no_takeover_once_locked() -> None:
    tracker = PatientTracker()
    small = person(1150, 250, 250)
    tracker.select(frame(0, small))
    tracker.lock()
    big = person(640, 80, 560)
    assert all(tracker.select(frame(1 + i, small, big)) is small for i in range(90))


def _moving(t: float, cx: float) -> PoseFrame:
    return PoseFrame(t=t, people=[person(cx, 100, 500)], width=W, height=H)


def test_a_slow_computer_keeps_the_patient_whose_joints_moved_further_between_frames() -> None:
    # A patient moving 0.6 m/s is seen every 0.25 s (4 fps): about 0.2 bbox diagonals between frames.
    tracker = PatientTracker()
    picked = [tracker.select(_moving(i * 0.25, 400 + 100 * i)) for i in range(6)]
    assert all(p is not None for p in picked)
    assert tracker.allowed_distance(1 / 30) == TrackerConfig().max_keypoint_distance


def test_the_same_jump_within_one_30_fps_frame_is_someone_else() -> None:
    tracker = PatientTracker()
    assert tracker.select(_moving(0.0, 400)) is not None
    assert tracker.select(_moving(1 / 30, 500)) is None  # 0.2 diagonals in 33 ms: not the patient
