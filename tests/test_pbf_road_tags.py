"""The pass over the drivable ways keeps every way's tags as written, whatever their text.

The tags travel through libosmium's OPL text, which escapes spaces, commas, ``=``,
``%``, line breaks and most non-Latin characters: generated ways with such values
must come back exactly, in PBF and in XML, with the refused ways left out.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from geo_osm_support import write_osm

from ctz.geo.network.tags import DRIVE_HIGHWAYS
from ctz.geo.pbf import roads
from ctz.geo.pbf.roads import read_ways

PIECES = ("长沙", "大道", "x y", ",", "=", "%", "%20%", " N", " T", "\n", "é", "😀", "-1", "a")
"""Text pieces of generated names and refs: OPL's separators and escapes among them."""

ONEWAY = {"yes": 1, "-1": -1, "reverse": -1, "no": 0, "true": 1, "both ways": 0}
MAXSPEED = {"60": 60.0, "40;60": 40.0, "30 mph": 30 * 1.609344, "none": np.nan, "CN:urban": np.nan}
LANES = {"2": 2.0, "2;3": 2.0, "many": np.nan}
REFUSING = [("access", "private"), ("access", "no"), ("area", "yes"), ("motorcar", "no")]
HARMLESS = [("access", "yes"), ("motor_vehicle", "yes"), ("surface", "asphalt"), ("lit", "yes")]

SEEDS = [1, 2, 3]


def text(rng: np.random.Generator) -> str:
    """A name or ref of 0–4 pieces."""
    return "".join(rng.choice(PIECES, size=int(rng.integers(0, 5))).tolist())


def random_ways(rng: np.random.Generator, n: int) -> tuple[list[tuple], list[tuple]]:
    """Nodes and ``n`` ways with random tags; some ways refer to nodes the file lacks."""
    nodes: list[tuple] = [(k, 112.9 + k * 1e-4, 28.1 - k * 1e-4, {}) for k in range(1, 60)]
    ways = []
    for way_id in range(1, n + 1):
        refs = rng.integers(1, 70, size=int(rng.integers(2, 7))).tolist()  # ids ≥ 60: missing
        tags = {"highway": str(rng.choice([*DRIVE_HIGHWAYS, "footway", "service"]))}
        for key, table in (("oneway", ONEWAY), ("maxspeed", MAXSPEED), ("lanes", LANES)):
            if rng.random() < 0.5:
                tags[key] = str(rng.choice(list(table)))
        for key in ("name", "ref"):
            if rng.random() < 0.7:
                tags[key] = text(rng)
        if rng.random() < 0.2:
            tags["junction"] = "roundabout"
        extra = REFUSING if rng.random() < 0.2 else HARMLESS
        tags.update([extra[int(rng.integers(len(extra)))]])
        ways.append((way_id, refs, tags))
    return nodes, ways


def direction(tags: dict[str, str]) -> int:
    """Expected travel direction: roundabouts are one-way along the nodes."""
    oneway = ONEWAY.get(tags.get("oneway", ""), 0)
    return oneway if oneway else int(tags.get("junction") == "roundabout")


@pytest.mark.parametrize("suffix", [".osm.pbf", ".osm"])
@pytest.mark.parametrize("seed", SEEDS)
def test_tags_come_back_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int, suffix: str
) -> None:
    monkeypatch.setattr(roads, "CHUNK_VERTICES", 16)  # many text chunks
    rng = np.random.default_rng(seed)
    nodes, ways = random_ways(rng, 300)
    found = read_ways(write_osm(tmp_path / f"random{suffix}", nodes, ways), progress=False)
    kept = [
        (way_id, refs, tags)
        for way_id, refs, tags in ways
        if tags["highway"] in DRIVE_HIGHWAYS and not any(tags.get(k) == v for k, v in REFUSING)
    ]
    assert 100 < len(kept) < len(ways)
    assert found.way.tolist() == [way_id for way_id, _, _ in kept]
    assert found.node.tolist() == [ref for _, refs, _ in kept for ref in refs]
    assert np.diff(found.start).tolist() == [len(refs) for _, refs, _ in kept]
    known = {node_id: (lon, lat) for node_id, lon, lat, _ in nodes}
    lon = [known.get(ref, (np.nan, np.nan))[0] for _, refs, _ in kept for ref in refs]
    np.testing.assert_allclose(found.lon, lon, rtol=0, atol=1e-7)
    for key, codes in (("name", found.name), ("ref", found.ref)):
        texts = [found.texts[c] if c >= 0 else None for c in codes.tolist()]
        assert texts == [tags.get(key) or None for _, _, tags in kept]
    assert [found.classes[c] for c in found.road_class] == [t["highway"] for _, _, t in kept]
    assert found.direction.tolist() == [direction(tags) for _, _, tags in kept]
    maxspeed = [MAXSPEED.get(tags.get("maxspeed", "none")) for _, _, tags in kept]
    np.testing.assert_allclose(found.maxspeed_kmh, np.array(maxspeed, dtype=float))
    lanes = [LANES.get(tags.get("lanes", "many")) for _, _, tags in kept]
    np.testing.assert_allclose(found.lanes, np.array(lanes, dtype=float))
