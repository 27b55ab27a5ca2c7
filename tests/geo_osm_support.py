"""Small catalogs and OSM files for the osm/pbf/matching/geocode tests."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import osmium
import shapely
from osmium.osm.mutable import Node, Relation, Way
from shapely.geometry import LineString, Point, box
from werkzeug import Request, Response

from ctz.catalog.model import Anchor, Catalog, Citation, Item
from ctz.geo.osm.client import Endpoints
from ctz.geo.osm.overpass_source import OsmSource

ANCHORS = {
    a.id: a
    for a in (
        Anchor("furong_n", "芙蓉北端", "Furong north", "place", 112.99, 28.26, "test"),
        Anchor("furong_s", "芙蓉南端", "Furong south", "place", 112.99, 28.09, "test"),
        Anchor("changsha", "长沙", "Changsha", "city", 112.97, 28.20, "test"),
        Anchor("xiangtan", "湘潭", "Xiangtan", "city", 112.94, 27.85, "test"),
        Anchor("csnan", "长沙南站", "Changsha South", "station", 113.065, 28.15, "test"),
        Anchor("xianing", "霞凝", "Xianing", "place", 112.93, 28.38, "test"),
        Anchor("g4_north", "G4北端", "G4 north", "place", 112.95, 28.23, "test"),
        Anchor("g4_south", "G4南端", "G4 south", "place", 112.95, 27.83, "test"),
    )
}


def item(item_id: str, name_zh: str, hant: str, kind: str, **fields: Any) -> Item:
    """A catalog item citing document 001 §1."""
    return Item(
        id=item_id,
        name_zh=name_zh,
        name_zh_hant=hant,
        name_en=item_id,
        kind=kind,
        status=fields.pop("status", "existing"),
        plans=(Citation("001", "1"),),
        **fields,
    )


FURONG = item(
    "furong", "芙蓉大道", "芙蓉大道", "urban_road", from_anchor="furong_n", to_anchor="furong_s"
)
G4 = item(
    "g4",
    "京港澳高速",
    "京港澳高速",
    "expressway",
    from_anchor="g4_north",
    to_anchor="g4_south",
    osm={"refs": ["G4"], "tags": {"highway": ["motorway"]}},
)
CSNAN = item("csnan_station", "长沙南站", "長沙南站", "station", at="csnan")
XIANING = item("xianing_port", "霞凝港", "霞凝港", "port", at="xianing")
PLANNED = item(
    "metro_12",
    "长沙地铁12号线",
    "長沙地鐵12號線",
    "metro",
    status="planned",
    from_anchor="changsha",
    to_anchor="csnan",
)
ITEMS = (FURONG, G4, CSNAN, XIANING, PLANNED)


def catalog(items: tuple[Item, ...] = ITEMS) -> Catalog:
    """A catalog holding ``items`` and the test anchors."""
    return Catalog({}, dict(ANCHORS), {i.id: i for i in items}, {}, {})


def osm_source(
    server: Any,
    tmp_path: Path,
    items: tuple[Item, ...] = ITEMS,
    *,
    progress: bool = False,
    refresh: bool = False,
    **endpoint_options: Any,
) -> OsmSource:
    """An OsmSource on ``items`` asking the local test ``server``: no waits, one retry."""
    endpoints = Endpoints(
        overpass_url=server.url_for("/api"),
        nominatim_url=server.url_for("/nominatim/"),
        **{"backoff": 0.0, "retries": 1, "nominatim_interval": 0.0, **endpoint_options},
    )
    return OsmSource(
        catalog(items), tmp_path / "cache", endpoints, progress=progress, refresh=refresh
    )


def write_osm(
    path: Path, nodes: list[tuple], ways: list[tuple], relations: Sequence[tuple] = ()
) -> Path:
    """Write nodes ``(id, lon, lat, tags)``, ways ``(id, node_ids, tags)`` and relations.

    Relations are ``(id, [(type, ref, role)], tags)``.
    """
    path.unlink(missing_ok=True)
    writer = osmium.SimpleWriter(str(path))
    try:
        for node_id, lon, lat, tags in nodes:
            writer.add_node(Node(id=node_id, location=(lon, lat), tags=tags))
        for way_id, refs, tags in ways:
            writer.add_way(Way(id=way_id, nodes=refs, tags=tags))
        for rel_id, members, tags in relations:
            writer.add_relation(Relation(id=rel_id, members=members, tags=tags))
    finally:
        writer.close()
    return path


def line_nodes(first_id: int, lon: float, lats: list[float]) -> list[tuple]:
    """Untagged nodes along a meridian, ids counting up from ``first_id``."""
    return [(first_id + i, lon, lat, {}) for i, lat in enumerate(lats)]


def czt_data() -> tuple[list[tuple], list[tuple]]:
    """Nodes and ways: the 芙蓉路 segments, G4, 长沙南 station, 霞凝港 and namesakes."""
    nodes = line_nodes(1, 112.99, [28.25, 28.20, 28.15, 28.10])
    nodes += line_nodes(11, 102.70, [25.00, 25.05])  # 芙蓉路 in Kunming, Yunnan
    nodes += line_nodes(21, 113.13, [27.80, 27.85])  # 芙蓉路 in Zhuzhou: another city
    nodes += line_nodes(31, 112.95, [28.22, 28.00, 27.84])  # G4
    nodes += line_nodes(41, 113.20, [28.15, 27.90])  # G60, another expressway
    nodes += [
        (51, 113.07, 28.15, {"railway": "station", "name": "长沙南", "name:zh-Hant": "長沙南"})
    ]
    nodes += [(61, 112.92, 28.37, {}), (62, 112.94, 28.37, {}), (63, 112.94, 28.39, {})]
    nodes += [(64, 112.92, 28.39, {})]
    road = {"highway": "primary"}
    ways = [
        (101, [1, 2], {**road, "name": "芙蓉北路"}),
        (102, [2, 3], {**road, "name": "芙蓉中路一段", "name:zh-Hant": "芙蓉中路一段"}),
        (103, [3, 4], {**road, "name": "芙蓉南路二段"}),
        (111, [11, 12], {**road, "name": "芙蓉路"}),
        (121, [21, 22], {**road, "name": "芙蓉路"}),
        (131, [31, 32], {"highway": "motorway", "ref": "G4;G0422", "name": "京港澳高速公路"}),
        (132, [32, 33], {"highway": "motorway", "ref": "G4", "name": "京港澳高速公路"}),
        (141, [41, 42], {"highway": "motorway", "ref": "G60", "name": "沪昆高速"}),
        (161, [61, 62, 63, 64, 61], {"landuse": "port", "name": "霞凝港"}),
    ]
    return nodes, ways


def czt_extract(path: Path) -> Path:
    """Write :func:`czt_data` to ``path``."""
    return write_osm(path, *czt_data())


def nominatim_json(osm_id: int, lon: float, lat: float, name: str, where: str) -> list[dict]:
    """One Nominatim ``format=json&polygon_geojson=1`` search result for a port node."""
    return [
        {
            "place_id": 100000 + osm_id,
            "licence": "Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright",
            "osm_type": "node",
            "osm_id": osm_id,
            "lat": str(lat),
            "lon": str(lon),
            "class": "harbour",
            "type": "yes",
            "place_rank": 30,
            "importance": 0.2,
            "addresstype": "harbour",
            "name": name,
            "display_name": f"{name}, {where}, 中国",
            "boundingbox": [str(lat - 0.001), str(lat + 0.001), str(lon - 0.001), str(lon + 0.001)],
            "geojson": {"type": "Point", "coordinates": [lon, lat]},
        }
    ]


OSM3S = {
    "timestamp_osm_base": "2026-11-20T12:00:00Z",
    "copyright": "The data included in this document is from www.openstreetmap.org. "
    "The data is made available under ODbL.",
}
_STATEMENT = re.compile(r"^\s*nwr(\[.*\]);$", re.MULTILINE)
_QL = r'"((?:[^"\\]|\\.)*)"'
_FILTER = re.compile(rf"\[(?:{_QL}(?:(=|~|!~){_QL})?|~{_QL}~{_QL})\]")
_BBOX = re.compile(r"\[bbox:([-\d.]+),([-\d.]+),([-\d.]+),([-\d.]+)\]")


@dataclass
class FakeOverpass:
    """A stand-in for the Overpass and Nominatim servers, answering from fixed OSM data.

    It evaluates the queries ctz sends: ``[bbox:…]``, a union of ``nwr`` statements
    with ``["k"]``, ``["k"="v"]``, ``["k"~"re"]``, ``["k"!~"re"]`` and ``[~"k"~"v"]``
    filters, ``out body geom`` (answered as the real API writes JSON: ``bounds``,
    ``nodes``, ``geometry``, relation ``members`` with their geometry).  osmnx's
    road-graph query (``out;``) gets every highway way and its nodes.  Nominatim
    searches get ``places`` (by query text), else an empty list.
    """

    nodes: list[tuple]
    ways: list[tuple]
    relations: list[tuple] = field(default_factory=list)
    places: dict[str, list[dict]] = field(default_factory=dict)
    queries: list[str] = field(default_factory=list)

    def serve(self, server: Any) -> FakeOverpass:
        """Answer ``/api/interpreter`` and ``/nominatim/search`` on a pytest-httpserver."""
        server.expect_request("/api/interpreter", method="POST").respond_with_handler(
            self.interpreter
        )
        server.expect_request("/nominatim/search").respond_with_handler(self.search)
        return self

    def interpreter(self, request: Request) -> Response:
        query = request.form["data"]
        self.queries.append(query)
        answer = self.answer(query) if "out body geom" in query else self.road_graph()
        return Response(json.dumps(answer, ensure_ascii=False), content_type="application/json")

    def search(self, request: Request) -> Response:
        places = self.places.get(request.args["q"], [])
        return Response(json.dumps(places, ensure_ascii=False), content_type="application/json")

    def answer(self, query: str) -> dict[str, Any]:
        """The ``out body geom`` answer to ``query``."""
        bbox = _BBOX.search(query)
        assert bbox is not None, query
        south, west, north, east = map(float, bbox.groups())
        area = box(west, south, east, north)
        statements = [_filters(m.group(1)) for m in _STATEMENT.finditer(query)]
        location = {i: (lon, lat) for i, lon, lat, _ in self.nodes}
        found = []
        for kind, element, tags, shape in self._elements(location):
            if any(all(f(tags) for f in s) for s in statements) and shape.intersects(area):
                found.append(self._geom(kind, element, location))
        return {
            "version": 0.6,
            "generator": "Overpass API 0.7.62.1 084b4234",
            "osm3s": OSM3S,
            "elements": found,
        }

    def road_graph(self) -> dict[str, Any]:
        """Every highway way and its nodes, as osmnx's ``out;`` query gets them."""
        ways = [w for w in self.ways if "highway" in w[2]]
        used = {n for w in ways for n in w[1]}
        elements: list[dict[str, Any]] = [
            {"type": "node", "id": i, "lat": lat, "lon": lon}
            for i, lon, lat, _ in self.nodes
            if i in used
        ]
        elements += [
            {"type": "way", "id": i, "nodes": refs, "tags": tags} for i, refs, tags in ways
        ]
        return {"version": 0.6, "generator": "Overpass API", "osm3s": OSM3S, "elements": elements}

    def _elements(self, location: dict[int, tuple[float, float]]):
        for node in self.nodes:
            yield "node", node, node[3], Point(node[1], node[2])
        lines = {w[0]: LineString([location[n] for n in w[1]]) for w in self.ways}
        for way in self.ways:
            yield "way", way, way[2], lines[way[0]]
        for relation in self.relations:
            members = [lines[ref] for kind, ref, _ in relation[1] if kind == "w"]
            yield "relation", relation, relation[2], shapely.union_all(members)

    def _geom(self, kind: str, element: tuple, location: dict[int, tuple[float, float]]) -> dict:
        if kind == "node":
            node_id, lon, lat, tags = element
            return {"type": "node", "id": node_id, "lat": lat, "lon": lon, **_tags(tags)}
        ways = {w[0]: w for w in self.ways}
        if kind == "way":
            way_id, refs, tags = element
            points = [location[n] for n in refs]
            return {
                "type": "way",
                "id": way_id,
                **_bounds(points),
                "nodes": refs,
                "geometry": _points(points),
                **_tags(tags),
            }
        relation_id, members, tags = element
        out, everything = [], []
        for member_kind, ref, role in members:
            if member_kind == "n":
                lon, lat = location[ref]
                out.append({"type": "node", "ref": ref, "role": role, "lat": lat, "lon": lon})
                everything.append((lon, lat))
            else:
                points = [location[n] for n in ways[ref][1]]
                out.append({"type": "way", "ref": ref, "role": role, "geometry": _points(points)})
                everything += points
        return {
            "type": "relation",
            "id": relation_id,
            **_bounds(everything),
            "members": out,
            **_tags(tags),
        }


@dataclass(frozen=True)
class _Filter:
    """One Overpass filter: op ``""`` (has key), ``=``, ``~``, ``!~`` or ``key~`` (both regexes)."""

    key: str
    op: str
    value: str

    def __call__(self, tags: dict[str, str]) -> bool:
        if self.op == "key~":
            keys, values = re.compile(self.key), re.compile(self.value)
            return any(keys.search(k) and values.search(v) for k, v in tags.items())
        if self.op == "":
            return self.key in tags
        if self.op == "=":
            return tags.get(self.key) == self.value
        hit = self.key in tags and re.search(self.value, tags[self.key]) is not None
        return hit if self.op == "~" else not hit


def _filters(text: str) -> list[_Filter]:
    """The filters of one statement."""
    return [
        _Filter(_unquote(key_re), "key~", _unquote(value_re))
        if key_re
        else _Filter(_unquote(key), op, _unquote(value))
        for key, op, value, key_re, value_re in _FILTER.findall(text)
    ]


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _tags(tags: dict[str, str]) -> dict[str, Any]:
    return {"tags": tags} if tags else {}


def _points(points: list[tuple[float, float]]) -> list[dict[str, float]]:
    return [{"lat": lat, "lon": lon} for lon, lat in points]


def _bounds(points: list[tuple[float, float]]) -> dict[str, Any]:
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return {
        "bounds": {
            "minlat": min(lats),
            "minlon": min(lons),
            "maxlat": max(lats),
            "maxlon": max(lons),
        }
    }
