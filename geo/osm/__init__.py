"""OpenStreetMap tags, names and the live ``osm`` source (Overpass, Nominatim, cache)."""
