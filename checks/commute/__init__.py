"""The one-hour commute check: travel times from the city cores over roads and rail.

Modules: :mod:`params` (speeds and penalties), :mod:`network` (the graph),
:mod:`build` (graph from catalog layers or an OSM road graph), :mod:`paths`
(shortest paths on CSR), :mod:`origins` (grid cells and their access links),
:mod:`population` (census or raster population on the cells), :mod:`scenario`
(which items are switched on), :mod:`coverage` (the measured result),
:mod:`marginal` (what each planned item adds), :mod:`report`, :mod:`webmap` and
:mod:`goal` (the goal line of ``ctz check all``).
"""

from ctz.checks.commute.goal import check_commute_goal

__all__ = ["check_commute_goal"]
