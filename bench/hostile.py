"""Benchmark: hostile input, scaled up to the upload cap, against its budgets.

    python bench/hostile.py [--json bench/out/hostile.json]

Each case writes its files into a temporary folder, then runs one CLI command
on them in a child process, which reports its own wall time and peak memory.
A case passes when it finishes within 5 s and 500 MB, or is refused within
1 s. Run it from the repository root.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402

UPLOAD_CAP = 10 * 2**20
ROLES_HEADER = "id,title,family,level\n"
EDGES_HEADER = "source,target,type\n"
#: A case must finish within these, or be refused within REFUSE_S.
FINISH_S, FINISH_MB, REFUSE_S = 5.0, 500.0, 1.0
#: A case still running after this is stopped and reported as over budget.
KILL_S = 120


@dataclass(frozen=True)
class Case:
    name: str
    what: str
    write: Callable[[Path], None]
    command: tuple[str, ...]


def _roles(count: int) -> str:
    return ROLES_HEADER + "".join(f"role-{i},Role {i},Ops,1\n" for i in range(count))


def _write(folder: Path, roles: str, edges: str) -> None:
    (folder / "roles.csv").write_text(roles, encoding="utf-8")
    (folder / "edges.csv").write_text(edges, encoding="utf-8")


def _unknown_ids(folder: Path) -> None:
    line = "rolx-{},role-0,lateral\n"
    count = UPLOAD_CAP // len(line.format(100000))
    edges = EDGES_HEADER + "".join(line.format(i) for i in range(count))
    _write(folder, _roles(1000), edges)


def _million_columns(folder: Path) -> None:
    header = ",".join(f"c{i}" for i in range(1_000_000))
    _write(folder, header[: int(UPLOAD_CAP * 0.95)] + "\n", EDGES_HEADER)


def _wide_rows(folder: Path) -> None:
    row = ",".join(["x"] * 5000) + "\n"
    _write(folder, ROLES_HEADER + row * (UPLOAD_CAP // len(row)), EDGES_HEADER)


def _sparse_workbook(folder: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "roles"
    for row in range(1, 2001):
        sheet.cell(row, 1, "r")
        sheet.cell(row, 16384, "x")
    book.create_sheet("edges")["A1"] = "source"
    book.save(folder / "catalogue.xlsx")


def _sparse_file(folder: Path) -> None:
    with open(folder / "roles.csv", "wb") as file:
        file.truncate(2**30)  # 1 GB of holes: nothing on disk
    (folder / "edges.csv").write_text(EDGES_HEADER, encoding="utf-8")


def _deep_chain(folder: Path, depth: int = 100_000) -> None:
    roles = ROLES_HEADER + "".join(f"r{i},Role {i},Ops,1\n" for i in range(depth))
    edges = EDGES_HEADER + "".join(
        f"r{i},r{i + 1},reports_to\n" for i in range(depth - 1)
    )
    _write(folder, roles, edges)


def _promotion_chain(folder: Path, depth: int = 100_000) -> None:
    roles = ROLES_HEADER + "".join(
        f"r{i},Role {i},Ops,{min(i + 1, 1000)}\n" for i in range(depth)
    )
    edges = EDGES_HEADER + "".join(
        f"r{i},r{i + 1},promotion\n" for i in range(depth - 1)
    )
    _write(folder, roles, edges)


def _long_cells(folder: Path) -> None:
    word = "W" * 200_000
    rows = "".join(f"r{i},{word},Ops,1\n" for i in range(UPLOAD_CAP // len(word)))
    _write(folder, ROLES_HEADER + rows, EDGES_HEADER)


CASES = (
    Case(
        "unknown_ids",
        "10 MB of relations to unknown ids",
        _unknown_ids,
        ("validate",),
    ),
    Case(
        "million_columns",
        "a 9.5 MB header of a million columns",
        _million_columns,
        ("validate",),
    ),
    Case("wide_rows", "10 MB of rows 5,000 cells wide", _wide_rows, ("validate",)),
    Case(
        "long_cells",
        "10 MB of 200,000-character cells",
        _long_cells,
        ("validate",),
    ),
    Case(
        "sparse_workbook",
        ".xlsx with cells in columns A and XFD",
        _sparse_workbook,
        ("workbook",),
    ),
    Case("sparse_file", "a 1 GB sparse roles.csv", _sparse_file, ("validate",)),
    Case(
        "deep_chain",
        "chain on a 100,000-deep reporting line",
        _deep_chain,
        ("chain", "r0"),
    ),
    Case(
        "path_past_limit",
        "path r0 -> r20 in a 100,000-role promotion chain",
        _promotion_chain,
        ("path", "r0", "r20"),
    ),
)


def _child(command: list[str], folder: str) -> None:
    """Run one command as the CLI would, then report time and peak memory."""
    from graph.cli import main
    from graph.loading import load_workbook

    output = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
        if command[0] == "workbook":
            from graph import InvalidData

            try:
                load_workbook((Path(folder) / "catalogue.xlsx").read_bytes())
                status = 0
            except InvalidData as error:
                print(error.report.summary())
                status = 1
        else:
            status = main([*command, "--data", folder])
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    first_line = (output.getvalue().splitlines() or [""])[0]
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mb": peak_mb,
                "status": status,
                "says": first_line[:160],
            }
        )
    )


def run_case(case: Case) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        case.write(Path(folder))
        try:
            done = subprocess.run(
                [sys.executable, __file__, "--child", folder, *case.command],
                capture_output=True,
                text=True,
                timeout=KILL_S,
                cwd=ROOT,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )
        except subprocess.TimeoutExpired:
            return {"case": case.name, "what": case.what, "seconds": None, "ok": False}
    figures = json.loads(done.stdout.splitlines()[-1])
    refused = figures["status"] != 0
    ok = (
        (figures["seconds"] <= REFUSE_S)
        if refused
        else (figures["seconds"] <= FINISH_S and figures["peak_mb"] <= FINISH_MB)
    )
    return {
        "case": case.name,
        "what": case.what,
        "refused": refused,
        "ok": ok,
        **figures,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        folder, *command = args.child
        _child(command, folder)
        return 0
    results = []
    print(f"{'case':<17} {'s':>7} {'MB':>7}  outcome")
    for case in CASES:
        result = run_case(case)
        results.append(result)
        if result["seconds"] is None:
            print(f"{case.name:<17} {'>' + str(KILL_S):>7} {'?':>7}  OVER BUDGET")
            continue
        outcome = "refused" if result["refused"] else "finished"
        verdict = "ok" if result["ok"] else "OVER BUDGET"
        print(
            f"{case.name:<17} {result['seconds']:7.2f} {result['peak_mb']:7.0f}  "
            f"{outcome}, {verdict}: {result['says'][:70]}"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
