"""Shared fixtures. Tests that need ../shared fail (not skip) when CI is set."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from extract.settings import ExtractSettings
from extract.vocabulary import Vocabulary

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


@pytest.fixture(scope="session")
def papers(shared: Path) -> Path:
    """The three source paper PDFs."""
    return need_shared("papers")


@pytest.fixture(scope="session")
def extracted_papers(papers: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``curate extract`` run once on the three papers; the raw/ folder it wrote."""
    from extract.batch import extract_batch

    out = tmp_path_factory.mktemp("raw")
    outcomes = list(extract_batch(sorted(papers.glob("*.pdf")), out, settings=EXAMPLE_SETTINGS))
    assert all(not hasattr(o, "message") for o in outcomes), outcomes
    return out

