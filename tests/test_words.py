"""Visible words in both languages and numbers as a planner writes them."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from ctz.catalog.model import ITEM_KINDS, ITEM_STATUSES
from ctz.checks.result import VERDICTS
from ctz.words import MISSING, WORDS, planner_number, word

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_verdict_status_and_kind_has_a_word_in_each_language() -> None:
    for key in (*VERDICTS, *ITEM_STATUSES, *ITEM_KINDS):
        assert CJK.search(word(key, "zh")), key
        assert not CJK.search(word(key, "en")), key
    assert [word(v, "zh") for v in ("met", "not_met", "unknown")] == ["达标", "未达标", "未知"]
    statuses = ("existing", "under_construction", "planned", "study", "upgrade")
    assert [word(s, "zh") for s in statuses] == ["已建成", "在建", "规划", "研究", "改扩建"]


def test_english_words_hold_no_chinese() -> None:
    assert not [key for key, (_, en) in WORDS.items() if CJK.search(en)]


@pytest.mark.parametrize("seed", range(5))
def test_planner_numbers_over_random_values(seed: int) -> None:
    values = np.random.default_rng(seed).uniform(0, 2e7, 200)
    for value in values:
        minutes = planner_number(value, "minutes")
        assert minutes == f"{round(value):,}" and "." not in minutes
        people = planner_number(value, "people").replace(",", "")
        assert int(people) == round(value)
        share = planner_number(value / 2e7, "share")
        assert re.fullmatch(r"\d{1,3}\.\d%", share)
        assert abs(float(share[:-1]) - value / 2e5) <= 0.05 + 1e-9
        assert re.fullmatch(r"[\d,]+(\.\d)?", planner_number(value, "plain"))


def test_missing_values_are_a_dash() -> None:
    for missing in (None, float("nan"), np.nan, pd.NA):
        for kind in ("minutes", "share", "people", "count", "km", "plain"):
            assert planner_number(missing, kind) == MISSING
    assert planner_number(3.0, "count") == "3"  # no false precision
    assert planner_number(71.68, "minutes") == "72"


@pytest.mark.parametrize("seed", range(3))
def test_labels_go_on_two_lines_and_are_cut_only_past_two(seed: int) -> None:
    from ctz.maps.labels import two_lines

    rng = np.random.default_rng(seed)
    for _ in range(200):
        limit = int(rng.integers(6, 40))
        words = ["".join(rng.choice(list("abcdefg"), int(rng.integers(1, 12)))) for _ in range(9)]
        text = " ".join(words)[: int(rng.integers(1, 3 * limit))]
        lines = two_lines(text, limit).split("\n")
        assert len(lines) <= 2 and all(len(line) <= limit for line in lines)
        if len(text) <= 2 * limit:  # whole: nothing cut, the break replaces a space or none
            assert text in ("".join(lines), " ".join(lines))
            assert "…" not in two_lines(text, limit)
        else:
            assert lines[-1].endswith("…")


def test_changes_are_signed_with_one_decimal() -> None:
    assert [planner_number(v, "change") for v in (0.0, 0.02, -1.26, 12.0)] == [
        "+0.0",
        "+0.0",
        "-1.3",
        "+12.0",
    ]
