"""Paper ids (first author's surname + year) on real PDFs of several publishers."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from curate.extract.identity import paper_id, surname
from tests.conftest import need_shared

REAL = {
    ("papers", "vinski2023.pdf"): "vinski2023",
    ("papers", "zhang2019.pdf"): "zhang2019",
    ("papers", "matsuoka2025.pdf"): "matsuoka2025",
    ("corpus", "pdfs", "agyemanduah2014_bmchealthservres", "agyemanduah2014_bmchealthservres.pdf"): "agyemanduah2014",
    ("corpus", "pdfs", "datta2010_jtraumamanagoutcomes", "datta2010_jtraumamanagoutcomes.pdf"): "datta2010",
    ("corpus", "pdfs", "demarchis2016_jneuroengrehabil", "demarchis2016_jneuroengrehabil.pdf"): "demarchis2016",
    ("corpus", "pdfs", "douglas2014_clinsci", "douglas2014_clinsci.pdf"): "douglas2014",
    ("corpus", "pdfs", "tully2010_rehabilrespract", "tully2010_rehabilrespract.pdf"): "tully2010",
    ("corpus", "pdfs", "webb2017_peerjcs", "webb2017_peerjcs.pdf"): "webb2017",
    ("corpus", "pdfs", "ammar2018_naacl_N18-3011", "N18-3011.pdf"): "ammar2018",
    ("corpus", "pdfs", "cohan2020_acl_2020.acl-main.207", "2020.acl-main.207.pdf"): "cohan2020",
}


@pytest.mark.parametrize("parts, expected", REAL.items(), ids=lambda v: v if isinstance(v, str) else v[-1])
def test_paper_id_of_real_pdfs(parts: tuple[str, ...], expected: str) -> None:
    path: Path = need_shared(*parts)
    with pdfplumber.open(path) as pdf:
        assert paper_id(pdf, "fallback") == expected


@pytest.mark.parametrize(
    "name, expected",
    [("Cristiano De Marchis", "De Marchis"), ("Ross G. DOUGLAS ∗1", "DOUGLAS"), ("Ludwig van Beethoven", "van Beethoven"), ("Curie, Marie", "Curie")],
)
def test_surname(name: str, expected: str) -> None:
    assert surname(name) == expected


def test_more_than_26_papers_with_one_id_get_a_digest_suffix(tmp_path: Path) -> None:
    """A corpus holds far more than 26 papers by one surname in one year (regression: the 27th failed)."""
    from curate.extract.paper import choose_id

    taken = {("smith2020" + s): f"sha{i}" for i, s in enumerate([""] + [chr(c) for c in range(ord("b"), ord("z") + 1)])}
    digest = "0123456789abcdef" * 4
    assert choose_id(tmp_path, "smith2020", digest, taken, False) == "smith2020-0123456789"
    assert choose_id(tmp_path, "smith2020", "sha3", taken, False) == "smith2020d"
