"""Claims: the numbers a paper's text reports, each with where it is and what it is about.

Every sentence of the body (before the reference list) is scanned for checkable numbers:

========== ===========================================================================
kind       example of what is matched
========== ===========================================================================
count      "A total of 61 patients", "21 included studies", "Four patients"
split      "42 male and 16 female", "two were women and two were men"
mean       "mean age of 63.3 years", "The mean level was 7.49%"
median     "median follow-up duration ... was 35 months", "median 4 (IQR 2 to 6)"
range      "(range: 42 to 89 years)", "ranging from 6.3% to 12.4%"
iqr        "Interquartile range: 15.25 - 45.75 months"
proportion "20 of 64 (31.25%)"
share      "10 patients (5.9%)", "50 stimulation patterns (about 3 %)", "3 (1.8%)": a part given with its percentage, the whole left implicit
effect     "MD, -35.76; 95% CI, -40.47 to -31.04; P = 0.13", "odds ratio 1.23, 95% confidence
           interval 0.95 to 1.60", "(HR 0.80, 0.70 to 0.91)"
comparison "29% v 21%", "29% in the intervention group versus 21% in the control group"
relative   "a 40% greater increase", "a 25% lower risk"
parts      "seven medical doctors (four expatriates and three nationals)": a count and its two parts
percents   "59% rated it very good, 40% good and only 1% poor": three to five shares of one whole
p_value    "p < 0.0001", "p = 0.0122" (not part of an effect)
correlation "correlation ... 0.041", "r = 0.32"
group      "moderate (X 6.2-8%)", "severe (X >8%)" (X: a measure of the review)
category   "XY-ABCs": a value of a category of the review named for the one study cited
========== ===========================================================================

A table, figure, page or reference number, or a year, is never a count; "four of 14" is a
proportion's parts, never a median of 14.

Numbers are kept exactly as printed (strings: trailing zeros and ``<`` survive). The claim
records the matched words (``span``), not the sentence: the sentence is the paper's prose and
is found again from ``page`` and ``bbox`` when a person needs it.
"""

from __future__ import annotations

import hashlib
import json
import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from curate.extract.bodytext import BodyText
from curate.extract.citations import Citation
from curate.extract.output import write_csv
from curate.extract.references import Piece
from curate.extract.vocabulary import GENERIC_VOCABULARY, NUM, SUBJECTS, Vocabulary

if TYPE_CHECKING:
    from curate.extract.tables import Table

_UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
#: Number words from one to ninety-nine ("Twenty-one studies").
WORDS = {w: i for i, w in enumerate(_UNITS, start=1)} | {w: i for i, w in enumerate(_TEENS, start=10)}
WORDS |= {t: 20 + 10 * i for i, t in enumerate(_TENS)} | {f"{t}-{u}": 21 + 10 * i + j for i, t in enumerate(_TENS) for j, u in enumerate(_UNITS)}
#: A number ("15 455": digit groups set apart too) or number word; the words as a tree of
#: alternatives (a flat list of 99 is slow), after a look at the first character (a digit or
#: a number word's first letter), so that most places in a sentence fail at one test.
COUNT_WORD = (
    rf"(?=[\d{''.join(sorted({w[0] for w in _UNITS + _TEENS + _TENS}))}])"
    r"(?:(?<![\d,])\d{1,3}(?:[ \u2009\u202f]\d{3})++(?![\d.,])|(?<![\d,])\d[\d,]*+|(?:" + "|".join(_TENS) + r")(?:-(?:" + "|".join(_UNITS) + r"))?|"
    + "|".join(sorted(_UNITS + _TEENS, key=len, reverse=True)) + r")"
)
UNITS = r"(?:%|years?|months?|weeks?|days?|mg/dL|mmol/L|kg|cells|million cells|billion cells)"
#: Nouns a count of people or studies ends in.
_COUNTED_NOUNS = (
    "patients?", "participants?", "subjects?", "cases?", "individuals", "people", "studies", "study", "trials?", "women", "men", "arms", "eyes",
    "controls", "respondents", "responses", "admissions", "outpatients", "inpatients", "adults", "children", "households", "visits",
)
COUNTED = "(?:" + "|".join(_COUNTED_NOUNS) + ")"
#: Singular nouns a count may end in (only with "one"), and the subject they count.
SINGULAR = {"patient": "patients", "participant": "participants", "subject": "subjects", "case": "cases", "study": "studies", "trial": "trials"}
#: Up to three words between a number and what it counts, not crossing into another phrase
#: ("ten ABC studies", not "one trial with eight patients").
_QUALIFIERS = r"(?:(?!(?:with|including|and|or|of|in|from|to|were|was)\b)[a-zA-Z0-9-]+\s+){0,3}?"
DURATION = r"(?P<unit>months?|years?|weeks?|days?)\b"
#: An effect estimate with its 95% CI, abbreviated or written out: "MD, -35.76; 95% CI, -40.47
#: to -31.04; P = 0.13", "odds ratio 1.23, 95% confidence interval 0.95 to 1.60", "(HR 0.80,
#: 0.70 to 0.91)", "relative risk was 1.4 (1.1-1.8)".
_MEASURE = (
    r"(?P<measure>\b(?:MD|SMD|OR|aOR|RR|aRR|HR|aHR|IRR|WMD|mean difference|odds ratio|risk ratio|hazard ratio|rate ratio|relative risk|risk difference)s?)"
)
_CI = r"95\s*%\s*(?:CI|C\.I\.|confidence intervals?|credible intervals?)"
EFFECT = re.compile(
    rf"{_MEASURE}\)?,?\s*(?:(?:=|:|of|was|is|were)\s*)?(?P<est>{NUM})\s*(?:[;,]\s*{_CI}|\(\s*{_CI}|\(|[;,]?\s*{_CI})\s*(?:[,:=]|was|of|from)?\s*"
    rf"(?P<lo>{NUM})\s*(?:to|–|-|,)\s*(?P<hi>{NUM})"
    rf"(?:\s*[;,]?\s*\)?\s*[;,]?\s*[Pp]\s*(?P<pq>[<=>≤≥])\s*(?P<p>\d*\.\d+|\d+))?",
    re.I,
)
#: Two groups' percentages set side by side: "29% v 21%", "29% versus 21%".
_GROUP_AFTER = r"(?:\s+(?:in|for|among|with)\s+(?:the\s+)?(?P<{0}>(?:[\w-]+\s+){{0,3}}?(?:group|arm|patients|participants|women|men|children)s?\b))?"
COMPARISON = re.compile(
    rf"(?<![\w.,])(?P<a>\d+(?:\.\d+)?)\s*%{_GROUP_AFTER.format('ga')}\s*,?\s*(?:v|vs\.?|versus|compared with|compared to|and)\s+(?P<b>\d+(?:\.\d+)?)\s*%{_GROUP_AFTER.format('gb')}"
    r"(?(ga)|(?=\s*(?:,?\s*respectively|[.;,)]|\s+(?:in|for|among|of)\b|$)))",
    re.I,
)
#: A relative change: "a 40% greater increase", "a 25% lower risk".
RELATIVE = re.compile(r"(?<![\w.,])(?P<pct>\d+(?:\.\d+)?)\s*%\s+(?P<direction>greater|higher|larger|lower|smaller|less|more|fewer)\s+(?P<what>[a-z-]+(?:\s+[a-z-]+)?)", re.I)
#: A median printed with its IQR or range in brackets ("median 4 (IQR 2 to 6)"): the median; the
#: IQR or range after it is a claim of its own.
MEDIAN_SPREAD = re.compile(
    rf"\bmedian\b(?P<subject>[^.;:()]{{0,40}}?)\s*(?:was|of|=|:|is)?\s*(?P<value>{NUM})\s*(?P<unit>{UNITS})?(?=\s*[(\[]\s*(?:IQR|interquartile range|range)\b)",
    re.I,
)
#: A number printed with its digits grouped by spaces ('10 395', '9 175'), or as :data:`NUM`.
GROUPED = r"(?:[-−–]?\d{1,3}(?:[ \u2009\u202f]\d{3})+(?![\d.,])(?:\.\d+)?|" + NUM + ")"
PLUS_MINUS = r"(?:±|\+/-|\+/−|\+-|\+−)"
#: Units of a measured quantity (laboratory and physiology): '2.2 Å', '3.3 mM', '30 Hz', '16 °C'.
MEASURE_UNITS = (
    r"(?:Å|[nµμpm]M|[nµμ]m|mm|cm|[nµμpmk]g|[µμm][lL]|k?Hz|[mµμ]A|[mµμ]V|[mµμ]s|min|[◦°]C|k?Da|kcal/mol|kJ/mol|mmHg|bpm|IU|U/[lL]|mg/dL|mmol/L)(?![\w/])"
)
#: A value given with its spread and no word for either ('Ki = 11.21 ± 0.74 nM', '2794 ± 156'):
#: a mean and its ± term (``pm``: SD or SE, whichever the paper says elsewhere).
MEAN_PM = re.compile(rf"(?<![\w.,])(?P<value>{GROUPED})\s*{PLUS_MINUS}\s*(?P<pm>{GROUPED})(?:\s*(?P<unit>{MEASURE_UNITS}|{UNITS}\b))?")
#: Names of a performance or agreement measure a score is given in: diagnostic accuracy,
#: agreement, prediction, ranking ("sensitivity of 85.2%", "kappa = 0.71", "an 86.4 F1 score").
_METRICS = (
    "sensitivity", "specificity", "accuracy", "precision", "recall", "F1", r"F-?score", r"F-?measure", "AUC", "AUROC", r"ROC\s+AUC", r"C-?statistic",
    "PPV", "NPV", "kappa", "κ", "ICC", "MAP", "MRR", "nDCG", "NDCG", "BLEU", r"ROUGE(?:-\w+)?", "RMSE", "MAE", "R2", "R²", r"P@\d+",
)
METRIC = "(?:" + "|".join(_METRICS) + ")"
#: A score in a measure: "a MAP score of 83.8", "nDCG of 94.8", "an 86.4 (82.0) F1 score".
SCORE = re.compile(
    rf"(?<![\w-])(?P<metric>{METRIC})(?:\s+scores?)?\s*(?:of|=|:|was|is|were|reached)\s*(?P<value>{NUM})(?:\s*%)?(?:\s*\((?P<alt>{NUM})\s*%?\))?"
    rf"|(?<![\w.,])(?!(?:19|20)\d\d\b)(?P<value2>{NUM})\s*%?(?:\s*\((?P<alt2>{NUM})\s*%?\))?\s+(?P<metric2>{METRIC})(?![\w-])",
)
#: Another score of the same measure after one: "a MAP score of 83.8 on co-view, and 84.5 on co-read".
SCORE_AND = re.compile(rf"\band\s+(?P<value>{NUM})(?P<also>)(?=\s+(?:on|in|for)\s+(?:the\s+)?[\w-]+)")
#: An absolute difference in points: "by 2.7 and 4.0 points", "a 3.1 point absolute improvement", "(+2.0 nDCG)".
POINTS = re.compile(
    rf"(?<![\w.,])(?P<value>[+−-]?\s*\d+(?:\.\d+)?)(?:\s*\((?P<alt>[+−-]?\s*\d+(?:\.\d+)?)\))?(?:\s*(?:and|,)\s*(?P<value2>[+−-]?\d+(?:\.\d+)?))?\s+(?:percentage[- ])?points?\b"
    rf"|(?<![\w.,])(?P<signed>[+−]\s*\d+(?:\.\d+)?)(?:\s*\((?P<alt2>[+−-]?\s*\d+(?:\.\d+)?)\))?\s*(?:(?P<metric>{METRIC})(?![\w-])|(?=\)))"
)
#: A fold change: '927-fold', '∼4-fold', 'two-fold', 'a 3 fold increase'.
FOLD = re.compile(rf"(?<![\w.,])(?P<value>\d+(?:\.\d+)?|{COUNT_WORD})\s*-?\s*fold\b", re.I)
#: A measured value with its unit ('solved at 2.2 Å', '3.3 mM').
MEASURE = re.compile(rf"(?<![\w.,])(?P<value>{NUM})\s*(?P<unit>{MEASURE_UNITS})")
#: So many of a thing for each of so many others: "180 patterns in each of the 8 subjects",
#: "3 samples per patient" (``x``, ``what``, and ``n`` when the number of the others is given).
PER = re.compile(
    rf"(?<![\w.,-])(?P<x>{COUNT_WORD})\s+(?P<what>[a-z][a-z-]{{2,}}s)\s+(?:(?:in|for|from|of)\s+each\s+of\s+(?:the\s+|these\s+|all\s+)?(?P<n>{COUNT_WORD})\s+(?P<of>[a-z][a-z-]{{2,}}s)\b|per\s+(?P<each>[a-z][a-z-]{{2,}})\b)",
    re.I,
)
#: A count of anything in a sentence that points to a table ('with 2 molecules per asymmetric
#: unit (Table 2)'): the table prints it, so it is checkable whatever it counts.
TABLED_COUNT = re.compile(rf"(?<![\w.,-])(?P<n>{COUNT_WORD})\s+(?P<what>(?-i:[a-z][a-z-]{{2,}}s))\b", re.I)
#: Words before a number that make it a label, not a quantity ("Table 2", "Figure 1", "page 4", "[12]").
_LABEL_BEFORE = re.compile(r"(?:\b(?:tables?|figs?\.?|figures?|appendix|appendices|sections?|pages?|pp?\.|refs?\.?|references?|chapters?|supplementary|eq\.?|equations?|steps?|versions?)\s*|\[\s*|\d\s*:\s*)$", re.I)
#: A year where a count might be read: "in June 2010 patients", "since 2015 patients".
_YEAR_BEFORE = re.compile(r"\b(?:in|since|from|during|until|by|before|after|of|january|february|march|april|may|june|july|august|september|october|november|december)\s+$", re.I)



def _needed(alternative: str) -> str:
    """Text every match of a regex alternative holds, lowercased: its longest run of literal
    characters outside groups, escapes, repeats and optional characters ('F-?score' -> 'score',
    'patients?' -> 'patient', 'ROUGE(?:-\\w+)?' -> 'rouge')."""
    bare = re.sub(r"\([^()]*\)[?*+]?", "\0", alternative)
    return max(re.split(r"\\.|.[?*]|[+\0]", bare), key=len).lower()


#: Words a count of people or studies needs (one of COUNTED's nouns).
_COUNTED_HINTS = (tuple(_needed(a) for a in _COUNTED_NOUNS),)
#: Words a score needs (a measure's name, lowercased: 'map' also in 'mapping', it only narrows).
_METRIC_HINTS = (tuple(_needed(a) for a in _METRICS),)
#: Verbs a count of what was studied follows ("analysed 120 samples").
_COUNTED_AFTER = (("explored", "analy", "examined", "tested", "screened", "collected", "identified", "excluded", "retrieved", "sampled", "reviewed", "recorded", "performed"),)
#: Stands in a pattern's needs for a figure: any character the patterns' ``\d`` reads (half a
#: paper's sentences hold none, and most patterns read figures).
_FIGURE = ("\\d",)
_HAS_FIGURE = re.compile(r"\d")
#: kind, pattern, and what a sentence must hold for the pattern to match in it (groups of
#: lowercase words: one of each group; :data:`_FIGURE` a figure), so that most sentences are not scanned by most patterns.
_PATTERNS: list[tuple[str, re.Pattern[str], tuple[tuple[str, ...], ...]]] = [
    ("effect", EFFECT, (_FIGURE,)),
    ("proportion", re.compile(r"(?<![\d.,])(?P<x>\d[\d,]*)\s+(?:of|out of)\s+(?P<y>\d[\d,]*)\s*(?:\w+\s+){0,3}?\((?P<pct>\d+(?:\.\d+)?)\s*%\)"), (("%",), ("of",), _FIGURE)),
    ("proportion", re.compile(rf"(?<![\d.,])(?P<x>{COUNT_WORD})\s+(?:of|out of)\s+(?:the\s+)?(?P<y>\d[\d,]*)\s+(?P<what>(?:[a-zA-Z0-9-]+\s+){{0,2}}?{COUNTED})\b", re.I), (("of",), _FIGURE)),
    ("share", re.compile(rf"(?<![\w.,])(?P<x>{COUNT_WORD})\s+(?:(?!(?:of|the|and|or|in|on|at|were|was|to|with|for|from|than|by)\b)(?-i:[a-z][a-z-]+)\s+){{0,2}}\((?:about\s+|approximately\s+|~\s*)?(?P<pct>\d+(?:\.\d+)?)\s*%\)", re.I), (("%",), _FIGURE)),
    ("per", PER, (("each", "per"),)),
    ("split", re.compile(
        rf"(?P<a>{COUNT_WORD})\s+(?:were\s+)?(?P<ga>male|female|men|women|boys|girls|males|females)\s*(?:patients\s*)?(?:,|and|;)\s*(?:of\s+which\s+)?(?P<b>{COUNT_WORD})\s+(?:were\s+)?(?P<gb>male|female|men|women|boys|girls|males|females)", re.I), (("male", "men", "boys", "girls"),)),
    ("parts", re.compile(
        rf"(?<![\w.,])(?P<n>{COUNT_WORD})\s+(?:[a-zA-Z-]+\s+){{0,2}}?[a-zA-Z-]+s\s*\(\s*(?P<a>{COUNT_WORD})\s+(?P<ga>[A-Za-z-]+)\s*(?:,|and)\s*(?P<b>{COUNT_WORD})\s+(?P<gb>[A-Za-z-]+)\s*\)", re.I), (("(",),)),
    ("percent", re.compile(rf"(?<![\w.,])(?P<pct>\d+(?:\.\d+)?)\s*%\s+of\s+(?:the\s+)?(?:(?P<y>\d[\d,]*)\s+)?{_QUALIFIERS}"
        rf"(?P<what>patients|participants|subjects|cases|individuals|people|women|men|respondents|responses|admissions|outpatients|inpatients|adults|children|households|visits|(?-i:[a-z]{{2,}}(?:-[a-z]+)?s)(?=\s*[;,.)]|\s+(?:were|was|had|did|showed|could|in|during)\b))\b", re.I), (("%",), ("of",), _FIGURE)),
    ("dose", re.compile(r"(?<![\w.])(?P<value>\d+(?:\.\d+)?)\s*[×x]\s*10\^(?P<exp>[-−]?\d+)(?:\s*(?P<unit>cells\s*/\s*kg|/\s*kg|per\s+kg|kg|cells)\b)?"), (("10^",), _FIGURE)),
    ("iqr", re.compile(rf"(?:interquartile range|IQR)\s*[:(,]?\s*(?P<lo>{NUM})\s*(?:-|–|to)\s*(?P<hi>{NUM})\s*(?P<unit>{UNITS})?", re.I), (("interquartile range", "iqr"), _FIGURE)),
    ("range", re.compile(rf"(?:range[sd]?(?:\s+of)?|ranging|ranged)\s*(?:from|:|between)?\s*(?P<lo>{NUM})\s*(?P<u1>{UNITS})?\s*(?:to|-|–|and)\s*(?P<hi>{NUM})\s*(?P<unit>{UNITS})?", re.I), (("rang",), _FIGURE)),
    ("range", re.compile(rf"\b(?:a\s+)?min(?:imum)?(?:[A-Z]{{1,4}}\s*=|\s+of)\s*(?P<lo>{NUM})\s*(?:,|to|and)\s*(?:a\s+)?max(?:imum)?(?:[A-Z]{{1,4}}\s*=|\s+of)\s*(?P<hi>{NUM})"), (("min",), ("max",), _FIGURE)),
    ("median", re.compile(rf"\bmedian\b(?P<subject>[^.;:()]{{0,60}}?)(?:was|of|=|:|is)\s*(?P<value>{NUM})\s*(?P<unit>{UNITS})?", re.I), (("median",), _FIGURE)),
    ("mean", re.compile(
        rf"\b(?:mean|average)(?:\b|(?=[A-Z]{{1,4}}\s*=))(?P<subject>[^.;:()]{{0,60}}?)(?:was|of|=|:|is|decreased to|increased to|reduced to|(?<=\bage))\s*(?P<value>{NUM})"
        rf"(?:\s*(?:±|\+/-|\+-)\s*(?P<sd>{NUM}))?\s*(?P<unit>{UNITS})?(?:\s*\(\s*SD\s*[:=,]?\s*(?P<sd2>{NUM})\s*\))?", re.I), (("mean", "average"), _FIGURE)),
    ("mean", MEAN_PM, (_FIGURE,)),
    ("duration", re.compile(
        rf"(?:followed(?:\s+up)?(?:\s+\w+)?\s+(?:for|over)|follow-?up\s+(?:(?:period|duration|time)\s+)?(?:of|was|lasted)|observed\s+for)"
        rf"\s+(?:a\s+(?:period|total)\s+of\s+)?(?P<value>{NUM}|{COUNT_WORD})\s*{DURATION}", re.I), (("follow", "observed"),)),
    ("timepoint", re.compile(
        rf"(?<![\w.,])(?P<value>{NUM}|{COUNT_WORD})\s*{DURATION}\s+(?:after|post|following)\s+(?:the\s+)?(?:[\w-]+\s+){{0,3}}?"
        r"(?:treatment|therapy|transplantation|infusions?|injections?|dose|administration)\b", re.I), (("month", "year", "week", "day"), ("after", "post", "following"))),
    ("correlation", re.compile(rf"(?:\bcorrelation\b[^.;:]{{0,80}}?(?::|=|was|of)\s*|\br\s*=\s*)(?P<value>{NUM})", re.I), (("correlation", "="), _FIGURE)),
    ("median", MEDIAN_SPREAD, (("median",), _FIGURE)),
    ("comparison", COMPARISON, (("%",), _FIGURE)),
    ("relative", RELATIVE, (("%",), _FIGURE)),
    ("fold", FOLD, (("fold",),)),
    ("points", POINTS, (("point", "+", "−"), _FIGURE)),
    ("score", SCORE, (*_METRIC_HINTS, _FIGURE)),
    ("score", SCORE_AND, (*_METRIC_HINTS, ("and",), _FIGURE)),
    ("p_value", re.compile(r"\b[Pp]\s*(?:-value\s*)?(?P<pq>[<=>≤≥])\s*(?P<p>\d*\.\d+)"), (("<", "=", ">", "≤", "≥"), _FIGURE)),
    ("count", re.compile(rf"(?P<what>\b{COUNTED})\s*\(\s*n\s*=\s*(?P<n>\d[\d,]*)\s*[),;]", re.I), (("(",), ("=",), _FIGURE)),
    ("count", re.compile(rf"(?<![\w.,-])(?P<n>{COUNT_WORD})\s+(?P<what>)(?:(?:had|have|were)\s+)?(?=(?:responded|declined|refused|withdrew|died|dropped out|completed|consented|agreed)\b)", re.I), (("responded", "declined", "refused", "withdrew", "died", "dropped out", "completed", "consented", "agreed"),)),
    ("count", re.compile(r"(?<=\()\s*[nN]\s*=\s*(?P<n>\d[\d,]*)\s*(?=\))(?P<what>)"), (("(",), ("=",), _FIGURE)),
    ("count", re.compile(r"\b(?:explored|analy[sz]ed|examined|tested|screened|collected|identified|excluded|retrieved|sampled|reviewed|recorded|performed)\s+(?:a\s+total\s+of\s+)?(?P<n>\d[\d,]*)\s+(?P<what>(?:[a-z-]+\s+){0,2}?[a-z]{3,}s)\b"), (*_COUNTED_AFTER, _FIGURE)),
    ("count", re.compile(rf"(?:(?:a\s+)?total\s+of\s+)?(?<![\w.,-])(?<!type )(?<!Type )(?P<n>{COUNT_WORD})\s+(?P<what>(?!million|billion){_QUALIFIERS}{COUNTED})\b", re.I), _COUNTED_HINTS),
    ("count", TABLED_COUNT, ()),
    ("measure", MEASURE, (_FIGURE,)),
]

COLUMNS = ["claim_id", "index", "page", "bbox", "kind", "subject", "values", "span", "context", "sentence", "refs"]
#: The word before a count that makes it the size of a cohort ("in 10 patients", "a total of 61").
_SIZE_BEFORE = re.compile(r"\b(?:in|of|on|enrolled|included|recruited|randomi[sz]ed|involving|including|with|among)\s+$", re.I)
_SIZE_AFTER = re.compile(r"^[^,;.]{0,40}?\b(?:participated|were (?:enrolled|included|recruited|randomi[sz]ed)|took part)\b", re.I)
#: An abbreviation that may name a category of an included-studies table ("ABC", "XY-ABC").
_ACRONYM = re.compile(r"\b[A-Z][A-Za-z0-9]*[A-Z0-9][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*\b")
_WHOLE = re.compile(r"\binclu(?:ded|sion)\b|\beligible\b|\bpooled\b|\bin total\b|\btotal of\b", re.I)
_CHANGE = re.compile(r"reduction|decrease (?:of|in)|decreased by|change|difference|fell by|dropped by|improvement (?:of|in)|\b(?:fall|drop|decline) in\b", re.I)
_BEFORE = re.compile(r"\bbefore\b|baseline|pre-?treatment|at entry|at enrol", re.I)
_AFTER = re.compile(r"\bafter(?:wards?)?\b|post-?treatment|following|decreased to|fell to|reduced to|at follow-?up", re.I)


def _named_group(text: str, groups: Iterable[str]) -> str | None:
    """The group named last in ``text`` (the longest name where two start at the same place)."""
    found = [(m.start(), len(g), g) for g in groups for m in re.finditer(rf"\b{re.escape(g)}\b", text, re.I)]
    return max(found)[2] if found else None


#: How far before a number its context (change, timing, group) is looked for: bounded, so a
#: sentence with many numbers costs time in proportion to its length.
CONTEXT_REACH = 1000


def _context(sentence: str, end: int, groups: Iterable[str], inherited: str | None) -> str:
    head = sentence[max(0, end - CONTEXT_REACH) : end]
    tags = []
    if _CHANGE.search(head):
        tags.append("change")
    timing = [(m.start(), "before") for m in _BEFORE.finditer(head)] + [(m.start(), "after") for m in _AFTER.finditer(head)]
    if timing:
        tags.append(max(timing)[1])
    group = _named_group(head, groups) or inherited
    if group:
        tags.append(f"group={group}")
    return ";".join(tags)


#: A pointer to a table in the sentence: "(Table 2)", "(table 2)", "see Table 2", "Table 2 shows".
_TABLE_POINTER = re.compile(r"\btables?\s+(\d+)\b", re.I)
#: How many words before a number (and after it, :data:`ABOUT_AFTER`) name what it is of
#: ('Remission occurred in'), kept in its context as ``about=`` so that the checks can find its
#: row in a table and its twin in the text.
ABOUT_WORDS = 10
ABOUT_AFTER = 6


def _about(sentence: str, start: int, end: int) -> str:
    """The words of the number's clause next to it: up to ten before it (after the last number or
    bracket), its own match's, and up to six after it (to the next number or punctuation)."""
    head = sentence[max(0, start - 150) : start]
    before = re.split(r"[;:()\[\]]|\b\d[\d.,]*\b", head)[-1]
    word = r"[A-Za-z][A-Za-z'-]*"
    if head.rstrip().endswith("(") or re.search(r"\(\s*[A-Za-z][\w-]{0,6}\s*[=:]\s*$", head):
        # '(Ki = 11.21', '(n = 180)': a symbol in brackets names nothing; the words before the bracket do
        before = re.split(r"[;:()\[\]]|\b\d[\d.,]*\b", head[: head.rfind("(")])[-1] + " " + before
    after = re.split(r"[;:,.()\[\]]|\b\d[\d.,]*\b", sentence[end : end + 150])[0]
    words = re.findall(word, before)[-ABOUT_WORDS:] + re.findall(word, sentence[start:end]) + re.findall(word, after)[:ABOUT_AFTER]
    return " ".join(words)


def _pointer(sentence: str, at: int) -> str | None:
    """The table the sentence points to, the pointer nearest the number."""
    found = [(abs(m.start() - at), m.group(1)) for m in _TABLE_POINTER.finditer(sentence)]
    return min(found)[1] if found else None


@dataclass(slots=True)
class Claim:
    """A number (or set of numbers) the text reports."""

    index: int
    page: int
    bbox: list[float]
    kind: str
    subject: str
    values: dict[str, str] = field(default_factory=dict)  # named numbers exactly as printed
    span: str = ""  # the matched words
    #: What the sentence says about the number, as tags: 'change' (a reduction, a difference),
    #: 'before' or 'after' (the timing named last before it), 'group=<name>' (a group the paper
    #: defines elsewhere, named in the same sentence), 'table=<n>' (the sentence points to
    #: table n) and 'about=<words>' (the words of its clause next to it, that name what it is of).
    context: str = ""
    #: Which sentence of the body (1-based) the claim is in.
    sentence: int = 0
    #: Reference entries (their ``index`` in references.csv) the sentence cites, or, when it
    #: cites none, the one entry that both sentences around it cite alone (the paper is still
    #: describing that study).
    refs: list[int] = field(default_factory=list)
    #: Stable across runs while the text does not change: page, kind, a hash of the words, and
    #: which occurrence of the same words on that page it is.
    claim_id: str = ""


def sentences(text: BodyText) -> list[tuple[int, int]]:
    """(start, end) offsets of sentences: split after . ! ? before a capital (not after 'et al.',
    'e.g.', an initial or an abbreviation) and where a line starts with a bullet."""
    cuts = {s for s in text.line_starts if re.match(r"[•▪◦●–-]\s", text.text[s : s + 2])}
    for m in re.finditer(r"(?<=[.!?])\s+(?=[A-Z(\[])", text.text):
        before = text.text[max(0, m.start() - 6) : m.start()]
        if not re.search(r"(?:\bet al\.|\be\.g\.|\bi\.e\.|\b[A-Z]\.|\bvs\.|\bFig\.|\bNo\.)$", before):
            cuts.add(m.end())
    edges = [0, *sorted(c for c in cuts if 0 < c < len(text.text)), len(text.text)]
    return [piece for a, b in zip(edges, edges[1:]) for piece in _bounded(text.text, a, b)]


#: Text this long without a sentence end is no sentence (a flattened table, a hostile PDF): it is
#: read in pieces, so that every pattern sees bounded input and the time stays linear.
LONGEST_SENTENCE = 5000


def _bounded(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) cut at spaces into pieces of at most :data:`LONGEST_SENTENCE` characters."""
    pieces = []
    while end - start > LONGEST_SENTENCE:
        cut = text.rfind(" ", start + LONGEST_SENTENCE // 2, start + LONGEST_SENTENCE) + 1 or start + LONGEST_SENTENCE
        pieces.append((start, cut))
        start = cut
    return [*pieces, (start, end)]


GENERIC = {"follow_up", "patients", "studies"}


def _subject(sentence: str, at: int, subjects: dict[str, str] = SUBJECTS) -> str:
    """The measure named nearest before ``at`` (else after it) in the sentence; a specific
    measure (the review's, age...) wins over a generic one (patients, follow-up)."""
    best: tuple[bool, int, str] | None = None
    lower = sentence.lower()
    for name, pattern in subjects.items():
        for m in re.finditer(pattern, lower):
            distance = at - m.end() if m.end() <= at else (m.start() - at) + 1000
            key = (name in GENERIC, distance, name)
            if best is None or key < best:
                best = key
    return best[2] if best else ""


def _values(kind: str, m: re.Match[str]) -> dict[str, str]:
    values = {k: v.strip() for k, v in m.groupdict().items() if v is not None and k not in ("subject", "also")}
    for key in ("ga", "gb"):  # "29% in the intervention group v 21% ...": the groups as named
        if kind == "comparison" and key in values:
            values[key] = re.sub(r"^(?:in|for|among|of)\s+(?:the\s+)?", "", values[key].strip(" ,")).strip()
            if not values[key]:
                del values[key]
    if "sd2" in values:  # "7.2% (SD 1.1)": the same standard deviation as "7.2 ± 1.1%"
        values["sd"] = values.pop("sd2")
    for key in ("value", "value2", "alt", "alt2", "signed"):
        if kind == "points" and key in values:  # '+ 2.3' as '+2.3'
            values[key] = re.sub(r"^([+−-])\s+", r"\1", values[key])
    for alternative, key in (("value2", "value"), ("alt2", "alt"), ("metric2", "metric"), ("signed", "value")):
        if kind in ("score", "points") and alternative in values and key not in values:  # the other order of the same words
            values[key] = values.pop(alternative)
    if kind == "group":  # 'categorized into moderate' -> 'moderate'; 'Severe Diabetes Group' stays
        words = values["name"].split()
        values["name"] = values["name"] if all(w[0].isupper() for w in words) else words[-1]
    return values


_BETWEEN = re.compile(r"\bbetween\s+(?P<x>[^,;:()]{1,60}?)\s+and\s+(?P<y>[^,;:()]{1,60}?)(?=\s*(?:[(:,;]|\bwas\b|\bis\b|$))", re.I)


def subject_of(words: str, vocabulary: Vocabulary = GENERIC_VOCABULARY) -> tuple[str, set[str]]:
    """The measure a few words name and whether they mean its change: 'X reduction' ->
    ('x', {'change'}) for a review measure x, 'follow-up duration' -> ('follow_up', set())."""
    return _subject(words, len(words), vocabulary.subjects()), {"change"} if _CHANGE.search(words) else set()


def _correlated(head: str) -> dict[str, str]:
    """The two measures a correlation is between ('between duration and X reduction'), as printed."""
    found = list(_BETWEEN.finditer(head))
    return {"x": found[-1].group("x").strip(), "y": found[-1].group("y").strip()} if found else {}


def _sentence_refs(spans: Sequence[tuple[int, int]], citations: Sequence[Citation]) -> list[list[int]]:
    """The entries each sentence cites; a sentence citing nothing between two that cite the
    same single entry is about that entry too."""
    marks = sorted((c.offset, c.reference) for c in citations if c.where == "body" and c.offset is not None and c.reference is not None)
    offsets = [m[0] for m in marks]
    refs = [sorted({r for _, r in marks[bisect_left(offsets, a) : bisect_left(offsets, b)]}) for a, b in spans]
    for i in range(1, len(refs) - 1):
        if not refs[i] and len(refs[i - 1]) == 1 and refs[i - 1] == refs[i + 1]:
            refs[i] = list(refs[i - 1])
    return refs


def _study_scope(sentence: str, m: re.Match[str], previous_end: int, next_start: int) -> dict[str, str]:
    """What a count of studies is a count of: the abbreviations qualifying it ('ABC', 'XY-DEF')
    from its own words, the word before the bracket it stands in, and the words since the
    previous count of studies (else up to the next); ``whole`` when the words say the count is
    of all included studies."""
    tokens = _ACRONYM.findall(m.group("what"))
    stack: list[int] = []
    for i, ch in enumerate(sentence[: m.start()]):
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            stack.pop()
    if stack:  # inside a bracket: the word before it heads the bracket ("ABC (10 studies, ...)")
        tokens += _ACRONYM.findall(" ".join(sentence[: stack[-1]].split()[-1:]))
    before = sentence[previous_end : m.start()]
    tokens += _ACRONYM.findall(before)
    after = sentence[m.end() : next_start]
    if not tokens:
        tokens = _ACRONYM.findall(after)
    scope: dict[str, str] = {}
    if tokens:
        scope["scope"] = " ".join(dict.fromkeys(tokens))
    if _WHOLE.search(m.group(0)) or _WHOLE.search(after[:60]):
        scope["whole"] = "yes"
    return scope


def extract_claims(body: Sequence[Piece] | BodyText, citations: Sequence[Citation] = (), vocabulary: Vocabulary = GENERIC_VOCABULARY, tables: Sequence[Table] = ()) -> list[Claim]:
    """Every checkable number in the body text, in reading order, with the entries its sentence
    cites (``citations`` from :func:`curate.extract.citations.extract_citations` on the same body);
    what each is about in the words of the review (``vocabulary``). Words printed inside one of
    ``tables`` are the table's cells, read as such: never a claim of the text."""
    text = body if isinstance(body, BodyText) else BodyText(body)
    in_table = _table_words(text, tables)
    group_re = vocabulary.group()
    subjects = vocabulary.subjects()
    # the group definitions before the counts (as a count inside one is not a count), the
    # review's categories last: (kind, pattern, the category a match names)
    first_count = next(i for i, (k, _, _) in enumerate(_PATTERNS) if k == "count")
    patterns = [*((k, p, "", n) for k, p, n in _PATTERNS[:first_count]), ("group", group_re, "", (("(",),)), *((k, p, "", n) for k, p, n in _PATTERNS[first_count:])]
    patterns += [("category", p, name, ()) for name, p in vocabulary.category_patterns()]
    # what each pattern needs of a sentence, as a set of groups of words (one of each group):
    # a sentence's groups are found once, so that a pattern is skipped by one set test
    needs_of = [frozenset(frozenset(group) for group in needs) for _, _, _, needs in patterns]
    word_groups = sorted({group for needs in needs_of for group in needs}, key=sorted)
    hints = sorted({word for group in word_groups for word in group} - set(_FIGURE))
    groups = sorted({m.group("name").split()[-1] if not all(w[0].isupper() for w in m.group("name").split()) else m.group("name") for m in group_re.finditer(text.text)}, key=str.lower)
    groups = [g for g in groups if not re.fullmatch(r"[A-Z0-9]{2,}", g)]  # 'ABC (X >= 6.2%)' is an inclusion criterion, not a group
    claims: list[Claim] = []
    heading_group: str | None = None  # a group named by a list header ("... Group (X >8%):")
    spans = sentences(text)
    sentence_refs = _sentence_refs(spans, citations)
    breaks = _line_breaks(text)
    for number, (start, end) in enumerate(spans, start=1):
        sentence, at = _unbroken(text.text, start, end, breaks)
        refs = sentence_refs[number - 1]
        bullet = bool(re.match(r"\s*[•▪◦●–-]\s", sentence))
        inherited = None
        if sentence.rstrip().endswith(":"):  # a list header: its group holds for the items under it
            heading_group = _named_group(sentence, groups)
        elif bullet:
            inherited = heading_group
        else:
            heading_group = None
        found: list[tuple[str, re.Match[str]]] = []
        named_category: dict[int, str] = {}  # match start -> the category it names
        pointed = _TABLE_POINTER.search(sentence) is not None
        folded = _folded(sentence)
        present = {word for word in hints if word in folded}
        if _HAS_FIGURE.search(sentence):
            present.update(_FIGURE)
        held = {group for group in word_groups if not present.isdisjoint(group)}
        for (kind, pattern, category, _), needs in zip(patterns, needs_of):
            if pattern is TABLED_COUNT and not pointed:
                continue
            if not needs <= held:
                continue
            for m in pattern.finditer(sentence):
                if kind == "comparison":  # "29% v 21% of participants" is one comparison, not a percent
                    found = [(k, a) for k, a in found if k != "percent" or not (a.start() < m.end() and m.start() < a.end())]
                if any(a.start() < m.end() and m.start() < a.end() for _, a in found):
                    continue  # a p inside an effect, a count inside a split: counted once
                if not _quantity(kind, m):
                    continue
                if kind == "category" and len(refs) != 1:
                    continue  # a category is checkable only against the one study the sentence is about
                found.append((kind, m))
                if category:
                    named_category[m.start()] = category
        for kind, m in _percent_list(sentence, found):
            found = [(k, a) for k, a in found if k != "percent" or not (a.start() < m.end() and m.start() < a.end())] + [(kind, m)]
        found += _percent_pairs(sentence, found)
        found += _notation(sentence, found)
        found.sort(key=lambda f: f[1].start())
        studies = [m for kind, m in found if kind == "count" and _counted(m) in ("studies", "trials")]
        for kind, m in found:
            if in_table and all(k in in_table for k in text.words_between(at[m.start()], at[m.end() - 1] + 1)):
                continue
            page, box = text.where(at[m.start()], at[m.end() - 1] + 1)
            subject = _subject(sentence, m.start(), subjects) if kind not in ("count", "split", "percent", "share") else _counted(m)
            unit = (m.groupdict().get("unit") or "").lower()
            if unit.startswith(("month", "week", "day")) or kind in ("duration", "timepoint"):
                subject = "follow_up"  # a duration in months is a follow-up, whatever measure the sentence names
            elif kind == "dose":
                subject = "dose"
            elif kind == "category":
                subject = named_category[m.start()]
            named = groups if kind != "group" else []
            context = _context(sentence, m.end(), named, inherited if kind != "group" else None)
            if kind == "count" and subject == "patients" and (_SIZE_BEFORE.search(sentence[max(0, m.start() - 20) : m.start()]) or _SIZE_AFTER.search(sentence[m.end() :])):
                context = ";".join(filter(None, [context, "size"]))
            pointer = _pointer(sentence, m.start())
            context = ";".join(filter(None, [context, f"table={pointer}" if pointer else "", f"about={_about(sentence, m.start(), m.end())}"]))
            values = _values(kind, m)
            if kind == "correlation":
                values |= _correlated(sentence[: m.end()])
            if m in studies:
                i = studies.index(m)
                values |= _study_scope(sentence, m, studies[i - 1].end() if i else 0, studies[i + 1].start() if i + 1 < len(studies) else len(sentence))
            claims.append(Claim(0, page, [round(v, 2) for v in box], kind, subject, values, m.group(0).strip(), context, number, refs))
    seen: dict[tuple[int, str, str], int] = {}
    for index, claim in enumerate(claims, start=1):
        claim.index = index
        key = (claim.page, claim.kind, claim.span)
        seen[key] = seen.get(key, 0) + 1
        digest = hashlib.sha1(claim.span.encode("utf-8")).hexdigest()[:6]
        claim.claim_id = f"c{claim.page:02d}-{claim.kind}-{digest}-{seen[key]}"
    return claims


def _table_words(text: BodyText, tables: Sequence[Table]) -> set[int]:
    """The body's words (by index) whose centre lies inside a table's box on its page."""
    boxes: dict[int, list[tuple[float, float, float, float]]] = {}
    for table in tables:
        for part in table.parts:
            x0, top, x1, bottom = part.bbox
            boxes.setdefault(part.page, []).append((x0, top, x1, bottom))
    if not boxes:
        return set()
    inside = set()
    for k, page, (wx0, wtop, wx1, wbottom) in text.boxes_on(boxes):
        x, y = (wx0 + wx1) / 2, (wtop + wbottom) / 2
        if any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes[page]):
            inside.add(k)
    return inside


def _line_breaks(text: BodyText) -> list[int]:
    """Offsets of the hyphens that end a line inside a word ('sub-' + 'jects')."""
    return [s - 1 for s in text.line_starts if s > 1 and text.text[s - 1] == "-" and text.text[s - 2].islower() and text.text[s : s + 1].islower()]


#: A number word a line-end hyphen joins to the next ('twenty-' + 'one'): that hyphen is the word's own.
_NUMBER_PREFIX = re.compile(rf"(?:{'|'.join(_TENS)})-$", re.I)


def _unbroken(full: str, start: int, end: int, breaks: Sequence[int]) -> tuple[str, list[int]]:
    """The sentence ``full[start:end]`` with the hyphens that only break a word at a line end
    taken out ('sub-jects' reads 'subjects', so a count of subjects is found), and the offset in
    ``full`` of each of its characters."""
    cut = [b for b in breaks[bisect_left(breaks, start) : bisect_left(breaks, end)] if not _NUMBER_PREFIX.search(full[max(start, b - 8) : b + 1])]
    offsets: list[int] = []
    pieces: list[str] = []
    last = start
    for b in cut:
        pieces.append(full[last:b])
        offsets.extend(range(last, b))
        last = b + 1
    pieces.append(full[last:end])
    offsets.extend(range(last, end))
    return "".join(pieces), offsets


def _folded(sentence: str) -> str:
    """The sentence lowercased as ``re.I`` folds letters: every letter a case-insensitive pattern
    matches as an ASCII letter becomes that letter (the long s and the dotless i too)."""
    return sentence.lower().replace("ſ", "s").replace("ı", "i")


def _counted(m: re.Match[str]) -> str:
    """What a count counts, in the plural ('ABC studies' -> 'studies', 'patient' -> 'patients')."""
    what = m.groupdict().get("what")
    if what == "":
        return ""  # "(n=180)": a count of what the words before it name
    word = (what or "patients").split()[-1].lower()
    return SINGULAR.get(word, word)


#: Percentages listed in one sentence ("59% rated it very good, 40% good and only 1% poor").
_PERCENT_LIST = re.compile(r"(?<![\w.,])(?P<p1>\d+(?:\.\d+)?)\s*%(?:[^%.;\d\[\]()]{0,70}?(?<![\w.,])(?P<p2>\d+(?:\.\d+)?)\s*%)(?:[^%.;\d\[\]()]{0,70}?(?<![\w.,])(?P<p3>\d+(?:\.\d+)?)\s*%)(?:[^%.;\d\[\]()]{0,70}?(?<![\w.,])(?P<p4>\d+(?:\.\d+)?)\s*%)?(?:[^%.;\d\[\]()]{0,70}?(?<![\w.,])(?P<p5>\d+(?:\.\d+)?)\s*%)?")


def _percent_list(sentence: str, taken: list[tuple[str, re.Match[str]]]) -> list[tuple[str, re.Match[str]]]:
    """Three to five percentages in a row that no other claim holds: the shares of one whole
    (kind ``percents``: ``p1``..``p5`` as printed), so that they can be added up."""
    found = []
    for m in _PERCENT_LIST.finditer(sentence):
        if not any(a.start() < m.end() and m.start() < a.end() for k, a in taken if k != "percent"):
            found.append(("percents", m))
    return found


#: Two shares of one whole in one clause: "41% of the 1077 admissions were during the day shift
#: and 59% during the night shift" (the second share is of no other whole: no "of" after it).
_PERCENT_PAIR = re.compile(
    r"(?<![\w.,])(?P<p1>\d+(?:\.\d+)?)\s*%\s+of\s+(?:the\s+)?(?:\d[\d,]*\s+)?[A-Za-z][^%;:]{0,120}?\s+and\s+(?:the\s+(?P<rest>remaining|rest|other)\s+)?"
    r"(?P<p2>\d+(?:\.\d+)?)\s*%(?!\s*of\b)(?=\s+(?:during|in|at|on|for|were|was|had|did)\b)"
)


def _percent_pairs(sentence: str, taken: list[tuple[str, re.Match[str]]]) -> list[tuple[str, re.Match[str]]]:
    """Two shares of one whole (kind ``percents``: ``p1``, ``p2``; ``rest`` when the second is
    'the remaining'), unless a list of shares already holds them; the first stays a percent too."""
    return [("percents", m) for m in _PERCENT_PAIR.finditer(sentence) if not any(k == "percents" and a.start() <= m.start("p2") < a.end() for k, a in taken)]


#: A notation the sentence defines for the values it gives: "(N: mean/median)", "(mean/SD)".
_STATS = {"mean": "mean", "average": "mean", "median": "median", "sd": "sd", "s.d.": "sd", "se": "se", "sem": "se", "s.e.m.": "se"}
_NOTATION = re.compile(r"[(:]\s*(?:[A-Za-z]\w{0,5}\s*[:=]\s*)?(?P<names>(?:mean|average|median|SD|S\.D\.|SEM?|S\.E\.M\.)(?:\s*/\s*(?:mean|average|median|SD|S\.D\.|SEM?|S\.E\.M\.)){1,2})\s*\)", re.I)


def _notation(sentence: str, taken: list[tuple[str, re.Match[str]]]) -> list[tuple[str, re.Match[str]]]:
    """Values printed in a notation the sentence defined before them ("a number (N: mean/median)
    ... NEDC = 2.25/2"): each 'a/b' after the notation is a mean (or median) with the other
    statistics it names; kind ``mean`` (``value``, ``median``, ``sd``, ``se`` as named), else ``median``."""
    found: list[tuple[str, re.Match[str]]] = []
    for defined in _NOTATION.finditer(sentence):
        names = [_STATS[n.strip().lower()] for n in defined.group("names").split("/")]
        kind = "mean" if names[0] == "mean" else "median"
        names[0] = "value"
        if len(set(names)) != len(names):
            continue
        groups = r"\s*/\s*".join(rf"(?P<{n}>{NUM})" for n in names)
        values = re.compile(rf"(?<=[=:])\s*{groups}(?![\d/])")
        for m in values.finditer(sentence, defined.end()):
            if not any(a.start() < m.end() and m.start() < a.end() for _, a in taken + found):
                found.append((kind, m))
    return found


def _quantity(kind: str, m: re.Match[str]) -> bool:
    """A number that is a quantity: a count is not a table, figure, page or reference number nor
    a year; a median or mean is not the whole of a proportion ('median ... four of 14')."""
    if kind == "count":
        before = m.string[: m.start("n")]
        n = m.group("n")
        if _LABEL_BEFORE.search(before) or (re.fullmatch(r"(?:19|20)\d\d", n) and _YEAR_BEFORE.search(before)):
            return False
        if re.search(r"\b\d+\b|\b(?:tables?|figures?|fig)\b", m.group("what") or "", re.I):
            return False  # "1 Table 1 Patient": a running head or caption, not a count
        if not m.group("what"):
            return True  # "(n=180)"
        return _counts(m)
    if kind in ("mean", "measure", "fold", "score", "points") and _LABEL_BEFORE.search(m.string[: m.start()]):
        return False  # 'Table 2 ± 4', 'Figure 3 mm'
    if kind == "score" and "also" in m.groupdict():
        return any(not _LABEL_BEFORE.search(m.string[: s.start()]) for s in SCORE.finditer(m.string, 0, m.start()))  # only after a score
    if kind in ("median", "mean"):
        return not re.search(rf"\b{COUNT_WORD}\s+(?:of|out of)\s*$", m.string[: m.start("value")], re.I)
    return True


def _counts(m: re.Match[str]) -> bool:
    """A real count: a number (or number word), and a singular noun only after 'one'."""
    n = m.group("n").lower()
    if not re.search(r"\d", n) and n not in WORDS:
        return False
    singular = m.group("what").split()[-1].lower() in SINGULAR
    return not singular or n in ("one", "1")


def write_claims_csv(claims: Iterable[Claim], path: Path) -> None:
    """``claims.csv``: one row per claim, ``values`` as JSON of strings, written atomically."""
    rows = [
        [c.claim_id, c.index, c.page, json.dumps(c.bbox), c.kind, c.subject, json.dumps(c.values, ensure_ascii=False), c.span, c.context, c.sentence, ";".join(map(str, c.refs))]
        for c in claims
    ]
    write_csv(path, [COLUMNS, *rows])
