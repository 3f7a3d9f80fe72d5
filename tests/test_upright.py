"""Sideways pages: detected, turned upright for reading, and cropped back the same way."""

from __future__ import annotations

import json
from contextlib import ExitStack
from pathlib import Path
from types import SimpleNamespace

import pytest

from curate.extract.paper import extract_paper
from curate.extract.upright import TurnedPage, sideways, unturn_box
from curate.report import PageImages, Paper, Region
from tests.conftest import need_shared


def _char(text: str, x0: float, top: float, upright: bool = False) -> dict:
    """A glyph 10 pt high set sideways: 10 wide across the line, 6 long along it."""
    return {"text": text, "x0": x0, "x1": x0 + 10, "top": top, "bottom": top + 6, "upright": upright}


def test_direction_of_sideways_text() -> None:
    down = [_char(c, 100, 50 + 6 * i) for i, c in enumerate("Table")]
    assert sideways(down) == 270  # running down: turn the page 270 degrees clockwise to read it
    assert sideways(list(reversed(down))) == 90
    upright = [{**c, "upright": True, "x1": c["x0"] + 6, "bottom": c["top"] + 10} for c in down]
    assert sideways(upright) == 0


@pytest.mark.parametrize("turn", [90, 270])
def test_turning_a_box_and_back(turn: int) -> None:
    page = SimpleNamespace(width=612.0, height=792.0, page_number=1, rotation=0, chars=[_char("a", 100, 200)], lines=[], rects=[], curves=[])
    turned = TurnedPage(page, turn)
    assert (turned.width, turned.height) == (792.0, 612.0)
    box = (100.0, 200.0, 110.0, 206.0)
    inside = turned.box(*box)
    assert 0 <= inside[0] < inside[2] <= turned.width and 0 <= inside[1] < inside[3] <= turned.height
    assert turned.unturn(*inside) == pytest.approx(box)
    assert unturn_box(turn, 612.0, 792.0, inside) == pytest.approx(box)
    (char,) = turned.chars
    assert char["upright"] and char["size"] == pytest.approx(10.0), "a turned glyph's size is its height across the line"


def test_a_glyph_set_upright_in_sideways_text_joins_its_line() -> None:
    """Vertical text sets some symbols upright ('5.8 × 10' down the page: the '×' is 6 wide
    across the line, 10 long along it): turned, it stands on its line as tall as its
    neighbours, its own width centred where it was set; a raised mark stays raised."""
    run = [_char(c, 100, 50 + 6 * i) for i, c in enumerate("5.8")]
    times = {"text": "×", "x0": 100.0, "x1": 106.0, "top": 70.0, "bottom": 80.0, "upright": True}
    after = [_char(c, 100, 82 + 6 * i) for i, c in enumerate("10")]
    raised = {"text": "6", "x0": 104.0, "x1": 110.0, "top": 94.0, "bottom": 97.5, "upright": False}
    page = SimpleNamespace(width=612.0, height=792.0, page_number=1, rotation=0, chars=[*run, times, *after, raised], lines=[], rects=[], curves=[])
    chars = TurnedPage(page, 270).chars
    line = [c for c in chars if c["text"] != "6"]
    assert {(c["top"], c["bottom"]) for c in line} == {(chars[0]["top"], chars[0]["bottom"])}
    x = next(c for c in chars if c["text"] == "×")
    assert x["upright"] and (x["x0"], x["x1"]) == pytest.approx((72.0, 78.0)) and x["size"] == pytest.approx(10.0)
    assert next(c for c in chars if c["text"] == "6")["size"] == pytest.approx(6.0), "a raised mark keeps its own height"


def test_turn_must_be_a_quarter() -> None:
    with pytest.raises(ValueError, match="90 or 270"):
        TurnedPage(SimpleNamespace(width=1, height=1, page_number=1, rotation=0), 180)


def test_sideways_table_is_extracted_and_cropped_upright(tmp_path: Path) -> None:
    """A real sideways table: the manifest says the page was turned, the table's rows read
    across, and the report's crop of a row is turned the same way (wider than tall)."""
    pdf = need_shared("corpus", "tables", "camelot", "clockwise_table_1.pdf")
    done = extract_paper(pdf, tmp_path / "raw", paper_id="sideways2020")
    folder = tmp_path / "raw" / "sideways2020"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["turned"] == {"1": 270}
    tables = json.loads((folder / "tables.json").read_text())
    assert tables and done.paper_id == "sideways2020"
    page, *bbox = tables[0]["row_boxes"][0]
    assert bbox[2] - bbox[0] > 5 * (bbox[3] - bbox[1]), "a row of the turned table runs across"
    with ExitStack() as stack:
        images = PageImages(pdf.parent, {"sideways2020": Paper.load(folder)}, stack)
        uri = images.render([Region("sideways2020", page, tuple(bbox))])
    assert uri.startswith("data:image/png;base64,")
    import base64
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])))
    assert image.width > 3 * image.height
