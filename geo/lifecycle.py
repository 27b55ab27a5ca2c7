"""What stage a matched item has reached in OpenStreetMap: open, being built or proposed.

An item matched to several elements (a road is many ways) may be open along
part of its length and under construction along the rest; its state is the
stage holding most of it, with the km, element ids and ``opening_date`` /
``start_date`` tags as evidence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ctz.geo.item_tags import LIFECYCLE_STAGES, OPEN, lifecycle_state

STAGES: tuple[str, ...] = (OPEN, *LIFECYCLE_STAGES)
"""Lifecycle states, most advanced first: ``open``, ``construction``, ``proposed``."""

ONE_WAY_VALUES = frozenset({"yes", "true", "1", "-1"})
"""``oneway`` values of a way carrying traffic one way only."""


def carriageway_share(tags: Mapping[str, str]) -> float:
    """Return how much of a way's length counts as road length: 0.5 for one carriageway.

    A dual carriageway is mapped as two one-way ways, so each counts half; a
    motorway (built, being built or proposed) is one-way unless tagged otherwise.
    """
    oneway = tags.get("oneway")
    if oneway is not None:
        return 0.5 if oneway in ONE_WAY_VALUES else 1.0
    classes = {tags.get("highway"), tags.get("construction"), tags.get("proposed")}
    return 0.5 if "motorway" in classes else 1.0


@dataclass(frozen=True)
class Lifecycle:
    """The stage a matched item has reached, with the evidence.

    Attributes
    ----------
    state
        One of :data:`STAGES`: the stage holding most km (lines) or most elements,
        the more advanced on a tie.
    km
        Road length of the matched ways in each stage, a one-way carriageway
        counted half (:func:`carriageway_share`); 0 for points and areas.
    osm_ids
        The matched elements in each stage.
    opening_date, start_date
        The latest ``opening_date`` and earliest ``start_date`` tag among them, if any.
    element_km
        Each element's road length (as summed into ``km``), so totals over several
        items can count a way two items share once.
    """

    state: str
    km: dict[str, float] = field(default_factory=dict)
    osm_ids: dict[str, list[str]] = field(default_factory=dict)
    opening_date: str | None = None
    start_date: str | None = None
    element_km: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the lifecycle as JSON-ready data."""
        return {
            "state": self.state,
            "km": self.km,
            "osm_ids": self.osm_ids,
            "opening_date": self.opening_date,
            "start_date": self.start_date,
            "element_km": self.element_km,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Lifecycle:
        """Rebuild a lifecycle written by :meth:`to_dict`."""
        return cls(
            state=str(data["state"]),
            km={k: float(v) for k, v in data["km"].items()},
            osm_ids={k: list(v) for k, v in data["osm_ids"].items()},
            opening_date=data.get("opening_date"),
            start_date=data.get("start_date"),
            element_km={k: float(v) for k, v in data["element_km"].items()},
        )


def lifecycle_of(
    osm_ids: Sequence[str], tags: Sequence[Mapping[str, str]], lengths_km: np.ndarray
) -> Lifecycle:
    """Sum the stages of an item's matched elements.

    Parameters
    ----------
    osm_ids, tags
        The elements and their tags.
    lengths_km
        Each element's length in km (zeros for points and areas).

    Returns
    -------
    Lifecycle
    """
    states = np.array([lifecycle_state(t) for t in tags], dtype=object)
    shares = np.array([carriageway_share(t) for t in tags], dtype=float)
    lengths = np.asarray(lengths_km, dtype=float) * shares
    km = {s: round(float(lengths[states == s].sum()), 2) for s in STAGES if (states == s).any()}
    counts = np.array([(states == s).sum() for s in STAGES], dtype=float)
    weights = np.array([km.get(s, 0.0) for s in STAGES]) if lengths.sum() > 0 else counts
    state = STAGES[int(np.argmax(weights))]  # argmax keeps the first (most advanced) on ties
    opening = sorted(t["opening_date"] for t in tags if t.get("opening_date"))
    start = sorted(t["start_date"] for t in tags if t.get("start_date"))
    return Lifecycle(
        state=state,
        km=km,
        osm_ids={s: [i for i, x in zip(osm_ids, states, strict=True) if x == s] for s in km},
        opening_date=opening[-1] if opening else None,
        start_date=start[0] if start else None,
        element_km={i: round(float(k), 3) for i, k in zip(osm_ids, lengths, strict=True) if k > 0},
    )
