"""Characters for glyphs a font maps to none but names in its encoding (TeX math fonts).

Why: a Type1 font's /Encoding /Differences names each glyph it reencodes, and a reader turns
a name into a character through the Adobe Glyph List (AGL). TeX's math fonts (Computer
Modern ``cmsy``/``cmmi``/``cmex``, MathTime, AMS) name many glyphs outside the AGL
('prime', 'lessmuch', 'floorleft', 'summationdisplay'...), and their ToUnicode, when they
have one, often leaves those codes out; PDFium and pdfminer then read the glyph as
"(cid:N)". The names are the fonts' own (TeX's OMS, OML and OMX encodings), so they say
what the glyph is: P2′ is "P2′", not "P2(cid:3)". A name neither list knows stays unread.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from pdfminer.encodingdb import name2unicode
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFObjRef, dict_value, resolve1, stream_value
from pdfminer.psparser import PSLiteral

#: TeX math glyph names the AGL lacks (OMS: cmsy; OML: cmmi; OMX: cmex) -> their character.
TEX_GLYPHS: dict[str, str] = {
    # OMS (symbols)
    "prime": "\u2032",
    "diamondmath": "\u22c4",
    "circleminus": "\u2296",
    "circledivide": "\u2298",
    "circledot": "\u2299",
    "circlecopyrt": "\u25ef",
    "asteriskcentered": "\u2217",
    "equivasymptotic": "\u224d",
    "precedesequal": "\u2aaf",
    "followsequal": "\u2ab0",
    "similarequal": "\u2243",
    "lessmuch": "\u226a",
    "greatermuch": "\u226b",
    "follows": "\u227b",
    "arrownortheast": "\u2197",
    "arrowsoutheast": "\u2198",
    "arrownorthwest": "\u2196",
    "arrowsouthwest": "\u2199",
    "arrowbothv": "\u2195",
    "arrowdblbothv": "\u21d5",
    "owner": "\u220b",
    "triangle": "\u25b3",
    "triangleinv": "\u25bd",
    "negationslash": "\u0338",
    "mapsto": "\u21a6",
    "Rfractur": "\u211c",
    "Ifractur": "\u2111",
    "latticetop": "\u22a4",
    "unionmulti": "\u228e",
    "unionsq": "\u2294",
    "intersectionsq": "\u2293",
    "subsetsqequal": "\u2291",
    "supersetsqequal": "\u2292",
    "turnstileleft": "\u22a2",
    "turnstileright": "\u22a3",
    "floorleft": "\u230a",
    "floorright": "\u230b",
    "ceilingleft": "\u2308",
    "ceilingright": "\u2309",
    "angbracketleft": "\u27e8",
    "angbracketright": "\u27e9",
    "bardbl": "\u2225",
    "wreathproduct": "\u2240",
    "coproduct": "\u2210",
    # OML (math italic)
    "epsilon1": "\u03f5",
    "pi1": "\u03d6",
    "rho1": "\u03f1",
    "harpoonleftup": "\u21bc",
    "harpoonleftdown": "\u21bd",
    "harpoonrightup": "\u21c0",
    "harpoonrightdown": "\u21c1",
    "triangleright": "\u25b9",
    "triangleleft": "\u25c3",
    "star": "\u22c6",
    "flat": "\u266d",
    "natural": "\u266e",
    "sharp": "\u266f",
    "slurbelow": "\u2323",
    "slurabove": "\u2322",
    "lscript": "\u2113",
    "dotlessj": "\u0237",
    "vector": "\u20d7",
    "tie": "\u2040",
    # OMX (extensible): a size variant reads as its base, see _SIZES
    "summation": "\u2211",
    "product": "\u220f",
}
#: Endings of cmex's size variants ('parenleftbigg', 'summationdisplay'): the base glyph's name.
_SIZES = re.compile(r"(?:bigg|Bigg|big|Big|text|display)$")
#: A subset font's name tag ("AJFMPC+MTSY"), which PDFium's font names leave out.
_SUBSET = re.compile(r"^[A-Z]{6}\+")


def glyph_char(name: str) -> str | None:
    """The character a glyph name stands for (AGL, ``uniXXXX``, TeX's names), or None."""
    base = name.split(".", 1)[0]
    for candidate in (base, _SIZES.sub("", base)):
        if candidate in TEX_GLYPHS:
            return TEX_GLYPHS[candidate]
        try:
            char = name2unicode(candidate)
        except (KeyError, ValueError):
            continue
        if char and not 0xE000 <= ord(char[0]) <= 0xF8FF:  # the AGL's private-use forms say nothing
            return char
    return None


class NamedGlyphs:
    """Per page of one PDF: font name (subset tag removed) -> code -> character, from the
    glyph names of each simple font (the page's fonts and its forms' fonts): its /Differences
    over, where it names no base encoding, its embedded Type1 program's own encoding (pdfTeX
    writes TeX's fonts so, with no /Encoding at all). Only the pages asked about (those with
    an unread glyph) have their fonts read: the file is opened on the first question and its
    page tree walked only as far as the page asked for. A code that two fonts of one name name
    differently is left out: which font drew it cannot be told."""

    def __init__(self, path: str | Path) -> None:
        self._path = Path(path)
        self._file: BinaryIO | None = None
        self._walk: Iterator[PDFPage] | None = None  # the page tree, walked as far as asked
        self._seen: list[PDFPage] = []
        self._pages: dict[int, dict[str, dict[int, str]]] = {}
        self._fonts: dict[int, dict[int, str]] = {}  # id of a font's dictionary -> its named codes

    def page(self, index: int) -> dict[str, dict[int, str]]:
        if index not in self._pages:
            self._pages[index] = self._read(index)
        return self._pages[index]

    def _read(self, index: int) -> dict[str, dict[int, str]]:
        """Page ``index``'s named codes; none for a page pdfminer cannot read (its glyphs stay
        as PDFium read them)."""
        try:
            if self._walk is None:
                self._walk = iter(())  # a file pdfminer cannot open is not tried again
                self._file = self._path.open("rb")
                self._walk = PDFPage.create_pages(PDFDocument(PDFParser(self._file)))
            while len(self._seen) <= index and (page := next(self._walk, None)) is not None:
                self._seen.append(page)
            if index >= len(self._seen):
                return {}
            found: dict[str, dict[int, str]] = {}
            _fonts(self._seen[index].resources, found, set(), self._fonts)
        except Exception:
            return {}
        return {name: {c: t for c, t in codes.items() if t} for name, codes in found.items()}

    def char(self, index: int, fontname: str, code: int) -> str | None:
        """The character of glyph ``code`` of font ``fontname`` (subset tag or not) on page ``index``."""
        return self.page(index).get(_SUBSET.sub("", fontname), {}).get(code)

    def close(self) -> None:
        """Close the file, if a question opened it."""
        if self._file is not None:
            self._file.close()
        self._file = self._walk = None
        self._seen = []


def _fonts(resources: Any, found: dict[str, dict[int, str]], seen: set[int], fonts: dict[int, dict[int, str]]) -> None:
    """Add the named codes of the fonts of ``resources`` and of its forms to ``found``."""
    resources = dict_value(resources) if resources else {}
    for font in dict_value(resources.get("Font") or {}).values():
        font = resolve1(font)
        base = resolve1(font.get("BaseFont")) if isinstance(font, dict) else None
        if not isinstance(base, PSLiteral):
            continue
        if id(font) not in fonts:
            fonts[id(font)] = _named_codes(font)
        codes = found.setdefault(_SUBSET.sub("", str(base.name)), {})
        for code, char in fonts[id(font)].items():
            if codes.setdefault(code, char) != char:
                codes[code] = ""  # two fonts of this name disagree
    for ref in dict_value(resources.get("XObject") or {}).values():
        key = ref.objid if isinstance(ref, PDFObjRef) else id(ref)
        if key in seen:
            continue
        seen.add(key)
        form = resolve1(ref)
        attrs = getattr(form, "attrs", {})
        if getattr(resolve1(attrs.get("Subtype")), "name", None) == "Form":
            _fonts(attrs.get("Resources"), found, seen, fonts)


def _named_codes(font: dict[str, Any]) -> dict[int, str]:
    """Code -> character of each glyph a simple font names by a known name."""
    encoding = resolve1(font.get("Encoding"))
    names: dict[int, str] = {}
    if encoding is None or (isinstance(encoding, dict) and "BaseEncoding" not in encoding):
        names.update(_builtin_names(resolve1(font.get("FontDescriptor"))))
    if isinstance(encoding, dict):
        code = 0
        for item in resolve1(encoding.get("Differences")) or []:
            item = resolve1(item)
            if isinstance(item, int):
                code = item
            elif isinstance(item, PSLiteral):
                names[code] = str(item.name)
                code += 1
    return {code: char for code, name in names.items() if (char := glyph_char(name)) is not None}


#: An entry of a Type1 program's encoding: "dup 13 /circlecopyrt put".
_ENCODED = re.compile(rb"dup\s+(\d{1,3})\s*/([^\s/\[\]{}()<>]+)\s+put")


def _builtin_names(descriptor: Any) -> dict[int, str]:
    """The encoding an embedded Type1 program (/FontFile) sets in its clear-text part."""
    if not isinstance(descriptor, dict) or "FontFile" not in descriptor:
        return {}
    data = stream_value(descriptor["FontFile"]).get_data()
    end = data.find(b"eexec")
    return {int(code): name.decode("latin-1") for code, name in _ENCODED.findall(data[: end if end >= 0 else len(data)])}
