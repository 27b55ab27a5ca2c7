"""Laws of the commute model, as properties over generated networks, lines and feeds.

Adding a road, a line, a service or a feed never makes any origin slower to
any core; every populated cell has a finite time. Roads are items of the one
network (a scenario switches them on); lines and feeds are added the way a
scenario adds them: the network is rebuilt with their services on top.
Each case is drawn by a seeded generator, so a failure names its seed.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from commute_support import KM, KMH, X0, Y0, cells_at, core, layer
from gtfs_support import lonlat
from shapely.geometry import LineString

from ctz.base import METRIC_CRS, STORAGE_CRS
from ctz.catalog import Catalog
from ctz.checks.commute.build import build_commute_network, build_osm_network
from ctz.checks.commute.coverage import Measurement, Study, measure
from ctz.checks.commute.gtfs import DepartureWindow, FeedServices
from ctz.checks.commute.options import CommuteOptions
from ctz.checks.commute.params import ROAD_VERTEX_SPACING_M, CommuteParams
from ctz.checks.commute.run import Prepared, prepare_run
from ctz.checks.commute.study import study_network
from ctz.checks.commute.transit import ServiceLines
from ctz.geo.embedded import EmbeddedSource
from ctz.geo.network.from_osmnx import network_from_osmnx
from ctz.geo.network.model import RoadNetwork

PARAMS = CommuteParams(
    congestion=1.2,
    sketch_circuity=1.2,
    road_kmh=KMH,
    road_vertex_spacing_m=dict(ROAD_VERTEX_SPACING_M),
)
"""A run's parameters (congestion, circuity, densified sketches) on the test kinds' speeds."""

SLACK = 1e-6
"""Minutes of floating-point slack allowed when comparing times."""


def random_lines(
    rng: np.random.Generator, n_lines: int, span_m: float, centre: np.ndarray
) -> ServiceLines:
    """Random rail lines: 2–7 stops each within ``span_m`` of ``centre``, random speeds and waits.

    Stops sometimes fall on top of each other (to merge into stations) and
    patterns run one way or both.
    """
    rows = []
    for _ in range(n_lines):
        n = int(rng.integers(2, 8))
        xy = centre + rng.uniform(-span_m, span_m, size=(n, 2))
        if rng.random() < 0.3:
            xy[-1] = xy[0] + rng.normal(0, 50, 2)  # a loop back next to its first stop
        kmh = rng.uniform(20.0, 250.0)
        run = np.r_[np.hypot(*(xy[1:] - xy[:-1]).T) / (kmh * 1000 / 60), np.nan]
        rows.append((xy, run, rng.uniform(0, 2, n), np.r_[rng.uniform(1, 15, n - 1), np.nan]))
        if rng.random() < 0.5:
            back = xy[::-1]
            run_back = np.r_[run[:-1][::-1], np.nan]
            rows.append(
                (back, run_back, rng.uniform(0, 2, n), np.r_[rng.uniform(1, 15, n - 1), np.nan])
            )
    return ServiceLines(
        xy=np.vstack([r[0] for r in rows]),
        pattern=np.concatenate([np.full(len(r[0]), k) for k, r in enumerate(rows)]),
        run_min=np.concatenate([r[1] for r in rows]),
        dwell_min=np.concatenate([r[2] for r in rows]),
        wait_min=np.concatenate([r[3] for r in rows]),
        serves=rng.random(sum(len(r[0]) for r in rows)) < 0.9,
        pattern_item=[f"new_line_{k}" for k in range(len(rows))],
    )


def random_roads(rng: np.random.Generator, n: int, span_km: float, status: str) -> gpd.GeoDataFrame:
    """Random road items of random kinds through 2–5 points in local kilometres."""
    kinds = list(KMH)
    rows = [
        (
            f"{status}_{k}",
            kinds[int(rng.integers(len(kinds)))],
            status,
            [tuple(p) for p in rng.uniform(0, span_km, size=(int(rng.integers(2, 6)), 2))],
        )
        for k in range(n)
    ]
    return layer(rows)


def assert_not_slower(after: Measurement, before: Measurement, seed: int) -> None:
    """Every cell and every core pair at least as fast after as before."""
    slower = after.cell_minutes > before.cell_minutes + SLACK
    assert not slower.any(), f"seed {seed}: {int(slower.sum())} cell times slower"
    assert (after.best <= before.best + SLACK).all(), f"seed {seed}: a core pair slower"


@pytest.mark.parametrize("seed", range(30))
def test_new_roads_and_lines_never_slow_a_cell_of_a_built_network(seed: int) -> None:
    rng = np.random.default_rng(seed)
    roads = pd.concat([random_roads(rng, 6, 40, "existing"), random_roads(rng, 3, 40, "planned")])
    centre = np.array([X0 + 20 * KM, Y0 + 20 * KM])
    base_lines = random_lines(rng, 2, 20 * KM, centre)
    base_lines = replace(base_lines, pattern_item=[f"old_{i}" for i in base_lines.pattern_item])
    added = random_lines(rng, int(rng.integers(1, 4)), 25 * KM, centre)
    no_rail = layer([])[0:0]
    cores = [core("a", 5, 5), core("b", 35, 30), core("c", 20, 38)]
    cells = cells_at([tuple(p) for p in rng.uniform(-10, 50, size=(60, 2))], [1] * 60)
    existing = set(roads.loc[roads["status"] == "existing", "item_id"]) | set(
        base_lines.pattern_item
    )
    planned = set(roads["item_id"]) - existing
    before_net = build_commute_network(roads, no_rail, PARAMS, services=base_lines)
    before_study = Study(before_net, cores, cells, PARAMS, base_items=existing)
    before = measure(before_study, existing, modes=False)
    # Roads: switched on in the one network.
    assert_not_slower(measure(before_study, existing | planned, modes=False), before, seed)
    # Lines: the network rebuilt with their services on top.
    after_net = build_commute_network(roads, no_rail, PARAMS, services=base_lines.concat(added))
    after_study = Study(after_net, cores, cells, PARAMS, base_items=existing)
    on = existing | set(added.pattern_item)
    assert_not_slower(measure(after_study, on, modes=False), before, seed)
    assert_not_slower(measure(after_study, on | planned, modes=False), before, seed)


def random_drive_graph(rng: np.random.Generator, side: int = 9) -> RoadNetwork:
    """A jittered street grid every 2 km over local (0..16 km)², built like an osmnx graph."""
    graph = nx.MultiDiGraph(crs=STORAGE_CRS)
    for k in range(side * side):
        x, y = divmod(k, side)
        lon, lat = lonlat(2.0 * x + rng.normal(0, 0.2), 2.0 * y + rng.normal(0, 0.2))
        graph.add_node(k, x=lon, y=lat)
    classes = ["trunk", "primary", "secondary", "residential"]
    way = 100
    for k in range(side * side):
        for step in (1, side):
            other = k + step
            if other >= side * side or (step == 1 and other % side == 0) or rng.random() < 0.15:
                continue
            tags = {"highway": classes[int(rng.integers(len(classes)))]}
            for u, v in ((k, other), (other, k)):
                graph.add_edge(u, v, length=2000.0, oneway=False, osmid=way, **tags)
            way += 1
    return network_from_osmnx(graph)


@pytest.mark.parametrize("seed", range(10))
def test_new_lines_never_slow_a_cell_of_an_osm_network(seed: int) -> None:
    rng = np.random.default_rng(1000 + seed)
    graph = random_drive_graph(rng)
    planned = random_roads(rng, 2, 16, "planned")
    centre = np.array([X0 + 8 * KM, Y0 + 8 * KM])
    base_lines = random_lines(rng, 2, 8 * KM, centre)
    base_lines = replace(base_lines, pattern_item=[f"old_{i}" for i in base_lines.pattern_item])
    added = random_lines(rng, 2, 9 * KM, centre)
    no_rail = layer([])[0:0]
    cores = [core("a", 2, 2), core("b", 14, 12)]
    cells = cells_at([tuple(p) for p in rng.uniform(-5, 21, size=(50, 2))], [1] * 50)
    existing = set(base_lines.pattern_item)
    before_net = build_osm_network(graph, planned, no_rail, PARAMS, base_lines)
    before = measure(
        Study(before_net, cores, cells, PARAMS, base_items=existing), existing, modes=False
    )
    after_net = build_osm_network(graph, planned, no_rail, PARAMS, base_lines.concat(added))
    after_study = Study(after_net, cores, cells, PARAMS, base_items=existing)
    on = existing | set(added.pattern_item) | set(planned["item_id"])
    assert_not_slower(measure(after_study, on, modes=False), before, seed)
    assert np.isfinite(before.cell_minutes).all()


def test_every_cell_has_a_time_however_far_from_the_network() -> None:
    rng = np.random.default_rng(7)
    roads = random_roads(rng, 4, 10, "existing")
    # A connected road between all of them, so no cell is cut off on an island.
    spine = layer([("spine", "trunk_road", "existing", [(0, 0), (10, 10), (0, 10), (10, 0)])])
    roads = pd.concat([roads, spine])
    net = build_commute_network(roads, layer([])[0:0], PARAMS)
    cells = cells_at([tuple(p) for p in rng.uniform(-200, 200, size=(200, 2))], [5] * 200)
    study = Study(net, [core("a", 0)], cells, PARAMS)
    minutes = measure(study, set(roads["item_id"]), modes=False).cell_minutes
    assert np.isfinite(minutes).all()
    # Farther is never faster along one ray out of the network.
    ray = cells_at([(10 + d, 10) for d in (1, 5, 20, 80, 160)], [1] * 5)
    times = measure(Study(net, [core("a", 0)], ray, PARAMS), set(roads["item_id"]), modes=False)
    assert (np.diff(times.cell_minutes[0]) > 0).all()


@pytest.fixture(scope="module")
def embedded(catalog: Catalog) -> Prepared:
    """Today's embedded network and study on a 4 km grid."""
    return prepare_run(catalog, EmbeddedSource(catalog), CommuteOptions(grid_km=4.0))


def feed_of(lines: ServiceLines, label: str) -> FeedServices:
    """An in-memory feed of rail routes, one per pattern (GTFS route type 2)."""
    routes = pd.DataFrame(
        {
            "route_id": lines.pattern_item,
            "route_short_name": lines.pattern_item,
            "route_long_name": [f"{label} {i}" for i in lines.pattern_item],
            "route_type": 2,
            "patterns": 1,
            "departures": 10,
        }
    )
    x, y = lines.xy.T
    stops = pd.DataFrame(
        {"stop_id": np.arange(len(x)).astype(str), "stop_name": "", "x": x, "y": y}
    )
    return FeedServices(Path(f"{label}.zip"), "20250106", DepartureWindow(), lines, routes, stops)


def test_random_feeds_never_slow_a_cell_of_the_embedded_network(embedded: Prepared) -> None:
    cores = np.array([[c.x, c.y] for c in embedded.study.cores])
    for seed in range(6):
        rng = np.random.default_rng(100 + seed)
        centre = cores[int(rng.integers(len(cores)))]
        feed = feed_of(random_lines(rng, int(rng.integers(1, 4)), 30 * KM, centre), f"r{seed}")
        built = study_network(embedded.inputs, embedded.params, [feed])
        study = Study(
            built.network,
            embedded.study.cores,
            embedded.study.cells,
            built.params,
            base_items=embedded.baseline,
        )
        on = embedded.baseline | {f"r{seed}:{i}" for i in feed.lines.pattern_item}
        assert_not_slower(measure(study, on, modes=False), embedded.before, seed)


def test_random_roads_and_every_planned_item_never_slow_a_cell_of_the_embedded_network(
    embedded: Prepared, catalog: Catalog
) -> None:
    study, baseline, before = embedded.study, embedded.baseline, embedded.before
    planned = set(embedded.today.items["item_id"]) - baseline
    for item_id in sorted(planned & set(study.network.item_ids)):
        assert_not_slower(measure(study, baseline | {item_id}, modes=False), before, 0)
    rng = np.random.default_rng(3)
    west, south = study.cells.total_bounds[:2]
    lines = [
        LineString(np.array([west, south]) + rng.uniform(0, 150 * KM, size=(3, 2)))
        for _ in range(8)
    ]
    roads = gpd.GeoDataFrame(
        {
            "item_id": [f"random_road_{k}" for k in range(8)],
            "name_zh": "",
            "kind": rng.choice(["expressway", "trunk_road", "urban_road"], 8),
            "status": "planned",
            "target_year": 2030,
        },
        geometry=lines,
        crs=METRIC_CRS,
    ).to_crs(STORAGE_CRS)
    inputs = replace(embedded.inputs, roads=pd.concat([embedded.inputs.roads, roads]))
    built = study_network(inputs, embedded.params)
    with_roads = Study(built.network, study.cores, study.cells, built.params, base_items=baseline)
    without = measure(with_roads, baseline, modes=False)
    every = baseline | set(roads["item_id"])
    assert_not_slower(measure(with_roads, every, modes=False), without, 0)


def test_embedded_grid_is_finite_where_people_live_and_ningxiang_is_reached(
    embedded: Prepared,
) -> None:
    study, before = embedded.study, embedded.before
    people = study.population > 0
    assert np.isfinite(before.nearest[people]).all()
    ningxiang = (study.cells["code"] == "430182").to_numpy()
    within = study.population[ningxiang & (before.nearest <= 60)].sum()
    assert within / study.population[ningxiang].sum() > 0.0
