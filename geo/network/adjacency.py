"""CSR adjacency of directed edges, lightest of parallel edges kept: sorted once, weighted often.

Every graph ctz searches (the road network's, the commute model's edge sets) is
built here. The sort that places every edge in its row is done once per edge set
(:class:`EdgePattern`); a weighting is then one gather and one grouped minimum.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp


@dataclass(frozen=True)
class EdgePattern:
    """Where each edge of a set lands in its CSR matrix, parallel edges merged.

    Attributes
    ----------
    n_nodes
        Matrix size.
    order
        Edge positions sorted by ``(tail, head)``.
    first
        Start, in ``order``, of each distinct ``(tail, head)`` pair.
    indices, indptr
        The CSR structure: one entry per distinct pair, rows sorted.
    """

    n_nodes: int
    order: np.ndarray
    first: np.ndarray
    indices: np.ndarray
    indptr: np.ndarray

    @classmethod
    def of(cls, n_nodes: int, tail: np.ndarray, head: np.ndarray) -> EdgePattern:
        """Place the directed edges ``tail → head`` in their CSR places (sorted here).

        Parameters
        ----------
        n_nodes
            Matrix size.
        tail, head
            Directed edges (node indices).
        """
        return cls.of_sorted(n_nodes, *sorted_edges(n_nodes, tail, head))

    @classmethod
    def of_sorted(
        cls, n_nodes: int, order: np.ndarray, tail: np.ndarray, head: np.ndarray
    ) -> EdgePattern:
        """Place edges already sorted by ``(tail, head)``: no sort, no key arithmetic.

        Parameters
        ----------
        n_nodes
            Matrix size.
        order
            The edges' positions (what :meth:`matrix` gathers weights by).
        tail, head
            The edges' ends, in ``order``'s order (sorted by ``(tail, head)``).
        """
        if len(order):
            pair_starts = np.r_[True, (tail[1:] != tail[:-1]) | (head[1:] != head[:-1])]
            first = np.flatnonzero(pair_starts)
        else:
            first = np.zeros(0, dtype=np.intp)
        indptr = np.zeros(n_nodes + 1, dtype=np.int64)
        np.cumsum(np.bincount(tail[first], minlength=n_nodes), out=indptr[1:])
        return cls(n_nodes, order, first, np.asarray(head[first], dtype=np.int64), indptr)

    def matrix(self, weights: np.ndarray) -> sp.csr_matrix:
        """Return the CSR matrix of the edges weighted by ``weights`` (lightest of parallels).

        Parameters
        ----------
        weights
            One weight per edge given to :meth:`of` (placed or not).

        Returns
        -------
        scipy.sparse.csr_matrix
            ``n_nodes`` square; stored zeros are kept as entries.
        """
        n = self.n_nodes
        if not len(self.order):
            return sp.csr_matrix((n, n))
        lightest = np.minimum.reduceat(np.asarray(weights, dtype=float)[self.order], self.first)
        return sp.csr_matrix((lightest, self.indices, self.indptr), shape=(n, n))


def sorted_edges(
    n_nodes: int, tail: np.ndarray, head: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the edges' positions sorted by ``(tail, head)``, and their tails and heads so.

    Parameters
    ----------
    n_nodes
        Matrix size (no node index reaches it).
    tail, head
        Directed edges (node indices).
    """
    tail, head = np.asarray(tail), np.asarray(head)
    order = np.argsort(tail.astype(np.int64) * n_nodes + head)
    return order, tail[order], head[order]


def lightest_adjacency(
    n_nodes: int, tail: np.ndarray, head: np.ndarray, weights: np.ndarray
) -> sp.csr_matrix:
    """Build a CSR adjacency matrix keeping the lightest of parallel edges.

    Parameters
    ----------
    n_nodes
        Matrix size.
    tail, head
        Directed edges (node indices).
    weights
        One weight per edge; stored zeros are kept as entries.

    Returns
    -------
    scipy.sparse.csr_matrix
        ``n_nodes`` square, rows sorted, one entry per distinct ``(tail, head)``.
    """
    return EdgePattern.of(n_nodes, tail, head).matrix(weights)
