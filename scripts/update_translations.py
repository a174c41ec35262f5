"""Re-extract every translatable text and bring the catalogues up to date.

    .venv/bin/python scripts/update_translations.py          # update the catalogues in place
    .venv/bin/python scripts/update_translations.py --check  # exit 1 if they are out of date

Core (gettext, Babel): `pybabel extract` with babel.cfg -> app/rehab_coach/locale/rehab_coach.pot,
then `pybabel update` (or `init` for a new language) -> locale/<lang>/LC_MESSAGES/rehab_coach.po.
Screens (Qt): `pyside6-lupdate` over app/rehab_coach/ui -> ui/translations/rehab_coach_<lang>.ts.

New texts arrive untranslated (empty msgstr, `type="unfinished"`) and show in English until a
translator fills them in (Qt Linguist, Poedit or an editor); tests/test_translations.py fails until
then. No source locations are kept: a moved line would otherwise change every catalogue. Nothing
compiled (.mo, .qm) is written here: see rehab_coach.i18n and rehab_coach.ui.strings.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "app" / "rehab_coach"
LOCALE = PACKAGE / "locale"
POT = LOCALE / "rehab_coach.pot"
UI = PACKAGE / "ui"
TS_DIR = UI / "translations"
LANGUAGES = ("zh",)  # besides English, the source language
CORE_KEYWORDS = ("_", "gettext", "translate", "N_", "ngettext:1,2")


def tool(name: str) -> str:
    """A tool of this interpreter's environment (pybabel, pyside6-lupdate), else from PATH."""
    local = Path(sys.executable).parent / name
    found = str(local) if local.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"update_translations: {name} not found; install the app with its dependencies first")
    return found


def run(*command: str) -> None:
    """Run a tool quietly; its own output only when it fails."""
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"update_translations: {Path(command[0]).name} failed:\n{result.stdout}{result.stderr}")


def update_core(locale_dir: Path, pot: Path) -> None:
    keywords = [arg for k in CORE_KEYWORDS for arg in ("-k", k)]
    run(
        tool("pybabel"), "extract", "-F", str(REPO / "babel.cfg"), "--no-default-keywords", *keywords,
        "--no-location", "--sort-output", "--project", "Rehab Coach", "--copyright-holder", "Rehab Coach contributors",
        "-o", str(pot), "app/rehab_coach",
    )  # fmt: skip
    for language in LANGUAGES:
        po = locale_dir / language / "LC_MESSAGES" / "rehab_coach.po"
        verb = "update" if po.exists() else "init"
        extra = ["--ignore-obsolete", "--no-fuzzy-matching"] if verb == "update" else []
        run(tool("pybabel"), verb, "-D", "rehab_coach", "-i", str(pot), "-d", str(locale_dir), "-l", language, *extra)


def update_ui(ts_dir: Path) -> None:
    sources = sorted(str(p) for p in UI.rglob("*.py"))
    for language in LANGUAGES:
        ts = ts_dir / f"rehab_coach_{language}.ts"
        run(
            tool("pyside6-lupdate"),
            *sources,
            "-no-obsolete",
            "-locations",
            "none",
            "-target-language",
            language,
            "-ts",
            str(ts),
        )


def core_messages(pot: Path) -> set[str]:
    from babel.messages.pofile import read_po

    with pot.open("rb") as f:
        return {str(m.id) if isinstance(m.id, str) else "\x00".join(m.id) for m in read_po(f) if m.id}


def ui_messages(ts: Path) -> set[str]:
    import xml.etree.ElementTree as ET

    return {source.text or "" for source in ET.parse(ts).getroot().iter("source")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if a catalogue misses or keeps a text"
    )
    args = parser.parse_args()
    if not args.check:
        update_core(LOCALE, POT)
        update_ui(TS_DIR)
        return 0
    stale = []
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch)
        shutil.copytree(LOCALE, copy / "locale")
        shutil.copytree(TS_DIR, copy / "translations")
        update_core(copy / "locale", copy / "locale" / "rehab_coach.pot")
        update_ui(copy / "translations")
        if core_messages(POT) != core_messages(copy / "locale" / "rehab_coach.pot"):
            stale.append(str(POT.relative_to(REPO)))
        for ts in TS_DIR.glob("*.ts"):
            if ui_messages(ts) != ui_messages(copy / "translations" / ts.name):
                stale.append(str(ts.relative_to(REPO)))
    for path in stale:
        print(f"out of date: {path} (run scripts/update_translations.py)", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
