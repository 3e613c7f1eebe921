"""Connected components of an edge list with numpy: hooking and pointer jumping (Shiloach-Vishkin style).

Every component is labelled with its smallest node. Used inside each clustering task on the edges it holds, and
as the exact fallback when the distributed rounds have not converged.
"""

from __future__ import annotations

import numpy as np


def connected_components(u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(nodes, labels): every node that appears in an edge (sorted) and the smallest node of its component."""
    nodes, inverse = np.unique(np.concatenate([u, v]), return_inverse=True)
    iu, iv = inverse[: len(u)], inverse[len(u) :]
    parent = np.arange(len(nodes), dtype=np.int64)
    while True:
        pu, pv = parent[iu], parent[iv]  # roots: `parent` is fully shortcut here
        lo, hi = np.minimum(pu, pv), np.maximum(pu, pv)
        differ = lo != hi
        if not differ.any():
            break
        np.minimum.at(parent, hi[differ], lo[differ])  # hook each larger root under the smallest root it touches
        while True:
            grand = parent[parent]
            if np.array_equal(grand, parent):
                break
            parent = grand
    return nodes, nodes[parent]  # nodes are sorted, so the smallest index of a component is its smallest node


def star_edges(nodes: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(member, root) for every node that is not its component's root."""
    keep = nodes != labels
    return nodes[keep], labels[keep]
