"""The data contract: which columns ``roles.csv`` and ``edges.csv`` hold."""

from __future__ import annotations

__all__ = [
    "ROLE_REQUIRED",
    "ROLE_OPTIONAL",
    "ROLE_COLUMNS",
    "ROLE_LIST_COLUMNS",
    "DIMENSIONS",
    "EDGE_REQUIRED",
    "EDGE_OPTIONAL",
    "EDGE_TYPES",
    "MOVE_TYPES",
    "ROLES_FILE",
    "EDGES_FILE",
]

ROLES_FILE = "roles.csv"
EDGES_FILE = "edges.csv"

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
ROLE_LIST_COLUMNS = ("aliases", "responsibilities", "skills")

ROLE_OPTIONAL = (
    "aliases",
    "summary",
    "responsibilities",
    "skills",
    "education",
    "experience",
    *DIMENSIONS,
    "source",
)

#: Every column the contract names; others are the catalogue's own extras.
ROLE_COLUMNS = frozenset((*ROLE_REQUIRED, *ROLE_OPTIONAL))

EDGE_REQUIRED = ("source", "target", "type")
#: ``source`` names the from-role in edges.csv, so the citation column of an
#: edge is called ``reference``.
EDGE_OPTIONAL = ("typical_years", "note", "reference")

#: Edge type -> what it means, as shown to people.
EDGE_TYPES = {
    "promotion": "Promotion (a usual step up)",
    "lateral": "Lateral move",
    "reports_to": "Reports to",
}
MOVE_TYPES = ("promotion", "lateral")
