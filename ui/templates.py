"""The starting templates for a catalogue of one's own: two CSV files or one
Excel workbook, with two example roles that load as they are."""

from __future__ import annotations

import io

import pandas as pd

from graph.schema import EDGE_OPTIONAL, EDGE_REQUIRED, ROLE_OPTIONAL, ROLE_REQUIRED

__all__ = [
    "TEMPLATE_ROLES",
    "TEMPLATE_EDGES",
    "template_workbook",
    "TEMPLATE_DOWNLOADS",
]


def _table(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        [[row.get(c, "") for c in columns] for row in rows], columns=columns
    )


TEMPLATE_ROLES = _table(
    [
        {
            "id": "support-assistant",
            "title": "Support Assistant",
            "family": "Support",
            "level": "1",
            "aliases": "Support Asst",
            "summary": "Answers first-line requests.",
            "skills": "Communication;Ticketing tools",
        },
        {
            "id": "support-lead",
            "title": "Support Lead",
            "family": "Support",
            "level": "2",
            "aliases": "",
            "summary": "Leads the support team.",
            "skills": "Communication;Coaching;Prioritising",
        },
    ],
    [*ROLE_REQUIRED, *ROLE_OPTIONAL],
)
TEMPLATE_EDGES = _table(
    [
        {
            "source": "support-assistant",
            "target": "support-lead",
            "type": "promotion",
            "note": "The usual next step",
        },
        {"source": "support-assistant", "target": "support-lead", "type": "reports_to"},
    ],
    [*EDGE_REQUIRED, *EDGE_OPTIONAL],
)


def template_workbook() -> bytes:
    """Both templates as one Excel workbook with sheets roles and edges."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        TEMPLATE_ROLES.to_excel(writer, sheet_name="roles", index=False)
        TEMPLATE_EDGES.to_excel(writer, sheet_name="edges", index=False)
    return buffer.getvalue()


#: (label, data, file name, MIME type) of each template download.
TEMPLATE_DOWNLOADS = (
    (
        "roles.csv template",
        TEMPLATE_ROLES.to_csv(index=False),
        # not "roles.csv": a template must not be mistaken for an export
        "roles-template.csv",
        "text/csv",
    ),
    (
        "edges.csv template",
        TEMPLATE_EDGES.to_csv(index=False),
        "edges-template.csv",
        "text/csv",
    ),
    (
        "Excel template",
        template_workbook,
        "career-graph-template.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
)
