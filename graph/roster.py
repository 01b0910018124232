"""``people.csv``: people to plan for, read and checked against a catalogue.

Columns: ``name`` (a display name, required, unique), ``role`` (their current
role: an id, title or alias, required), ``skills`` (ratings, ``Name:3`` with
0-5, ``;``-separated), ``targets`` (roles they aim for, ``;``-separated) and
``notes``. Every problem is reported with its row and column, and nothing is
imported while there is one.
"""

from __future__ import annotations

import networkx as nx

from graph.errors import InvalidData, RoleNotFound
from graph.lists import split_list
from graph.people import Person
from graph.reading import read_table
from graph.search import find_role
from graph.skills import MAX_SKILL_LEVEL, parse_skill
from graph.validation import ValidationReport

__all__ = ["PEOPLE_FILE", "PEOPLE_COLUMNS", "read_people"]

PEOPLE_FILE = "people.csv"
#: Column -> what it holds, as README documents it.
PEOPLE_COLUMNS = {
    "name": "display name (required, unique); no other personal data is needed",
    "role": "current role: id, title or alias (required)",
    "skills": "ratings on the skill scale, e.g. Leadership:3;Budgeting:2 (0-5)",
    "targets": "roles they aim for, ;-separated",
    "notes": "free text",
}
_RATINGS = frozenset(range(MAX_SKILL_LEVEL + 1))


def read_people(
    G: nx.Graph, content: bytes | str, file: str = PEOPLE_FILE
) -> list[Person]:
    """The people in a ``people.csv``'s contents, their roles resolved in ``G``.

    Raises
    ------
    InvalidData
        Listing every problem, each with ``file``, row and column.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("clerk", title="Clerk", aliases=[])
    >>> G.add_node("boss", title="Boss", aliases=[])
    >>> text = "name,role,skills,targets\\nSam,Clerk,Excel:3,boss\\n"
    >>> read_people(G, text)
    [Person(name='Sam', role='clerk', ratings={'Excel': 3}, targets=('boss',), \
notes='')]
    >>> read_people(G, "name,role,skills\\nSam,Nobody,Excel:9\\n")
    Traceback (most recent call last):
    ...
    graph.errors.InvalidData: 2 error(s), 0 warning(s)
    error: people.csv, row 2, column 'role': No role 'Nobody'.
    error: people.csv, row 2, column 'skills': 'Excel:9': a rating is a whole \
number from 0 to 5
    """
    report = ValidationReport()
    table = read_table(content, file, report)
    if table is None:
        raise InvalidData(report)
    for column in ("name", "role"):
        if column not in table.columns:
            report.error(file, 1, column, "required column is missing")
    if not report.ok:
        raise InvalidData(report)
    people, seen = [], {}
    for row, cells in table.to_dict("index").items():
        name = " ".join(cells["name"].split())
        if not name:
            report.error(file, row, "name", "name is empty")
        elif name.casefold() in seen:
            report.error(
                file, row, "name", f"{name!r} is on row {seen[name.casefold()]} too"
            )
        seen.setdefault(name.casefold(), row)
        role = _role(G, cells["role"], file, row, "role", report)
        targets = [
            _role(G, text, file, row, "targets", report)
            for text in split_list(cells.get("targets", ""))
        ]
        ratings = _ratings(cells.get("skills", ""), file, row, report)
        people.append(
            Person(
                name=name,
                role=role or "",
                ratings=ratings,
                targets=tuple(t for t in targets if t),
                notes=cells.get("notes", ""),
            )
        )
    if not report.ok:
        raise InvalidData(report)
    return people


def _role(
    G: nx.Graph, text: str, file: str, row: int, column: str, report: ValidationReport
) -> str | None:
    if not text:
        report.error(file, row, column, "role is empty")
        return None
    try:
        return find_role(G, text)
    except RoleNotFound as error:
        report.error(file, row, column, str(error))
        return None


def _ratings(cell: str, file: str, row: int, report: ValidationReport) -> dict:
    ratings = {}
    for entry in split_list(cell):
        name, level = parse_skill(entry)
        if level is None or level not in _RATINGS:
            report.error(
                file,
                row,
                "skills",
                f"{entry!r}: a rating is a whole number from 0 to {MAX_SKILL_LEVEL}",
            )
            continue
        ratings[name] = int(level)
    return ratings
