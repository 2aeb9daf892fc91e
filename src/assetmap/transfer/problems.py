"""A problem with one input row, shared by the CSV and Open Referral readers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class RowProblem:
    row: int | str  # a spreadsheet row number, or a label such as "services.csv row 2"
    column: str
    message: str

    def __str__(self) -> str:
        row = f"row {self.row}" if isinstance(self.row, int) else self.row
        return (
            f"{row}, column {self.column}: {self.message}"
            if self.column
            else f"{row}: {self.message}"
        )
