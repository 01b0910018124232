"""The O*NET database (text or Excel release files) as a career catalogue.

One role per occupation that has a Job Zone; family = the SOC major group;
level = the Job Zone (1-5), named in ``levels.csv``; summary = the
description; responsibilities = the core tasks; skills = the skills whose
importance is 3 or more, each with its O*NET level (0-7) put on the skill
scale (1-5, see :func:`_on_skill_scale`: ``Name:4``); aliases =
the alternate titles; relations = the related occupations, typed
``related`` with their rank (1 = closest) and tier.

O*NET is by the U.S. Department of Labor, Employment and Training
Administration (USDOL/ETA), licensed under CC BY 4.0; every role's ``source``
says so, and that it was converted to this project's format.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from graph.errors import CareerGraphError
from graph.lists import join_list
from graph.schema import ABOUT_FILE, EDGES_FILE, LEVELS_FILE, ROLES_FILE
from graph.skills import MAX_SKILL_LEVEL

__all__ = ["ATTRIBUTION", "SOC_MAJOR_GROUPS", "OnetImport", "import_onet"]

#: The credit O*NET's CC BY 4.0 licence asks for; ``{release}`` is e.g. "29.3".
ATTRIBUTION = (
    "O*NET {release} Database by the U.S. Department of Labor, Employment and "
    "Training Administration (USDOL/ETA), used under the CC BY 4.0 licence; "
    "converted to this project's catalogue format. O*NET® is a trademark of "
    "USDOL/ETA."
)
#: The role the app opens on, when the release has it: the O*NET neighbour of
#: the operations catalogue.
LANDING_ROLE = "11-1021.00"

#: The 2018 SOC major groups, by the first two digits of a code.
SOC_MAJOR_GROUPS = {
    "11": "Management",
    "13": "Business and Financial Operations",
    "15": "Computer and Mathematical",
    "17": "Architecture and Engineering",
    "19": "Life, Physical, and Social Science",
    "21": "Community and Social Service",
    "23": "Legal",
    "25": "Educational Instruction and Library",
    "27": "Arts, Design, Entertainment, Sports, and Media",
    "29": "Healthcare Practitioners and Technical",
    "31": "Healthcare Support",
    "33": "Protective Service",
    "35": "Food Preparation and Serving Related",
    "37": "Building and Grounds Cleaning and Maintenance",
    "39": "Personal Care and Service",
    "41": "Sales and Related",
    "43": "Office and Administrative Support",
    "45": "Farming, Fishing, and Forestry",
    "47": "Construction and Extraction",
    "49": "Installation, Maintenance, and Repair",
    "51": "Production",
    "53": "Transportation and Material Moving",
    "55": "Military Specific",
}
#: The top of O*NET's skill level scale ("LV"), which starts at 0.
_ONET_MAX_LEVEL = 7
#: A skill belongs to a role when O*NET rates its importance (1-5) this high.
MIN_SKILL_IMPORTANCE = 3.0

#: O*NET file -> what it gives; each is read as text (.txt) or Excel (.xlsx).
_FILES = {
    "occupations": "Occupation Data",
    "zones": "Job Zones",
    "zone_names": "Job Zone Reference",
    "related": "Related Occupations",
    "tasks": "Task Statements",
    "skills": "Skills",
    "titles": "Alternate Titles",
}


@dataclass(frozen=True)
class OnetImport:
    """What an import wrote."""

    roles: int
    relations: int
    levels: int
    skipped_without_zone: int


def _read(folder: Path, stem: str) -> pd.DataFrame:
    """One O*NET file, whichever of its published formats the folder holds."""
    text, excel = folder / f"{stem}.txt", folder / f"{stem}.xlsx"
    if text.is_file():
        return pd.read_csv(
            text, sep="\t", dtype=str, keep_default_na=False, quoting=csv.QUOTE_NONE
        )
    if excel.is_file():
        return pd.read_excel(excel, dtype=str, keep_default_na=False)
    raise CareerGraphError(
        f"{folder} has no {stem!r} file (.txt or .xlsx): is it an O*NET database "
        "folder?"
    )


def _grouped_lists(table: pd.DataFrame, column: str) -> dict[str, str]:
    """code -> the ``column`` values of that code as one list cell."""
    return {
        code: join_list(values.tolist())
        for code, values in table.groupby("O*NET-SOC Code", sort=False)[column]
    }


def _on_skill_scale(onet_levels: pd.Series) -> pd.Series:
    """O*NET's skill level (0-7) on this project's skill scale (1-5): the
    same position on the range, rounded, never below 1.

    Examples
    --------
    >>> _on_skill_scale(pd.Series([0.0, 1.75, 3.5, 4.1, 7.0])).tolist()
    [1, 2, 3, 3, 5]
    """
    scaled = 1 + onet_levels * (MAX_SKILL_LEVEL - 1) / _ONET_MAX_LEVEL
    return scaled.round().clip(1, MAX_SKILL_LEVEL).astype("Int64")


def _skills(table: pd.DataFrame) -> dict[str, str]:
    """code -> ``Name:level`` for each skill at least :data:`MIN_SKILL_IMPORTANCE`
    important, most important first."""
    usable = table[table["Recommend Suppress"].ne("Y")]
    wide = usable.pivot_table(
        index=["O*NET-SOC Code", "Element Name"],
        columns="Scale ID",
        values="Data Value",
        aggfunc="first",
    ).astype(float)
    kept = wide[wide["IM"] >= MIN_SKILL_IMPORTANCE].reset_index()
    kept = kept.sort_values(["O*NET-SOC Code", "IM"], ascending=[True, False])
    levels = _on_skill_scale(kept["LV"])
    # a skill O*NET gives no level for is listed by name alone
    kept["entry"] = kept["Element Name"].where(
        levels.isna(), kept["Element Name"] + ":" + levels.astype(str)
    )
    return _grouped_lists(kept, "entry")


def _release(folder: Path) -> str:
    """The release number its ``Read Me.txt`` opens with ("O*NET 29.3 Database")."""
    readme = folder / "Read Me.txt"
    first = (
        readme.read_text(encoding="utf-8", errors="replace") if readme.is_file() else ""
    )
    found = re.match(r"\s*O\*NET\s+([\d.]+)", first)
    return found.group(1) if found else "(release unknown)"


def _taxonomy(code: str) -> str:
    """The SOC groups an occupation belongs to, broadest first: major group,
    minor group, broad occupation (11-1021.00 -> 11-0000, 11-1000, 11-1020)."""
    major = SOC_MAJOR_GROUPS.get(code[:2], "Other")
    return join_list(
        [
            f"{major} ({code[:2]}-0000)",
            f"SOC minor group {code[:4]}000",
            f"SOC broad occupation {code[:6]}0",
        ]
    )


def import_onet(source: str | Path, out: str | Path) -> OnetImport:
    """Convert the O*NET files in ``source`` into ``roles.csv``, ``edges.csv``
    and ``levels.csv`` in ``out``, with a ``catalogue.json`` naming the release
    and carrying its attribution.

    Raises
    ------
    CareerGraphError
        If a needed file is missing.
    """
    folder, target = Path(source), Path(out)
    release = _release(folder)
    attribution = ATTRIBUTION.format(release=release)
    tables = {key: _read(folder, stem) for key, stem in _FILES.items()}
    occupations = tables["occupations"].set_index("O*NET-SOC Code")
    zones = tables["zones"].set_index("O*NET-SOC Code")["Job Zone"]
    codes = [code for code in occupations.index if code in zones.index]
    tasks = tables["tasks"]
    core_tasks = _grouped_lists(tasks[tasks["Task Type"] == "Core"], "Task")
    skills = _skills(tables["skills"])
    aliases = _grouped_lists(tables["titles"], "Alternate Title")
    roles = pd.DataFrame(
        {
            "id": codes,
            "title": occupations.loc[codes, "Title"].to_numpy(),
            "family": [SOC_MAJOR_GROUPS.get(code[:2], "Other") for code in codes],
            "level": zones.loc[codes].to_numpy(),
            "aliases": [aliases.get(code, "") for code in codes],
            "summary": occupations.loc[codes, "Description"].to_numpy(),
            "responsibilities": [core_tasks.get(code, "") for code in codes],
            "skills": [skills.get(code, "") for code in codes],
            "soc_code": codes,
            "taxonomy": [_taxonomy(code) for code in codes],
            "source": attribution,
        }
    )
    related = tables["related"]
    related = related[
        related["O*NET-SOC Code"].isin(codes)
        & related["Related O*NET-SOC Code"].isin(codes)
    ]
    edges = pd.DataFrame(
        {
            "source": related["O*NET-SOC Code"].to_numpy(),
            "target": related["Related O*NET-SOC Code"].to_numpy(),
            "type": "related",
            "rank": related["Index"].to_numpy(),
            "tier": related["Relatedness Tier"].to_numpy(),
            "reference": f"O*NET {release} Related Occupations",
        }
    )
    names = tables["zone_names"]
    levels = pd.DataFrame(
        {
            "level": names["Job Zone"].to_numpy(),
            "name": names["Name"].str.replace(r"^Job Zone \w+: ", "", regex=True),
            "description": (names["Experience"] + " " + names["Education"]).to_numpy(),
        }
    )
    target.mkdir(parents=True, exist_ok=True)
    roles.to_csv(target / ROLES_FILE, index=False)
    edges.to_csv(target / EDGES_FILE, index=False)
    levels.to_csv(target / LEVELS_FILE, index=False)
    about = {"title": f"O*NET {release} occupations", "attribution": attribution}
    if LANDING_ROLE in codes:
        about["landing_role"] = LANDING_ROLE
    (target / ABOUT_FILE).write_text(
        json.dumps(about, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return OnetImport(
        roles=len(roles),
        relations=len(edges),
        levels=len(levels),
        skipped_without_zone=len(occupations) - len(codes),
    )
