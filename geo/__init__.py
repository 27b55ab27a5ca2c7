"""Turn catalog names into geometry: embedded sketches, live OpenStreetMap, local .osm.pbf."""
