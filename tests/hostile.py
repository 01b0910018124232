"""A data set with a script-injection payload in every text field."""

from __future__ import annotations

import csv
from pathlib import Path

from graph.schema import ROLE_OPTIONAL

#: Each payload sets window.__pwned if it ever runs.
PAYLOADS = (
    '<script>window.__pwned = "script"</script>',
    "<img src=x onerror=\"window.__pwned = 'img'\">",
    "[click me](javascript:window.__pwned='link')",
    '"><svg onload="window.__pwned=\'svg\'">',
    '=HYPERLINK("http://example.invalid","x")',
    "**bold** $x^2$ :red[red] <b>href</b>",
    # Markdown would fetch the image and link the bare addresses
    "![i](https://attacker.invalid/i.png) www.attacker.invalid https://attacker.invalid/x",
    # one word far wider than any box or column
    "W" * 5000,
)


def write_hostile_data(folder: Path) -> Path:
    """Four roles and their relations, payloads everywhere text goes."""
    folder.mkdir(parents=True, exist_ok=True)
    # every optional column of the contract, plus one of the catalogue's own
    text_columns = [*ROLE_OPTIONAL, "custom_note"]
    roles = []
    for index, payload in enumerate(PAYLOADS[:4]):
        role = {
            "id": f"role-{index}{payload[:12]}",
            "title": f"{payload} {index}",
            "family": f"{PAYLOADS[(index + 1) % len(PAYLOADS)]}",
            "level": str(index + 1),
        }
        for offset, column in enumerate(text_columns):
            role[column] = PAYLOADS[(index + offset) % len(PAYLOADS)]
        roles.append(role)
    with (folder / "roles.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(roles[0]))
        writer.writeheader()
        writer.writerows(roles)
    ids = [r["id"] for r in roles]
    edges = []
    for source, target in zip(ids, ids[1:], strict=False):
        for edge_type in ("promotion", "reports_to"):
            edges.append(
                {
                    "source": source,
                    "target": target,
                    "type": edge_type,
                    "note": PAYLOADS[len(edges) % len(PAYLOADS)],
                    "reference": PAYLOADS[1],
                }
            )
    edges.append(
        {
            "source": ids[0],
            "target": ids[2],
            "type": "lateral",
            "note": PAYLOADS[0],
            "reference": "",
        }
    )
    with (folder / "edges.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(edges[0]))
        writer.writeheader()
        writer.writerows(edges)
    return folder
