"""People and their development plans in the workspace database.

A save names the revision it started from; when someone else saved in
between, it is refused (:class:`PersonConflict`, :class:`PlanConflict`) and
nothing is written. Every save of a plan is kept, so its history can be read
back. Names, ratings and notes are people's data: nothing here logs them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from graph.people import Person
from graph.plans import DevelopmentPlan, checked_plan
from graph.workspace.models import PersonRow, PlanRevisionRow, PlanRow
from graph.workspace.records import WorkspaceError, checked_name

__all__ = [
    "MAX_PERSON_NAME",
    "PersonNotFound",
    "PersonExists",
    "PersonConflict",
    "PlanConflict",
    "StoredPerson",
    "StoredPlan",
    "PeopleBook",
]

#: The longest display name stored.
MAX_PERSON_NAME = 200


class PersonNotFound(WorkspaceError, LookupError):
    """No person of that name is saved."""


class PersonExists(WorkspaceError):
    """A person of that name is already saved."""


class PersonConflict(WorkspaceError):
    """The person was saved by someone else after this edit started."""


class PlanConflict(WorkspaceError):
    """The plan was saved by someone else after this edit started."""


@dataclass(frozen=True)
class StoredPerson:
    """A saved person and the revision a later save must name."""

    person: Person
    revision: int
    updated_at: datetime


@dataclass(frozen=True)
class StoredPlan:
    """A saved plan: its id, the revision a later save must name, and when."""

    id: int
    plan: DevelopmentPlan
    revision: int
    created_at: datetime
    updated_at: datetime


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _person(row: PersonRow) -> StoredPerson:
    person = Person(
        name=row.name,
        role=row.role,
        ratings=json.loads(row.ratings),
        targets=tuple(json.loads(row.targets)),
        notes=row.notes,
    )
    return StoredPerson(person, row.revision, row.updated_at)


def _plan(row: PlanRow) -> StoredPlan:
    return StoredPlan(
        row.id,
        DevelopmentPlan.from_json(row.content),
        row.revision,
        row.created_at,
        row.updated_at,
    )


def _fill(row: PersonRow, person: Person) -> None:
    """Write ``person`` into ``row`` as its next revision."""
    ratings = {str(k).strip(): int(v) for k, v in person.ratings.items()}
    row.role = person.role
    row.ratings = json.dumps(ratings, ensure_ascii=False)
    row.targets = json.dumps(list(person.targets), ensure_ascii=False)
    row.notes = person.notes.strip()
    row.revision += 1
    row.updated_at = _now()


class PeopleBook:
    """The people and plans of one workspace (``Workspace.people``).

    Examples
    --------
    >>> from graph.workspace import open_workspace
    >>> book = open_workspace("sqlite://").people
    >>> book.save(Person("Sam (fictional)", "clerk", {"Excel": 2})).revision
    1
    >>> [p.person.name for p in book.list()]
    ['Sam (fictional)']
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # People -----------------------------------------------------------------

    def list(self) -> list[StoredPerson]:
        """Every saved person, by name."""
        with Session(self.engine) as session:
            rows = session.scalars(select(PersonRow).order_by(PersonRow.name))
            return [_person(row) for row in rows]

    def get(self, name: str) -> StoredPerson:
        with Session(self.engine) as session:
            return _person(self._row(session, name))

    def save(self, person: Person, *, revision: int | None = None) -> StoredPerson:
        """Save ``person``: ``revision`` ``None`` adds them (refused when the
        name is taken), else it must be the revision the edit started from.

        Raises
        ------
        PersonExists, PersonConflict, PersonNotFound
        """
        name = checked_name(person.name, "A person", MAX_PERSON_NAME)
        with Session(self.engine) as session, session.begin():
            if revision is None:
                row = PersonRow(name=name, revision=0)
                session.add(row)
            else:
                row = self._row(session, name)
                if row.revision != revision:
                    raise PersonConflict(
                        f"Not saved: {name!r} was changed by someone else since "
                        f"you opened it (now revision {row.revision}). Reload "
                        "the person and make your change again."
                    )
            _fill(row, person)
            try:
                session.flush()
            except IntegrityError:
                raise PersonExists(
                    f"A person named {name!r} is saved already; choose another "
                    "display name or open them."
                ) from None
            return _person(row)

    def save_many(self, people: Iterable[Person]) -> tuple[int, int]:
        """Add or update each person by name, all in one transaction (all or
        nothing); return how many were added and updated."""
        added = updated = 0
        with Session(self.engine) as session, session.begin():
            for person in people:
                name = checked_name(person.name, "A person", MAX_PERSON_NAME)
                row = session.scalar(select(PersonRow).where(PersonRow.name == name))
                if row is None:
                    row = PersonRow(name=name, revision=0)
                    session.add(row)
                    added += 1
                else:
                    updated += 1
                _fill(row, person)
        return added, updated

    def delete(self, name: str) -> None:
        """Delete a person and their plans."""
        with Session(self.engine) as session, session.begin():
            session.delete(self._row(session, name))

    # Plans ------------------------------------------------------------------

    def plans(self, name: str) -> list[StoredPlan]:
        """A person's plans, oldest first."""
        with Session(self.engine) as session:
            return [_plan(row) for row in self._row(session, name).plans]

    def save_plan(
        self,
        plan: DevelopmentPlan,
        *,
        plan_id: int | None = None,
        revision: int | None = None,
    ) -> StoredPlan:
        """Save a new plan (``plan_id`` ``None``) or a new revision of one,
        which must name the revision the edit started from. Every revision is
        kept (:meth:`plan_history`).

        Raises
        ------
        PlanError, PlanConflict, PersonNotFound
        """
        plan = checked_plan(plan)
        now = _now()
        with Session(self.engine) as session, session.begin():
            person = self._row(session, plan.person)
            if plan_id is None:
                row = PlanRow(person_id=person.id, revision=0, created_at=now)
                session.add(row)
            else:
                row = session.get(PlanRow, plan_id)
                if row is None or row.person_id != person.id:
                    raise WorkspaceError(f"{plan.person!r} has no plan {plan_id}.")
                if row.revision != revision:
                    raise PlanConflict(
                        f"Not saved: this plan was changed by someone else since "
                        f"you opened it (now revision {row.revision}). Reload "
                        "it and make your change again."
                    )
            row.target = plan.target
            row.content = plan.to_json()
            row.revision += 1
            row.updated_at = now
            session.flush()
            session.add(
                PlanRevisionRow(
                    plan_id=row.id,
                    revision=row.revision,
                    saved_at=now,
                    content=row.content,
                )
            )
            try:
                session.flush()
            except IntegrityError:  # two saves of one revision raced
                raise PlanConflict(
                    "Not saved: this plan was saved by someone else at the same "
                    "moment. Reload it and make your change again."
                ) from None
            return _plan(row)

    def plan_history(self, plan_id: int) -> list[tuple[int, datetime, DevelopmentPlan]]:
        """Every saved revision of a plan: number, when, and the plan then."""
        with Session(self.engine) as session:
            rows = session.scalars(
                select(PlanRevisionRow)
                .where(PlanRevisionRow.plan_id == plan_id)
                .order_by(PlanRevisionRow.revision)
            )
            return [
                (r.revision, r.saved_at, DevelopmentPlan.from_json(r.content))
                for r in rows
            ]

    def _row(self, session: Session, name: str) -> PersonRow:
        row = session.scalar(
            select(PersonRow).where(PersonRow.name == " ".join(str(name).split()))
        )
        if row is None:
            raise PersonNotFound(f"No saved person {name!r}.")
        return row
