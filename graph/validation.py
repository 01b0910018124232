"""The validation report: every problem in a data set, each with file, row, column."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

__all__ = ["Problem", "ValidationReport", "ERROR", "WARNING"]

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

    def error(
        self, file: str, row: int | None, column: str | None, message: str, hint=""
    ) -> None:
        """Record an error: the data cannot be used until it is fixed."""
        self.problems.append(Problem(ERROR, file, row, column, message, hint))

    def warn(
        self, file: str, row: int | None, column: str | None, message: str, hint=""
    ) -> None:
        """Record a warning: the data loads, but something looks wrong."""
        self.problems.append(Problem(WARNING, file, row, column, message, hint))

    def extend(self, other: ValidationReport) -> None:
        """Append the problems of ``other``."""
        self.problems.extend(other.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings do not count)."""
        return not self.errors

    def summary(self) -> str:
        """One line per problem, errors first, under a count."""
        ordered = self.errors + self.warnings
        head = f"{len(self.errors)} error(s), {len(self.warnings)} warning(s)"
        return "\n".join([head, *map(str, ordered)])

    def to_frame(self) -> pd.DataFrame:
        """The problems as a table with columns severity, file, row, column, ..."""
        columns = ["severity", "file", "row", "column", "message", "hint"]
        rows = [
            [p.severity, p.file, p.row, p.column or "", p.message, p.hint]
            for p in self.errors + self.warnings
        ]
        return pd.DataFrame(rows, columns=columns).astype({"row": "Int64"})

    def to_dicts(self) -> list[dict]:
        """The problems as plain dicts, for JSON output."""
        return [p.__dict__.copy() for p in self.errors + self.warnings]
