"""A short sound per rep and spoken cues, each skipped silently when the system lacks it.

QtMultimedia and QtTextToSpeech load system libraries (PulseAudio, speech-dispatcher)
that a kiosk or a CI machine may not have: importing them can fail, and so can creating
an engine. The app must coach just the same, only without sound.
"""

from __future__ import annotations

import logging
import wave
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QUrl

from rehab_coach.paths import cache_dir

log = logging.getLogger(__name__)

RATE = 44100


def write_tone(path: Path, frequency: float, seconds: float = 0.12, volume: float = 0.5) -> Path:
    """A sine beep with 10 ms fades (no clicks), 16-bit mono WAV."""
    t = np.arange(int(RATE * seconds)) / RATE
    envelope = np.minimum(1.0, np.minimum(t, t[::-1]) / 0.01)
    samples = (volume * 32767 * envelope * np.sin(2 * np.pi * frequency * t)).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(samples.tobytes())
    return path


def _tone_file(name: str, frequency: float) -> Path:
    path = cache_dir() / f"{name}.wav"
    return path if path.is_file() else write_tone(path, frequency)


def _sound_effect(path: Path, parent: QObject) -> Any | None:
    try:
        from PySide6.QtMultimedia import QSoundEffect
    except ImportError as exc:
        log.info("no rep sound: QtMultimedia unavailable (%s)", exc)
        return None
    effect = QSoundEffect(parent)
    effect.setSource(QUrl.fromLocalFile(str(path)))
    effect.setVolume(0.7)
    return effect


def _speech(language: str, parent: QObject) -> Any | None:
    try:
        from PySide6.QtCore import QLocale
        from PySide6.QtTextToSpeech import QTextToSpeech
    except ImportError as exc:
        log.info("no spoken cues: QtTextToSpeech unavailable (%s)", exc)
        return None
    # A listed engine may still fail to load (speechd without its library); "mock" is Qt's test engine.
    for engine in (e for e in QTextToSpeech.availableEngines() if e != "mock"):
        tts = QTextToSpeech(engine, parent)
        if tts.state() != QTextToSpeech.State.Error:
            if language == "zh":
                tts.setLocale(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
            return tts
        log.info("speech engine %s unusable: %s", engine, tts.errorString())
        tts.deleteLater()
    log.info("no spoken cues: no working speech engine")
    return None


class Feedback(QObject):
    """Rep sounds and spoken cues, with one mute switch."""

    def __init__(self, language: str = "en", enabled: bool = True, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.muted = False
        self._good = self._partial = self._tts = None
        if not enabled:
            return
        try:
            self._good = _sound_effect(_tone_file("rep-complete", 880.0), self)
            self._partial = _sound_effect(_tone_file("rep-partial", 440.0), self) if self._good else None
            self._tts = _speech(language, self)
        except Exception:  # a broken audio stack must never stop the session
            log.warning("audio disabled", exc_info=True)
            self._good = self._partial = self._tts = None

    @property
    def has_sound(self) -> bool:
        return self._good is not None

    @property
    def has_speech(self) -> bool:
        return self._tts is not None

    def rep(self, complete: bool) -> None:
        effect = self._good if complete else self._partial
        if effect is not None and not self.muted:
            effect.play()

    def say(self, text: str) -> None:
        if self._tts is not None and not self.muted:
            self._tts.stop()  # the newest cue matters; an old one half-spoken only confuses
            self._tts.say(text)

    def set_language(self, language: str) -> None:
        """Speak another language (the kiosk's language toggle)."""
        if self._tts is not None:
            from PySide6.QtCore import QLocale

            locale = (
                QLocale(QLocale.Language.Chinese, QLocale.Country.China)
                if language == "zh"
                else QLocale(QLocale.Language.English)
            )
            self._tts.setLocale(locale)

    def set_muted(self, muted: bool) -> None:
        self.muted = muted
        if muted and self._tts is not None:
            self._tts.stop()

    def describe(self) -> str:
        parts = ["sound" if self.has_sound else "no sound", "speech" if self.has_speech else "no speech"]
        return ("muted: " if self.muted else "") + ", ".join(parts)
