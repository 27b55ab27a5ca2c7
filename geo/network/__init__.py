"""Road networks as arrays: built from an extract's drivable ways or an osmnx graph, cached."""
