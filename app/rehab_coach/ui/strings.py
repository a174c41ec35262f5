"""The app's own words on screen, in the chosen language, from Qt's translation catalogue.

Exercise texts and cues come translated in the templates; the core's words (engine notices, the
PDF) come from its gettext catalogue (`rehab_coach.i18n`). Here: the widgets' words.

Sources are the English texts of `tr(...)` calls, and of `QT_TR_NOOP(...)` where a text is defined
apart from where it is shown. `pyside6-lupdate` collects them into `translations/rehab_coach_<lang>.ts`
(scripts/update_translations.py); `pyside6-lrelease` compiles a `.ts` into the `.qm` a QTranslator
loads. A text without a translation is shown in English.

Each page is built for one language (the kiosk's language toggle rebuilds its pages), so `tr` takes
the language and asks that language's translator itself rather than the one installed application
wide: a page never shows the words of another page's language. `install` also installs it
application wide, with Qt's own catalogue, for the words Qt writes (standard dialog buttons).

Where the `.qm` comes from: the PyInstaller folder ships it, compiled by its build
(packaging/build_app.sh), as it cannot run lrelease. An editable install and the wheel ship only the
`.ts` (no binary in git, no stale binary): its first use compiles it with the lrelease that comes with
PySide6 into the user's cache folder, again whenever the `.ts` changes.
"""

from __future__ import annotations

import hashlib
import logging
import subprocess
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import cast

import PySide6
from PySide6 import QtCore
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from rehab_coach import i18n
from rehab_coach.paths import cache_dir

log = logging.getLogger(__name__)

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
CONTEXT = ""  # lupdate files a plain `tr(...)` call under the empty context
QT_LOCALES = {"en": "en_GB", "zh": "zh_CN"}  # Qt's locale, and its catalogue's name, for a language

# Marks a text for lupdate where it is defined apart from where `tr` shows it, and returns it as is.
# PySide6's stub types it `(object) -> object`; widgets import it from here to keep the `str`.
QT_TR_NOOP = cast(Callable[[str], str], QtCore.QT_TR_NOOP)

_installed: list[QTranslator] = []


def tr(text: str, language: str, *args: object) -> str:
    """`text` in `language`, its `{0}`.. filled with `args`, from Qt's catalogue (the core's
    is read by `rehab_coach.i18n.translate`)."""
    translator = translator_for(language)
    template = (translator.translate(CONTEXT, text) if translator else "") or text
    return template.format(*args) if args else template


def qt_locale(language: str) -> QLocale:
    """The locale Qt's own widgets format with in `language` (month names in a date field)."""
    return QLocale(QT_LOCALES.get(language, "en_GB"))


def ts_path(language: str) -> Path:
    return TRANSLATIONS_DIR / f"rehab_coach_{language}.ts"


@cache
def translator_for(language: str) -> QTranslator | None:
    """The app's translator for `language`; None for English or when the catalogue cannot be had."""
    if i18n.check_language(language) == i18n.SOURCE_LANGUAGE:
        return None
    qm = compiled_catalogue(language)
    translator = QTranslator()
    if qm is None or not translator.load(str(qm)):
        log.warning("no %s translations for the screens: showing English", language)
        return None
    return translator


def compiled_catalogue(language: str) -> Path | None:
    shipped = TRANSLATIONS_DIR / f"rehab_coach_{language}.qm"
    if shipped.is_file():
        return shipped
    source = ts_path(language)
    if not source.is_file():
        return None
    try:
        # Named by the source's content: an edited .ts never meets an old .qm.
        digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
        target = cache_dir() / "translations" / f"rehab_coach_{language}-{digest}.qm"
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            if not compile_ts(source, target):
                return None
    except OSError as exc:  # an unreadable catalogue or a cache folder we may not write: English, said once
        log.warning("cannot compile the %s catalogue: %s", language, exc)
        return None
    return target


def lrelease() -> Path:
    return Path(PySide6.__file__).resolve().parent / "lrelease"


def compile_ts(source: Path, target: Path) -> bool:
    partial = target.with_suffix(".part")
    try:
        result = subprocess.run(
            [str(lrelease()), "-silent", str(source), "-qm", str(partial)], capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.warning("cannot compile %s: %s", source.name, exc)
        return False
    if result.returncode != 0 or not partial.is_file():
        log.warning("cannot compile %s: %s", source.name, result.stderr.strip() or result.returncode)
        return False
    partial.replace(target)  # never a half-written .qm under the final name
    return True


def install(language: str) -> None:
    """Make `language` the application's: Qt's own words (standard buttons), `QCoreApplication.translate`
    and the core's default (camera messages). The screens' own words do not depend on it: `tr` names
    its language."""
    app = QCoreApplication.instance()
    if app is None:
        return
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    i18n.set_language(language)  # the core's words made without a language: camera notices
    if language == i18n.SOURCE_LANGUAGE:
        return
    qt_own = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_own.load(qt_locale(language), "qtbase", "_", qt_dir):
        _installed.append(qt_own)
    ours = translator_for(language)
    if ours is not None:
        _installed.append(ours)
    for translator in _installed:
        app.installTranslator(translator)
