"""`rehab-coach gui` options, checked without opening a window."""

from __future__ import annotations

from pathlib import Path

import pytest

from rehab_coach.cli import build_parser, main
from rehab_coach.commands import gui
from rehab_coach.errors import InputError, TemplateError


def parse(*argv: str):  # type: ignore[no-untyped-def]
    return build_parser().parse_args(["gui", *argv])


def test_sources(tmp_path: Path, lunge_video: Path) -> None:
    assert gui.source_spec(parse()).describe() == "camera 0"
    camera = gui.source_spec(parse("--camera", "2", "--camera-size", "640x480", "--camera-fps", "15"))
    assert (camera.target, camera.camera_size, camera.camera_fps, camera.live) == (2, (640, 480), 15.0, True)
    assert gui.source_spec(parse("--camera", "/dev/video4")).target == "/dev/video4"
    video = gui.source_spec(parse("--video", str(lunge_video), "--loop", "--speed", "0.5"))
    assert (video.kind, video.loop, video.speed) == ("video", True, 0.5)
    stream = tmp_path / "s.jsonl"
    stream.write_text("{}\n")
    assert gui.source_spec(parse("--replay", str(stream))).kind == "replay"


def test_one_source_at_a_time(lunge_video: Path) -> None:
    with pytest.raises(SystemExit):
        parse("--camera", "0", "--video", str(lunge_video))


def test_missing_file_and_unknown_exercise_fail_before_any_window(tmp_path: Path, lunge_video: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        gui.run(parse("--video", str(tmp_path / "nope.mp4")))
    with pytest.raises(TemplateError, match="unknown exercise"):
        gui.run(parse("--video", str(lunge_video), "--exercise", "cartwheel"))
    assert main(["gui", "--video", str(tmp_path / "nope.mp4")]) == InputError.exit_code
    with pytest.raises(InputError, match="is a folder; give a video file"):
        gui.run(parse("--video", str(tmp_path)))
    with pytest.raises(TemplateError, match="is not an exercise id"):
        gui.run(parse("--video", str(lunge_video), "--exercise", "../../x/evil"))


def test_dosage_overrides() -> None:
    assert gui.overrides(parse("--sets", "2", "--reps", "5", "--rest", "0")) == {
        "dosage.sets": 2,
        "dosage.reps": 5,
        "dosage.rest_seconds": 0.0,
    }
    assert gui.overrides(parse()) == {}


def test_bare_command_takes_the_gui_options(tmp_path: Path) -> None:
    assert main(["--video", str(tmp_path / "nope.mp4")]) == InputError.exit_code


def test_db_patient_export_and_kiosk_options(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rehab_coach.session.store import ItemSpec, ProgramSpec, Store

    db = tmp_path / "clinic.db"
    store = Store(db)
    patient = store.add_patient("P-9", "Eve Park")
    item = store.save_program(patient.id, ProgramSpec([ItemSpec("squat", sets=2, reps=4)])).items[0]
    store.close()
    launched = []
    monkeypatch.setattr("rehab_coach.ui.app.run", lambda options: launched.append(options) or 0)

    assert (
        main(["gui", "--db", str(db), "--patient", "P-9", "--exercise", "squat", "--export-json", str(tmp_path)]) == 0
    )
    options = launched[-1]
    assert (options.db_url, options.patient, options.export_dir, options.kiosk) == (str(db), "P-9", tmp_path, False)
    assert options.program_item.id == item.id  # the program's sets, reps and overrides will apply
    assert main(["gui", "--db", str(db), "--patient", "P-404"]) != 0  # an unknown code fails before any window
    # Codes ignore case: the session is recorded under the code as stored, never a new patient "p-9".
    assert main(["gui", "--db", str(db), "--patient", "p-9", "--exercise", "squat"]) == 0
    assert (launched[-1].patient, launched[-1].program_item.id) == ("P-9", item.id)

    # The kiosk's only way out is the PIN: no PIN in the database, no kiosk.
    assert main(["--kiosk", "--db", str(db)]) == InputError.exit_code
    with pytest.raises(InputError, match="set-pin"):
        gui.run(parse("--kiosk", "--db", str(db)))
    Store(db).set_pin("97531")
    assert main(["--kiosk", "--db", str(db), "--idle-timeout", "45", "--hide-names"]) == 0
    options = launched[-1]
    assert (options.kiosk, options.idle_timeout, options.show_names, options.source.describe()) == (
        True,
        45.0,
        False,
        "camera 0",
    )
    with pytest.raises(InputError, match="--kiosk takes no --exercise"):
        gui.run(parse("--kiosk", "--db", str(db), "--exercise", "squat"))


def test_pose_model_options_reach_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    launched = []
    monkeypatch.setattr("rehab_coach.ui.app.run", lambda options: launched.append(options) or 0)
    assert main(["gui", "--backend", "yolo-nas-pose", "--size", "416", "--provider", "cpu", "--threads", "2"]) == 0
    options = launched[-1]
    assert options.backend == "yolo-nas-pose"
    assert options.backend_options == {"input_size": 416, "provider": "cpu", "threads": 2}
