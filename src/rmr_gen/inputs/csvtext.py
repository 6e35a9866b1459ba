"""Which text encoding a CSV file is in, as editors' programs write it.

UTF-8 with or without BOM, Windows-1252 (Swedish Excel's "CSV (semikolonavgränsad)"),
Mac Roman (Excel for Mac's "CSV (Macintosh)"), and the mixtures and look-alikes that
are refused with what to do.
"""

from __future__ import annotations

import re

from rmr_gen.core.errors import Problems
from rmr_gen.core.i18n import M

NOT_CP1252 = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")  # bytes Windows-1252 leaves undefined
_UTF8_LETTER = re.compile(rb"[\xc3\xc5][\x80-\xbf]")  # å ä ö é ü …, and Š š Ž ž in UTF-8
_ASCII = bytes(range(0x80))
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
_SWEDISH = frozenset("åäöÅÄÖéü–")


def is_mac_roman(raw: bytes) -> bool:
    """Text from Excel for Mac's "CSV (Macintosh)": not UTF-8, and its bytes above
    ASCII are more often Swedish letters (and en dashes) read as Mac Roman than read
    as Windows-1252 (where Mac Roman's ä, ö, å are Š, š, Œ)."""
    high = raw.translate(None, _ASCII)
    if not high or _UTF8_SEQUENCE.search(raw):
        return False  # ASCII, or (partly) UTF-8: read, or reported, as such

    return _swedish(high, "mac_roman") > _swedish(high, "cp1252")


def _swedish(high: bytes, codec: str) -> int:
    """How many of ``high``'s bytes are Swedish letters (or en dashes) in ``codec``."""
    return sum(c in _SWEDISH for c in high.decode(codec, errors="replace"))


def dos_text(raw: bytes) -> tuple[int, str] | None:
    """Where text in an MS-DOS code page (850, or 437: their å, ä, ö are the same bytes)
    shows first, and the word there as Windows-1252 shows it (``V„sterbotten``): not
    UTF-8, and more of its bytes above ASCII are Swedish letters in code page 850 than in
    Windows-1252 or Mac Roman. ``None`` for any other text."""
    high = raw.translate(None, _ASCII)
    if not high or _UTF8_SEQUENCE.search(raw):
        return None
    dos = _swedish(high, "cp850")
    if dos <= max(_swedish(high, "cp1252"), _swedish(high, "mac_roman")):
        return None
    at = next(i for i, byte in enumerate(raw) if byte >= 0x80)
    start = max(raw.rfind(stop, 0, at) for stop in _WORD_ENDS) + 1
    ends = [end for end in (raw.find(stop, at) for stop in _WORD_ENDS) if end >= 0]
    word = raw[start : min(ends, default=len(raw))].decode("cp1252", errors="replace")
    return raw.count(b"\n", 0, at) + 1, word


_WORD_ENDS = (b"\n", b"\r", b";", b",", b"\t", b'"', b" ")


def dos_message(word: str) -> M:
    """What to do with a file in an MS-DOS code page, ``word`` as it reads wrongly."""
    meant = word.encode("cp1252", errors="replace").decode("cp850", errors="replace")
    return M(
        "csv.dos-code-page",
        "the file looks like MS-DOS code page 850 ('{word}' is '{meant}' in it), not"
        " Windows-1252 or UTF-8: save it as CSV UTF-8",
        word=word,
        meant=meant,
    )


def mixed(raw: bytes) -> bool:
    """UTF-8 letters (``ä`` is C3 A4) in a file that is not UTF-8 throughout: rows
    were added in another program, and Windows-1252 would turn them into ``Ã¤``."""
    return _UTF8_LETTER.search(raw) is not None


def decode_or_report(raw: bytes, shown: str, problems: Problems, skipped: int = 0) -> str | None:
    """The text of the file, or ``None`` with the line where it stops being readable."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1 + skipped
        if mixed(raw):
            problems.error(
                shown,
                M(
                    "csv.mixed-encodings",
                    "the file mixes UTF-8 and Windows-1252 text: this line is not UTF-8"
                    " (save the whole file again as CSV UTF-8)",
                ),
                line,
            )
            return None
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        byte = f"0x{raw[exc.start]:02X}"
        problems.error(
            shown,
            M(
                "csv.unreadable-byte",
                "cannot read the text: byte {byte} is neither UTF-8 nor"
                " Windows-1252 (save as CSV UTF-8)",
                byte=byte,
            ),
            raw[: exc.start].count(b"\n") + 1 + skipped,
        )
        return None


def decode_lenient(raw: bytes) -> str:
    """The header line, to find the separator; unreadable bytes are found later."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")
