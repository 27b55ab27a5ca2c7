"""The ``ctz`` command line: a thin layer over the public API (:mod:`ctz`).

Each command parses its options, calls the API, prints and writes files. Bad input
(unknown names, malformed files, unusable data sources) is one line on stderr and
exit code 2, never a traceback. Modules that pull in geopandas, folium or osmnx are
imported inside the commands that need them, so ``ctz --help`` starts quickly.
"""

from __future__ import annotations

import functools
import gc
import json
import os
import sys
import time
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

# numpy and scipy each start a pool of OpenBLAS threads when they are imported, which costs
# a command 0.1-0.15 s of CPU on two cores; ctz does no dense linear algebra, so one thread
# does. Set before either is imported; a value the user set wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import click

import ctz
from ctz.base import DISTRIBUTION, CtzError, InputError
from ctz.outputs import (
    ACCESS_MODES,
    BASEMAPS,
    COMMUTE,
    ITEM_KINDS,
    MAP_LAYERS,
    MENTION_THEMES,
    UNCATALOGUED,
    VIEWS,
    Catalog,
    catalog_problems,
    default_seeds_dir,
    printable,
)

if TYPE_CHECKING:
    import pandas as pd

    from ctz.outputs import GeometrySource

EXIT_BAD_INPUT = 2
EXIT_INTERNAL_ERROR = 70
"""A bug in ctz (BSD ``EX_SOFTWARE``): never confused with a goal not met (1) or bad input (2)."""
EXIT_INTERRUPTED = 130
"""Ctrl-C (128 + SIGINT, as shells report it): never confused with a goal not met (1)."""

EXIT_CODES_HELP = (
    "Exit codes: 0 every measured goal met (always 0 without --strict); 1 with --strict when "
    "a goal is not met; 2 bad input or a data source that cannot be used (one line on "
    "stderr); 3 with --strict when no goal failed but some could only be 'unknown'; 70 an "
    "internal error (a bug; set CTZ_DEBUG=1 for the traceback); 130 interrupted (Ctrl-C)."
)


class CtzGroup(click.Group):
    """A click group whose errors are one line on stderr and exit code 2."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Run the command line; usage errors are one line, as every other error."""
        kwargs["standalone_mode"] = False
        warnings.showwarning = _show_warning
        try:
            return super().main(*args, **kwargs)
        except click.exceptions.Exit as done:
            sys.exit(done.exit_code)
        except click.UsageError as error:
            _fail(error.format_message())
        except (click.Abort, KeyboardInterrupt):
            click.echo("ctz: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except Exception as error:  # a bug: say so on one line, keep its exit code apart
            if debugging():
                traceback.print_exc()
            click.echo(
                f"ctz: internal error: {type(error).__name__}: {' '.join(str(error).split())} "
                "(a bug in ctz; rerun with CTZ_DEBUG=1 for the traceback)",
                err=True,
            )
            sys.exit(EXIT_INTERNAL_ERROR)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the subcommand, reporting errors without a traceback."""
        try:
            return super().invoke(ctx)
        except CtzError as error:
            _fail(str(error))
        except BrokenPipeError:
            sys.exit(0)
        except OSError as error:
            where = f": {error.filename}" if error.filename else ""
            _fail(f"{error.strerror or error}{where}")


def debugging() -> bool:
    """Return True when ``CTZ_DEBUG`` is set, but not to ``0``, ``false``, ``no`` or ``off``."""
    return os.environ.get("CTZ_DEBUG", "").strip().lower() not in ("", "0", "false", "no", "off")


def _show_warning(message: Warning | str, *args: Any, **kwargs: Any) -> None:
    """Print a warning (a dropped cache file, say) as one ``ctz: warning:`` line."""
    click.echo(f"ctz: warning: {printable(' '.join(str(message).split()))}", err=True)


def _fail(message: str) -> None:
    line = printable(" ".join(str(message).split()))  # names in it come from shared files
    click.echo(f"ctz: error: {line}", err=True)
    sys.exit(EXIT_BAD_INPUT)


@click.group(cls=CtzGroup)
@click.version_option(package_name=DISTRIBUTION, prog_name="ctz")
def main() -> None:
    """CZT planner: check the Changsha-Zhuzhou-Xiangtan plans against OpenStreetMap."""


def run() -> Any:
    """Run the ``ctz`` command (:func:`main`) as the process's last work.

    The process ends when the command does, yet Python's shutdown would first walk
    every object it holds (numpy, pandas, geopandas and their modules) in one more
    pass of the cycle collector: 0.06 s of a cached ``check commute``, a tenth of
    its computing. Frozen (:func:`gc.freeze`), they are freed as the process ends,
    without that pass; files are written and closed before (``files.replacing``).
    """
    try:
        return main()
    finally:
        gc.freeze()


def load_catalog() -> Catalog:
    """Return the shipped catalog, validated once per seeds content (:func:`ctz.load_catalog`)."""
    return ctz.load_catalog()


def print_json(data: Any) -> None:
    """Write ``data`` as indented UTF-8 JSON to stdout."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def print_table(rows: list[dict[str, str]], columns: list[str]) -> None:
    """Write rows as an aligned plain-text table (CJK counted as two columns)."""
    rows = [{c: printable(row[c]) for c in columns} for row in rows]
    widths = {c: max([_width(c)] + [_width(r[c]) for r in rows]) for c in columns}
    for row in [dict(zip(columns, columns, strict=True)), *rows]:
        cells = [row[c] + " " * (widths[c] - _width(row[c])) for c in columns]
        click.echo("  ".join(cells).rstrip())


def _width(text: str) -> int:
    return sum(2 if ord(ch) >= 0x1100 else 1 for ch in text)


POPULATION_OPTION = click.option(
    "--population",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Population raster (e.g. WorldPop GeoTIFF, any CRS); default: 2020 census by county.",
)
"""``--population``, shared by the commands that count people."""

LANG_OPTION = click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="zh",
    show_default=True,
    help="Language of what the command prints and writes (text reports, maps, the briefing).",
)
"""``--lang``, shared by every command that prints or writes words for people."""


@dataclass(frozen=True)
class SourceChoice:
    """The geometry source a command was asked for: its name and its settings, one object.

    Attributes
    ----------
    spec
        ``auto``, ``embedded``, ``osm`` or ``pbf:PATH``, as given to ``--source``.
    options
        Cache folder, endpoints, refresh, wait bound and progress bars (on).
    """

    spec: str
    options: ctz.SourceOptions

    def open(
        self, catalog: Catalog, spec: str | None = None, region: str | None = None
    ) -> GeometrySource:
        """Open the source (or the one named ``spec``, with the same settings) for ``catalog``.

        ``region`` is a search box ``W,S,E,N`` in degrees, the three cities when None.
        """
        box = None
        if region:
            try:
                box = [float(part) for part in region.split(",")]
            except ValueError as error:
                raise InputError(f"region '{region}' is not W,S,E,N in degrees") from error
        return ctz.open_source(spec or self.spec, options=self.options, catalog=catalog, region=box)


SOURCE_OPTION_NAMES = ("overpass_url", "nominatim_url", "cache_dir", "refresh", "max_wait")
"""The options :func:`source_options` gathers into a :class:`ctz.SourceOptions` (besides
``--source``); those not given keep its defaults (the environment's, then the built-in ones)."""


def source_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--source`` and the options of the sources that reach OpenStreetMap.

    The command receives them as one :class:`SourceChoice`, its ``source`` argument.
    """

    @functools.wraps(function)
    def command(*args: Any, source: str, **kwargs: Any) -> Any:
        given = {name: kwargs.pop(name) for name in SOURCE_OPTION_NAMES}
        settings = {name: value for name, value in given.items() if value not in (None, "")}
        choice = SourceChoice(source, ctz.SourceOptions(progress=True, **settings))
        return function(*args, source=choice, **kwargs)

    options = [
        click.option(
            "--source",
            default="auto",
            show_default=True,
            help="Geometry source: auto (the extract from 'ctz data get', else embedded), "
            "embedded (offline sketches), osm (live) or pbf:PATH.",
        ),
        click.option(
            "--overpass-url", help="Overpass API endpoint, e.g. a mirror ($CTZ_OVERPASS_URL)."
        ),
        click.option("--nominatim-url", help="Nominatim endpoint ($CTZ_NOMINATIM_URL)."),
        click.option(
            "--cache-dir",
            type=click.Path(file_okay=False, path_type=Path),
            help="Cache of OSM answers and networks ($CTZ_CACHE, default ~/.cache/ctz).",
        ),
        click.option("--refresh", is_flag=True, help="Ignore cached OSM answers; fetch again."),
        click.option(
            "--max-wait",
            type=click.FloatRange(min=1),
            metavar="SECONDS",
            help="Bound on all live OSM requests of the command, busy servers included [600].",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def say_data(source: GeometrySource, *, as_json: bool = False, lang: str = "en") -> None:
    """Say on stderr, in ``lang``, which data a command's output rests on, and the data's date.

    Not with ``--json``: the JSON names them (``data_coverage``), and stays alone.
    """
    from ctz.outputs import source_line

    if not as_json:
        click.echo(source_line(source, lang), err=True)


@main.group()
def seeds() -> None:
    """Read, check and extend the plan catalog."""


@seeds.command("list")
@click.option("--kind", type=click.Choice(ITEM_KINDS), help="Only items of this kind.")
@click.option("--plan", metavar="NNN", help="Only items cited by this document, e.g. 001.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def seeds_list(*, kind: str | None, plan: str | None, as_json: bool) -> None:
    """List catalog items: id, names, kind, status and plan citations."""
    catalog = load_catalog()
    if plan is not None and plan not in catalog.documents:
        raise InputError(f"unknown plan document '{plan}' (known: {', '.join(catalog.documents)})")
    items = catalog.select(kind=kind, plan=plan)
    rows = [
        {
            "id": item.id,
            "name_zh": item.name_zh,
            "name_en": item.name_en,
            "kind": item.kind,
            "status": item.status,
            "plans": ", ".join(map(str, item.plans)),
        }
        for item in items
    ]
    if as_json:
        print_json(rows)
    else:
        print_table(rows, ["id", "name_zh", "name_en", "kind", "status", "plans"])


@seeds.command("validate")
@click.argument("path", required=False, type=click.Path(path_type=Path))
def seeds_validate(path: Path | None) -> None:
    """Check a catalog folder (the shipped one by default) against the schema."""
    seeds_dir = path or default_seeds_dir()
    entries, problems = catalog_problems(seeds_dir)
    if problems:
        for problem in problems:
            click.echo(f"ctz: error: {printable(problem)}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    click.echo(f"{seeds_dir}: {len(entries)} entries, valid")


@seeds.command("extract")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--uncatalogued", is_flag=True, help="Only print mentions not in the catalog.")
@click.option(
    "--theme", type=click.Choice(list(MENTION_THEMES)), help="Only mentions of this theme."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of lines.")
def seeds_extract(
    *, files: tuple[Path, ...], uncatalogued: bool, theme: str | None, as_json: bool
) -> None:
    """Find infrastructure mentions in plan texts and map each to a catalog id.

    A file named like ``001_….txt`` is cited as document 001. Files are read as
    they are searched (lines are printed as they are found), so any size will do.
    """
    found = (
        m
        for m in ctz.plan_mentions(files, catalog=load_catalog())
        if (not uncatalogued or m.item_id == UNCATALOGUED) and theme in (None, m.theme)
    )
    if as_json:
        print_json(
            [
                {"citation": m.citation, "text": m.text, "theme": m.theme, "item_id": m.item_id}
                for m in found
            ]
        )
        return
    for m in found:
        click.echo(f"{m.citation}\t{m.text}\t{m.item_id}")


@main.command("map")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("maps/czt.html"),
    show_default=True,
    help="HTML file to write.",
)
@source_options
@click.option(
    "--layers",
    default=",".join(MAP_LAYERS),
    show_default=True,
    help="Comma-separated layers to draw.",
)
@click.option("--basemap", type=click.Choice(BASEMAPS), default="osm", show_default=True)
@click.option("--tianditu-key", help="Tianditu API key (else $TIANDITU_KEY).")
@click.option("--carto-key", help="CARTO basemaps API key (else $CARTO_KEY).")
@click.option("--title", help="Map title (default: the plans' name in --lang).")
@LANG_OPTION
@click.option(
    "--view",
    type=click.Choice(VIEWS),
    default="core",
    show_default=True,
    help="Open on the three city cores, the three cities whole, or every item at full length.",
)
@click.option("--cdn", is_flag=True, help="Link Leaflet from a CDN (smaller file, needs network).")
@click.option("--png", type=click.Path(dir_okay=False, path_type=Path), help="Also write a PNG.")
@click.option("--size", help="WIDTHxHEIGHT of the PNG (1600x1000) or the --embed frame (960x600).")
@click.option("--embed", is_flag=True, help="Print an <iframe> snippet for the HTML file.")
@click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON on stdout.")
def map_command(
    *,
    output: Path,
    source: SourceChoice,
    layers: str,
    basemap: str,
    tianditu_key: str | None,
    carto_key: str | None,
    title: str | None,
    lang: str,
    view: str,
    cdn: bool,
    png: Path | None,
    size: str | None,
    embed: bool,
    as_json: bool,
) -> None:
    """Draw the plan items on an interactive map (one HTML file), optionally a PNG."""
    from ctz.outputs import (
        MapJob,
        MapOptions,
        check_png_name,
        data_credit,
        make_map,
        parse_size,
        source_spec,
    )

    if png is not None:
        check_png_name(png)
    started = time.perf_counter()
    catalog = load_catalog()
    opened = source.open(catalog)
    keys = {"tianditu": tianditu_key, "carto": carto_key}
    options = MapOptions(title, lang, basemap, keys, self_contained=not cdn, view=view)
    job = MapJob(
        output,
        opened,
        tuple(name.strip() for name in layers.split(",") if name.strip()),
        options,
        png,
        parse_size(size) if size else None,
        embed,
    )
    result = make_map(job, catalog)
    seconds = time.perf_counter() - started
    if as_json:
        picture = result.picture
        print_json(
            {
                "html": str(output),
                "html_bytes": result.html_bytes,
                "layers": list(result.layers),
                "png": None if picture is None else str(png),
                "png_size": None if picture is None else [picture.width, picture.height],
                "png_tiles_loaded": None if picture is None else picture.tiles,
                "snippet": result.snippet,
                "seconds": round(seconds, 2),
                "data": {"source": source_spec(opened), "credit": data_credit(opened)},
            }
        )
        return
    say_data(opened, lang=lang)
    click.echo(
        f"wrote {output} ({result.html_bytes / 1e6:.2f} MB, layers: {', '.join(result.layers)}) "
        f"in {seconds:.1f} s",
        err=True,
    )
    from ctz.outputs import coverage_lines

    for line in coverage_lines(result.warnings, lang):
        click.echo(line, err=True)
    if result.picture:
        click.echo(f"wrote {png} ({result.picture.width}x{result.picture.height})", err=True)
        if not result.picture.tiles:
            click.echo(
                "note: basemap tiles could not be loaded; the PNG shows the offline base", err=True
            )
    if result.snippet:
        click.echo(result.snippet)


@main.command("geocode")
@click.argument("ids", nargs=-1)
@click.option("--kind", type=click.Choice(ITEM_KINDS), help="Only items of this kind.")
@source_options
@click.option(
    "--out",
    "output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output file: .gpkg, .geojson or .parquet.",
)
@click.option("--region", metavar="W,S,E,N", help="Search box in degrees (default: the 3 cities).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout.")
def geocode_command(
    *,
    ids: tuple[str, ...],
    kind: str | None,
    source: SourceChoice,
    output: Path,
    region: str | None,
    as_json: bool,
) -> None:
    """Resolve catalog items to geometry: one row per item, layer schema, EPSG:4326."""
    from ctz.outputs import check_output, write_layer

    check_output(output)
    catalog = load_catalog()
    opened = source.open(catalog, region=region)
    layer = ctz.geocode(list(ids), kind=kind, source=opened, catalog=catalog)
    write_layer(layer, output)
    summary = layer.attrs["resolution"]
    say_data(opened, as_json=as_json)
    if as_json:
        print_json(summary)
        return
    click.echo(
        f"wrote {output}: {summary['items']} items, {summary['matched']} matched, "
        f"{summary['sketch_fallback']} sketch fallback, {summary['ambiguous']} ambiguous",
        err=True,
    )
    if summary["fallback_ids"] and opened.name != "embedded":
        click.echo(f"sketch fallback: {', '.join(summary['fallback_ids'])}", err=True)
    for item_id, rivals in summary["ambiguous_ids"].items():
        click.echo(printable(f"ambiguous {item_id}: also {'; '.join(rivals)}"), err=True)


@main.group(epilog=EXIT_CODES_HELP)
def check() -> None:
    """Measure the plans' goals: corridors, green heart, charging, one-hour commute."""


def _report_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by the goal-check subcommands."""
    options = [
        click.option(
            "--goal", "goal_ids", multiple=True, metavar="ID", help="Only this goal (repeatable)."
        ),
        click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table."),
        click.option(
            "--map",
            "map_file",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Write a map of the evidence (gaps, uncovered patches).",
        ),
        click.option(
            "--markdown",
            type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
            help="Write the report as Markdown ('-' for stdout).",
        ),
        click.option(
            "--strict", is_flag=True, help="Exit 1 when a goal is not met, 3 when only unknown."
        ),
        POPULATION_OPTION,
        LANG_OPTION,
    ]
    for option in reversed(options):
        function = option(function)
    return source_options(function)


def _goal_check_command(name: str, family: str | None, summary: str) -> None:
    """Add ``ctz check NAME``: the goals of one family (all goals for None) as a report."""

    @check.command(name, help=summary, epilog=EXIT_CODES_HELP)
    @_report_options
    def command(
        *,
        source: SourceChoice,
        goal_ids: tuple[str, ...],
        as_json: bool,
        map_file: Path | None,
        markdown: Path | None,
        strict: bool,
        population: Path | None,
        lang: str,
    ) -> None:
        from ctz.files import replacing
        from ctz.outputs import coverage_lines, goal_rows, report_markdown

        catalog = load_catalog()
        opened = source.open(catalog)
        goal: str | list[str] = family or "all"
        if goal_ids:
            from ctz.outputs import family_goals

            known = {g.id for g in family_goals(catalog.goals.values(), family)}
            outside = [g for g in goal_ids if g not in known]
            if outside:
                raise InputError(f"unknown goal '{outside[0]}' (known: {', '.join(sorted(known))})")
            goal = list(goal_ids)
        report = ctz.check(goal, source=opened, population=population, catalog=catalog)
        if markdown is not None:
            text = report_markdown(report, lang)
            if str(markdown) == "-":
                click.echo(text, nl=False)
            else:
                with replacing(markdown) as temporary:
                    temporary.write_text(text, encoding="utf-8")
        if map_file is not None:
            from ctz.outputs import write_result_map

            write_result_map(report, catalog, map_file, lang)
        say_data(opened, as_json=as_json, lang=lang)
        if as_json:
            print_json(report.to_dict())
        elif str(markdown) != "-":
            rows = goal_rows(report, lang)
            print_table(rows, list(rows[0]) if rows else [])
            for line in coverage_lines(report.coverage.warnings, lang):
                click.echo(line, err=True)
        sys.exit(report.exit_code(strict=strict))


_goal_check_command(
    "corridors",
    "corridors",
    "Corridor packages: length found against target, gaps (断头路), items not in OSM.",
)
_goal_check_command(
    "green-heart",
    "green-heart",
    "Green heart: zone area against 523 km², land use, roads crossing it, core greenway.",
)
_goal_check_command(
    "charging", "charging", "Charging: share of the central urban area beyond 1 km of a charger."
)
_goal_check_command(
    "all", None, "Every catalog goal: measured value, target, verdict and evidence."
)


@check.command("commute", epilog=EXIT_CODES_HELP)
@click.argument("compared", nargs=-1, metavar="[SCENARIO]...")
@click.option(
    "--scenario",
    default=str(COMMUTE.scenario),
    show_default=True,
    help="existing, all, a target year, or a scenario file (.yaml), compared with today.",
)
@click.option(
    "--compare",
    "compare",
    is_flag=True,
    help="Set the SCENARIO arguments (names or files) side by side with today.",
)
@LANG_OPTION
@click.option(
    "--gtfs",
    "feeds",
    multiple=True,
    type=click.Path(path_type=Path),
    help="GTFS feed (zip or folder) of today's services, repeatable; default: the shipped one.",
)
@click.option(
    "--depart",
    default=COMMUTE.depart,
    show_default=True,
    help="Departure window the feeds' waits are measured in.",
)
@POPULATION_OPTION
@click.option(
    "--grid-km", default=COMMUTE.grid_km, show_default=True, help="Origin grid cell size (km)."
)
@click.option(
    "--congestion",
    default=COMMUTE.congestion,
    show_default=True,
    help="Road time multiplier in the central districts (free flow elsewhere).",
)
@click.option(
    "--access", type=click.Choice(ACCESS_MODES), default=COMMUTE.access, show_default=True
)
@click.option("--marginal", is_flag=True, help="Rank planned items by people newly within 60 min.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option(
    "--map",
    "map_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a map of the travel-time bands.",
)
@click.option(
    "--isochrones",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the 30/45/60/90-minute bands per core and nearest core (.gpkg, .parquet).",
)
@click.option(
    "--grid",
    "grid_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the origin grid: people and minutes to each core per cell (.gpkg, .parquet).",
)
@click.option(
    "--strict", is_flag=True, help="Exit 1 when the goal is not met, 3 when it is unknown."
)
@click.option(
    "--validate",
    is_flag=True,
    help="Only set the timetable (the shipped one or the one --gtfs) and the run's county-seat "
    "drive times against the published figures of seeds/transit/published.yaml; with --strict, "
    "exit 1 when one is outside its bound.",
)
@source_options
def check_commute(
    *,
    compared: tuple[str, ...],
    scenario: str,
    compare: bool,
    lang: str,
    feeds: tuple[Path, ...],
    depart: str,
    population: Path | None,
    grid_km: float,
    congestion: float,
    access: str,
    marginal: bool,
    as_json: bool,
    map_file: Path | None,
    isochrones: Path | None,
    grid_file: Path | None,
    strict: bool,
    validate: bool,
    source: SourceChoice,
) -> None:
    """Measure the one-hour commute circle: who reaches each city core within 30–90 min.

    Roads open today come from the embedded sketches, or from the OpenStreetMap
    drive graph of --source osm or pbf:PATH; planned roads and rail from the catalog;
    rail and transit services from GTFS feeds (the shipped timetable by default).
    With --compare, the SCENARIO arguments are measured side by side with today.
    """
    from ctz.outputs import check_output, commute_lines, comparison_lines

    for layer_file in (isochrones, grid_file):
        if layer_file is not None:
            check_output(layer_file)
    if compared and not compare:
        raise click.UsageError("scenario arguments need --compare (or use --scenario)")
    if compare and not compared:
        raise click.UsageError("--compare needs at least one SCENARIO argument")
    catalog = load_catalog()
    opened = source.open(catalog)
    common: dict[str, Any] = {
        "source": opened,
        "population": population,
        "grid_km": grid_km,
        "congestion": congestion,
        "access": access,
        "feeds": feeds or None,
        "depart": depart,
        "catalog": catalog,
    }
    if validate:
        if len(feeds) > 1:
            raise click.UsageError("--validate takes at most one --gtfs feed")
        seats = ctz.commute(**common).county_seats
        _validate_timetable(feeds, depart, seats, as_json=as_json, strict=strict, lang=lang)
    if compare:
        comparison = ctz.compare(compared, **common)
        say_data(opened, as_json=as_json, lang=lang)
        if as_json:
            print_json(comparison.to_dict())
        else:
            for line in comparison_lines(comparison, catalog, lang):
                click.echo(line)
        return
    result = ctz.commute(scenario=scenario, marginal=marginal, **common)
    if map_file is not None:
        from ctz.outputs import write_result_map

        write_result_map(result, catalog, map_file, lang)
    if isochrones is not None or grid_file is not None:
        from ctz.outputs import write_grid, write_isochrones

        if isochrones is not None:
            write_isochrones(result, isochrones)
        if grid_file is not None:
            write_grid(result, grid_file)
    say_data(opened, as_json=as_json, lang=lang)
    if as_json:
        print_json(result.to_dict())
    else:
        for line in commute_lines(result, lang):
            click.echo(line)
    sys.exit(result.exit_code(strict=strict))


def _validate_timetable(
    feeds: tuple[Path, ...],
    depart: str,
    seats: pd.DataFrame,
    *,
    as_json: bool,
    strict: bool,
    lang: str,
) -> None:
    """Print timetable and drive times against published figures; exit 1 if one is off (strict)."""
    from ctz.outputs import validation_records, validation_rows

    records = validation_records(
        ctz.validate_published(feeds[0] if feeds else None, depart=depart, seats=seats)
    )
    if as_json:
        print_json({"validation": records})
    else:
        rows = validation_rows(records, lang)
        print_table(rows, list(rows[0]))
    outside = sum(not r["within"] and r["measure"] != "not_modelled" for r in records)
    sys.exit(1 if strict and outside else 0)


@main.command("report")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help=".html (one page with the map), .xlsx (a sheet per table), .md, or NAME.csv "
    "(a folder NAME of CSV files).",
)
@click.option(
    "--scenario",
    default=str(COMMUTE.scenario),
    show_default=True,
    help="Commute scenario: existing, all, or a target year.",
)
@POPULATION_OPTION
@LANG_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON on stdout.")
@source_options
def report_command(
    *,
    output: Path,
    scenario: str,
    population: Path | None,
    lang: str,
    as_json: bool,
    source: SourceChoice,
) -> None:
    """Write a briefing: map, goals, core-to-core times, coverage, marginal ranking, sources."""
    import shlex

    from ctz.outputs import (
        Briefing,
        check_report_output,
        map_layers,
        serves_osm_data,
        write_briefing,
    )

    check_report_output(output)
    started = time.perf_counter()
    catalog = load_catalog()
    opened = source.open(catalog)
    report = ctz.check("all", source=opened, population=population, catalog=catalog)
    commute = ctz.commute(
        scenario=scenario, source=opened, population=population, marginal=True, catalog=catalog
    )
    layers = map_layers(catalog, opened)[0] if output.suffix.lower() == ".html" else {}
    words = ["ctz", "report", "-o", str(output), "--source", source.spec, "--scenario", scenario]
    words += ["--population", str(population)] if population else []
    has_osm_data = serves_osm_data(opened)  # a plain bool: ``opened`` stays a GeometrySource
    progress = ctz.progress(source=opened, catalog=catalog) if has_osm_data else None
    briefing = Briefing(
        report, commute, catalog, shlex.join([*words, "--lang", lang]), lang=lang, progress=progress
    )
    written = write_briefing(briefing, output, layers)
    say_data(opened, lang=lang)
    size = sum(path.stat().st_size for path in written)
    if as_json:
        print_json(
            {
                "written": [{"path": str(p), "bytes": p.stat().st_size} for p in written],
                "bytes": size,
                "tables": list(briefing.tables()),
                "layers": list(layers),
                "lang": lang,
                "verdicts": report.verdicts,
                "seconds": round(time.perf_counter() - started, 2),
            }
        )
        return
    click.echo(
        f"wrote {', '.join(map(str, written))} ({size / 1e6:.2f} MB) "
        f"in {time.perf_counter() - started:.1f} s",
        err=True,
    )


@main.command("progress")
@click.option("--as-of", metavar="YYYY-MM-DD", help="Judge overdue on this date (default: today).")
@click.option(
    "--compare-with",
    metavar="pbf:OLD",
    help="An older extract: also list what opened or started since, with km per kind.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
@click.option(
    "--map",
    "map_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a map: open / under construction / not started / overdue.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the tables: .csv (items) or .xlsx (a sheet per table).",
)
@LANG_OPTION
@source_options
def progress_command(
    *,
    as_of: str | None,
    compare_with: str | None,
    as_json: bool,
    map_file: Path | None,
    output: Path | None,
    lang: str,
    source: SourceChoice,
) -> None:
    """Plan progress: each item's dated plan status against its OSM state, overdue, outdated."""
    from ctz.outputs import (
        check_progress_output,
        item_table,
        kind_table,
        plan_table,
        write_progress,
    )

    if output is not None:
        check_progress_output(output)
    catalog = load_catalog()
    opened = source.open(catalog)
    older = None
    if compare_with is not None:
        older = source.open(catalog, compare_with)
    result = ctz.progress(source=opened, as_of=as_of, compare_with=older, catalog=catalog)
    if output is not None:
        write_progress(result, output)
    if map_file is not None:
        from ctz.outputs import write_result_map

        write_result_map(result, catalog, map_file, lang)
    if as_json:
        print_json(result.to_dict())
        return
    shown = item_table(result)[
        [
            *("item_id", "name_zh", "plan status", "plan status as of", "OSM state"),
            *("target_year", "overdue", "status outdated", "open [km]", "under construction [km]"),
        ]
    ]
    for table in (shown, kind_table(result), plan_table(result)):
        rows = [{c: _cell(v) for c, v in row.items()} for row in table.to_dict("records")]
        print_table(rows, [str(c) for c in table.columns])
        click.echo("")
    if result.changes is not None:
        rows = [{c: _cell(v) for c, v in r.items()} for r in result.changes.to_dict("records")]
        print_table(rows, [str(c) for c in result.changes.columns])


def _cell(value: Any) -> str:
    """Return a table cell as text: whole numbers with separators, a missing value as a dash."""
    from ctz.outputs import planner_number

    if isinstance(value, str):
        return value
    return planner_number(value, "plain")


# --- road networks and the cache folder (kept together at the end) ---


@main.group("network")
def network_group() -> None:
    """Road networks built from an OpenStreetMap extract and kept in the cache."""


CACHE_DIR_OPTION = click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The cache folder ($CTZ_CACHE, default ~/.cache/ctz).",
)
"""``--cache-dir`` of the commands that manage the cache."""


@network_group.command("build")
@click.option(
    "--source",
    default="auto",
    show_default=True,
    metavar="pbf:FILE",
    help="The extract to build from (auto: the one from 'ctz data get').",
)
@CACHE_DIR_OPTION
@click.option("--refresh", is_flag=True, help="Build again even when the network is cached.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout.")
def network_build(*, source: str, cache_dir: Path | None, refresh: bool, as_json: bool) -> None:
    """Build the three cities' drive network from an extract and cache it for later commands."""
    from ctz.outputs import city_network

    opened = ctz.open_source(source, cache_dir=cache_dir, refresh=refresh, progress=True)
    started = time.perf_counter()
    built = city_network(opened)
    if built is None:
        if source == "auto":
            raise InputError(
                "no extract in the cache: run 'ctz data get', or give --source pbf:FILE"
            )
        raise InputError(f"--source {source}: network build reads an extract, pbf:FILE")
    summary, cache_file = built.network.summary(), built.cache_file
    seconds = round(time.perf_counter() - started, 2)
    if as_json:
        print_json(
            {
                **summary,
                "cache_file": str(cache_file),
                "from_cache": built.from_cache,
                "seconds": seconds,
            }
        )
        return
    verb = "read from the cache" if built.from_cache else "built and cached"
    click.echo(
        f"{verb} in {seconds} s: {summary['nodes']:,} nodes, {summary['edges']:,} edges, "
        f"{summary['road_km']:,} km of road ({summary['one_way_roads']:,} one-way roads)"
    )
    for road_class, km in summary["road_km_by_class"].items():
        click.echo(f"  {road_class:16} {km:>10,.1f} km")
    click.echo(f"cache file: {cache_file}")


@main.group("cache")
def cache_group() -> None:
    """List or clear what ctz keeps in its cache folder ($CTZ_CACHE, default ~/.cache/ctz)."""


@cache_group.command("list")
@CACHE_DIR_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the entries as JSON on stdout.")
def cache_list(*, cache_dir: Path | None, as_json: bool) -> None:
    """List cached OSM answers, road networks, matched catalogs and GeoNames ids, with sizes."""
    from ctz.files import default_cache_dir

    folder = cache_dir or default_cache_dir()
    entries = ctz.cache_entries(folder)
    rows = [
        {
            "kind": e.kind,
            "size": f"{e.size_bytes / 1e6:.2f} MB",
            "about": e.about,
            "path": str(e.path),
        }
        for e in entries
    ]
    if as_json:
        print_json(rows)
        return
    if rows:
        print_table(rows, ["kind", "size", "about", "path"])
    total = sum(e.size_bytes for e in entries)
    click.echo(f"{len(entries)} files, {total / 1e6:.2f} MB in {folder}", err=True)


@cache_group.command("clear")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(
        ["network", "resolution", "osm-answer", "geonames", "derived", "graphml", "unfinished"]
    ),
    help="Only entries of this kind (repeatable); all kinds by default.",
)
@CACHE_DIR_OPTION
def cache_clear(kinds: tuple[str, ...], cache_dir: Path | None) -> None:
    """Delete what ctz cached (files it did not write are kept); it is fetched or built again."""
    from ctz.files import default_cache_dir

    folder = cache_dir or default_cache_dir()
    removed = ctz.clear_cache(kinds, folder)
    freed = sum(e.size_bytes for e in removed)
    click.echo(f"removed {len(removed)} files, {freed / 1e6:.2f} MB from {folder}", err=True)


# --- extracts fetched with ctz data get ---


@main.group("data")
def data_group() -> None:
    """Fetch the Hunan OpenStreetMap extract once; every command then reads it (--source auto)."""


@data_group.command("get")
@click.argument("region", default="hunan")
@click.option(
    "--url",
    envvar="CTZ_DATA_URL",
    help="A mirror or another .osm.pbf, its .md5 used when there is one ($CTZ_DATA_URL).",
)
@CACHE_DIR_OPTION
@click.option("--refresh", is_flag=True, help="Download anew, even when up to date.")
@click.option("--keep-full", is_flag=True, help="Keep the whole download beside the clip.")
def data_get(
    *, region: str, url: str | None, cache_dir: Path | None, refresh: bool, keep_full: bool
) -> None:
    """Download REGION's extract (hunan), verify it, clip it to the three cities and keep it.

    The download resumes where an interrupted one stopped; its MD5 is checked
    against the server's and it must be an OSM PBF file before it is kept.
    """

    def say(line: str) -> None:
        click.echo(line, err=True)

    started = time.perf_counter()
    record, fetched = ctz.get_extract(
        region,
        url=url,
        cache_dir=cache_dir,
        refresh=refresh,
        keep_full=keep_full,
        progress=True,
        say=say,
    )
    if fetched:
        from ctz.base import SourceError
        from ctz.outputs import city_network, size_text

        say("building the three cities' road network for later commands")
        opened = ctz.open_source(f"pbf:{record.path}", cache_dir=cache_dir, progress=True)
        try:
            city_network(opened)
        except SourceError as error:
            say(f"note: no road network built ({error})")
        click.echo(
            f"kept {record.path} ({size_text(record.bytes)} clipped from "
            f"{size_text(record.full_bytes)}, data of {record.data_date or 'unknown date'}) "
            f"in {time.perf_counter() - started:.1f} s",
            err=True,
        )


@data_group.command("list")
@CACHE_DIR_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the extracts as JSON on stdout.")
def data_list(*, cache_dir: Path | None, as_json: bool) -> None:
    """List the extracts fetched, newest first: region, URL, data date, sizes, MD5, area."""
    from ctz.files import default_cache_dir
    from ctz.outputs import size_text

    folder = cache_dir or default_cache_dir()
    records = ctz.list_extracts(folder)
    if as_json:
        print_json([r.to_dict() for r in records])
        return
    rows = [
        {
            "region": r.region,
            "data_date": str(r.data_date or "unknown"),
            "clipped": size_text(r.bytes),
            "full": size_text(r.full_bytes) + ("" if r.full_path else " (not kept)"),
            "md5": r.md5 + ("" if r.md5_checked else " (unchecked)"),
            "area": r.area,
            "url": r.url,
        }
        for r in records
    ]
    if rows:
        print_table(rows, ["region", "data_date", "clipped", "full", "md5", "area", "url"])
    click.echo(f"{len(rows)} extracts in {folder / 'extracts'}", err=True)


@data_group.command("clear")
@CACHE_DIR_OPTION
def data_clear(cache_dir: Path | None) -> None:
    """Delete every extract fetched (and partial downloads); commands fall back to embedded."""
    from ctz.files import default_cache_dir

    folder = cache_dir or default_cache_dir()
    removed = ctz.clear_extracts(folder)
    freed = sum(size for _, size in removed)
    click.echo(f"removed {len(removed)} files, {freed / 1e6:.2f} MB from {folder}", err=True)
