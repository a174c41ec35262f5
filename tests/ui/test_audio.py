"""Sound: the tone is a short WAV, and without audio libraries feedback is silent, never an error."""

from __future__ import annotations

import builtins
import wave
from pathlib import Path

import pytest

from rehab_coach.ui import audio


def test_tone_is_a_short_wav(tmp_path: Path) -> None:
    path = audio.write_tone(tmp_path / "beep.wav", 880.0, seconds=0.1)
    with wave.open(str(path)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate(), wav.getnframes()) == (1, 2, 44100, 4410)


def test_feedback_without_audio_libraries_is_silent(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    real_import = builtins.__import__

    def no_multimedia(name: str, *args: object, **kwargs: object) -> object:
        if name.startswith(("PySide6.QtMultimedia", "PySide6.QtTextToSpeech")):
            raise ImportError(f"{name}: libpulse.so.0: cannot open shared object file")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_multimedia)
    feedback = audio.Feedback("en", enabled=True)
    assert not feedback.has_sound and not feedback.has_speech
    feedback.rep(True)
    feedback.say("Keep your chest up")  # nothing to say it with: skipped, no error
    feedback.set_muted(True)
    assert feedback.describe() == "muted: no sound, no speech"
