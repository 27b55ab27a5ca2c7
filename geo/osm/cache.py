"""An on-disk cache of OSM query results, written atomically (temp file + ``os.replace``)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import shapely

from ctz.files import replacing
from ctz.geo.matching import Candidate


class CandidateCache:
    """Query results stored as JSON files named by a hash of the query.

    Parameters
    ----------
    folder
        Where the files live; created on first write.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def path(self, *key: Any) -> Path:
        """Return the file that holds the result of the query described by ``key``."""
        digest = hashlib.sha256(json.dumps(key, sort_keys=True, default=str).encode()).hexdigest()
        return self.folder / f"{digest[:32]}.json"

    def load(self, *key: Any) -> list[Candidate] | None:
        """Return the cached candidates for ``key``, or None when not cached."""
        path = self.path(*key)
        if not path.is_file():
            return None
        records = json.loads(path.read_text(encoding="utf-8"))
        geometries = shapely.from_wkb([r["wkb"] for r in records])
        return [Candidate(r["id"], r["tags"], g) for r, g in zip(records, geometries, strict=True)]

    def save(self, candidates: list[Candidate], *key: Any) -> None:
        """Store ``candidates`` under ``key``; an interrupted write leaves no partial file."""
        self.folder.mkdir(parents=True, exist_ok=True)
        wkbs = shapely.to_wkb([c.geometry for c in candidates], hex=True)
        records = [
            {"id": c.osm_id, "tags": dict(c.tags), "wkb": w}
            for c, w in zip(candidates, wkbs, strict=True)
        ]
        with replacing(self.path(*key)) as temp:
            temp.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
