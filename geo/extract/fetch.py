"""``ctz data get``: download an extract, verify it, clip it to the study area and record it."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import requests
from shapely.geometry.base import BaseGeometry

from ctz.base import InputError, SourceError
from ctz.geo.extract.clip import clip_extract
from ctz.geo.extract.download import (
    discard_partial,
    download,
    fetch_checksum,
    md5_of,
    server_name,
)
from ctz.geo.extract.store import (
    REGIONS,
    ExtractRecord,
    check_region,
    clipped_path,
    full_path,
    load_record,
    partial_path,
    record_path,
    save_record,
)
from ctz.geo.pbf.check import check_extract
from ctz.geo.pbf.dates import data_time, day_of


@dataclass(frozen=True)
class ExtractRequest:
    """What to fetch and where to keep it.

    Attributes
    ----------
    region
        The region's name (a key of :data:`~ctz.geo.extract.store.REGIONS`, or any
        name with ``url``).
    area
        Polygon (EPSG:4326) to clip to.
    area_name
        That area in words, for the record.
    cache_dir
        The cache folder.
    url
        Where to download from (a mirror, another extract); the region's default when None.
    refresh
        Download anew even when a partial or an up-to-date extract is there.
    keep_full
        Keep the whole download beside the clipped extract.
    progress
        Show progress on stderr.
    """

    region: str
    area: BaseGeometry
    area_name: str
    cache_dir: Path
    url: str | None = None
    refresh: bool = False
    keep_full: bool = False
    progress: bool = True


def get_extract(
    request: ExtractRequest, say: Callable[[str], None] = lambda line: None
) -> tuple[ExtractRecord, bool]:
    """Fetch, verify, clip and record an extract; return its record and whether it was new.

    An extract already recorded from the same URL with the MD5 the server
    publishes now is up to date and not fetched again (unless ``refresh``).

    Parameters
    ----------
    request
        What to fetch.
    say
        Called with a line for each step (for the command line's stderr).

    Raises
    ------
    InputError
        For an unknown region without ``url``.
    SourceError
        Naming the server and the problem; see :func:`~ctz.geo.extract.download.download`.
        A checksum mismatch keeps the download as the partial file; an extract that
        is not OSM PBF is deleted. No record is written unless every step passed.
    """
    region = check_region(request.region)
    url = request.url or REGIONS.get(region)
    if url is None:
        raise InputError(f"unknown region '{region}' (known: {', '.join(REGIONS)}); give --url")
    cache = request.cache_dir
    partial = partial_path(cache, region)
    if request.refresh:
        discard_partial(partial)
    with requests.Session() as session:
        published = fetch_checksum(url + ".md5", session)
        known = record_path(cache, region)
        old = load_record(known) if known.is_file() and not request.refresh else None
        if old is not None and old.url == url and published is not None and old.md5 == published:
            say(f"{region}: up to date ({old.path}, data of {old.data_date})")
            return old, False
        say(f"downloading {url}")
        transfer = download(url, partial, session, progress=request.progress)
    if transfer.restarted:
        say(f"{server_name(url)} ignored the resume request: downloaded again from the start")
    elif transfer.resumed_from:
        say(f"resumed at {transfer.resumed_from / 1e6:.1f} MB")
    md5 = md5_of(partial)
    if published is not None and md5 != published:
        raise SourceError(
            f"checksum mismatch for {url}: the download has MD5 {md5}, {server_name(url)} "
            f"publishes {published}; the download is kept as {partial} "
            "(run again with --refresh to download it anew)"
        )
    whole = full_path(cache, region)
    os.replace(partial, whole)
    discard_partial(partial)
    try:
        check_extract(whole)
        moment = data_time(whole)
        say(f"clipping to {request.area_name}")
        clipped = clipped_path(cache, region)
        clip_extract(whole, clipped, request.area, moment)
        check_extract(clipped)
    except BaseException:
        whole.unlink(missing_ok=True)
        raise
    record = ExtractRecord(
        region=region,
        url=url,
        path=clipped,
        bytes=clipped.stat().st_size,
        data_date=day_of(moment),
        data_time=None if moment is None else moment.isoformat(),
        fetched=datetime.now(UTC).isoformat(timespec="seconds"),
        full_bytes=transfer.size,
        full_path=whole if request.keep_full else None,
        md5=md5,
        md5_checked=published is not None,
        area=request.area_name,
        bounds=request.area.bounds,
    )
    if not request.keep_full:
        whole.unlink()
    save_record(record, cache)
    return record, True
