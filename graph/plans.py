"""Development plans: a chosen path, an action per gap with a target date and
a status, free notes; and the plan as Markdown, CSV or a printable PDF.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from datetime import date
from pathlib import Path

import networkx as nx
import pandas as pd

from graph.errors import CareerGraphError
from graph.export import safe_csv
from graph.people import Person, PersonPath, readiness
from graph.queries import role_title
from graph.text import escape_markdown

__all__ = [
    "STATUSES",
    "PLAN_FORMATS",
    "Action",
    "DevelopmentPlan",
    "PlanError",
    "plan_from_path",
    "checked_plan",
    "plan_markdown",
    "plan_csv",
    "plan_pdf",
    "export_plan",
]

#: An action's status, in the order work goes.
STATUSES = ("planned", "in progress", "done")
#: The formats a plan exports to.
PLAN_FORMATS = ("md", "csv", "pdf")
_FONTS = Path(__file__).resolve().parent / "fonts"


class PlanError(CareerGraphError, ValueError):
    """A plan's action cannot be saved as given (a bad date or status)."""


@dataclass(frozen=True)
class Action:
    """What the person will do about one gap, by when, and how far it got."""

    skill: str
    required: int
    current: int
    action: str = ""
    #: A date as ``YYYY-MM-DD``, or ``""`` for "not set".
    due: str = ""
    status: str = STATUSES[0]


@dataclass(frozen=True)
class DevelopmentPlan:
    """A person's plan towards ``target`` along ``path`` (role ids)."""

    person: str
    target: str
    path: tuple[str, ...]
    actions: tuple[Action, ...]
    notes: str = ""

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> DevelopmentPlan:
        data = json.loads(text)
        return cls(
            person=data["person"],
            target=data["target"],
            path=tuple(data["path"]),
            actions=tuple(Action(**a) for a in data["actions"]),
            notes=data.get("notes", ""),
        )


def plan_from_path(person: Person, chosen: PersonPath) -> DevelopmentPlan:
    """A new plan along ``chosen``: one planned action per gap the path meets,
    in the order its steps close them.

    Examples
    --------
    >>> from graph.building import make_graph
    >>> from graph.people import paths_for_person
    >>> G = make_graph(
    ...     [{"id": "a", "title": "A", "family": "F", "level": 1},
    ...      {"id": "b", "title": "B", "family": "F", "level": 2,
    ...       "skills": "Sales:3;Excel"}], [("a", "b", "promotion")])
    >>> sam = Person("Sam", "a", {"Excel": 1})
    >>> plan = plan_from_path(sam, paths_for_person(G, sam, "b")[0])
    >>> plan.path, [(a.skill, a.current, a.required) for a in plan.actions]
    (('a', 'b'), [('Sales', 0, 3)])
    """
    gaps = [gap for step in chosen.closes for gap in step] + list(chosen.remaining)
    return DevelopmentPlan(
        person=person.name,
        target=chosen.path.roles[-1],
        path=chosen.path.roles,
        actions=tuple(Action(g.skill, g.required, g.current) for g in gaps),
    )


def checked_plan(plan: DevelopmentPlan) -> DevelopmentPlan:
    """``plan`` with its text tidied, once every action has a known status and
    a real date (or none).

    Raises
    ------
    PlanError
        Naming the action (by number and skill) and what is wrong.

    Examples
    --------
    >>> plan = DevelopmentPlan("Sam", "b", ("a", "b"),
    ...                        (Action("Sales", 3, 0, due="2027-02-30"),))
    >>> checked_plan(plan)
    Traceback (most recent call last):
    ...
    graph.plans.PlanError: Action 1 (Sales), target date: '2027-02-30' is not \
a date; write it as YYYY-MM-DD
    """
    actions = []
    for number, action in enumerate(plan.actions, start=1):
        where = f"Action {number} ({action.skill})"
        if action.status not in STATUSES:
            raise PlanError(
                f"{where}, status: {action.status!r} is not one of "
                f"{', '.join(STATUSES)}"
            )
        due = action.due.strip()
        if due:
            try:
                date.fromisoformat(due)
            except ValueError:
                raise PlanError(
                    f"{where}, target date: {due!r} is not a date; write it as "
                    "YYYY-MM-DD"
                ) from None
        actions.append(replace(action, action=action.action.strip(), due=due))
    return replace(plan, actions=tuple(actions), notes=plan.notes.strip())


def _rows(G: nx.Graph, plan: DevelopmentPlan) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "skill": a.skill,
                "current": a.current,
                "required": a.required,
                "action": a.action,
                "target date": a.due,
                "status": a.status,
            }
            for a in plan.actions
        ],
        columns=["skill", "current", "required", "action", "target date", "status"],
    )


def _heading(
    G: nx.Graph, plan: DevelopmentPlan, source: str, text=lambda value: value
) -> list[str]:
    """The plan's title and where it stands; ``text`` escapes what comes from
    the data or the person (Markdown), the fixed words stay as they are."""
    path = " → ".join(text(role_title(G, r)) for r in plan.path)
    return [
        f"Development plan: {text(plan.person)}",
        f"Towards {text(role_title(G, plan.target))}, from "
        f"{text(role_title(G, plan.path[0]))}",
        f"Path: {path}",
        f"Made {date.today().isoformat()} from {text(source)}",
    ]


def plan_markdown(
    G: nx.Graph, plan: DevelopmentPlan, person: Person, source: str
) -> str:
    """The plan as a Markdown page: heading, readiness, path, actions, notes.

    Every text from the data or the person is escaped, so it shows as typed.
    """
    md = escape_markdown
    title, towards, path, made = _heading(G, plan, source, md)
    ready = readiness(G, person, plan.target)
    score = f"{ready.percent}% " if ready.percent is not None else ""
    lines = [
        f"# {title}",
        "",
        towards,
        "",
        f"- Readiness now: {score}({md(ready.explanation)})",
        f"- {path}",
        f"- {made}",
        "",
        "## Actions",
        "",
        "| Skill | Level: now → needed | Action | Target date | Status |",
        "|---|---|---|---|---|",
    ]
    for a in plan.actions:
        cells = [md(a.skill), f"{a.current} → {a.required}", md(a.action), a.due]
        lines.append("| " + " | ".join(c or "–" for c in [*cells, a.status]) + " |")
    if plan.notes:
        lines += ["", "## Notes", "", md(plan.notes)]
    return "\n".join(lines) + "\n"


def plan_csv(G: nx.Graph, plan: DevelopmentPlan) -> str:
    """The plan's actions as CSV (one row per gap), formula cells neutralised."""
    return safe_csv(_rows(G, plan))


def plan_pdf(G: nx.Graph, plan: DevelopmentPlan, person: Person, source: str) -> bytes:
    """The plan as a printable A4 PDF (fpdf2, with the DejaVu fonts shipped in
    ``graph/fonts``, so any language's names print)."""
    from fpdf import FPDF  # only plan exports need it
    from fpdf.fonts import FontFace

    pdf = FPDF(format="A4")
    pdf.set_title(f"Development plan: {person.name}")
    pdf.set_creator("career-path graph explorer")
    pdf.add_font("DejaVu", "", _FONTS / "DejaVuSans.ttf")
    pdf.add_font("DejaVu", "B", _FONTS / "DejaVuSans-Bold.ttf")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    title, towards, path, made = _heading(G, plan, source)
    ready = readiness(G, person, plan.target)
    pdf.set_font("DejaVu", "B", 16)
    pdf.multi_cell(0, 9, title, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 11)
    score = f"{ready.percent}% " if ready.percent is not None else ""
    for line in (towards, f"Readiness now: {score}({ready.explanation})", path, made):
        pdf.multi_cell(0, 6, line, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(0, 8, "Actions", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    rows = _rows(G, plan)
    with pdf.table(
        col_widths=(34, 20, 60, 22, 20),
        headings_style=FontFace(emphasis="BOLD"),
        line_height=5,
        text_align="LEFT",
    ) as table:
        table.row(["Skill", "Level: now → needed", "Action", "Target date", "Status"])
        for record in rows.itertuples(index=False):
            table.row(
                [
                    record.skill,
                    f"{record.current} → {record.required}",
                    record.action or "–",
                    record[4] or "–",
                    record.status,
                ]
            )
    if plan.notes:
        pdf.ln(4)
        pdf.set_font("DejaVu", "B", 12)
        pdf.cell(0, 8, "Notes", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 10)
        pdf.multi_cell(0, 5, plan.notes, align="L", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def export_plan(
    G: nx.Graph, plan: DevelopmentPlan, person: Person, fmt: str, source: str
) -> bytes:
    """The plan in ``fmt`` (one of :data:`PLAN_FORMATS`) as bytes to write."""
    if fmt == "md":
        return plan_markdown(G, plan, person, source).encode()
    if fmt == "csv":
        return plan_csv(G, plan).encode()
    if fmt == "pdf":
        return plan_pdf(G, plan, person, source)
    raise PlanError(
        f"Unknown plan format {fmt!r}; use one of {', '.join(PLAN_FORMATS)}"
    )
