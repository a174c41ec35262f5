"""Mend the PDF's text layer where Qt's writer names the wrong character for a CJK glyph.

Qt maps each embedded glyph back to a character by the lowest code point the font draws with it.
CJK fonts draw a Kangxi radical (U+2F00-U+2FDF) or a radical supplement character (U+2E80-U+2EFF)
with the same glyph as the ideograph, so the page shows 至 and 角 while the text layer holds ⾄
(U+2F84) and ⻆ (U+2EC6): they look the same, but a search or a copy of 至 finds nothing. Our
text has no radicals, so each one in a ToUnicode map is put back to the ideograph the font draws
with the same glyph.
"""

from __future__ import annotations

import re
from functools import cache

from PySide6.QtGui import QFont, QRawFont

RADICALS = range(0x2E80, 0x2FE0)  # CJK Radicals Supplement and Kangxi Radicals
IDEOGRAPHS = range(0x4E00, 0xA000)  # CJK Unified Ideographs

# Qt writes its ToUnicode maps uncompressed, as lines of "<from> <to> [<u> <u> ...]" or
# "<from> <to> <u>": four hex digits each, so a same-length edit leaves every byte offset valid.
BFRANGE_BLOCK = re.compile(rb"beginbfrange\n(.*?)endbfrange", re.DOTALL)
RANGE_LINE = re.compile(rb"<([0-9A-F]{4})> <([0-9A-F]{4})> (\[[^\]]*\]|<[0-9A-F]{4}>)")
CODE = re.compile(rb"<([0-9A-F]{4})>")


@cache
def ideographs_for_radicals(family: str) -> dict[int, int]:
    """Each radical `family` draws with an ideograph's glyph, and that ideograph."""
    font = QRawFont.fromFont(QFont(family))
    if not font.isValid():
        return {}
    ideographs = "".join(map(chr, IDEOGRAPHS))
    by_glyph: dict[int, int] = {}
    for code, glyph in zip(IDEOGRAPHS, font.glyphIndexesForString(ideographs), strict=True):
        if glyph:
            by_glyph.setdefault(glyph, code)
    radicals = "".join(map(chr, RADICALS))
    return {
        code: by_glyph[glyph]
        for code, glyph in zip(RADICALS, font.glyphIndexesForString(radicals), strict=True)
        if glyph in by_glyph
    }


def mend_cjk_text_layer(pdf: bytes, family: str) -> bytes:
    """`pdf` with every radical in its ToUnicode maps replaced by the ideograph it stands for."""
    replacements = ideographs_for_radicals(family)
    if not replacements:
        return pdf

    def code(match: re.Match[bytes]) -> bytes:
        value = int(match.group(1), 16)
        return b"<%04X>" % replacements.get(value, value)

    def line(match: re.Match[bytes]) -> bytes:
        first, last, target = match.groups()
        if target.startswith(b"<") and first != last:
            return match.group(0)  # a run of consecutive characters: never a radical in our text
        return b"<%s> <%s> %s" % (first, last, CODE.sub(code, target))

    def block(match: re.Match[bytes]) -> bytes:
        return b"beginbfrange\n" + RANGE_LINE.sub(line, match.group(1)) + b"endbfrange"

    mended = BFRANGE_BLOCK.sub(block, pdf)
    assert len(mended) == len(pdf)  # the cross-reference table's offsets still hold
    return mended
