"""The whole shipped catalog against the fake Overpass: query count, and the same matches as pbf."""

import itertools

import numpy as np
import pytest
import shapely
from geo_osm_support import FakeOverpass, write_osm
from pyproj import Geod
from shapely.geometry import LineString, Point, Polygon

from ctz.catalog.model import LINE_KINDS, Catalog
from ctz.geo.embedded import EmbeddedSource
from ctz.geo.osm.client import Endpoints
from ctz.geo.osm.overpass_source import OsmSource
from ctz.geo.pbf.extract_source import PbfSource

GEOD = Geod(ellps="WGS84")
IN_OSM = ("existing", "upgrade")
"""Statuses of the items the test data holds; planned and unbuilt ones are absent."""

ELEMENT_TAGS = {
    "expressway": {"highway": "motorway"},
    "trunk_road": {"highway": "trunk"},
    "urban_road": {"highway": "primary"},
    "intercity_rail": {"railway": "rail"},
    "high_speed_rail": {"railway": "rail", "highspeed": "yes"},
    "metro": {"railway": "subway"},
    "maglev": {"railway": "monorail"},
    "waterway": {"waterway": "river"},
    "station": {"railway": "station"},
    "hub": {"amenity": "bus_station"},
    "airport": {"aeroway": "aerodrome"},
    "port": {"landuse": "port"},
    "lock": {"waterway": "lock_gate"},
    "green_heart": {"boundary": "protected_area"},
    "park": {"leisure": "park"},
    "logistics": {"landuse": "industrial"},
    "boundary": {"boundary": "administrative", "admin_level": "6"},
}
"""How a mapper would tag each kind of item."""

BEYOND_DEG = (0.02, 0.05)
"""Expressways run on past their items' ends, as real ones do: a way to about 2 km past
each end, then one to about 5 km."""
AWAY_DEG = 4.0
"""Namesakes sit this far east: outside the region."""


class Dataset:
    """OSM data made from the catalog's sketches: nodes, ways, relations and what was made."""

    def __init__(self, catalog: Catalog) -> None:
        self.nodes: list[tuple] = []
        self.ways: list[tuple] = []
        self.relations: list[tuple] = []
        self.made: dict[str, list[str]] = {}
        self.beyond: dict[str, list[tuple[str, LineString]]] = {}
        self._ids = itertools.count(1)
        sketches = EmbeddedSource(catalog)
        for number, item in enumerate(sorted(catalog.items.values(), key=lambda i: i.id)):
            if item.status not in IN_OSM:
                continue
            names = item.osm.get("names") or [item.name_zh]
            tags = {**ELEMENT_TAGS[item.kind], "name": names[0]}
            if number % 2:
                tags["name:zh-Hant"] = item.name_zh_hant
            if item.osm.get("refs"):
                tags["ref"] = ";".join(item.osm["refs"])
            sketch = sketches.sketch(item)
            if item.kind in LINE_KINDS:
                line = sketch if isinstance(sketch, LineString) else sketch.geoms[0]
                self.made[item.id] = self._line(line, tags)
                if item.kind == "expressway":
                    self.beyond[item.id] = self._beyond(line, tags)
            elif isinstance(sketch, Polygon) or item.kind in ("park", "logistics", "boundary"):
                ring = sketch if isinstance(sketch, Polygon) else sketch.buffer(0.004, 1)
                self.made[item.id] = self._area(ring, tags, as_relation=bool(number % 2))
            else:
                self.made[item.id] = [self._node(sketch, tags)]
                self._node(Point(sketch.x + AWAY_DEG, sketch.y), tags)  # a namesake far away
        self._line(LineString([(112.9, 28.1), (112.9, 28.3)]), {"highway": "motorway"})  # unnamed

    def _node(self, point, tags=None):
        node_id = next(self._ids)
        self.nodes.append((node_id, round(point.x, 7), round(point.y, 7), tags or {}))
        return f"node/{node_id}"

    def _way(self, node_ids, tags):
        way_id = next(self._ids)
        self.ways.append((way_id, node_ids, tags))
        return way_id

    def _line(self, line, tags):
        coords = np.array(line.coords)
        if len(coords) == 2:
            coords = np.array([coords[0], coords.mean(axis=0), coords[1]])
        self._ends = [self._node(Point(xy)) for xy in coords]
        node_ids = [int(n.split("/")[1]) for n in self._ends]
        return [f"way/{self._way([a, b], tags)}" for a, b in itertools.pairwise(node_ids)]

    def _beyond(self, line, tags):
        """Ways past both ends of the line just drawn: (way id, geometry), near then far."""
        coords = np.array(line.coords)
        made = []
        for end, inner, node in ((0, 1, self._ends[0]), (-1, -2, self._ends[-1])):
            direction = (coords[end] - coords[inner]) / np.hypot(*(coords[end] - coords[inner]))
            points = [coords[end], *(coords[end] + d * direction for d in BEYOND_DEG)]
            node_ids = [int(node.split("/")[1])] + [
                int(self._node(Point(xy)).split("/")[1]) for xy in points[1:]
            ]
            for (a, b), (p, q) in zip(
                itertools.pairwise(node_ids), itertools.pairwise(points), strict=True
            ):
                made.append((f"way/{self._way([a, b], tags)}", LineString([p, q])))
        return made

    def _area(self, polygon, tags, as_relation):
        ring = list(polygon.exterior.coords)[:-1]
        node_ids = [int(self._node(Point(xy)).split("/")[1]) for xy in ring]
        if not as_relation:
            return [f"way/{self._way([*node_ids, node_ids[0]], tags)}"]
        half = len(node_ids) // 2
        first = self._way(node_ids[: half + 1], {})
        second = self._way([*node_ids[half:], node_ids[0]], {})
        relation_id = next(self._ids)
        members = [("w", first, "outer"), ("w", second, "outer")]
        self.relations.append((relation_id, members, {"type": "multipolygon", **tags}))
        return [f"relation/{relation_id}"]


@pytest.fixture(scope="module")
def resolved(catalog, tmp_path_factory):
    """The catalog resolved by the osm source (fake server) and the pbf source (.osm file)."""
    data = Dataset(catalog)
    folder = tmp_path_factory.mktemp("catalog")
    items = sorted(catalog.items.values(), key=lambda i: i.id)
    server_module = pytest.importorskip("pytest_httpserver")
    server = server_module.HTTPServer()
    server.start()
    try:
        fake = FakeOverpass(data.nodes, data.ways, data.relations).serve(server)
        endpoints = Endpoints(
            overpass_url=server.url_for("/api"),
            nominatim_url=server.url_for("/nominatim/"),
            nominatim_interval=0.0,
        )
        osm = OsmSource(catalog, folder / "cache", endpoints, progress=False).resolve(items)
        searches = sum(1 for request, _ in server.log if request.path == "/nominatim/search")
    finally:
        server.stop()
    extract = write_osm(folder / "czt.osm", data.nodes, data.ways, data.relations)
    pbf = PbfSource(extract, catalog, progress=False).resolve(items)
    return data, fake, osm, pbf, searches


def test_the_whole_catalog_costs_one_overpass_query_per_theme(resolved, catalog):
    _, fake, osm, _, searches = resolved
    assert len(fake.queries) == 5  # roads, railways, stations, waterways and ports, parks
    assert len(osm.layer) == len(catalog.items)
    assert len(osm.matched) > 50
    # Nominatim only for point and area items that no download holds
    assert 0 < searches <= sum(i.kind not in LINE_KINDS for i in catalog.items.values())


def test_the_matches_are_those_of_the_pbf_source(resolved):
    _, _, osm, pbf, _ = resolved
    assert osm.matched == pbf.matched
    assert osm.fallback == pbf.fallback
    assert osm.ambiguous == pbf.ambiguous
    assert osm.notes == pbf.notes
    live, local = osm.layer.set_index("item_id"), pbf.layer.set_index("item_id")
    assert live["osm_ids"].equals(local["osm_ids"])
    assert live["match_score"].equals(local["match_score"])
    assert (live["source"].replace("osm", "pbf") == local["source"]).all()
    apart = shapely.hausdorff_distance(live.geometry.to_numpy(), local.geometry.to_numpy())
    assert apart.max() < 1e-9


def test_hand_checked_matches(resolved):
    data, _, osm, _, _ = resolved
    layer = osm.layer.set_index("item_id")

    def ids(item_id):
        return sorted(layer.loc[item_id, "osm_ids"].split(";"))

    assert ids("changsha_huanghua_airport") == data.made["changsha_huanghua_airport"]
    assert layer.loc["changsha_huanghua_airport", "source"] == "osm"
    assert ids("changsha_south_station_item") == data.made["changsha_south_station_item"]
    park = next(i for i, made in data.made.items() if made[0].startswith("relation/"))
    assert ids(park) == data.made[park]
    assert layer.loc["g4_widening_guangfu_wangshiwan", "source"] == "osm"  # not built: G4 is


def test_a_section_is_clipped_to_its_ends_and_a_whole_road_is_not(resolved, catalog):
    data, _, osm, _, _ = resolved
    layer = osm.layer.set_index("item_id")
    # the widening (not in the data itself) is the stretch of G4 between its ends:
    # the G4 ways drawn between them, not the lead-in and lead-out ways beyond
    # the widening (not in the data itself) is the stretch of G4 between its ends, 1 km
    # more at each end: the G4 ways drawn between them and the near ways past them
    beyond = [way_id for way_id, _ in data.beyond["g4_jinggangao"]]
    near, far = beyond[0::2], beyond[1::2]  # (north near, north far, south near, south far)
    widening = layer.loc["g4_widening_guangfu_wangshiwan", "osm_ids"].split(";")
    assert sorted(widening) == sorted([*data.made["g4_jinggangao"], *near])
    assert not set(far) & set(widening)
    note = osm.notes["g4_widening_guangfu_wangshiwan"]
    assert note.startswith("clipped to 星沙–株洲西站: ")
    assert note.endswith(" km of OSM ways")
    kept_km, whole_km = (float(x) for x in note.split(": ")[1].split(" km")[0].split(" of "))
    beyond_km = sum(GEOD.geometry_length(way) for _, way in data.beyond["g4_jinggangao"]) / 1000
    assert whole_km - kept_km == pytest.approx(beyond_km - 2 * 1.0, abs=0.1)
    urban = [i for i in data.made if catalog.items[i].kind == "urban_road"]
    assert urban
    for item_id in urban:
        assert item_id not in osm.notes
        assert sorted(layer.loc[item_id, "osm_ids"].split(";")) == sorted(data.made[item_id])
