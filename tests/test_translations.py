"""The translation catalogues: complete, in step with the code, and the ones the core reads.

The core's words are a gettext catalogue (locale/rehab_coach.pot -> locale/zh/.../rehab_coach.po),
the screens' a Qt one (ui/translations/rehab_coach_zh.ts). Qt-side loading is tested in
tests/ui/test_strings.py.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from rehab_coach import i18n

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "app" / "rehab_coach"
POT = PACKAGE / "locale" / "rehab_coach.pot"
PO = PACKAGE / "locale" / "zh" / "LC_MESSAGES" / "rehab_coach.po"
TS = PACKAGE / "ui" / "translations" / "rehab_coach_zh.ts"
PLACEHOLDER = re.compile(r"\{[^{}]*\}")

CORE_MARKERS = {"_", "gettext", "translate", "N_"}
UI_MARKERS = {"tr", "QT_TR_NOOP"}


def po_messages(path: Path) -> dict[str, tuple[str, bool]]:
    """msgid -> (translation, fuzzy); a plural entry by its plural msgid, translated only when every
    form is (Chinese has one form), its first form standing for the rest."""
    with path.open("rb") as po:
        return {_msgid(m.id): (_msgstr(m.string), m.fuzzy) for m in read_po(po) if m.id}


def _msgid(msgid: str | tuple[str, ...]) -> str:
    return msgid[-1] if isinstance(msgid, tuple) else str(msgid)


def _msgstr(msgstr: str | tuple[str, ...] | None) -> str:
    if isinstance(msgstr, tuple):
        return msgstr[0] if all(msgstr) else ""
    return str(msgstr or "")


def ts_messages(path: Path = TS) -> dict[str, tuple[str, str | None]]:
    """source -> (translation, its type attribute: unfinished, vanished, obsolete; None when done)."""
    out = {}
    for message in ET.parse(path).getroot().iter("message"):
        translation = message.find("translation")
        assert translation is not None
        out[message.findtext("source") or ""] = (translation.text or "", translation.get("type"))
    return out


def marked_texts(paths: list[Path], markers: set[str]) -> dict[str, str]:
    """Literal first arguments of the marker calls in `paths` (f-string parts included) -> where."""
    found = {}
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in markers):
                continue
            if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                found[node.args[0].value] = f"{path.relative_to(REPO)}:{node.lineno}"
    return found


def test_the_core_catalogue_has_every_message_in_chinese() -> None:
    template, chinese = po_messages(POT), po_messages(PO)
    assert len(template) > 50  # the PDF, flags, cues and the session words are in it
    assert set(chinese) == set(template), "rehab_coach.po is behind the .pot: run scripts/update_translations.py"
    untranslated = [msgid for msgid, (text, fuzzy) in chinese.items() if not text or fuzzy]
    assert untranslated == []


def test_the_screens_catalogue_has_every_source_in_chinese() -> None:
    messages = ts_messages()
    assert len(messages) > 250
    unfinished = [source for source, (text, kind) in messages.items() if not text or kind is not None]
    assert unfinished == []


def test_translations_keep_their_placeholders() -> None:
    pairs = [(k, v) for k, (v, _) in po_messages(PO).items()] + [(k, v) for k, (v, _) in ts_messages().items()]
    changed = [k for k, v in pairs if sorted(PLACEHOLDER.findall(k)) != sorted(PLACEHOLDER.findall(v))]
    assert changed == []


def test_every_marked_text_in_the_code_is_in_its_catalogue() -> None:
    """A text marked in the code but missing from the catalogue is shown in English: e.g. a tr() call
    inside an f-string, which the extractors do not see."""
    ui = PACKAGE / "ui"
    core_files = [p for p in PACKAGE.rglob("*.py") if ui not in p.parents]
    ui_files = list(ui.rglob("*.py"))
    core, screens = marked_texts(core_files, CORE_MARKERS), marked_texts(ui_files, UI_MARKERS)
    assert "Saved to the database" in core and "Start" in screens  # the scan sees both kinds of call
    template, sources = po_messages(POT), ts_messages()
    assert {text: at for text, at in core.items() if text not in template} == {}
    assert {text: at for text, at in screens.items() if text not in sources} == {}


@pytest.mark.skipif(
    not (Path(sys.executable).parent / "pyside6-lupdate").exists(), reason="needs PySide6's lupdate in this environment"
)
def test_the_catalogues_are_up_to_date_with_the_extractors() -> None:
    """pybabel extract and pyside6-lupdate over the code find no text the catalogues lack or keep."""
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "update_translations.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr


def test_the_core_reads_its_catalogue_and_falls_back_to_english() -> None:
    assert i18n.gettext("Saved to the database", "zh") == "已保存到数据库"
    assert i18n.translate("Not saved: {0}", "zh", "disk full") == "未保存：disk full"
    assert i18n.gettext("Saved to the database", "en") == "Saved to the database"
    assert i18n.gettext("A text no catalogue has", "zh") == "A text no catalogue has"
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        i18n.gettext("Saved to the database", "fr")
    try:
        i18n.set_language("zh")
        assert i18n._("Face the camera") == "请面对摄像头"  # the language set is the default
    finally:
        i18n.set_language("en")
    assert i18n._("Face the camera") == "Face the camera"


def test_dates_are_written_as_the_language_writes_them() -> None:
    import datetime as dt

    day = dt.date(2026, 12, 2)
    assert i18n.day_text(day, "en") == "2 Dec" and i18n.day_text(day, "zh") == "12月2日"
    assert i18n.weekday_text(day, "en") == "Wednesday" and i18n.weekday_text(day, "zh") == "星期三"


@pytest.mark.skipif(shutil.which("git") is None or not (REPO / ".git").exists(), reason="needs the git checkout")
def test_no_compiled_catalogue_is_committed() -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "*.mo", "*.qm"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    assert tracked == ""
