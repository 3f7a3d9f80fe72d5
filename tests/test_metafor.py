"""effects.csv as the next tools read it: R's read.csv and metafor (escalc, rma) run on it
without error, and it has the columns RevMan's generic inverse variance import needs.

R and metafor come from Debian (`.ci/run` installs r-base-core and r-cran-metafor): without
them these tests skip, except under CI=true, where they fail (like ../shared)."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from curate.export import effects_table, export
from tests.conftest import ROOT

#: R reads the file as a steward would, recomputes the pooling scale itself (log for ratios,
#: SE from the 95% CI), checks it against yi/sei, and pools each measure with metafor.
R_SCRIPT = r"""
suppressPackageStartupMessages(library(metafor))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], fileEncoding = "UTF-8-BOM", stringsAsFactors = FALSE)
ratio <- grepl("^(a?OR|a?RR|a?HR|IRR|PR)$", d$measure)
g <- function(x) ifelse(ratio, log(x), x)
sei <- (g(d$ci_upper) - g(d$ci_lower)) / (2 * qnorm(0.975))
stopifnot(isTRUE(all.equal(d$yi, g(d$estimate))), isTRUE(all.equal(d$sei, sei)))
es <- escalc(measure = "GEN", yi = yi, sei = sei, data = d)
pooled <- list()
for (m in unique(es$measure)) {
  fit <- rma(yi, vi, data = es[es$measure == m, ], method = "FE")
  pooled[[m]] <- as.numeric(coef(fit))
}
cat(sprintf("rows %d\n", nrow(es)))
for (m in names(pooled)) cat(sprintf("pooled %s %.12f\n", m, pooled[[m]]))
"""


def need_metafor() -> str:
    """Rscript with metafor; fails under CI and skips elsewhere when it is missing."""
    rscript = shutil.which("Rscript")
    ok = rscript is not None and subprocess.run([rscript, "-e", "library(metafor)"], capture_output=True, timeout=120, check=False).returncode == 0
    if not ok:
        message = "Rscript with metafor is missing (apt-get install r-base-core r-cran-metafor; .ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return str(rscript)


def _metafor(rscript: str, effects: Path, tmp_path: Path) -> tuple[int, dict[str, float]]:
    script = tmp_path / "pool.R"
    script.write_text(R_SCRIPT)
    done = subprocess.run([rscript, str(script), str(effects)], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [line.split() for line in done.stdout.splitlines()]
    rows = next(int(p[1]) for p in lines if p[0] == "rows")
    return rows, {p[1]: float(p[2]) for p in lines if p[0] == "pooled"}


def _fixed_effect(frame: pd.DataFrame) -> dict[str, float]:
    """Inverse-variance pooled estimate per measure, computed here (what rma(method = "FE") must give)."""
    w = 1 / frame["sei"] ** 2
    return {str(m): float((frame.loc[i, "yi"] * w[i]).sum() / w[i].sum()) for m, i in frame.groupby("measure").groups.items()}


def test_metafor_reads_the_bundled_examples_effects(tmp_path: Path) -> None:
    rscript = need_metafor()
    out = tmp_path / "effects.csv"
    n = export(ROOT / "curated", out, "effects", raw=ROOT / "raw", excel=True)
    frame = pd.read_csv(out, encoding="utf-8-sig")
    rows, pooled = _metafor(rscript, out, tmp_path)
    assert rows == n == len(frame) > 0
    assert pooled == pytest.approx(_fixed_effect(frame), rel=1e-9)


def _ratio_raw(tmp_path: Path) -> Path:
    """A paper printing ratio measures (and a mean difference), with text that breaks naive CSV readers."""
    raw = tmp_path / "raw"
    (raw / "lee2021").mkdir(parents=True)
    effects = [
        ("OR", "1.8", "1.1", "2.9", "<", "0.01", 'OR 1.8 (95% CI 1.1–2.9), "adjusted", ×2'),
        ("OR", "0.62", "0.41", "0.94", "=", "0.03", "OR, 0.62; 95% CI, 0.41 to 0.94"),
        ("HR", "0.75", "0.60", "0.93", "", "", "HR 0.75 (0.60, 0.93)"),
        ("HR", "1.21", "0.98", "1.49", "=", "0.08", "HR = 1.21; 95% CI: 0.98-1.49"),
        ("RR", "2.4", "1.3", "4.4", "<", "0.001", "=RR 2.4, 1.3 to 4.4"),
        ("RR", "0.9", "0.7", "1.15", "", "", "RR 0.90 [0.70; 1.15]"),
        ("MD", "-0.5", "-0.9", "-0.1", "", "", "MD −0.5 (−0.9 to −0.1)"),
    ]
    rows = [{"claim_id": f"c{i}", "page": str(i + 1), "kind": "effect", "subject": "death",
             "values": json.dumps({"measure": m, "est": e, "lo": lo, "hi": hi, "pq": pq, "p": p}), "span": span, "refs": ""}
            for i, (m, e, lo, hi, pq, p, span) in enumerate(effects)]
    pd.DataFrame(rows).to_csv(raw / "lee2021" / "claims.csv", index=False)
    return raw


def test_metafor_pools_ratio_measures_on_the_log_scale(tmp_path: Path) -> None:
    rscript = need_metafor()
    raw = _ratio_raw(tmp_path)
    out = tmp_path / "effects.csv"
    assert export(tmp_path / "curated", out, "effects", raw=raw, excel=True) == 7
    frame = pd.read_csv(out, encoding="utf-8-sig")
    rows, pooled = _metafor(rscript, out, tmp_path)
    assert rows == 7 and set(pooled) == {"OR", "HR", "RR", "MD"}
    assert pooled == pytest.approx(_fixed_effect(frame), rel=1e-9)
    odds = frame[frame["measure"] == "OR"].iloc[0]
    assert odds["yi"] == pytest.approx(math.log(1.8)) and odds["sei"] == pytest.approx((math.log(2.9) - math.log(1.1)) / (2 * 1.959963985), rel=1e-9)


def test_effects_have_what_revman_generic_inverse_variance_imports(tmp_path: Path) -> None:
    """RevMan's GIV import: study, Estimate (log for ratios: yi), SE (sei), total per arm (n_1, n_2)."""
    frame = effects_table(_ratio_raw(tmp_path), None)
    for column in ("yi", "sei", "n_1", "n_2"):
        assert column in frame and pd.api.types.is_numeric_dtype(frame[column]), column
    assert {"paper_id", "study", "outcome", "measure"} <= set(frame)
    assert frame["sei"].notna().all() and (frame["sei"] > 0).all(), "every estimate with a CI has its SE"
    assert set(frame["p_qualifier"]) == {"<", ""}, "an exact p has no qualifier (no lone '=' formula)"
