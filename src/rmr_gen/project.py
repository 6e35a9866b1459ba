"""The project folder: where reports, templates, data and output live."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rmr_gen.errors import InputError, Location, Problem

#: Report ids become folder and file names, so they are kept to a safe alphabet.
REPORT_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")


@dataclass(frozen=True)
class Project:
    """Paths of one rmr-gen project (the folder given by ``--project``)."""

    root: Path

    @classmethod
    def open(cls, root: Path) -> Project:
        root = root.resolve()
        if not (root / "reports").is_dir():
            raise InputError(
                [Problem(Location(str(root)), "not an rmr-gen project (no reports/ folder)")]
            )
        return cls(root)

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def output_dir(self) -> Path:
        return self.root / "output"

    @property
    def readable_roots(self) -> tuple[Path, ...]:
        """The only folders a document may read files from."""
        return (self.reports_dir, self.templates_dir, self.data_dir)

    def shown(self, path: Path) -> str:
        """``path`` as printed in messages: relative to the project when inside it."""
        try:
            return str(path.resolve().relative_to(self.root))
        except ValueError:
            return str(path)

    def report_ids(self) -> list[str]:
        """Every folder in reports/ (a folder without report.toml is reported, not skipped)."""
        return sorted(
            p.name for p in self.reports_dir.iterdir() if p.is_dir() and not p.name.startswith(".")
        )

    def output_folder(self, report_id: str) -> Path:
        return self.output_dir / report_id
