"""The extracts ``ctz data get`` keeps in the cache folder, one record each, newest first.

Under ``extracts/`` in the cache folder, per region: the clipped extract
(``REGION.osm.pbf``), its record (``REGION.json``), and while downloading the
partial file (``REGION-full.osm.pbf.part``) with its state; the whole file
(``REGION-full.osm.pbf``) only when asked to keep it. The record is written
last, so an extract without one is never used: nothing half-done is taken for
a whole extract.
"""

from __future__ import annotations

import json
import re
import warnings
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ctz.base import InputError
from ctz.files import replacing
from ctz.geo.cache.entries import EXTRACTS_FOLDER

REGIONS: dict[str, str] = {
    "hunan": "https://download.geofabrik.de/asia/china/hunan-latest.osm.pbf",
}
"""Known regions and where their extract is published (Geofabrik, updated daily)."""

_REGION_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


@dataclass(frozen=True)
class ExtractRecord:
    """One extract fetched, checked and clipped.

    Attributes
    ----------
    region
        Its name (``hunan``).
    url
        Where it was downloaded from.
    path
        The clipped extract.
    bytes
        Size of the clipped extract.
    data_date
        The day its data is of (UTC), from the header's replication time, else the
        newest edit; None when neither is known.
    data_time
        The same as an ISO time, when known.
    fetched
        When it was downloaded (UTC, ISO).
    full_bytes
        Size of the whole download.
    full_path
        The whole download when kept (``--keep-full``), else None.
    md5
        MD5 of the whole download.
    md5_checked
        Whether it was checked against the server's ``.md5``.
    area
        What it was clipped to, in words.
    bounds
        West, south, east, north of that area (degrees).
    """

    region: str
    url: str
    path: Path
    bytes: int
    data_date: date | None
    data_time: str | None
    fetched: str
    full_bytes: int
    full_path: Path | None
    md5: str
    md5_checked: bool
    area: str
    bounds: tuple[float, float, float, float]

    def to_dict(self) -> dict[str, object]:
        """Return the record as JSON-ready data."""
        data = asdict(self)
        data.update(
            path=str(self.path),
            full_path=None if self.full_path is None else str(self.full_path),
            data_date=None if self.data_date is None else self.data_date.isoformat(),
            bounds=list(self.bounds),
        )
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ExtractRecord:
        """Read a record written by :meth:`to_dict`.

        Raises
        ------
        KeyError, TypeError, ValueError
            When ``data`` is not such a record.
        """
        day = data["data_date"]
        return cls(
            region=str(data["region"]),
            url=str(data["url"]),
            path=Path(data["path"]),
            bytes=int(data["bytes"]),
            data_date=None if day is None else date.fromisoformat(day),
            data_time=data["data_time"],
            fetched=str(data["fetched"]),
            full_bytes=int(data["full_bytes"]),
            full_path=None if data["full_path"] is None else Path(data["full_path"]),
            md5=str(data["md5"]),
            md5_checked=bool(data["md5_checked"]),
            area=str(data["area"]),
            bounds=(*map(float, data["bounds"]),),  # type: ignore[arg-type]
        )


def check_region(region: str) -> str:
    """Return ``region`` when it can name files, else raise :class:`InputError`."""
    if not _REGION_NAME.match(region):
        raise InputError(
            f"region name '{region}' must be lower-case letters, digits, '-' or '_' (e.g. hunan)"
        )
    return region


def extracts_folder(cache_dir: Path) -> Path:
    """Return the folder of extracts in ``cache_dir``."""
    return cache_dir / EXTRACTS_FOLDER


def clipped_path(cache_dir: Path, region: str) -> Path:
    """Return where the clipped extract of ``region`` is kept."""
    return extracts_folder(cache_dir) / f"{region}.osm.pbf"


def full_path(cache_dir: Path, region: str) -> Path:
    """Return where the whole download of ``region`` goes once verified."""
    return extracts_folder(cache_dir) / f"{region}-full.osm.pbf"


def partial_path(cache_dir: Path, region: str) -> Path:
    """Return where the download of ``region`` goes while it is under way."""
    return extracts_folder(cache_dir) / f"{region}-full.osm.pbf.part"


def record_path(cache_dir: Path, region: str) -> Path:
    """Return where the record of ``region`` is kept."""
    return extracts_folder(cache_dir) / f"{region}.json"


def save_record(record: ExtractRecord, cache_dir: Path) -> Path:
    """Write the record (atomically): from now on the extract is used."""
    path = record_path(cache_dir, record.region)
    with replacing(path) as temporary:
        temporary.write_text(json.dumps(record.to_dict(), indent=2), encoding="utf-8")
    return path


def load_record(path: Path) -> ExtractRecord | None:
    """Read one record; None (with a warning) when unreadable or its extract is gone or altered."""
    try:
        record = ExtractRecord.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as error:
        warnings.warn(f"ignored extract record {path} ({error})", stacklevel=2)
        return None
    if not record.path.is_file() or record.path.stat().st_size != record.bytes:
        warnings.warn(
            f"ignored extract record {path}: {record.path} is missing or altered "
            "(run 'ctz data get' again)",
            stacklevel=2,
        )
        return None
    return record


def list_extracts(cache_dir: Path) -> list[ExtractRecord]:
    """Return the usable extracts in ``cache_dir``, the most recently fetched first."""
    folder = extracts_folder(cache_dir)
    if not folder.is_dir():
        return []
    records = [load_record(path) for path in sorted(folder.glob("*.json"))]
    found = [r for r in records if r is not None]
    return sorted(found, key=lambda r: datetime.fromisoformat(r.fetched), reverse=True)


def latest_extract(cache_dir: Path) -> ExtractRecord | None:
    """Return the extract fetched last, None when there is none."""
    found = list_extracts(cache_dir)
    return found[0] if found else None


def clear_extracts(cache_dir: Path) -> list[tuple[Path, int]]:
    """Delete every extract, record, whole download and partial file; return them with sizes."""
    folder = extracts_folder(cache_dir)
    if not folder.is_dir():
        return []
    removed = []
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.name.endswith((".osm.pbf", ".json", ".part", ".part.json")):
            removed.append((path, path.stat().st_size))
            path.unlink()
    return removed
