"""The one error type for refused data: it carries every problem, each with its place."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple


class Problem(NamedTuple):
    place: str
    message: str

    def __str__(self) -> str:
        return f"{self.place}: {self.message}" if self.place else self.message

    def within(self, prefix: str) -> Problem:
        """The same problem seen from an enclosing place (`sessions[3]` + `bp_before`)."""
        if not prefix:
            return self
        joined = f"{prefix}.{self.place}" if self.place else prefix
        return Problem(joined, self.message)


class ValidationError(ValueError):
    """Data was refused; `problems` lists every reason, not just the first."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems) or "invalid data")

    def within(self, prefix: str) -> ValidationError:
        return ValidationError(p.within(prefix) for p in self.problems)
