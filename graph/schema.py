"""The data contract: which columns ``roles.csv`` and ``edges.csv`` hold, and the
one registry of relation types that every other module derives from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "RelationType",
    "RELATION_TYPES",
    "EDGE_TYPES",
    "MOVE_TYPES",
    "STEP_UP_TYPES",
    "SYMMETRIC_TYPES",
    "REPORTS_TO",
    "move_phrase",
    "ROLE_REQUIRED",
    "ROLE_OPTIONAL",
    "ROLE_COLUMNS",
    "ROLE_LIST_COLUMNS",
    "DIMENSIONS",
    "EDGE_REQUIRED",
    "EDGE_OPTIONAL",
    "ROLES_FILE",
    "EDGES_FILE",
    "LEVELS_FILE",
    "ABOUT_FILE",
    "SKILLS_FILE",
    "ABOUT_KEYS",
    "BUNDLED_DATA",
    "BUNDLED_CATALOGUES",
]

ROLES_FILE = "roles.csv"
EDGES_FILE = "edges.csv"
#: Optional: a name and description per level (``level,name,description``).
LEVELS_FILE = "levels.csv"
#: Optional: a skills vocabulary (``id,name,synonyms,category``) saying which
#: names are one skill.
SKILLS_FILE = "skills.csv"
#: Optional: what the catalogue is, as a JSON object with the keys below.
ABOUT_FILE = "catalogue.json"
#: The keys of ``catalogue.json``, each optional, and what they mean.
ABOUT_KEYS = {
    "title": "the catalogue's name, as people see it",
    "landing_role": "the id of the role the app opens on",
    "attribution": "the credit its licence asks for, shown wherever it is",
}
#: The catalogue that ships with the project: the default of the app and CLI.
BUNDLED_DATA = Path(__file__).resolve().parent.parent / "data"
#: Every catalogue that ships with the project, by the short name the CLI's
#: ``--data`` and the app's catalogue picker accept.
BUNDLED_CATALOGUES = {"operations": BUNDLED_DATA, "onet": BUNDLED_DATA / "onet"}


@dataclass(frozen=True)
class RelationType:
    """One kind of relation between two roles, and how people see it.

    ``is_move`` says whether a person can take this relation as a career step
    (path searches run on those); ``is_step_up`` whether that step leads to a
    more senior role (validation warns when it leads down a level).
    ``dashes`` is the vis-network dash pattern (``False`` for a solid line)
    and ``legend_dashes`` the CSS border style
    that draws the same line in a legend.
    """

    name: str
    label: str
    short_label: str
    is_move: bool
    is_step_up: bool
    verb: str
    icon: str
    colour: str
    width: float
    dashes: bool | tuple[int, ...]
    legend_dashes: str
    #: A relation of likeness: a person can move either way, whichever of the
    #: two roles the data lists it under.
    symmetric: bool = False

    def edge_style(self) -> dict:
        """How an edge of this type is drawn: colour, width and dashes."""
        return {
            "dashes": list(self.dashes) if self.dashes else False,
            "width": self.width,
            "color": self.colour,
        }


#: Every relation type, in the order people see them (career moves first).
RELATION_TYPES: dict[str, RelationType] = {
    t.name: t
    for t in (
        RelationType(
            name="promotion",
            short_label="promotion",
            label="Promotion (a usual step up)",
            is_move=True,
            is_step_up=True,
            verb="→",
            icon="↑",
            colour="#2F4B7C",
            width=2.5,
            dashes=False,
            legend_dashes="solid",
        ),
        RelationType(
            name="lateral",
            short_label="lateral move",
            label="Lateral move",
            is_move=True,
            is_step_up=False,
            verb="↔",
            icon="↔",
            colour="#6E6E6E",
            width=2,
            dashes=(2, 5),
            legend_dashes="dotted",
        ),
        RelationType(
            name="related",
            short_label="related occupation",
            label="Related occupation (similar work)",
            is_move=True,
            is_step_up=False,
            verb="≈",
            icon="≈",
            colour="#5B8E7D",
            width=1.5,
            dashes=(1, 4),
            legend_dashes="dotted",
            symmetric=True,
        ),
        RelationType(
            name="reports_to",
            short_label="reports to",
            label="Reports to",
            is_move=False,
            is_step_up=False,
            verb="reports to",
            icon="↥",
            colour="#B0413E",
            width=1.5,
            dashes=(8, 5),
            legend_dashes="dashed",
        ),
    )
}

#: Relation type -> what it means, as shown to people.
EDGE_TYPES = {name: t.label for name, t in RELATION_TYPES.items()}
#: The relation types a person can take as a career step.
MOVE_TYPES = tuple(name for name, t in RELATION_TYPES.items() if t.is_move)
#: The relation types that are a step up: their target is more senior.
STEP_UP_TYPES = tuple(name for name, t in RELATION_TYPES.items() if t.is_step_up)
#: The moves a person can take either way (see ``RelationType.symmetric``).
SYMMETRIC_TYPES = tuple(t for t in MOVE_TYPES if RELATION_TYPES[t].symmetric)
#: The relation type of a line of command: source reports to target.
REPORTS_TO = "reports_to"


def move_phrase() -> str:
    """The career moves in words, for sentences such as "no path over ...".

    Examples
    --------
    >>> move_phrase()
    'promotions, lateral moves and related occupations'
    """
    names = [f"{RELATION_TYPES[t].short_label}s" for t in MOVE_TYPES]
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


ROLE_REQUIRED = ("id", "title", "family", "level")

#: Comparison dimensions: column name -> label shown to people.
DIMENSIONS = {
    "decision_authority": "Decision authority",
    "scope": "Scope of work",
    "team_management": "Team management",
    "budget_oversight": "Budget oversight",
    "strategic_involvement": "Strategic involvement",
    "compensation": "Compensation",
    "reporting": "Reporting line",
    "interactions": "Interactions",
    "project_management": "Project management",
    "analytical_work": "Analytical work",
    "compliance_risk": "Compliance and risk",
    "communication": "Communication",
}

#: Columns whose cells hold ``;``-separated lists.
ROLE_LIST_COLUMNS = ("aliases", "responsibilities", "skills", "taxonomy")

ROLE_OPTIONAL = (
    "aliases",
    "summary",
    "responsibilities",
    "skills",
    "education",
    "experience",
    *DIMENSIONS,
    "source",
    # The groups of a classification the role belongs to (SOC, ISCO, a job
    # architecture), broadest first: a taxonomy, never a reporting line.
    "taxonomy",
)

#: Every column the contract names; others are the catalogue's own extras.
ROLE_COLUMNS = frozenset((*ROLE_REQUIRED, *ROLE_OPTIONAL))

EDGE_REQUIRED = ("source", "target", "type")
#: ``source`` names the from-role in edges.csv, so the citation column of an
#: edge is called ``reference``.
#: ``rank`` orders the relations of one role, 1 the closest (as O*NET ranks
#: related occupations); ``tier`` names the band a rank falls in.
EDGE_OPTIONAL = ("typical_years", "note", "reference", "rank", "tier")
