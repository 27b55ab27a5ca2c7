"""One source-options object from the command line to :func:`ctz.open_source`, and the
names results give their source."""

from __future__ import annotations

from pathlib import Path

import click
import numpy as np
import pytest
from click.testing import CliRunner
from geo_osm_support import line_nodes, write_osm

import ctz
from ctz.catalog.extract import catalog_names, extract_mentions, load_generic_phrases
from ctz.catalog.load import default_seeds_dir
from ctz.cli import SourceChoice, source_options
from ctz.geo.osm.overpass_source import OsmSource


def test_the_options_object_reaches_the_live_source(tmp_path: Path) -> None:
    options = ctz.SourceOptions(
        cache_dir=tmp_path,
        overpass_url="http://mirror.invalid/api",
        nominatim_url="http://names.invalid",
        refresh=True,
        max_wait=7.5,
        progress=False,
    )
    source = ctz.open_source("osm", options=options)
    assert isinstance(source, OsmSource)
    assert source.graph_dir == tmp_path / "osm" / "graphs"
    assert source.endpoints.overpass_url == "http://mirror.invalid/api"
    assert source.endpoints.nominatim_url == "http://names.invalid"
    assert source.endpoints.max_wait == 7.5
    assert source.refresh is True


def test_keywords_override_the_options_object(tmp_path: Path) -> None:
    options = ctz.SourceOptions(cache_dir=tmp_path / "a", max_wait=7.5, progress=False)
    source = ctz.open_source(
        "osm", options=options, cache_dir=tmp_path / "b", max_wait_s=3, region=(112, 27, 113, 28)
    )
    assert isinstance(source, OsmSource)
    assert source.graph_dir == tmp_path / "b" / "osm" / "graphs"
    assert source.endpoints.max_wait == 3
    assert source.region.bounds == (112, 27, 113, 28)
    assert source.refresh is False


NOT_POSITIVE = [0.0, -0.0, -1e-9, *np.random.default_rng(22).uniform(-1e6, 0, 8).tolist()]


@pytest.mark.parametrize("wait", NOT_POSITIVE)
def test_a_wait_bound_that_is_not_positive_is_bad_input(wait: float) -> None:
    with pytest.raises(ctz.InputError, match="wait bound"):
        ctz.open_source("embedded", options=ctz.SourceOptions(max_wait=wait))


def test_auto_looks_for_extracts_in_the_options_cache_folder(tmp_path: Path) -> None:
    source = ctz.open_source("auto", options=ctz.SourceOptions(cache_dir=tmp_path))
    assert source.name == "embedded"


def chosen_by(*args: str) -> SourceChoice:
    """Run a command with the source options on ``args``; return the one object it received."""
    received: list[SourceChoice] = []

    @click.command()
    @source_options
    @click.option("--other", default="x")
    def command(source: SourceChoice, other: str) -> None:
        assert other == "x"
        received.append(source)

    result = CliRunner().invoke(command, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return received[0]


def test_the_command_line_gathers_its_source_options_into_one_object(tmp_path: Path) -> None:
    choice = chosen_by(
        *("--source", "osm", "--cache-dir", str(tmp_path), "--refresh", "--max-wait", "9"),
        *("--overpass-url", "http://mirror.invalid/api"),
    )
    assert choice.spec == "osm"
    assert choice.options.cache_dir == tmp_path
    assert choice.options.overpass_url == "http://mirror.invalid/api"
    assert (choice.options.refresh, choice.options.max_wait, choice.options.progress) == (
        True,
        9.0,
        True,
    )


def test_options_not_given_keep_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CTZ_CACHE", str(tmp_path))
    monkeypatch.setenv("CTZ_NOMINATIM_URL", "http://env.invalid")
    choice = chosen_by()
    assert choice.spec == "auto"
    assert choice.options.cache_dir == tmp_path
    assert choice.options.nominatim_url == "http://env.invalid"
    assert choice.options.refresh is False


def test_a_region_that_is_not_four_numbers_is_bad_input() -> None:
    choice = chosen_by("--source", "embedded")
    with pytest.raises(ctz.InputError, match="W,S,E,N"):
        choice.open(ctz.load_catalog(), region="112,27,north")


def test_an_opened_source_is_named_by_what_opens_it_again(tmp_path: Path) -> None:
    nodes = line_nodes(1, 112.99, [28.25, 28.18, 28.10])
    path = write_osm(tmp_path / "x.osm.pbf", nodes, [(101, [1, 2, 3], {"highway": "primary"})])
    catalog = ctz.load_catalog()
    opened = ctz.open_source(f"pbf:{path}", catalog=catalog, cache_dir=tmp_path / "cache")
    assert ctz.check("charging", source=opened, catalog=catalog).source == f"pbf:{path}"
    embedded = ctz.open_source("embedded", catalog=catalog)
    assert ctz.check("charging", source=embedded, catalog=catalog).source == "embedded"


def test_auto_is_named_as_resolved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CTZ_CACHE", str(tmp_path))  # no extract: auto is embedded
    assert ctz.check("charging", source="auto").source == "embedded"


def test_plan_mentions_are_the_mentions_of_each_whole_text(tmp_path: Path) -> None:
    catalog = ctz.load_catalog()
    document = next(iter(catalog.documents))
    texts = {
        tmp_path
        / f"{document}_plan.txt": "一、交通\n1、扩容G4京港澳高速。\n2、建设长株潭城际铁路。\n",
        tmp_path / "notes.txt": "推进长株潭城际铁路西环线，加快芙蓉大道建设。\n",
    }
    for path, text in texts.items():
        path.write_text(text, encoding="utf-8")
    names = catalog_names(catalog)
    generic = load_generic_phrases(default_seeds_dir() / "generic")
    whole = [
        m
        for path, text in texts.items()
        for m in extract_mentions(
            text, document if path.name[:3] == document else path.stem, names, generic
        )
    ]
    streamed = list(ctz.plan_mentions(list(texts), catalog=catalog))
    assert streamed == whole
    assert {m.document for m in streamed} == {document, "notes"}
