"""Benchmark: load and query cost on synthetic catalogues of growing size.

    python bench/run.py --sizes 1000,100000,1000000 --json bench/out/results.json

For each size it generates a catalogue (``graph.synth``, seeded), flushes
it to disk and runs one load it does not count (the first large process
after generating ran about 30% slower here, whatever it ran), then
measures, each in a fresh process (``bench/probes.py``) as a server start
would be:

- the cold load: CSV to a catalogue ready for every query and view
  (validated, built, search lookup, the app's summary), with an empty build
  cache; then until the build cache's background write is done ("written"),
  and the peak memory of the whole;
- the warm load: the same files again, read back from the build cache;
- the peers' builds of the same graph from the same CSVs: networkx
  ``from_pandas_edgelist`` with ``set_node_attributes``, igraph
  ``Graph.DataFrame`` and rustworkx (``pip install -r bench/requirements.txt``);
- the app script's run after choosing a role (p95, in AppTest).

In this process it measures a plain ``pandas.read_csv``, a naive networkx
build (``iterrows``, up to ``--naive-max`` roles: it takes minutes beyond),
the project's ``load_graph`` without a cache, and the 95th percentile of each
query over random roles. Prints a table; ``--json`` also writes the figures.
Run it from the repository root.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import networkx as nx  # noqa: E402
import pandas as pd  # noqa: E402
from probes import PEERS  # noqa: E402

from graph import (  # noqa: E402
    career_paths,
    compare_roles,
    feeders,
    find_role,
    load_graph,
    next_moves,
    reachable_roles,
    reporting_chain,
    select_view,
    view_payload,
)
from graph.synth import write_catalogue  # noqa: E402

SAMPLES = 60
QUERIES = ("find_role", "next_moves", "chain", "compare", "feeders", "paths", "view")


def naive_build(folder: Path) -> nx.MultiDiGraph:
    """What a typical tutorial does: read with pandas, add rows one by one."""
    roles = pd.read_csv(folder / "roles.csv", keep_default_na=False)
    edges = pd.read_csv(folder / "edges.csv", keep_default_na=False)
    G = nx.MultiDiGraph()
    for _, row in roles.iterrows():
        G.add_node(row["id"], **row.to_dict())
    for _, row in edges.iterrows():
        G.add_edge(row["source"], row["target"], key=row["type"], **row.to_dict())
    return G


def timed(action: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def probe(*args: object) -> dict:
    """Run ``bench/probes.py`` with ``args`` in a fresh process: its figures."""
    output = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "probes.py"), *map(str, args)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.splitlines()[-1])


def peer_figures(folder: Path) -> dict:
    """Each peer's build time and peak memory, or why it has none."""
    figures = {}
    for name in PEERS:
        try:
            figures[name] = probe("peer", name, folder)
        except subprocess.CalledProcessError as error:
            figures[name] = {"error": error.stderr.strip().splitlines()[-1]}
    return figures


def p95_ms(samples: list[float]) -> float:
    return round(statistics.quantiles(samples, n=20)[-1] * 1000, 2)


def path_pairs(G: nx.MultiDiGraph, rng: random.Random, count: int) -> list[tuple]:
    """Pairs several levels apart with a path between them."""
    juniors = [n for n, level in G.nodes(data="level") if level <= 3]
    pairs = []
    while len(pairs) < count:
        source = rng.choice(juniors)
        level = G.nodes[source]["level"]
        far = [
            r
            for r in reachable_roles(G, source, k=4)
            if G.nodes[r]["level"] >= level + 3
        ]
        if far:
            pairs.append((source, rng.choice(sorted(far))))
    return pairs


def view_json(G: nx.MultiDiGraph, role: str) -> tuple:
    """The default view of ``role`` and its payload as sent to the browser."""
    chosen = select_view(G, focus=role)
    return chosen, json.dumps(view_payload(G, chosen))


def measure_queries(G: nx.MultiDiGraph, rng: random.Random) -> tuple[dict, int, float]:
    roles = rng.sample(sorted(G), SAMPLES)
    # The best-connected role has the largest neighbourhood: include it, so
    # view_nodes and view_payload_kb report the worst case, not a typical one.
    roles[0] = max(G, key=G.degree)
    others = rng.sample(sorted(G), SAMPLES)
    pairs = path_pairs(G, rng, SAMPLES)
    times: dict[str, list[float]] = {name: [] for name in QUERIES}
    largest_view, largest_payload = 0, 0.0
    for role, other, (source, target) in zip(roles, others, pairs, strict=True):
        calls = {
            "find_role": partial(find_role, G, G.nodes[role]["title"]),
            "next_moves": partial(next_moves, G, role),
            "chain": partial(reporting_chain, G, role),
            "compare": partial(compare_roles, G, role, other),
            "feeders": partial(feeders, G, role, k=2),
            "paths": partial(career_paths, G, source, target, k=5),
            "view": partial(view_json, G, role),
        }
        for name, call in calls.items():
            seconds, result = timed(call)
            times[name].append(seconds)
        chosen, payload = result
        largest_view = max(largest_view, len(chosen.roles))
        largest_payload = max(largest_payload, len(payload.encode()) / 1024)
    return (
        {name: p95_ms(values) for name, values in times.items()},
        largest_view,
        largest_payload,
    )


def run_size(size: int, folder: Path, naive_max: int, rerun_samples: int) -> dict:
    write_catalogue(size, folder)
    # The files on disk before any timing: otherwise the first probe (the cold
    # load) shares the machine with the kernel writing 600 MB back at a million.
    os.sync()
    cache = folder.parent / f"{size}-cache"
    # A first load, not counted: on this machine the first large process after
    # the catalogue was generated ran about 30% slower (21.5-21.7 s against
    # 16-17.4 s for the next, a million roles, twice), whatever it ran; the
    # peers, which come later, never met it.
    probe("load", folder, cache)
    shutil.rmtree(cache, ignore_errors=True)
    cold = probe("load", folder, cache)
    warm = probe("load", folder, cache)
    floor, _ = timed(
        lambda: (pd.read_csv(folder / "roles.csv"), pd.read_csv(folder / "edges.csv"))
    )
    naive = timed(lambda: naive_build(folder))[0] if size <= naive_max else None
    load, (G, _) = timed(lambda: load_graph(folder))
    p95, view_nodes, payload_kb = measure_queries(G, random.Random(size))
    edges = G.number_of_edges()
    del G  # the rerun probe loads its own
    rerun = probe("rerun", folder, cache, rerun_samples)
    return {
        "roles": size,
        "edges": edges,
        "floor_read_s": round(floor, 3),
        "naive_build_s": None if naive is None else round(naive, 3),
        "load_s": round(load, 3),
        "cold_load_s": cold["seconds"],
        "cold_cache_written_s": cold["written_s"],
        "warm_load_s": warm["seconds"],
        "peak_rss_mb": cold["peak_rss_mb"],
        "warm_peak_rss_mb": warm["peak_rss_mb"],
        "peers": peer_figures(folder),
        "rerun_ms": rerun["rerun_ms"],
        "p95_ms": p95,
        "view_nodes": view_nodes,
        "view_payload_kb": round(payload_kb, 1),
    }


def _ratio(ours: float, theirs: dict) -> str:
    if "build_s" not in theirs:
        return "-"
    return f"{ours / theirs['build_s']:.2f}x"


def print_table(results: list[dict]) -> None:
    head = ["roles", "edges", "read s", "naive s", "load s", "cold s", "written s"]
    head += ["warm s"]
    head += ["rss MB", "warm MB", "rerun ms", *QUERIES, "view n", "view KB"]
    print(" | ".join(head))
    for r in results:
        cells = [r["roles"], r["edges"], r["floor_read_s"], r["naive_build_s"]]
        cells += [r["load_s"], r["cold_load_s"], r["cold_cache_written_s"]]
        cells += [r["warm_load_s"], r["peak_rss_mb"]]
        cells += [r["warm_peak_rss_mb"], r["rerun_ms"]]
        cells += [*[r["p95_ms"][q] for q in QUERIES], r["view_nodes"]]
        cells.append(r["view_payload_kb"])
        print(" | ".join(map(str, cells)))
    print("(query columns: p95 in ms over", SAMPLES, "random roles)")
    print("\npeers: build s, peak MB, and the cold load as a multiple of the build")
    for r in results:
        for name, figures in r["peers"].items():
            shown = figures.get("error") or (
                f"{figures['build_s']} s, {figures['peak_rss_mb']} MB, "
                f"cold load {_ratio(r['cold_load_s'], figures)}"
            )
            print(f"{r['roles']:>9} {name}: {shown}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument(
        "--naive-max", type=int, default=100_000, help="largest naive build"
    )
    parser.add_argument(
        "--rerun-samples", type=int, default=40, help="app runs timed per size"
    )
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            print(f"size {size} ...", flush=True)
            started = time.perf_counter()
            results.append(
                run_size(
                    size, Path(tmp) / str(size), args.naive_max, args.rerun_samples
                )
            )
            print(f"  {time.perf_counter() - started:.0f} s", flush=True)
    print_table(results)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"results": results}, indent=2))
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
