"""Normalisation of text taken from a PDF's text layer.

Cells and reference strings must compare equal however the PDF encoded them: ligature glyphs,
Unicode minus signs, non-breaking and zero-width spaces all have plain equivalents. Nothing
else is changed: a steward must see what was printed.
"""

from __future__ import annotations

import re

_LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}
_MINUS = {"\u2212": "-", "\u2012": "-", "\ufe63": "-", "\uff0d": "-"}
_SPACES = {"\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2002": " ", "\u2003": " ", "\u2007": " "}
_DROP = {"\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "", "\u00ad": ""}
_TABLE = str.maketrans({**_LIGATURES, **_MINUS, **_SPACES, **_DROP})
_WS = re.compile(r"\s+")
_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_UNICODE_EXPONENT = re.compile(r"(?<=10)([⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)")
#: A ring set as a glyph of its own beside the A it sits on (TeX's \AA in some fonts): Å.
_RING_A = re.compile("A\u02da|\u02daA")
#: A soft hyphen with more of its word after it: printed, so a hyphen (a soft hyphen shows only
#: where a line breaks; some PDF writers map every hyphen glyph to U+00AD).
_SOFT_HYPHEN_INSIDE = re.compile("\u00ad(?=\\S)")


def normalise(text: str) -> str:
    """Plain-text form of PDF text: ligatures split, minus signs and odd spaces made ASCII,
    Unicode exponents after 10 written as ``10^6``, a ring glyph beside an A as Å, a soft hyphen
    inside a word as '-' (dropped at its end), whitespace collapsed."""
    if text.isascii() and text.isprintable() and " " not in text:
        return text  # nothing to change (every rule needs a non-ASCII character or whitespace): most words
    text = _RING_A.sub("Å", _SOFT_HYPHEN_INSIDE.sub("-", text).translate(_TABLE))
    text = _UNICODE_EXPONENT.sub(lambda m: "^" + m.group(1).translate(_SUPERSCRIPT_DIGITS), text)
    return _WS.sub(" ", text).strip()
