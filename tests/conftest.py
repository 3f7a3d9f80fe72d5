"""Shared fixtures. Tests that need ../shared fail (not skip) when CI is set."""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest

from curate.extract.layout import Line, Word
from curate.extract.settings import ExtractSettings
from curate.extract.vocabulary import Vocabulary

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"
#: The bundled example review of the three papers (review.toml and mappings/).
REVIEW_DIR = EXAMPLES / "reviews" / "stemcell-diabetes"


def _vocabulary() -> Vocabulary:
    from curate.review import load_review

    return load_review(REVIEW_DIR).vocabulary()


#: The example review's words, for tests that read claims about its measures.
VOCABULARY = _vocabulary()
#: Extraction as `curate extract --project examples/reviews/stemcell-diabetes` does it.
EXAMPLE_SETTINGS = ExtractSettings(vocabulary=VOCABULARY)


def need_shared(*parts: str) -> Path:
    """Path under ../shared; fails under CI and skips elsewhere when it is missing."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        message = f"{path} is missing (../shared is needed for this test)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared folder beside the repo (papers, seeds, corpus)."""
    return need_shared()


@pytest.fixture()
def curated(tmp_path: Path) -> Path:
    """A copy of the shipped curated/ with the shipped raw/ beside it (the checks need it)."""
    shutil.copytree(ROOT / "raw", tmp_path / "raw")
    shutil.copytree(ROOT / "curated", tmp_path / "curated")
    return tmp_path / "curated"


@pytest.fixture(scope="session")
def papers(shared: Path) -> Path:
    """The three source paper PDFs."""
    return need_shared("papers")


@pytest.fixture(scope="session")
def extracted_papers(papers: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``curate extract`` run once on the three papers; the raw/ folder it wrote."""
    from curate.extract.batch import extract_batch

    out = tmp_path_factory.mktemp("raw")
    outcomes = list(extract_batch(sorted(papers.glob("*.pdf")), out, settings=EXAMPLE_SETTINGS))
    assert all(not hasattr(o, "message") for o in outcomes), outcomes
    return out


def extract_each(pdfs: Sequence[Path], out: Path) -> dict[str, Path]:
    """``curate extract`` on ``pdfs`` into ``out``; maps each PDF's stem to its raw folder."""
    from curate.extract.batch import Failure, extract_batch

    folders = {}
    for pdf, outcome in zip(pdfs, extract_batch(pdfs, out)):
        assert not isinstance(outcome, Failure), outcome.message
        folders[pdf.stem] = outcome.folder
    return folders


def output_files(root: Path) -> dict[str, bytes]:
    """Every file curate wrote under ``root``, each manifest without its ``extracted_at``:
    what must be identical between two runs on the same input."""
    import json

    found: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if path.name == "manifest.json":
                manifest = json.loads(data)
                manifest.pop("extracted_at", None)
                data = json.dumps(manifest, sort_keys=True).encode()
            found[str(path.relative_to(root))] = data
    return found


def text_line(top: float, *cells: tuple[float, str]) -> Line:
    """A page line of 9 pt words; each cell's words start at its x, set 5 pt per letter, 2.5 pt
    per space."""
    words = []
    for x, text in cells:
        for word in text.split():
            words.append(Word(word, x, x + 5 * len(word), top, top + 9, 9.0))
            x += 5 * len(word) + 2.5
    return Line(words)
