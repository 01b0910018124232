"""Career-path graph: job roles as nodes; reporting lines and career moves as edges.

Load a data folder with :func:`load_graph`, then ask questions with plain
functions that take the graph first, such as ``next_moves(G, role_id)``.
"""

from graph.building import build_graph, make_graph
from graph.compare import Comparison, DimensionRow, compare_roles
from graph.errors import CareerGraphError, InvalidData, RoleNotFound
from graph.indexes import moves_graph, relation_counts, reporting_graph
from graph.loading import load_graph, load_sources, load_workbook
from graph.paths import (
    CareerPath,
    Step,
    career_paths,
    nearest_reachable,
    option_heading,
)
from graph.queries import (
    Move,
    all_reports,
    check_role,
    direct_reports,
    feeders,
    level_label,
    managers,
    next_moves,
    org_team,
    previous_roles,
    reachable_roles,
    reporting_chain,
    role_title,
    shortest_move_path,
)
from graph.reading import read_table
from graph.render import View, family_colours, select_view, view_payload
from graph.roletable import node_values
from graph.schema import RELATION_TYPES, RelationType
from graph.search import (
    find_role,
    normalise,
    role_lookup,
    search_roles,
    suggest_roles,
)
from graph.skills import skill_gap
from graph.validation import Problem, ValidationReport, validate_tables

__all__ = [
    "CareerGraphError",
    "CareerPath",
    "Comparison",
    "DimensionRow",
    "InvalidData",
    "Move",
    "Problem",
    "RELATION_TYPES",
    "RelationType",
    "RoleNotFound",
    "Step",
    "ValidationReport",
    "View",
    "all_reports",
    "build_graph",
    "career_paths",
    "check_role",
    "compare_roles",
    "direct_reports",
    "family_colours",
    "feeders",
    "find_role",
    "level_label",
    "load_graph",
    "load_sources",
    "load_workbook",
    "make_graph",
    "managers",
    "moves_graph",
    "nearest_reachable",
    "next_moves",
    "node_values",
    "normalise",
    "option_heading",
    "org_team",
    "previous_roles",
    "reachable_roles",
    "read_table",
    "relation_counts",
    "reporting_chain",
    "reporting_graph",
    "role_lookup",
    "role_title",
    "search_roles",
    "suggest_roles",
    "select_view",
    "shortest_move_path",
    "skill_gap",
    "validate_tables",
    "view_payload",
]
