"""Synthetic catalogues in the data contract, for benchmarks and load tests.

``python -m graph synth --roles N --out DIR [--seed S]`` writes ``roles.csv``
and ``edges.csv``: job families by levels, a reporting forest under a small
executive team, promotion ladders within families, lateral moves across
families, about five relations per role. Deterministic for a given seed.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from graph.schema import EDGES_FILE, ROLES_FILE

__all__ = ["MIN_ROLES", "synthesise", "write_catalogue"]

_AREAS = (
    "Accounts Payable",
    "Accounts Receivable",
    "Payroll",
    "Treasury",
    "Tax",
    "Procurement",
    "Vendor Management",
    "Logistics",
    "Fleet",
    "Warehouse",
    "Inventory",
    "Supply Planning",
    "Demand Planning",
    "Customer Service",
    "Field Service",
    "Quality",
    "Compliance",
    "Risk",
    "Internal Audit",
    "Legal",
    "Recruiting",
    "Learning",
    "Compensation",
    "Benefits",
    "HR Operations",
    "Facilities",
    "Security",
    "Data Platform",
    "Analytics",
    "Data Science",
    "Infrastructure",
    "Network",
    "Service Desk",
    "Product",
    "Marketing",
    "Brand",
    "Sales Operations",
    "Inside Sales",
    "Key Accounts",
    "Pricing",
    "Manufacturing",
    "Maintenance",
    "Process Engineering",
    "Health and Safety",
    "Sustainability",
    "Clinical Operations",
    "Pharmacy",
    "Research",
    "Design",
    "Content",
    "Localisation",
    "Partnerships",
    "Investor Relations",
    "Events",
)
_QUALIFIERS = (
    "",
    "Regional",
    "Global",
    "Digital",
    "Retail",
    "Enterprise",
    "Central",
    "Field",
    "Shared Services",
    "Strategic",
    "Technical",
    "Commercial",
)
#: Role nouns by level, junior to senior; several per level for variety.
_LADDER = (
    ("Assistant", "Clerk", "Trainee", "Associate"),
    ("Coordinator", "Administrator", "Officer", "Specialist"),
    ("Analyst", "Senior Specialist", "Advisor", "Planner"),
    ("Team Leader", "Lead", "Supervisor", "Senior Analyst"),
    ("Manager", "Senior Manager", "Programme Manager", "Principal"),
    ("Head", "Senior Head", "Group Manager", "General Manager"),
    ("Director", "Senior Director", "Group Director", "Vice President"),
    (
        "Chief Officer",
        "Executive Director",
        "Senior Vice President",
        "Managing Director",
    ),
)
_SKILLS = (
    "Excel",
    "SQL",
    "Stakeholder management",
    "Negotiation",
    "Budgeting",
    "Forecasting",
    "Coaching",
    "Hiring",
    "Process mapping",
    "Lean",
    "Six Sigma",
    "Contract law",
    "Vendor audits",
    "ERP",
    "Reporting",
    "Presentation",
    "Project management",
    "Risk assessment",
    "Data analysis",
    "Customer empathy",
    "Scheduling",
    "Conflict resolution",
    "Strategic planning",
    "Change management",
)
_LEVELS = len(_LADDER)
# Share of a family's roles per level: a pyramid, most roles junior.
_PYRAMID = (0.22, 0.2, 0.17, 0.14, 0.11, 0.08, 0.05, 0.03)
_EXECUTIVES = 12


#: The smallest catalogue :func:`synthesise` makes.
MIN_ROLES = 20


def _families(count: int, rng: random.Random) -> list[str]:
    names = [f"{q} {a}".strip() for a in _AREAS for q in _QUALIFIERS]
    rng.shuffle(names)
    while len(names) < count:
        names += [f"{name} {len(names) // len(_AREAS)}" for name in names[:count]]
    return names[:count]


def _slug(text: str) -> str:
    return "-".join(text.lower().replace("&", "and").split())


def synthesise(roles: int, seed: int = 7) -> tuple[list[dict], list[tuple]]:
    """Rows of roles.csv (dicts) and edges.csv (source, target, type) tuples.

    ``roles`` is at least :data:`MIN_ROLES`: fewer leave a level or a family
    empty, and the catalogue would not look like one.

    Examples
    --------
    >>> role_rows, edge_rows = synthesise(300)
    >>> len(role_rows), 4 <= len(edge_rows) / len(role_rows) <= 6
    (300, True)
    """
    if roles < MIN_ROLES:
        raise ValueError(f"a synthetic catalogue needs at least {MIN_ROLES} roles")
    rng = random.Random(seed)
    family_count = max(3, (roles - _EXECUTIVES) // 400)
    families = _families(family_count, rng)
    role_rows: list[dict] = []
    by_family_level: dict[tuple[int, int], list[str]] = {}
    by_level: list[list[str]] = [[] for _ in range(_LEVELS)]
    for number in range(_EXECUTIVES):
        title = (
            "Chief Executive Officer"
            if number == 0
            else f"Chief {rng.choice(_AREAS)} Officer"
        )
        role_id = f"exec-{number}"
        role_rows.append(_role(role_id, title, "Executive", _LEVELS + 1, rng))
    remaining = roles - _EXECUTIVES
    for index in range(remaining):
        family = index % family_count
        level = rng.choices(range(_LEVELS), weights=_PYRAMID)[0]
        noun = rng.choice(_LADDER[level])
        area = families[family]
        title = f"{area} {noun}" if rng.random() < 0.7 else f"{noun}, {area}"
        role_id = f"{_slug(area)}-{level + 1}-{index}"
        role_rows.append(_role(role_id, title, area, level + 1, rng))
        by_family_level.setdefault((family, level), []).append(role_id)
        by_level[level].append(role_id)
    edges: dict[tuple, None] = {}
    executives = [f"exec-{n}" for n in range(1, _EXECUTIVES)]
    for number in range(1, _EXECUTIVES):
        edges[(f"exec-{number}", "exec-0", "reports_to")] = None
    for (family, level), members in by_family_level.items():
        above = _next_level_up(by_family_level, family, level)
        for role_id in members:
            if above:
                boss = rng.choice(above)
                edges[(role_id, boss, "reports_to")] = None
                for target in rng.sample(above, min(len(above), rng.choice((1, 2, 2)))):
                    edges[(role_id, target, "promotion")] = None
            else:
                edges[(role_id, rng.choice(executives), "reports_to")] = None
            peers = by_level[level]
            for _ in range(rng.choice((1, 2))):
                other = rng.choice(peers)
                if other != role_id:
                    edges[(role_id, other, "lateral")] = None
            if level + 1 < _LEVELS and rng.random() < 0.5:
                edges[(role_id, rng.choice(by_level[level + 1]), "promotion")] = None
    return role_rows, list(edges)


def _next_level_up(by_family_level: dict, family: int, level: int) -> list[str]:
    for up in range(level + 1, _LEVELS):
        if by_family_level.get((family, up)):
            return by_family_level[(family, up)]
    return []


def _role(
    role_id: str, title: str, family: str, level: int, rng: random.Random
) -> dict:
    words = title.replace(",", "").split()
    alias = "".join(word[0] for word in words if word[0].isupper())
    return {
        "id": role_id,
        "title": title,
        "family": family,
        "level": level,
        "aliases": alias if len(alias) > 1 else "",
        "summary": f"{title} in the {family} family (synthetic role).",
        "skills": ";".join(rng.sample(_SKILLS, rng.randint(2, 5))),
    }


def write_catalogue(roles: int, out: str | Path, seed: int = 7) -> tuple[int, int]:
    """Write a synthetic catalogue to ``out``; return (roles, edges)."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    role_rows, edge_rows = synthesise(roles, seed)
    with (folder / ROLES_FILE).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(role_rows[0]))
        writer.writeheader()
        writer.writerows(role_rows)
    with (folder / EDGES_FILE).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(("source", "target", "type"))
        writer.writerows(edge_rows)
    return len(role_rows), len(edge_rows)
