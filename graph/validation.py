"""The validation report, and the rules of the data contract that fill it.

Every rule is a small named function; :data:`ROLE_RULES` and :data:`EDGE_RULES`
list them in the order they run, so the whole contract reads in one place.
Each problem carries its file, row (as a spreadsheet counts: the header is
row 1) and column.

This module is longer than the others on purpose: the report and every rule
it is filled by stay together, so the contract can be read in one file.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import astuple, dataclass, field
from functools import cached_property

import networkx as nx
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz import fuzz, process

from graph.bulk import (
    arrow_backed,
    arrow_strings,
    distinct,
    folded_codes,
    group_places,
    pair_codes,
)
from graph.limits import DEFAULT_LIMITS, MAX_LEVEL
from graph.lists import split_list
from graph.schema import (
    ABOUT_FILE,
    ABOUT_KEYS,
    EDGE_REQUIRED,
    EDGES_FILE,
    LEVELS_FILE,
    RELATION_TYPES,
    REPORTS_TO,
    ROLE_REQUIRED,
    ROLES_FILE,
    SKILLS_FILE,
    STEP_UP_TYPES,
)
from graph.skills import MAX_SKILL_LEVEL, skill_level

__all__ = [
    "Problem",
    "ValidationReport",
    "ERROR",
    "WARNING",
    "ROLE_RULES",
    "EDGE_RULES",
    "EdgeTables",
    "RelationEnds",
    "relation_ends",
    "validate_tables",
    "validate_levels",
    "validate_about",
    "validate_skills",
]

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One problem found in the data.

    ``row`` counts as a spreadsheet does (the header is row 1); it is ``None``
    for a problem with the whole file. ``hint`` says how to fix it, if we know.
    """

    severity: str
    file: str
    row: int | None
    column: str | None
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column!r}"
        text = f"{self.severity}: {where}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


@dataclass
class ValidationReport:
    """All problems found while loading a data set.

    Examples
    --------
    >>> report = ValidationReport()
    >>> report.error("roles.csv", 3, "level", "level 'x' is not a whole number")
    >>> report.warn("edges.csv", 2, "type", "promotion to a lower level")
    >>> report.ok, len(report.errors), len(report.warnings)
    (False, 1, 1)
    >>> print(report.errors[0])
    error: roles.csv, row 3, column 'level': level 'x' is not a whole number
    """

    problems: list[Problem] = field(default_factory=list)
    #: Errors listed one by one (``None``: all); the rest are only counted,
    #: so a file with a million bad rows costs a count, not a million lines.
    limit: int | None = DEFAULT_LIMITS.errors
    #: Errors past ``limit``.
    unlisted: int = 0

    def error(
        self, file: str, row: int | None, column: str | None, message: str, hint=""
    ) -> None:
        """Record an error: the data cannot be used until it is fixed."""
        if self.limit is not None and self._error_count >= self.limit:
            self.unlisted += 1
            return
        self._error_count += 1
        self.problems.append(Problem(ERROR, file, row, column, message, hint))

    def warn(
        self, file: str, row: int | None, column: str | None, message: str, hint=""
    ) -> None:
        """Record a warning: the data loads, but something looks wrong."""
        self.problems.append(Problem(WARNING, file, row, column, message, hint))

    def extend(self, other: ValidationReport) -> None:
        """Append the problems of ``other`` (its errors within this report's
        limit)."""
        for problem in other.problems:
            if problem.severity == ERROR:
                self.error(*astuple(problem)[1:])
            else:
                self.problems.append(problem)
        self.unlisted += other.unlisted

    def __post_init__(self) -> None:
        self._error_count = sum(p.severity == ERROR for p in self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def error_count(self) -> int:
        """Every error found, listed or not."""
        return self._error_count + self.unlisted

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings do not count)."""
        return not self._error_count and not self.unlisted

    def summary(self) -> str:
        """One line per problem, errors first, under a count; errors past the
        limit are counted in a last line.

        Examples
        --------
        >>> report = ValidationReport(limit=1)
        >>> for row in (2, 3, 4):
        ...     report.error("roles.csv", row, "level", "not a whole number")
        >>> print(report.summary())
        3 error(s), 0 warning(s)
        error: roles.csv, row 2, column 'level': not a whole number
        ... and 2 more error(s) not listed
        """
        ordered = self.errors + self.warnings
        head = f"{self.error_count} error(s), {len(self.warnings)} warning(s)"
        more = [f"... and {self.unlisted} more error(s) not listed"]
        return "\n".join([head, *map(str, ordered), *more[: bool(self.unlisted)]])

    def to_frame(self) -> pd.DataFrame:
        """The problems as a table with columns severity, file, row, column, ..."""
        columns = ["severity", "file", "row", "column", "message", "hint"]
        rows = [
            [p.severity, p.file, p.row, p.column or "", p.message, p.hint]
            for p in self.errors + self.warnings
        ]
        if self.unlisted:
            more = f"{self.unlisted} more error(s) not listed one by one"
            rows.append([ERROR, "", None, "", more, "fix the ones above first"])
        return pd.DataFrame(rows, columns=columns).astype({"row": "Int64"})

    def to_dicts(self) -> list[dict]:
        """The problems as plain dicts, for JSON output."""
        return [p.__dict__.copy() for p in self.errors + self.warnings]


#: Warnings of one kind listed one by one; the rest are counted in one line.
_MAX_WARNINGS_PER_KIND = 20
_MAX_CYCLE_NAMES = 8

RoleRule = Callable[[pd.DataFrame, ValidationReport], None]
EdgeRule = Callable[["EdgeTables", ValidationReport], None]


def validate_tables(
    roles: pd.DataFrame,
    edges: pd.DataFrame | None = None,
    ends: RelationEnds | None = None,
) -> ValidationReport:
    """Check both tables against the data contract; report every problem.

    ``edges`` may be ``None`` (a missing file): roles are still checked.
    Edge rules run once both tables have their required columns. ``ends``
    are the tables' :func:`relation_ends`, where the caller has them already
    (the build reads them too).

    Examples
    --------
    >>> roles = pd.DataFrame(
    ...     {"id": ["a", "a"], "title": ["A", "B"], "family": ["F", "F"],
    ...      "level": ["1", "two"]}, index=[2, 3])
    >>> edges = pd.DataFrame(
    ...     {"source": ["a"], "target": ["a"], "type": ["promotion"]}, index=[2])
    >>> for problem in validate_tables(roles, edges).problems:
    ...     print(problem)  # doctest: +NORMALIZE_WHITESPACE
    error: roles.csv, row 3, column 'id': duplicate id 'a' (first on row 2)
    error: roles.csv, row 3, column 'level': level 'two' is not a whole number
      (use a whole number, 1 for the most junior level)
    error: edges.csv, row 2, column 'target': a role cannot relate to itself
    """
    report = ValidationReport()
    roles_usable = not _missing_columns(roles, ROLE_REQUIRED, ROLES_FILE, report)
    if roles_usable:
        for role_rule in ROLE_RULES:
            role_rule(roles, report)
    if edges is None:
        return report
    edges_usable = not _missing_columns(edges, EDGE_REQUIRED, EDGES_FILE, report)
    if roles_usable and edges_usable:
        tables = EdgeTables(edges, roles, ends)
        for edge_rule in EDGE_RULES:
            edge_rule(tables, report)
    return report


def _missing_columns(
    table: pd.DataFrame, required: Iterable[str], file: str, report: ValidationReport
) -> bool:
    missing = [column for column in required if column not in table.columns]
    for column in missing:
        report.error(file, 1, column, "required column is missing")
    return bool(missing)


def _repeats(values: pd.Series) -> tuple[pd.Series, dict]:
    """The entries of ``values`` whose value came on an earlier row, and the
    row each such value came on first: one pass to find them, and no map of
    every value when none repeats (1.2 s on a million ids).

    Examples
    --------
    >>> repeated, first_row = _repeats(pd.Series(["a", "b", "a"], index=[2, 3, 4]))
    >>> repeated.to_dict(), first_row
    ({4: 'a'}, {'a': 2})
    """
    if arrow_backed(values):
        # as objects: on Arrow-backed strings, pandas took 0.45 s for a
        # million ids, where converting them and finding repeats takes 0.2 s
        values = values.astype(object)
    again = values.duplicated()
    repeated = values[again]
    if repeated.empty:
        return repeated, {}
    firsts = values[~again & values.isin(repeated)]
    return repeated, dict(zip(firsts, firsts.index, strict=True))


def _listable(report: ValidationReport, rows: pd.Series) -> pd.Series:
    """The first of ``rows`` the report can still list; the rest are counted
    at once, so a file of a million bad rows costs no million messages.

    Examples
    --------
    >>> report = ValidationReport(limit=2)
    >>> _listable(report, pd.Series(["x", "y", "z"])).tolist(), report.unlisted
    (['x', 'y'], 1)
    """
    if report.limit is None:
        return rows
    room = max(report.limit - report._error_count, 0)
    report.unlisted += max(len(rows) - room, 0)
    return rows.iloc[:room]


def _warn_rest(
    report: ValidationReport, file: str, column: str, count: int, what: str
) -> None:
    """One summary warning for the warnings of a kind beyond the first few."""
    if count > _MAX_WARNINGS_PER_KIND:
        report.warn(
            file,
            None,
            column,
            f"{count - _MAX_WARNINGS_PER_KIND} more {what} not listed one by one",
        )


# Rules of roles.csv ---------------------------------------------------------


def required_cells_filled(roles: pd.DataFrame, report: ValidationReport) -> None:
    """id, title and family are never empty (level has its own rule)."""
    for column in ("id", "title", "family"):
        empty = _listable(report, roles[column][roles[column] == ""])
        for row in empty.index:
            report.error(ROLES_FILE, row, column, f"{column} is empty")


def ids_unique(roles: pd.DataFrame, report: ValidationReport) -> None:
    """No id is used by two rows."""
    if _distinct(arrow_strings(roles["id"])):
        return
    repeated, first_row = _repeats(roles["id"][roles["id"] != ""])
    for row, role_id in _listable(report, repeated).items():
        report.error(
            ROLES_FILE,
            row,
            "id",
            f"duplicate id {role_id!r} (first on row {first_row[role_id]})",
        )


def levels_whole_from_one(roles: pd.DataFrame, report: ValidationReport) -> None:
    """Levels are whole numbers from 1 to :data:`graph.limits.MAX_LEVEL`."""
    levels = pd.to_numeric(roles["level"], errors="coerce")
    not_whole = levels.isna() | ~np.isfinite(levels) | (levels != levels.round())
    for row, text in _listable(report, roles["level"][not_whole]).items():
        report.error(
            ROLES_FILE,
            row,
            "level",
            f"level {text!r} is not a whole number",
            "use a whole number, 1 for the most junior level",
        )
    for row, level in levels[~not_whole & (levels < 1)].items():
        report.error(
            ROLES_FILE,
            row,
            "level",
            f"level {int(level)} is below 1",
            "levels start at 1",
        )
    for row, text in roles["level"][~not_whole & (levels > MAX_LEVEL)].items():
        report.error(
            ROLES_FILE,
            row,
            "level",
            f"level {text} is above {MAX_LEVEL}, the highest level allowed",
            "number the levels from 1 for the most junior",
        )


def titles_distinct(roles: pd.DataFrame, report: ValidationReport) -> None:
    """Warn when two roles share a title (case-insensitive)."""
    titles = roles["title"][roles["title"] != ""]
    repeated, first_row = _repeats(_folds(titles))
    for row, fold in repeated.iloc[:_MAX_WARNINGS_PER_KIND].items():
        report.warn(
            ROLES_FILE,
            row,
            "title",
            f"title {titles[row]!r} is also used on row {first_row[fold]}",
            "search by id or alias to tell them apart",
        )
    _warn_rest(report, ROLES_FILE, "title", len(repeated), "repeated titles")


def _folds(texts: pd.Series) -> pd.Series:
    """Each text's case-folded form as a number, equal where the forms are:
    each distinct text is case-folded once (a million titles repeat about
    165,000: 0.1 s instead of 0.5 s).

    Examples
    --------
    >>> _folds(pd.Series(["Ab", "x", "aB"], index=[2, 3, 4])).to_dict()
    {2: 0, 3: 1, 4: 0}
    """
    codes, distinct = pd.factorize(texts)
    fold_codes, _ = folded_codes(list(distinct))
    return pd.Series(fold_codes[codes], index=texts.index)


def ids_not_lookalike(roles: pd.DataFrame, report: ValidationReport) -> None:
    """Warn when an id holds invisible characters, or differs from another id
    only in case, Unicode form (NFKC) or invisible characters: two roles that
    read the same are a copy-paste accident, and links would pick either.

    Examples
    --------
    >>> roles = pd.DataFrame({"id": ["ops", "OPS", "o\\u200bps", "caf\\u00e9",
    ...                             "cafe\\u0301"]}, index=[2, 3, 4, 5, 6])
    >>> report = ValidationReport()
    >>> ids_not_lookalike(roles, report)
    >>> for problem in report.problems:
    ...     print(problem.row, problem.message)
    4 id 'o\\u200bps' holds invisible characters (U+200B)
    3 id 'OPS' looks the same as 'ops' (row 2)
    4 id 'o\\u200bps' looks the same as 'ops' (row 2)
    6 id 'cafe\\u0301' looks the same as 'caf\\xe9' (row 5)
    """
    ids = roles["id"][roles["id"] != ""]
    if _plainly_distinct(ids):
        return
    ids = ids.astype(object).drop_duplicates()
    keys = _casefolded(ids)
    # only non-ASCII ids can hide invisible characters or other encodings
    unusual = ~ids.map(_printable_ascii)
    invisible_rows = 0
    for row, role_id in ids[unusual].items():
        hidden = sorted({c for c in role_id if _is_invisible(c)})
        if hidden:
            invisible_rows += 1
            if invisible_rows <= _MAX_WARNINGS_PER_KIND:
                codes = ", ".join(f"U+{ord(c):04X}" for c in hidden)
                report.warn(
                    ROLES_FILE,
                    row,
                    "id",
                    f"id {role_id!r} holds invisible characters ({codes})",
                )
        keys[row] = unicodedata.normalize(
            "NFKC", "".join(c for c in role_id if not _is_invisible(c))
        ).casefold()
    _warn_rest(report, ROLES_FILE, "id", invisible_rows, "ids with invisible text")
    lookalikes, first_row = _repeats(keys)
    for row, key in lookalikes.iloc[:_MAX_WARNINGS_PER_KIND].items():
        first = first_row[key]
        report.warn(
            ROLES_FILE,
            row,
            "id",
            # ascii: the two must look different in the message
            f"id {ids[row]!a} looks the same as {ids[first]!a} (row {first})",
            "ids that differ only in case, accents' encoding or invisible "
            "characters are hard to tell apart; make them distinct",
        )
    _warn_rest(report, ROLES_FILE, "id", len(lookalikes), "lookalike ids")


def _distinct(values: pa.Array) -> bool:
    """Whether no two of ``values`` are equal, by pyarrow's hash table: 0.07 s
    for a million ids, where finding which repeat takes 0.2 s.

    Examples
    --------
    >>> _distinct(pa.array(["a", "b"])), _distinct(pa.array(["a", "b", "a"]))
    (True, False)
    """
    return len(pc.unique(values)) == len(values)


def _plainly_distinct(ids: pd.Series) -> bool:
    """Whether ``ids`` are printable ASCII, and no two of them differ only in
    case: then none can look like another. Checked by pyarrow: 0.08 s for a
    million ids, where the check that names the lookalikes takes 0.5 s.

    Examples
    --------
    >>> _plainly_distinct(pd.Series(["ops", "ops", "hr"])), _plainly_distinct(
    ...     pd.Series(["ops", "OPS"])), _plainly_distinct(pd.Series(["café"]))
    (True, False, False)
    """
    values = arrow_strings(ids)
    if not pc.all(pc.ascii_is_printable(values)).as_py():
        return False
    return len(pc.unique(pc.ascii_lower(values))) == len(pc.unique(values))


def _casefolded(texts: pd.Series) -> pd.Series:
    """Each text case-folded, as Python objects, by a comprehension: pyarrow
    cannot case-fold, and ``.str.casefold()`` on a million Arrow-backed titles
    made their rule take 3.7 s instead of 0.6 s."""
    return pd.Series(
        [text.casefold() for text in texts.tolist()], index=texts.index, dtype=object
    )


def _printable_ascii(text: str) -> bool:
    return text.isascii() and text.isprintable()


def _is_invisible(character: str) -> bool:
    """Format and control characters: zero-width spaces and joiners, bidi
    marks, soft hyphens, escapes."""
    return unicodedata.category(character) in {"Cf", "Cc"}


def skill_levels_on_scale(roles: pd.DataFrame, report: ValidationReport) -> None:
    """A skill's level, where given (``Leadership:4``), is on the skill scale:
    a whole number from 1 to :data:`graph.skills.MAX_SKILL_LEVEL`."""
    if "skills" not in roles.columns:
        return
    for row, cell in roles["skills"][roles["skills"].str.contains(":")].items():
        for entry in split_list(cell):
            level = skill_level(entry)
            if level is not None and level not in _SKILL_LEVELS:
                report.error(
                    ROLES_FILE,
                    row,
                    "skills",
                    f"{entry!r}: the level is not a whole number from 1 to "
                    f"{MAX_SKILL_LEVEL}",
                    "write Name:3, or the name alone when no level is required",
                )


_SKILL_LEVELS = frozenset(range(1, MAX_SKILL_LEVEL + 1))


#: The rules of roles.csv, in the order they run.
ROLE_RULES: tuple[RoleRule, ...] = (
    required_cells_filled,
    ids_unique,
    ids_not_lookalike,
    levels_whole_from_one,
    titles_distinct,
    skill_levels_on_scale,
)


# Rules of edges.csv ---------------------------------------------------------


@dataclass(frozen=True, eq=False)
class RelationEnds:
    """Each relation's source and target as the position of a row of
    roles.csv (the first row with that id); an id that roles.csv lacks gets a
    number past its rows, the same wherever the id comes. Unpacks as
    ``sources, targets``.

    Examples
    --------
    >>> ends = RelationEnds(np.array([0, 1, 0]), np.array([1, 2, 1]))
    >>> sources, targets = ends
    >>> [part.tolist() for part in ends.pairs]
    [[0, 1], [0, 1, 0], [2, 1]]
    """

    sources: np.ndarray
    targets: np.ndarray

    def __iter__(self) -> Iterator[np.ndarray]:
        return iter((self.sources, self.targets))

    @cached_property
    def pairs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The distinct ``(source, target)`` pairs (see
        :func:`graph.bulk.distinct`): each one's first relation, each
        relation's pair, each pair's number of relations. Sorted once, for
        the rule against duplicate relations and for the build."""
        return distinct(pair_codes(self.sources, self.targets))


def relation_ends(roles: pd.DataFrame, edges: pd.DataFrame) -> RelationEnds | None:
    """Where each relation's source and target are in roles.csv (see
    :data:`RelationEnds`); ``None`` when a table lacks the columns to tell.

    Looked up once, by the rules of edges.csv and by the build, in pyarrow's
    hash tables, both columns at once on two threads: 1.1-1.5 s for a million
    roles' relations, where pandas took 2.2 s. Numbers compare as the ids do,
    known or not.

    Examples
    --------
    >>> roles = pd.DataFrame({"id": ["a", "b", "a"]})
    >>> edges = pd.DataFrame({"source": ["a", "x"], "target": ["b", "x"]})
    >>> [ends.tolist() for ends in relation_ends(roles, edges)]
    [[0, 3], [1, 3]]
    """
    if "id" not in roles.columns or not {"source", "target"} <= set(edges.columns):
        return None
    known_ids, rows = arrow_strings(roles["id"]), None
    if not _distinct(known_ids):
        first = ~roles["id"].astype(object).duplicated().to_numpy()
        known_ids, rows = known_ids.filter(first), np.flatnonzero(first)

    def rows_named(column: str) -> np.ndarray:
        # the column's chunks as they are: joining them took 0.4 s
        values = pa.array(edges[column], type=pa.large_string())
        found = pc.index_in(values, value_set=known_ids)
        found = pc.fill_null(found, -1).to_numpy()
        if rows is not None:
            found = np.where(found >= 0, rows[found], -1)
        return found.astype(np.int32)

    with ThreadPoolExecutor(2) as pool:  # pyarrow lets go of the GIL
        ends = list(pool.map(rows_named, ("source", "target")))
    unknown = [found < 0 for found in ends]
    if any(missing.any() for missing in unknown):
        names = np.concatenate(
            [
                edges[column][missing].to_numpy(dtype=object)
                for column, missing in zip(("source", "target"), unknown, strict=True)
            ]
        )
        numbers = pd.factorize(names, use_na_sentinel=False)[0].astype(np.int32)
        numbers += len(roles)
        ends[0][unknown[0]] = numbers[: unknown[0].sum()]
        ends[1][unknown[1]] = numbers[unknown[0].sum() :]
    return RelationEnds(*ends)


class EdgeTables:
    """What the rules of edges.csv read: both tables, and what several rules
    need, each worked out once on first use (at 100,000 roles, each look-up
    of an edge column's ids costs about 0.05 s).

    Examples
    --------
    >>> roles = pd.DataFrame({"id": ["a", "b"], "level": ["1", "3"]})
    >>> edges = pd.DataFrame(
    ...     {"source": ["a", "a"], "target": ["b", "x"], "type": ["promotion"] * 2})
    >>> tables = EdgeTables(edges, roles)
    >>> tables.usable.tolist()
    [True, False]
    >>> tables.levels("target", tables.usable.to_numpy()).tolist()
    [3.0]
    """

    def __init__(
        self, edges: pd.DataFrame, roles: pd.DataFrame, ends: RelationEnds | None = None
    ) -> None:
        self.edges = edges
        self.roles = roles
        #: see :func:`relation_ends`
        self.ends = ends if ends is not None else relation_ends(roles, edges)

    @cached_property
    def role_ids(self) -> list[str]:
        """The ids of roles.csv, each once."""
        return list(self.roles["id"].unique())

    @cached_property
    def source_known(self) -> pd.Series:
        """Rows whose source is an id of roles.csv."""
        return pd.Series(self.ends.sources < len(self.roles), index=self.edges.index)

    @cached_property
    def target_known(self) -> pd.Series:
        """Rows whose target is an id of roles.csv."""
        return pd.Series(self.ends.targets < len(self.roles), index=self.edges.index)

    @cached_property
    def type_known(self) -> pd.Series:
        """Rows whose type is a relation type of the registry."""
        return self.edges["type"].isin(list(RELATION_TYPES))

    @cached_property
    def usable(self) -> pd.Series:
        """Rows whose type and both role ids are known: the ones deeper rules
        read."""
        return self.type_known & self.source_known & self.target_known

    @cached_property
    def _level_of_row(self) -> np.ndarray:
        """Each row's level of roles.csv as a number (NaN if not one)."""
        return pd.to_numeric(self.roles["level"], errors="coerce").to_numpy(float)

    def levels(self, column: str, chosen: np.ndarray) -> np.ndarray:
        """The level (a number; NaN if not one) of the role that ``column``
        names on each relation ``chosen`` (a mask of rows) picks; each must
        name a known role."""
        ends = self.ends.sources if column == "source" else self.ends.targets
        return self._level_of_row[ends[chosen]]


def ends_known(tables: EdgeTables, report: ValidationReport) -> None:
    """source and target name roles of roles.csv.

    The first few unknown ids get a "did you mean" from one rapidfuzz search
    each; past them a file of typos costs a lookup per row, not a comparison
    with every id.
    """
    edges = tables.edges
    known = {"source": tables.source_known, "target": tables.target_known}
    suggestions_left = _MAX_SUGGESTIONS
    for column in ("source", "target"):
        unknown = _listable(report, edges[column][~known[column]])
        for row, role_id in unknown.items():
            message = (
                f"{column} is empty" if not role_id else f"unknown role id {role_id!r}"
            )
            hint = ""
            if role_id and suggestions_left:
                suggestions_left -= 1
                close = process.extractOne(
                    role_id,
                    tables.role_ids,
                    scorer=fuzz.ratio,
                    score_cutoff=_CLOSE_ID_SCORE,
                )
                hint = f"did you mean {close[0]!r}?" if close else ""
            report.error(EDGES_FILE, row, column, message, hint)


#: Unknown ids that get a "did you mean" suggestion.
_MAX_SUGGESTIONS = 50
#: How alike (rapidfuzz ratio, 0-100) an id must be to be suggested; 60 is
#: the cutoff difflib used before.
_CLOSE_ID_SCORE = 60


def types_known(tables: EdgeTables, report: ValidationReport) -> None:
    """type is one of the registry's relation types."""
    edges = tables.edges
    bad_type = ~tables.type_known
    for row, edge_type in _listable(report, edges["type"][bad_type]).items():
        report.error(
            EDGES_FILE,
            row,
            "type",
            f"unknown edge type {edge_type!r}",
            f"use one of {', '.join(RELATION_TYPES)}",
        )


def no_self_loops(tables: EdgeTables, report: ValidationReport) -> None:
    """A role does not relate to itself."""
    edges = tables.edges
    same = edges.index[tables.ends.sources == tables.ends.targets]
    # an empty source is an error of its own
    for row in same[edges.loc[same, "source"] != ""]:
        report.error(EDGES_FILE, row, "target", "a role cannot relate to itself")


def no_duplicate_edges(tables: EdgeTables, report: ValidationReport) -> None:
    """Each (source, target, type) appears once."""
    # Only relations whose pair of roles has others can repeat one.
    _, pair_of, relations = tables.ends.pairs
    shared = np.flatnonzero(relations[pair_of] > 1)
    if not len(shared):
        return
    edges = tables.edges.iloc[shared]
    triples = edges[["source", "target", "type"]]
    type_codes, types = pd.factorize(edges["type"], use_na_sentinel=False)
    codes = pair_of[shared].astype(np.int64) * len(types) + type_codes
    repeated = pd.Series(codes, index=edges.index).duplicated()
    if not repeated.any():
        return
    # first rows of the repeated triples only: a dict of every row would cost
    # more than the check
    firsts = triples[triples.duplicated(keep=False) & ~repeated]
    first_row = {
        tuple(t): row for row, t in zip(firsts.index, firsts.values, strict=True)
    }
    for row in _listable(report, edges.index[repeated].to_series()):
        source, target, edge_type = triples.loc[row]
        report.error(
            EDGES_FILE,
            row,
            "type",
            f"duplicate {edge_type!r} edge from {source!r} to {target!r} "
            f"(first on row {first_row[(source, target, edge_type)]})",
        )


def years_are_durations(tables: EdgeTables, report: ValidationReport) -> None:
    """typical_years, where given, is a finite number of years, 0 or more."""
    edges = tables.edges
    if "typical_years" not in edges.columns:
        return
    given = edges["typical_years"] != ""
    years = pd.to_numeric(edges["typical_years"], errors="coerce")
    valid = (years >= 0) & np.isfinite(years)
    for row, text in edges["typical_years"][given & ~valid].items():
        report.error(
            EDGES_FILE,
            row,
            "typical_years",
            f"typical_years {text!r} is not a number of years",
            "use a number such as 2 or 1.5, or leave it empty",
        )


def ranks_are_positions(tables: EdgeTables, report: ValidationReport) -> None:
    """rank, where given, is a whole number, 1 or more (1 = the closest)."""
    edges = tables.edges
    if "rank" not in edges.columns:
        return
    given = edges["rank"] != ""
    ranks = pd.to_numeric(edges["rank"], errors="coerce")
    valid = np.isfinite(ranks) & (ranks >= 1) & (ranks == ranks.round())
    for row, text in edges["rank"][given & ~valid].items():
        report.error(
            EDGES_FILE,
            row,
            "rank",
            f"rank {text!r} is not a whole number of 1 or more",
            "1 is the closest relation of a role, 2 the next, ...",
        )


def years_have_reference(tables: EdgeTables, report: ValidationReport) -> None:
    """A typical_years figure names its source in ``reference``."""
    edges = tables.edges
    if "typical_years" not in edges.columns:
        return
    given = edges["typical_years"] != ""
    if "reference" in edges.columns:
        cited = edges["reference"] != ""
    else:
        cited = pd.Series(False, index=edges.index)
    for row in edges.index[given & ~cited]:
        report.error(
            EDGES_FILE,
            row,
            "typical_years",
            "typical_years has no reference backing it",
            "name the source in the 'reference' column, or leave the figure out",
        )


def steps_up_go_up(tables: EdgeTables, report: ValidationReport) -> None:
    """Warn when a step up (a promotion) leads to a lower level."""
    edges = tables.edges
    chosen = (tables.usable & edges["type"].isin(STEP_UP_TYPES)).to_numpy()
    source_level = tables.levels("source", chosen)
    target_level = tables.levels("target", chosen)
    downward = target_level < source_level
    # only the rows listed are taken from the table: a mask over a million
    # roles' relations costs 0.5 s
    listed = edges.iloc[np.flatnonzero(chosen)[downward][:_MAX_WARNINGS_PER_KIND]]
    for (row, step, source, target), was, now in zip(
        listed[["type", "source", "target"]].itertuples(),
        source_level[downward],
        target_level[downward],
        strict=False,  # the levels go on past the rows listed
    ):
        report.warn(
            EDGES_FILE,
            row,
            "type",
            f"{step} from {source!r} (level {was:g}) to {target!r} (level "
            f"{now:g}) goes down a level",
            "check the levels, or call the move 'lateral'",
        )
    _warn_rest(report, EDGES_FILE, "type", int(downward.sum()), "downward promotions")


def reporting_lines_acyclic(tables: EdgeTables, report: ValidationReport) -> None:
    """Report each group of roles whose reporting lines go round in a circle."""
    edges = tables.edges
    chosen = (tables.usable & (edges["type"] == REPORTS_TO)).to_numpy()
    behind = _nodes_on_or_behind_cycles(
        tables.ends.sources[chosen], tables.ends.targets[chosen]
    )
    if not behind:
        return
    lines = edges[chosen]
    in_cycles = set(tables.roles["id"].to_numpy()[list(behind)])
    pairs = list(zip(lines["source"], lines["target"], strict=True))
    reporting = nx.DiGraph(
        (s, t) for s, t in pairs if s in in_cycles and t in in_cycles
    )
    row_of = dict(zip(pairs, lines.index, strict=True))
    for component in nx.strongly_connected_components(reporting):
        if len(component) < 2:
            continue
        cycle = nx.find_cycle(reporting.subgraph(component))
        names = [source for source, _ in cycle]
        shown = " -> ".join(names[:_MAX_CYCLE_NAMES] + [names[0]])
        if len(names) > _MAX_CYCLE_NAMES:
            shown += f" (and {len(names) - _MAX_CYCLE_NAMES} more)"
        report.error(
            EDGES_FILE,
            min(row_of[edge] for edge in cycle),
            "type",
            f"reports_to lines form a cycle: {shown}",
            "somebody in the cycle must report outside it",
        )


def _nodes_on_or_behind_cycles(sources: np.ndarray, targets: np.ndarray) -> set:
    """Nodes that Kahn's topological sort cannot remove: none for a forest.

    Linear time, on integer codes, so clean data (the usual case) costs
    little; only the few nodes left over go to networkx for the cycle report.
    The sort removes a whole layer of nodes at a time with numpy while layers
    are large (a million roles' reporting lines: the rule 0.22 s instead of
    0.47 s node by node), and node by node in Python past them (a long chain of
    reporting lines would cost a numpy pass per node).

    Examples
    --------
    >>> ids = lambda *names: np.array(names, dtype=object)
    >>> sorted(_nodes_on_or_behind_cycles(ids("a", "b", "c", "x"),
    ...                                   ids("b", "a", "a", "c")))
    ['a', 'b']
    """
    codes, names = pd.factorize(np.concatenate([sources, targets]))
    source_codes, target_codes = codes[: len(sources)], codes[len(sources) :]
    indegree = np.bincount(target_codes, minlength=len(names))
    by_source = np.argsort(source_codes, kind="stable")
    children = target_codes[by_source]
    # node n's children are children[starts[n]:starts[n + 1]]
    starts = np.searchsorted(source_codes[by_source], np.arange(len(names) + 1))
    ready = np.flatnonzero(indegree == 0)
    while len(ready) >= _LAYER_AT_ONCE:
        reached = children[group_places(starts, ready)[0]]
        indegree -= np.bincount(reached, minlength=len(names))
        ready = np.unique(reached[indegree[reached] == 0])
    if len(ready):
        indegree = _removed_one_by_one(
            ready.tolist(), indegree.tolist(), children.tolist(), starts.tolist()
        )
    return set(names[np.flatnonzero(indegree)].tolist())


#: Kahn's sort removes a layer of nodes at once while it holds this many.
_LAYER_AT_ONCE = 1024


def _removed_one_by_one(
    ready: list[int], indegree: list[int], children: list[int], starts: list[int]
) -> list[int]:
    """Kahn's sort from the ``ready`` nodes on, node by node: each node's
    in-degree left (see :func:`_nodes_on_or_behind_cycles`)."""
    while ready:
        node = ready.pop()
        for child in children[starts[node] : starts[node + 1]]:
            indegree[child] -= 1
            if not indegree[child]:
                ready.append(child)
    return indegree


#: The rules of edges.csv, in the order they run.
EDGE_RULES: tuple[EdgeRule, ...] = (
    ends_known,
    types_known,
    no_self_loops,
    no_duplicate_edges,
    years_are_durations,
    ranks_are_positions,
    years_have_reference,
    steps_up_go_up,
    reporting_lines_acyclic,
)


def validate_levels(levels: pd.DataFrame) -> ValidationReport:
    """Check ``levels.csv``: a whole level from 1 and a name on every row, each
    level once.

    Examples
    --------
    >>> table = pd.DataFrame({"level": ["1", "1", "x"], "name": ["A", "B", ""]},
    ...                      index=[2, 3, 4])
    >>> for problem in validate_levels(table).problems:
    ...     print(problem)  # doctest: +NORMALIZE_WHITESPACE
    error: levels.csv, row 4, column 'name': name is empty
    error: levels.csv, row 3, column 'level': duplicate level '1' (first on row 2)
    error: levels.csv, row 4, column 'level': level 'x' is not a whole number from 1
      to 1000
    """
    report = ValidationReport()
    if _missing_columns(levels, ("level", "name"), LEVELS_FILE, report):
        return report
    for row in levels.index[levels["name"] == ""]:
        report.error(LEVELS_FILE, row, "name", "name is empty")
    repeated, first_row = _repeats(levels["level"])
    for row, level in repeated.items():
        report.error(
            LEVELS_FILE,
            row,
            "level",
            f"duplicate level {level!r} (first on row {first_row[level]})",
        )
    numbers = pd.to_numeric(levels["level"], errors="coerce")
    whole = (
        np.isfinite(numbers)
        & (numbers >= 1)
        & (numbers <= MAX_LEVEL)
        & (numbers == numbers.round())
    )
    for row, text in levels["level"][~whole].items():
        report.error(
            LEVELS_FILE,
            row,
            "level",
            f"level {text!r} is not a whole number from 1 to {MAX_LEVEL}",
        )
    return report


def validate_about(about: object, role_ids: Iterable[str]) -> ValidationReport:
    """Check ``catalogue.json``: an object whose values are text, whose
    landing role exists; unknown keys are warned about (a typo, most likely).

    Examples
    --------
    >>> about = {"title": "Ops", "landing_role": "boss", "colour": "red"}
    >>> for problem in validate_about(about, ["clerk"]).problems:
    ...     print(problem)
    warning: catalogue.json, column 'colour': unknown key (known: title, \
landing_role, attribution)
    error: catalogue.json, column 'landing_role': unknown role id 'boss'
    """
    report = ValidationReport()
    if not isinstance(about, dict):
        report.error(ABOUT_FILE, None, None, "must hold one JSON object {...}")
        return report
    for key in about.keys() - ABOUT_KEYS.keys():
        report.warn(
            ABOUT_FILE, None, key, f"unknown key (known: {', '.join(ABOUT_KEYS)})"
        )
    for key, value in about.items():
        if key in ABOUT_KEYS and not isinstance(value, str):
            report.error(ABOUT_FILE, None, key, "must be text in quotes")
    landing = about.get("landing_role")
    if isinstance(landing, str) and landing not in set(role_ids):
        report.error(ABOUT_FILE, None, "landing_role", f"unknown role id {landing!r}")
    return report


def validate_skills(skills: pd.DataFrame) -> ValidationReport:
    """Check ``skills.csv``: a name on every row, and each name or synonym
    claimed by one skill only.

    Examples
    --------
    >>> table = pd.DataFrame({"name": ["Leadership", "Coaching", ""],
    ...                       "synonyms": ["Team leadership", "team leadership", ""]},
    ...                      index=[2, 3, 4])
    >>> for problem in validate_skills(table).problems:
    ...     print(problem)
    error: skills.csv, row 3, column 'synonyms': 'team leadership' already names \
'Leadership' (row 2)
    error: skills.csv, row 4, column 'name': name is empty
    """
    report = ValidationReport()
    if _missing_columns(skills, ("name",), SKILLS_FILE, report):
        return report
    claimed: dict[str, tuple[str, int]] = {}
    synonyms = skills["synonyms"] if "synonyms" in skills.columns else None
    for row, name in skills["name"].items():
        if not name:
            report.error(SKILLS_FILE, row, "name", "name is empty")
            continue
        terms = [("name", name)]
        if synonyms is not None:
            terms += [("synonyms", t) for t in split_list(synonyms[row])]
        for column, term in terms:
            key = term.casefold()
            if key in claimed and claimed[key][0] != name:
                owner, first = claimed[key]
                report.error(
                    SKILLS_FILE,
                    row,
                    column,
                    f"{term!r} already names {owner!r} (row {first})",
                )
            claimed.setdefault(key, (name, row))
    return report
