"""One GeoDataFrame per theme (roads, rail, stations, ports, green heart, …), one schema."""
