"""Which items a scenario switches on and which services it changes: built-in or a YAML file.

Built-in scenarios: ``existing`` (items open today, the baseline every
scenario is compared with), ``all`` (every item) and a year such as ``2025``
(today plus the items under construction or planned with a target year up to
it). A scenario file names a ``base`` (a built-in, or another scenario file
relative to it; ``existing`` when omitted) and changes it::

    name: intercity every 10 minutes      # optional; the file name otherwise
    base: "2025"
    switch_on: [changsha_zhuzhou_intercity]
    switch_off: [xinma_yunlong_donglu]
    services:
      czt_intercity_railway: {headway_min: 10}
      changsha_zhuzhou_intercity: {speed_kmh: 160, headway_min: 10}
    feeds: [s4_timetable.zip]             # relative to the file; their services are switched on
    note: free text

``headway_min`` applies to a rail service (its boarding waits become half of
it, timetabled or sketched); ``speed_kmh`` to a road or a sketched rail line (a
timetabled service's speed is its feed's run times). A file's changes apply on
top of its base's, so chains of files compose. Bad files raise
:class:`~ctz.base.InputError` in one line naming the file.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ctz.base import InputError
from ctz.catalog.load import default_seeds_dir
from ctz.catalog.suggest import did_you_mean
from ctz.catalog.yaml_files import read_yaml

BASELINE = "existing"
"""The scenario every other is compared with: items open today."""

FILE_FIELDS: frozenset[str] = frozenset(
    {"name", "base", "switch_on", "switch_off", "services", "feeds", "note"}
)
"""Keys a scenario file may have."""

SERVICE_FIELDS: frozenset[str] = frozenset({"headway_min", "speed_kmh"})
"""What a scenario file may change about one service."""


@dataclass(frozen=True)
class ServiceChange:
    """A change to one item's service: its headway (rail) or its speed (road, sketched rail)."""

    item_id: str
    headway_min: float | None = None
    speed_kmh: float | None = None


@dataclass(frozen=True)
class Scenario:
    """A scenario resolved down to a built-in one plus changes.

    Attributes
    ----------
    name
        How reports name it: the built-in's name, or the file's ``name`` or stem.
    builtin
        The built-in scenario at the root of its ``base`` chain.
    switch_on, switch_off
        Items switched on and off on top of ``builtin`` (off wins over the
        built-in, and a later file's on/off over an earlier's).
    services
        Service changes, one per item (a later file's value wins per field).
    feeds
        GTFS feeds whose services run in this scenario only.
    path
        The scenario file (None for a built-in).
    """

    name: str
    builtin: str = BASELINE
    switch_on: frozenset[str] = frozenset()
    switch_off: frozenset[str] = frozenset()
    services: tuple[ServiceChange, ...] = ()
    feeds: tuple[Path, ...] = ()
    path: Path | None = field(default=None, compare=False)

    @property
    def changes_network(self) -> bool:
        """True when the scenario changes services or adds feeds (the network is rebuilt)."""
        return bool(self.services or self.feeds)

    @property
    def label(self) -> str:
        """Name for messages: the file's path, or the built-in's name."""
        return str(self.path) if self.path else self.name


SHIPPED_SCENARIOS = default_seeds_dir() / "scenarios"
"""Scenario files shipped with ctz, found by file name when no such file is at hand
(``czt10.yaml``: the intercity every 10 minutes)."""


def load_scenario(spec: str | Path) -> Scenario:
    """Read a built-in scenario name or a scenario file.

    Parameters
    ----------
    spec
        ``existing``, ``all``, a year, or the path of a ``.yaml``/``.yml`` file
        (a bare file name not found is looked up in :data:`SHIPPED_SCENARIOS`).

    Returns
    -------
    Scenario

    Raises
    ------
    InputError
        When the name is neither a built-in nor an existing file, or the file
        (or one of its bases) is not a valid scenario file.
    """
    return _load(spec, Path.cwd(), ())


def scenario_items(items: pd.DataFrame, scenario: str | Scenario) -> tuple[set[str], set[str]]:
    """Split network items into the baseline and a scenario's set.

    Parameters
    ----------
    items
        Layer rows with ``item_id``, ``status`` (layer statuses) and ``target_year``.
    scenario
        A built-in name or a :class:`Scenario`.

    Returns
    -------
    baseline, scenario
        Item ids switched on in each.

    Raises
    ------
    InputError
        When a built-in name is unknown, a year adds no items, or a scenario
        file names an item the network does not have.
    """
    if isinstance(scenario, str):
        scenario = load_scenario(scenario)
    status = items["status"].to_numpy()
    ids = items["item_id"].to_numpy()
    baseline = set(ids[status == "existing"])
    named = scenario.switch_on | scenario.switch_off | {c.item_id for c in scenario.services}
    unknown = sorted(named - set(ids))
    if unknown:
        hint = did_you_mean(unknown[0], ids.tolist())
        raise InputError(f"scenario {scenario.label}: no network item '{unknown[0]}'{hint}")
    chosen = _builtin_items(items, scenario.builtin, baseline, strict=scenario.path is None)
    return baseline, (chosen | scenario.switch_on) - scenario.switch_off


def _builtin_items(items: pd.DataFrame, name: str, baseline: set[str], *, strict: bool) -> set[str]:
    """Items of a built-in scenario; an empty year is an error only when asked for directly."""
    if name == BASELINE:
        return set(baseline)
    ids = items["item_id"].to_numpy()
    if name == "all":
        return set(ids)
    year = int(name)
    status = items["status"].to_numpy()
    due = items["target_year"].fillna(10_000).to_numpy(dtype=int) <= year
    added = set(ids[(status != "existing") & due])
    if strict and not added:
        raise InputError(
            f"scenario {year}: no planned road or rail item has a target year ≤ {year}"
        )
    return baseline | added


def _load(spec: str | Path, relative_to: Path, seen: tuple[Path, ...]) -> Scenario:
    text = str(spec)
    if _is_builtin(text):
        return Scenario(name=text, builtin=text)
    path = Path(spec) if Path(spec).is_absolute() else relative_to / spec
    if path.suffix not in (".yaml", ".yml"):
        raise InputError(
            f"unknown scenario '{text}': use existing, all, a year such as 2025, "
            "or a scenario file (.yaml)"
        )
    shipped = SHIPPED_SCENARIOS / text
    if not path.is_file() and Path(text).name == text and shipped.is_file():
        path = shipped  # a scenario shipped with ctz, by name
    if not path.is_file():
        raise InputError(f"{path}: no such scenario file")
    if path.resolve() in seen:
        raise InputError(f"{path}: scenario files name each other as base in a loop")
    data = _read_yaml(path)
    base = _load(str(data.get("base", BASELINE)), path.parent, (*seen, path.resolve()))
    on, off = _ids(data, "switch_on", path), _ids(data, "switch_off", path)
    both = sorted(on & off)
    if both:
        raise InputError(f"{path}: '{both[0]}' is both switched on and off")
    feeds = tuple(_feed_path(f, path) for f in _list(data, "feeds", path))
    name = str(data.get("name") or path.stem)
    if _is_builtin(name):
        raise InputError(
            f"{path}: the name '{name}' is a built-in scenario's: give the file a 'name' of its own"
        )
    return Scenario(
        name=name,
        builtin=base.builtin,
        switch_on=(base.switch_on - off) | on,
        switch_off=(base.switch_off - on) | off,
        services=_merge(base.services, _services(data, path)),
        feeds=(*base.feeds, *feeds),
        path=path,
    )


def _is_builtin(name: str) -> bool:
    return name in (BASELINE, "all") or name.isdigit()


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = read_yaml(path)
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 text (byte {error.start})") from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None)
        detail = f"line {mark.line + 1}" if mark else problem
        where = f" ({detail})" if detail else ""
        raise InputError(f"{path}: not a valid YAML scenario file{where}") from error
    if not isinstance(data, dict):
        raise InputError(f"{path}: a scenario file is a mapping (base, switch_on, ...)")
    unknown = sorted(set(data) - FILE_FIELDS)
    if unknown:
        raise InputError(
            f"{path}: unknown key '{unknown[0]}' (use {', '.join(sorted(FILE_FIELDS))})"
        )
    return data


def _list(data: dict[str, Any], key: str, path: Path) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise InputError(f"{path}: '{key}' must be a list of names")
    return value


def _ids(data: dict[str, Any], key: str, path: Path) -> frozenset[str]:
    return frozenset(_list(data, key, path))


def _feed_path(feed: str, scenario_path: Path) -> Path:
    path = Path(feed) if Path(feed).is_absolute() else scenario_path.parent / feed
    if not path.exists():
        raise InputError(f"{scenario_path}: feed {path} does not exist")
    return path


def _services(data: dict[str, Any], path: Path) -> tuple[ServiceChange, ...]:
    services = data.get("services", {})
    if not isinstance(services, dict):
        raise InputError(f"{path}: 'services' must map item ids to changes")
    changes = []
    for item_id, change in services.items():
        if not isinstance(change, dict) or not change or set(change) - SERVICE_FIELDS:
            raise InputError(
                f"{path}: service '{item_id}' takes only {' and '.join(sorted(SERVICE_FIELDS))}"
            )
        for key, value in change.items():
            number = isinstance(value, int | float) and not isinstance(value, bool)
            if not number or not math.isfinite(value) or value <= 0:
                raise InputError(f"{path}: service '{item_id}': {key} must be a positive number")
        changes.append(
            ServiceChange(
                str(item_id),
                headway_min=_number(change.get("headway_min")),
                speed_kmh=_number(change.get("speed_kmh")),
            )
        )
    return tuple(changes)


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _merge(
    earlier: tuple[ServiceChange, ...], later: tuple[ServiceChange, ...]
) -> tuple[ServiceChange, ...]:
    """Service changes of a base and a file on top of it: per item and field, the later wins."""
    merged = {c.item_id: c for c in earlier}
    for change in later:
        old = merged.get(change.item_id, ServiceChange(change.item_id))
        merged[change.item_id] = ServiceChange(
            change.item_id,
            headway_min=change.headway_min if change.headway_min is not None else old.headway_min,
            speed_kmh=change.speed_kmh if change.speed_kmh is not None else old.speed_kmh,
        )
    return tuple(merged.values())
