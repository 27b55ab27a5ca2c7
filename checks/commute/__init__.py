"""The one-hour commute check: travel times from the city cores over roads and rail.

Modules: :mod:`params` (speeds and penalties), :mod:`network` (the graph),
:mod:`build` (graph from catalog layers or an OSM road graph), :mod:`road_graph`
(OSM roads and their speeds), :mod:`dijkstra` and :mod:`paths` (shortest paths
on CSR), :mod:`origins` (grid cells and their access links), :mod:`study` (the
network, cores and populated cells), :mod:`scenario` (which items are switched
on), :mod:`coverage` (travel times measured), :mod:`marginal` (what each planned
item adds), :mod:`result` (the typed result), :mod:`run` (one run end to end)
and :mod:`goal` (the goal line of ``ctz check all``).
"""
