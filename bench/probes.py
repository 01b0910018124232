"""Measurements that need a process of their own, run by ``bench/run.py``.

    python bench/probes.py load FOLDER CACHE_DIR
    python bench/probes.py peer NAME FOLDER
    python bench/probes.py rerun FOLDER CACHE_DIR SAMPLES

Each prints one JSON object: seconds from the first byte read to a result
ready to use (imports excluded), and the peak resident memory of the whole
process (imports included), as a server would hold it.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _peak_rss_mb() -> float:
    """This process's own peak: ``VmHWM`` (``ru_maxrss`` would count the
    parent's memory at the fork, which Linux carries across ``exec``)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def load(folder: str, cache_dir: str) -> dict:
    """The app's load: CSV (or the build cache) to a catalogue ready for every
    query and view, search lookup included; then until the cache write that
    a cold load starts in the background is done (the peak memory is read
    after it)."""
    from graph.cache import BuildCache, wait_for_writes
    from graph.loading import load_graph
    from ui.data import catalogue_from_graph

    start = time.perf_counter()
    G, report = load_graph(folder, cache=BuildCache(Path(cache_dir)))
    catalogue_from_graph(G, report, "bench", "bench")
    ready = time.perf_counter() - start
    wait_for_writes()
    return {
        "seconds": round(ready, 3),
        "written_s": round(time.perf_counter() - start, 3),
    }


def _tables(folder: str):
    import pandas as pd

    read = {"dtype": str, "keep_default_na": False}
    roles = pd.read_csv(Path(folder) / "roles.csv", **read)
    edges = pd.read_csv(Path(folder) / "edges.csv", **read)
    return roles, edges


def _networkx(folder: str) -> object:
    import networkx as nx

    roles, edges = _tables(folder)
    G = nx.from_pandas_edgelist(
        edges,
        "source",
        "target",
        edge_attr=[c for c in edges.columns if c not in ("source", "target")],
        create_using=nx.MultiDiGraph,
        edge_key="type",
    )
    nx.set_node_attributes(G, roles.set_index("id", drop=False).to_dict("index"))
    return G


def _igraph(folder: str) -> object:
    import igraph

    roles, edges = _tables(folder)
    return igraph.Graph.DataFrame(edges, directed=True, vertices=roles, use_vids=False)


def _rustworkx(folder: str) -> object:
    import rustworkx

    roles, edges = _tables(folder)
    G = rustworkx.PyDiGraph(multigraph=True)
    indices = G.add_nodes_from(roles.to_dict("records"))
    position = dict(zip(roles["id"], indices, strict=True))
    G.add_edges_from(
        list(
            zip(
                edges["source"].map(position),
                edges["target"].map(position),
                edges.to_dict("records"),
                strict=True,
            )
        )
    )
    return G


#: The peers of the issue: the same graph (roles with every column as node
#: attributes, relations with every column as edge attributes) from the same
#: CSVs, read with pandas. None of them validates anything.
PEERS = {
    "networkx_from_pandas": _networkx,
    "igraph": _igraph,
    "rustworkx": _rustworkx,
}


def peer(name: str, folder: str) -> dict:
    build = PEERS[name]
    start = time.perf_counter()
    build(folder)
    return {"build_s": round(time.perf_counter() - start, 3)}


def rerun(folder: str, cache_dir: str, samples: str) -> dict:
    """p95 of the app script's run after choosing a role, as a click on the
    graph does, in Streamlit's AppTest (the script's own time on the server:
    no browser, no network)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from graph.cache import CACHE_ENV

    os.environ[CACHE_ENV] = cache_dir
    sys.argv = ["app.py", "--data", folder]
    st.config.set_option("client.showErrorDetails", "full")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.run()
    if at.exception:
        raise RuntimeError(at.exception[0].message)
    import pandas as pd

    roles = pd.read_csv(Path(folder) / "roles.csv", usecols=["id"], dtype=str).sample(
        int(samples), random_state=len(folder)
    )
    times = []
    for role in roles["id"]:
        # a whole run with another selected role: what a click costs where
        # the open tab shows the selection (other tabs rerun less of the page)
        at.session_state["role"] = role
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        if at.exception:
            raise RuntimeError(at.exception[0].message)
    return {"rerun_ms": round(statistics.quantiles(times, n=20)[-1] * 1000, 1)}


PROBES = {"load": load, "peer": peer, "rerun": rerun}

if __name__ == "__main__":
    result = PROBES[sys.argv[1]](*sys.argv[2:])
    print(json.dumps({**result, "peak_rss_mb": _peak_rss_mb()}))
