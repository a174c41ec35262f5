"""The core's words in the patient's or therapist's language: gettext catalogues read with Babel.

Qt-free: the engine, session code and reports translate here; `ui/` has Qt's own catalogue
(`ui/strings.py`). English is the source language, so a message without a translation is shown in
English.

The catalogues are the committed `.po` files, compiled in memory when a language is first used
(Babel's `read_po` -> `write_mo` -> `gettext.GNUTranslations`), not shipped as `.mo` binaries:
the `.po` travels as ordinary package data, so an editable install, the wheel and the PyInstaller
folder all read the same file with no build step, and none can load a binary older than its source.
"""

from __future__ import annotations

import datetime as dt
import gettext as _gettext
import io
import logging
from functools import cache
from pathlib import Path

from babel.dates import format_date, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

log = logging.getLogger(__name__)

DOMAIN = "rehab_coach"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("en", "zh")
SOURCE_LANGUAGE = "en"
BABEL_LOCALES = {"en": "en_GB", "zh": "zh_Hans_CN"}  # dates as people there write them (CLDR)

_current = SOURCE_LANGUAGE


def set_language(language: str) -> None:
    """The language for calls that name none (the CLI's and the app's own setting)."""
    global _current
    _current = check_language(language)


def get_language() -> str:
    return _current


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}: choose one of {', '.join(LANGUAGES)}")
    return language


@cache
def translations(language: str) -> _gettext.NullTranslations:
    """The catalogue for `language`; English (the source text) when there is none or it cannot be read."""
    if check_language(language) == SOURCE_LANGUAGE:
        return _gettext.NullTranslations()
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    try:
        with path.open("rb") as po:
            catalog = read_po(po, locale=language, domain=DOMAIN)
    except (OSError, ValueError) as exc:
        log.warning("no %s translations (%s): showing English", language, exc)
        return _gettext.NullTranslations()
    compiled = io.BytesIO()
    write_mo(compiled, catalog)  # fuzzy and empty entries are left out: English for those
    compiled.seek(0)
    return _gettext.GNUTranslations(compiled)


def gettext(message: str, language: str | None = None) -> str:
    """`message` in `language` (default: the one set with `set_language`)."""
    return translations(language or _current).gettext(message)


def translate(text: str, language: str | None = None, *args: object) -> str:
    """`text` in `language` (default: the one set with `set_language`), its `{0}`.. filled with
    `args`, from the core's catalogue. The screens' `rehab_coach.ui.strings.tr` reads Qt's and
    always names its language."""
    template = gettext(text, language)
    return template.format(*args) if args else template


def ngettext(singular: str, plural: str, n: int, language: str | None = None) -> str:
    return translations(language or _current).ngettext(singular, plural, n)


def day_text(day: dt.date, language: str | None = None, skeleton: str = "dMMM") -> str:
    """A day as the language writes it: "29 Nov" / "11月29日" (CLDR skeletons through Babel)."""
    return format_skeleton(skeleton, day, locale=BABEL_LOCALES[language or _current])


def weekday_text(day: dt.date, language: str | None = None) -> str:
    """The day of the week in full: "Wednesday" / "星期三"."""
    return format_date(day, "EEEE", locale=BABEL_LOCALES[language or _current])


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional name for "mark, translate later"
    """Marks a message for extraction where it is defined; translate it with `_` where it is shown."""
    return message


_ = gettext
