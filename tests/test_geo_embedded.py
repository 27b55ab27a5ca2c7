from ctz.base import LAYER_COLUMNS
from ctz.catalog.model import Anchor, Catalog, Citation, Item
from ctz.geo.embedded import EmbeddedSource
from ctz.layers.themes import THEMES, build_layers


def anchor(ident: str, lon: float, lat: float) -> Anchor:
    return Anchor(ident, ident, ident, "town", lon, lat, "test")


def item(ident: str, kind: str, status: str = "existing", **geometry) -> Item:
    return Item(
        id=ident,
        name_zh=ident,
        name_zh_hant=ident,
        name_en=ident,
        kind=kind,
        status=status,
        plans=(Citation("001", "5"),),
        **geometry,
    )


ANCHORS = {
    a.id: a
    for a in [
        anchor("a", 112.90, 27.85),
        anchor("b", 113.00, 28.00),
        anchor("c", 113.15, 27.83),
        anchor("d", 113.00, 27.70),
    ]
}
ITEMS = {
    i.id: i
    for i in [
        item("road", "expressway", "upgrade", from_anchor="a", via=("b",), to_anchor="c"),
        item("station", "station", "planned", at="b"),
        item("heart", "green_heart", "study", outline=("a", "b", "c", "d")),
        item("park", "park", at="d"),
    ]
}
CATALOG = Catalog(documents={}, anchors=ANCHORS, items=ITEMS, goals={}, cores={})


def test_line_runs_through_from_via_to_in_order():
    line = EmbeddedSource(CATALOG).sketch(ITEMS["road"])
    assert list(line.coords) == [(112.90, 27.85), (113.00, 28.00), (113.15, 27.83)]


def test_branches_make_a_multiline_sharing_the_junction():
    fork = item(
        "fork", "intercity_rail", from_anchor="a", to_anchor="b", branches=(("a", "c", "d"),)
    )
    lines = EmbeddedSource(CATALOG).sketch(fork)
    assert lines.geom_type == "MultiLineString"
    main, branch = lines.geoms
    assert list(main.coords) == [(112.90, 27.85), (113.00, 28.00)]
    assert list(branch.coords) == [(112.90, 27.85), (113.15, 27.83), (113.00, 27.70)]
    assert fork.anchor_ids == ("a", "b", "a", "c", "d")


def test_outline_makes_a_closed_polygon_and_at_a_point():
    source = EmbeddedSource(CATALOG)
    heart = source.sketch(ITEMS["heart"])
    assert heart.geom_type == "Polygon"
    assert heart.exterior.coords[0] == heart.exterior.coords[-1]
    assert source.sketch(ITEMS["park"]).coords[0] == (113.00, 27.70)


def test_resolution_is_all_sketch_with_schema_and_mapped_status():
    resolution = EmbeddedSource(CATALOG).resolve(list(ITEMS.values()))
    layer = resolution.layer
    assert tuple(layer.columns) == LAYER_COLUMNS
    assert layer.crs.to_epsg() == 4326
    assert resolution.fallback == list(ITEMS)
    assert resolution.matched == []
    assert layer["match_score"].isna().all()
    status = dict(zip(layer["item_id"], layer["status"], strict=True))
    assert status == {
        "road": "existing",
        "station": "planned",
        "heart": "planned",
        "park": "existing",
    }
    assert set(layer["plans"]) == {"001 §5"}


def test_build_layers_splits_by_theme_and_drops_empty_ones():
    layers, resolution = build_layers(CATALOG, EmbeddedSource(CATALOG))
    assert set(layers) == {"roads", "stations", "green_heart"}
    assert list(layers["green_heart"]["item_id"]) == ["heart", "park"]
    assert len(resolution.layer) == 4


def test_every_kind_has_exactly_one_theme():
    from ctz.catalog.model import ITEM_KINDS

    kinds = [k for kinds in THEMES.values() for k in kinds]
    assert sorted(kinds) == sorted(ITEM_KINDS)


def test_shipped_catalog_sketches_every_item(catalog):
    layer = EmbeddedSource(catalog).resolve(list(catalog.items.values())).layer
    assert layer.geometry.is_valid.all()
    assert not layer.geometry.is_empty.any()
