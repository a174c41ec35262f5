"""The screens' catalogue as the app loads it: lrelease compiles the committed .ts into the cache,
a QTranslator reads it, and switching language switches the words."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QCoreApplication

from rehab_coach.ui import strings


def test_the_compiled_catalogue_is_what_tr_reads(qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(strings, "cache_dir", lambda: tmp_path)
    qm = strings.compiled_catalogue("zh")
    assert qm is not None and qm.parent == tmp_path / "translations" and qm.suffix == ".qm"
    assert qm.read_bytes()[:4] == b"\x3c\xb8\x64\x18"  # Qt's .qm magic: lrelease made it
    strings.translator_for.cache_clear()
    try:
        assert strings.tr("Start", "zh") == "开始"
        assert strings.tr("Set {0} of {1}", "zh", 2, 3) == "第 2 组，共 3 组"
        assert strings.tr("Lock", "zh") == "锁定"  # the therapist screens' words are in the same catalogue
        assert strings.tr("Start", "en") == "Start"
        assert strings.tr("A text no catalogue has", "zh") == "A text no catalogue has"  # English, not blank
    finally:
        strings.translator_for.cache_clear()


def test_an_edited_catalogue_is_compiled_again(qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "rehab_coach_zh.ts"
    source.write_text(strings.ts_path("zh").read_text(encoding="utf-8").replace(">开始<", ">出发<"), encoding="utf-8")
    monkeypatch.setattr(strings, "TRANSLATIONS_DIR", tmp_path)
    monkeypatch.setattr(strings, "cache_dir", lambda: tmp_path / "cache")
    strings.translator_for.cache_clear()
    try:
        assert strings.tr("Start", "zh") == "出发"
    finally:
        strings.translator_for.cache_clear()


def test_a_catalogue_that_cannot_be_compiled_leaves_english(  # type: ignore[no-untyped-def]
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog
) -> None:
    (tmp_path / "rehab_coach_zh.ts").write_text("<not a catalogue", encoding="utf-8")
    monkeypatch.setattr(strings, "TRANSLATIONS_DIR", tmp_path)
    monkeypatch.setattr(strings, "cache_dir", lambda: tmp_path / "cache")
    strings.translator_for.cache_clear()
    try:
        assert strings.tr("Start", "zh") == "Start"
        assert "showing English" in caplog.text
    finally:
        strings.translator_for.cache_clear()


def test_installing_a_language_translates_qts_own_words(qapp) -> None:  # type: ignore[no-untyped-def]
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    strings.install("zh")
    try:
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"  # Qt's own catalogue (qtbase)
        assert QCoreApplication.translate(strings.CONTEXT, "Finish") == "结束"  # and the app's
    finally:
        strings.install("en")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"


def test_a_cache_that_cannot_be_written_leaves_english(  # type: ignore[no-untyped-def]
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog
) -> None:
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setattr(strings, "cache_dir", lambda: blocked)
    strings.translator_for.cache_clear()
    try:
        assert strings.tr("Start", "zh") == "Start"  # no crash, English
        assert "cannot compile the zh catalogue" in caplog.text
    finally:
        strings.translator_for.cache_clear()


def test_a_text_marked_for_translation_comes_back_as_is() -> None:
    """QT_TR_NOOP only marks a text for lupdate: the English source is what `tr` is later given."""
    marked = strings.QT_TR_NOOP("in range")
    assert marked == "in range"
    assert type(marked) is str
