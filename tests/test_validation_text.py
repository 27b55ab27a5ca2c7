"""The ``--validate`` table speaks the reader's language: headers, units and verdict words."""

from __future__ import annotations

from typing import Any

import pytest

from ctz.maps.validation_text import validation_rows


def record(**changes: Any) -> dict[str, Any]:
    """A validation record shaped as ``validation_records`` returns it (a 50-min ride)."""
    base: dict[str, Any] = {
        "id": "czt_changsha_xiangtan_ride",
        "published": 50.0,
        "unit": "min",
        "model": 50.0,
        "ratio": 1.0,
        "within": True,
        "bound": 0.15,
        "measure": "scheduled_ride",
        "source": "三湘都市报 via rednet.cn",
        "date": "2017-01-24",
        "note": "",
    }
    return base | changes


@pytest.mark.parametrize(
    ("lang", "header", "unit", "yes", "no", "absent"),
    [
        ("zh", "公布值", "分钟", "是", "否", "未建模"),
        ("en", "published", "min", "yes", "NO", "not modelled"),
    ],
)
def test_rows_speak_the_language_asked_for(
    lang: str, header: str, unit: str, yes: str, no: str, absent: str
) -> None:
    records = [
        record(),
        record(id="off", model=70.0, ratio=1.4, within=False),
        record(id="missing", model=None, ratio=None, within=False, measure="not_modelled"),
    ]
    rows = validation_rows(records, lang)
    assert [len(r) for r in rows] == [7, 7, 7]
    within = list(rows[0])[4]
    assert rows[0][header] == f"50 {unit}"
    assert rows[0][within] == f"{yes} (±15%)"
    assert rows[1][within] == f"{no} (±15%)"
    assert rows[2][within] == absent
    assert [r[list(r)[2]] for r in rows] == ["50", "70", "-"]


def test_published_value_rounds_to_what_a_planner_reads() -> None:
    row = validation_rows([record(published=4.866666, unit="min")], "en")[0]
    assert row["published"] == "4.87 min"
