"""Every parser that sees PDF text runs in time linear in its input (issue 16).

Hypothesis builds texts from the pieces that made the old patterns backtrack (initials, stops,
brackets, digits, separators), repeated to a few kilobytes; each call must return within a
bound far above a linear parser's time and far below a backtracking one's. The known bad inputs
are pinned as explicit examples. Kept small (derandomised, few examples): seconds in total.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from curate.extract.citations import extract_citations
from curate.extract.claims import extract_claims
from curate.extract.references import parse_reference, split_reference_block
from tests.textbody import body

#: CPU seconds one call may take on inputs of a few kB (a linear parser takes well under 0.5 s;
#: the backtracking patterns took from seconds to hours). CPU time, not wall time, so other
#: processes on a loaded machine cannot fail the test.
BOUND = 3.0

PIECES = ["A.", "B. ", "Ch.", "-", "(", ")", "[", "]", "1", "12", "2019", ", ", "; ", " et al.", " and ", "Smith", "van ",
          "a. ", "AB ", "±", "%", " patients", " of ", "(95% CI ", " to ", "p = 0.0", ".", " ", "Mean", "×10^6"]
texts = st.builds(lambda parts, times: "".join(parts) * times, st.lists(st.sampled_from(PIECES), min_size=1, max_size=8), st.integers(1, 400))
FUZZ = settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow], database=None)

FORTY_INITIALS = " ".join(f"{chr(65 + i % 26)}." for i in range(40))


def _timed(call: Callable[[], object]) -> float:
    start = time.process_time()
    call()
    return time.process_time() - start


@FUZZ
@given(texts)
@example("A.B." * 1000)
@example(f"as shown before ({FORTY_INITIALS}, 2019) and ({FORTY_INITIALS} smith, 2019).")
@example(f"{FORTY_INITIALS} Smith (2019) wrote; " * 20)
@example("(" * 3000 + "2019")
def test_citation_parser_is_linear(text: str) -> None:
    assert _timed(lambda: extract_citations(body(text), [], [])) < BOUND


@FUZZ
@given(texts)
@example("10 (5.9%) " * 800)
@example("10 patients and " * 800)
@example("1" * 5000)
def test_claims_parser_is_linear(text: str) -> None:
    assert _timed(lambda: extract_claims(body(text))) < BOUND


@FUZZ
@given(texts)
@example("A.B." * 1000)
@example("a. " * 3000)
@example("AB CD " * 2000)
@example(FORTY_INITIALS + " Smith. A title. J Med. 2019;1:2-3.")
def test_reference_parser_is_linear(text: str) -> None:
    assert _timed(lambda: parse_reference(text)) < BOUND


@FUZZ
@given(st.lists(texts.map(lambda t: t[:400]), min_size=1, max_size=60))
def test_reference_list_splitter_is_linear(lines: list[str]) -> None:
    assert _timed(lambda: split_reference_block(lines)) < BOUND
