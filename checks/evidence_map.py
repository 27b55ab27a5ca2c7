"""A plain folium map of the evidence behind verdicts: gaps, pieces, uncovered patches, zones."""

from __future__ import annotations

import html
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd

from ctz.checks.result import GoalResult, evidence_frame

ROLE_COLOURS: dict[str, str] = {
    "gap": "#d62728",
    "piece": "#1f77b4",
    "uncovered": "#ff7f0e",
    "zone": "#2ca02c",
    "greenway": "#17becf",
}
"""Stroke colour of each evidence role."""

ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors '
    "(ODbL); places &copy; GeoNames (CC BY 4.0)"
)


def evidence_map(results: list[GoalResult]) -> folium.Map:
    """Draw every result's evidence, one layer per goal, with escaped popups.

    Parameters
    ----------
    results
        Measured goals; those without evidence are left out.
    """
    frames = [r.evidence for r in results if len(r.evidence)]
    evidence = pd.concat(frames, ignore_index=True) if frames else evidence_frame([])
    evidence = gpd.GeoDataFrame(evidence, geometry="geometry", crs="EPSG:4326")
    fmap = folium.Map(location=[27.9, 112.95], zoom_start=9, tiles=None)
    folium.TileLayer("OpenStreetMap", attr=ATTRIBUTION, name="OpenStreetMap").add_to(fmap)
    for result in results:
        own = evidence[evidence["goal_id"] == result.goal_id]
        if own.empty:
            continue
        group = folium.FeatureGroup(name=html.escape(f"{result.name_zh} ({result.verdict})"))
        for role, rows in own.groupby("role"):
            colour = ROLE_COLOURS.get(str(role), "#7f7f7f")
            data = rows[["label", "geometry"]].copy()
            data["label"] = data["label"].map(html.escape)
            folium.GeoJson(
                data.to_json(),
                name=str(role),
                style_function=lambda _f, c=colour: {"color": c, "weight": 4, "fillOpacity": 0.3},
                popup=folium.GeoJsonPopup(fields=["label"], labels=False),
            ).add_to(group)
        group.add_to(fmap)
    if not evidence.empty:
        west, south, east, north = evidence.total_bounds
        fmap.fit_bounds([[south, west], [north, east]])
    folium.LayerControl().add_to(fmap)
    return fmap


def write_evidence_map(results: list[GoalResult], path: Path) -> None:
    """Save :func:`evidence_map` as an HTML file (written to a temporary file, then moved)."""
    temporary = path.with_name(path.name + ".tmp")
    evidence_map(results).save(str(temporary))
    temporary.replace(path)
