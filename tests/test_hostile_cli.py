"""The command line under hostile and careless input: printable text, true exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import ctz
from ctz import cli

RAW_OSM_NAME = "way/1 \x1b]0;owned\x07长沙\x1b[2J\u202e站"


def test_the_ambiguous_line_prints_osm_names_without_control_characters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    geocode = ctz.geocode

    def ambiguous(*args: object, **kwargs: object) -> object:
        layer = geocode(*args, **kwargs)
        layer.attrs["resolution"]["ambiguous_ids"] = {"czt_west_ring": [RAW_OSM_NAME]}
        return layer

    monkeypatch.setattr(ctz, "geocode", ambiguous)
    out = tmp_path / "items.geojson"
    result = CliRunner().invoke(cli.main, ["geocode", "czt_west_ring", "--out", str(out)])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.stderr.splitlines() if x.startswith("ambiguous czt_west_ring"))
    assert line == "ambiguous czt_west_ring: also way/1 ]0;owned长沙[2J站"
