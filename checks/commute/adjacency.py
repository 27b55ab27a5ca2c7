"""CSR adjacency matrices of edge sets, sorted once and weighted as often as needed.

A commute run searches the same edge sets several times: under the model's
assumptions and under the optimistic and pessimistic ones (same edges, other
minutes), from the cores (a few source rows appended) and from each item's
improving edges (a few edges added). The sort that places every edge in its
row is done once per edge set (:class:`EdgePattern`); a weighting is one
gather and one grouped minimum, and rows or edges are added by merging
(:func:`with_rows`, :func:`with_edges`) instead of sorting every edge again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from ctz.geo.network.adjacency import EdgePattern, sorted_edges


@dataclass
class EdgeSets:
    """The edges of one network, sorted by ``(tail, head)`` once for all their subsets.

    A subset of a sorted sequence stays sorted: the :class:`EdgePattern` of any
    edge set (a boolean mask over the edges) is the one sort filtered by its
    mask, kept per mask.

    Attributes
    ----------
    n_nodes
        Matrix size.
    tail, head
        Every directed edge.
    """

    n_nodes: int
    tail: np.ndarray
    head: np.ndarray
    _sorted: tuple[np.ndarray, np.ndarray, np.ndarray] | None = field(
        default=None, init=False, repr=False
    )
    _patterns: dict[str, EdgePattern] = field(default_factory=dict, init=False, repr=False)

    def pattern(self, active: np.ndarray) -> EdgePattern:
        """Return the :class:`EdgePattern` of the ``active`` edges (one filter, no sort)."""
        key = mask_key(active)
        if key not in self._patterns:
            order, tail, head = self.sort()
            kept = active[order]
            self._patterns[key] = EdgePattern.of_sorted(
                self.n_nodes, order[kept], tail[kept], head[kept]
            )
        return self._patterns[key]

    def sort(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return every edge's position sorted by ``(tail, head)``, and the tails and heads so.

        Sorted on first use and kept (with a stored network, stored).
        """
        if self._sorted is None:
            self._sorted = sorted_edges(self.n_nodes, self.tail, self.head)
        return self._sorted


def mask_key(mask: np.ndarray) -> str:
    """Return a short digest naming a boolean mask (for per-mask caches)."""
    return hashlib.blake2b(np.packbits(mask).tobytes(), digest_size=16).hexdigest()


def placed(graph: sp.csr_matrix, row: int, col: int, size: int) -> sp.csr_matrix:
    """Return ``graph`` as the block at ``(row, col)`` of an otherwise empty ``size`` square."""
    before, after = np.zeros(row, dtype=graph.indptr.dtype), size - row - graph.shape[0]
    grown = np.r_[before, graph.indptr, np.full(after, graph.nnz)]
    return sp.csr_matrix((graph.data, graph.indices + col, grown), shape=(size, size))


def with_rows(graph: sp.csr_matrix, rows: sp.csr_matrix) -> sp.csr_matrix:
    """Return ``graph`` with the rows of the larger square ``rows`` past its own appended.

    ``rows`` holds entries only in the rows numbered after ``graph``'s (new nodes'
    out-edges, e.g. virtual sources); the result is what one CSR build of both
    edge sets gives, without sorting ``graph``'s edges again.
    """
    n, size = graph.shape[0], rows.shape[0]
    start = rows.indptr[n]
    return sp.csr_matrix(
        (
            np.r_[graph.data, rows.data[start:]],
            np.r_[graph.indices, rows.indices[start:]],
            np.r_[graph.indptr, graph.nnz + rows.indptr[n + 1 :] - start],
        ),
        shape=(size, size),
    )


def with_edges(graph: sp.csr_matrix, edges: sp.csr_matrix) -> sp.csr_matrix:
    """Return the union of two edge sets that share no ``(tail, head)`` pair.

    ``graph`` (any size up to ``edges``') is padded to ``edges``' size and the two
    merged row by row (one linear pass, rows stay sorted). Weights must not be
    zero: a sparse sum drops stored zeros.
    """
    return placed(graph, 0, 0, edges.shape[0]) + edges
