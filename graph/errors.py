"""Domain errors raised by the :mod:`graph` package."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graph.validation import ValidationReport

__all__ = ["CareerGraphError", "RoleNotFound", "InvalidData"]


class CareerGraphError(Exception):
    """Base class of every error this package raises on purpose."""


class RoleNotFound(CareerGraphError, LookupError):
    """No role matches the given id, title or alias.

    ``suggestions`` holds the closest role ids, best first.
    """

    def __init__(self, message: str, suggestions: list[str] | None = None) -> None:
        super().__init__(message)
        self.suggestions = suggestions or []


class InvalidData(CareerGraphError, ValueError):
    """The data has errors; ``report`` lists every one of them."""

    def __init__(self, report: ValidationReport) -> None:
        super().__init__(report.summary())
        self.report = report
