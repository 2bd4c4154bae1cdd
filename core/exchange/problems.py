"""What is wrong with an upload, collected and raised once, in plain words.

Readers add every problem they find (naming its row, column and value) to a ``Problems``; the
first ``MAX_PROBLEMS_SHOWN`` are kept as text and the rest only counted, so a file with 5,000
bad rows makes a message of ten sentences and "and 4,990 more". A problem that stops reading
(an empty or binary file) is raised alone with ``fail``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["MAX_PROBLEMS_SHOWN", "Problems", "UploadError", "fail"]

MAX_PROBLEMS_SHOWN = 10


class UploadError(ValueError):
    """Everything found wrong with an upload.

    Attributes
    ----------
    problems : tuple of str
        The first ``MAX_PROBLEMS_SHOWN`` problems, each naming its row and column.
    count : int
        How many were found in all; the message says how many are not listed.
    """

    def __init__(self, problems: tuple[str, ...], count: int | None = None) -> None:
        self.problems = tuple(problems)
        self.count = len(self.problems) if count is None else count
        listed = "; ".join(self.problems)
        if self.count > len(self.problems):
            listed += f"; and {self.count - len(self.problems):,} more"
        super().__init__(listed if self.count == 1 else f"{self.count:,} problems: {listed}")


@dataclass
class Problems:
    """Collects problems, keeping the first ``MAX_PROBLEMS_SHOWN`` texts and the count."""

    listed: list[str] = field(default_factory=list)
    count: int = 0

    def add(self, text: str) -> None:
        self.count += 1
        if len(self.listed) < MAX_PROBLEMS_SHOWN:
            self.listed.append(text)

    def raise_if_any(self) -> None:
        if self.count:
            raise UploadError(tuple(self.listed), self.count)


def fail(text: str) -> UploadError:
    """A single problem that stops reading (the file cannot be read any further)."""
    return UploadError((text,))
