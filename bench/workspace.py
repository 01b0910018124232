"""Workspace benchmark: saving and opening a catalogue, against its CSV load.

    python bench/workspace.py [--roles 100000] [--json bench/out/workspace.json]

Generates a synthetic catalogue, then measures, in one run:
- the CSV load (``load_graph``: read, validate, build), the yardstick;
- saving it as a new catalogue (validation, the change summary, compression,
  one transaction) into SQLite and into PostgreSQL (a throwaway local
  cluster, Debian's postgresql);
- saving a second version on top of it (the change summary reads the previous
  version too);
- opening a saved version as a graph (read, checksum, build; no
  re-validation: versions were validated when saved).

Each is the median of ``--runs`` runs. Prints a table with the ratios to the
CSV load; the targets are saving at most 2x and opening at most 1x it. Not a
test: it prints figures, it does not pass or fail.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph import load_graph  # noqa: E402
from graph.loading import read_folder  # noqa: E402
from graph.synth import write_catalogue  # noqa: E402
from graph.workspace import open_workspace  # noqa: E402
from graph.workspace.throwaway import create_database, postgres_cluster  # noqa: E402


def median_s(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return round(statistics.median(times), 2)


def measure(url: str, roles: bytes, edges: bytes, runs: int) -> dict:
    ws = open_workspace(url)
    counter = iter(range(10_000))
    save = median_s(lambda: ws.save(f"bench-{next(counter)}", roles, edges), runs)
    ws.save("versions", roles, edges)
    revised = roles.replace(b"synthetic role", b"synthetic role revised")

    def save_next_version() -> None:
        latest = ws.versions("versions")[-1].number
        content = revised if latest % 2 else roles  # every other role changes
        ws.save("versions", content, edges, based_on=latest)

    save_next = median_s(save_next_version, runs)
    open_s = median_s(lambda: ws.load("versions").load(), runs)
    return {"save_s": save, "save_next_version_s": save_next, "open_s": open_s}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args()
    results: dict = {"roles": args.roles}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "catalogue"
        write_catalogue(args.roles, folder)
        roles, edges = read_folder(folder)
        results["csv_mb"] = round((len(roles) + len(edges)) / 2**20, 1)
        results["csv_load_s"] = median_s(lambda: load_graph(folder), args.runs)
        print(f"CSV load: {results['csv_load_s']} s", flush=True)
        results["sqlite"] = measure(
            f"sqlite:///{Path(tmp) / 'workspace.sqlite'}", roles, edges, args.runs
        )
        print("SQLite done", flush=True)
        with postgres_cluster() as server:
            url = create_database(server, "bench")
            results["postgresql"] = measure(url, roles, edges, args.runs)
    load = results["csv_load_s"]
    print(f"\n{args.roles} roles, {results['csv_mb']} MB of CSV, CSV load {load} s")
    print("backend | save s | x load | next version s | x load | open s | x load")
    for backend in ("sqlite", "postgresql"):
        r = results[backend]
        print(
            f"{backend} | {r['save_s']} | {r['save_s'] / load:.2f} | "
            f"{r['save_next_version_s']} | {r['save_next_version_s'] / load:.2f} | "
            f"{r['open_s']} | {r['open_s'] / load:.2f}"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2))
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
