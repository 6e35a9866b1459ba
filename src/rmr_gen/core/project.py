"""The project folder: where reports, templates, data and output live."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import rmr_gen
from rmr_gen.core.errors import InputError, Location, Problem
from rmr_gen.core.files import files_below, shown
from rmr_gen.core.i18n import M

#: Report ids become folder and file names, so they are kept to a safe alphabet.
REPORT_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")

#: The package's own folder (whichever subfolder a module lives in).
PACKAGE = Path(rmr_gen.__file__).resolve().parent
#: The defaults every project falls back to: templates, CSS, fonts and reference data.
PACKAGE_TEMPLATES = PACKAGE / "templates"
PACKAGE_DATA = PACKAGE / "data"
REFERENCE_FILES = ("organisations.toml", "indicators.toml", "regions.toml")


@dataclass(frozen=True)
class Project:
    """Paths of one rmr-gen project (the folder given by ``--project``)."""

    root: Path
    #: A release's snapshot holds every input it was built from: no defaults are added.
    defaults: bool = True
    #: In a snapshot made by an editable install inside the project (before rmr-gen
    #: snapshotted its defaults as ``templates/`` and ``data/``): their copy, e.g.
    #: ``source/src/rmr_gen``, which stands in for the package's defaults.
    snapshotted_package: Path | None = None

    @classmethod
    def open(cls, root: Path) -> Project:
        root = root.resolve()
        if not (root / "reports").is_dir():
            message = M("project.not-a-project", "not an rmr-gen project (no reports/ folder)")
            raise InputError([Problem(Location(str(root)), message)])
        return cls(root)

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    @property
    def own_templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def template_dirs(self) -> tuple[Path, ...]:
        """Where templates are looked up, first match wins: the project's own
        ``templates/``, then the package's defaults."""
        own = (self.own_templates_dir,) if self.own_templates_dir.is_dir() else ()
        if self.snapshotted_package is not None:
            return (*own, self.snapshotted_package / "templates")
        return (*own, PACKAGE_TEMPLATES) if self.defaults or not own else own

    @property
    def templates_dir(self) -> Path:
        """The folder of the ``base.css`` in use: its ``url()``s (fonts) resolve from here."""
        return self.template_file("base.css").parent

    def template_file(self, name: str) -> Path:
        """``templates/<name>`` from the first folder that has it (the last folder if none)."""
        for folder in self.template_dirs:
            if (folder / name).is_file():
                return folder / name
        return self.template_dirs[-1] / name

    def template_files(self) -> dict[str, Path]:
        """Every template file by its name below ``templates/``; the project's own win."""
        found: dict[str, Path] = {}
        for folder in reversed(self.template_dirs):
            for path in files_below(folder):
                found[path.relative_to(folder).as_posix()] = path
        return dict(sorted(found.items()))

    def font_files(self) -> list[Path]:
        """``templates/fonts/*.ttf``, the fonts the documents use (the project's own win)."""
        return sorted(
            p
            for name, p in self.template_files().items()
            if name.startswith("fonts/") and name.endswith(".ttf")
        )

    def reference_file(self, name: str) -> Path:
        """``data/<name>`` of the project when it has one, else the package's."""
        own = self.data_dir / name
        if not own.is_file() and self.snapshotted_package is not None:
            return self.snapshotted_package / "data" / name
        return own if own.is_file() or not self.defaults else PACKAGE_DATA / name

    def source_name(self, path: Path) -> str:
        """``path`` as it is named in a release's snapshot: its place in a project. The
        package's defaults first: installed in editable mode inside the project (this
        repository's own setup), they are still the snapshot's ``templates/`` and ``data/``."""
        for base, prefix in (
            (PACKAGE_TEMPLATES, "templates/"),
            (PACKAGE_DATA, "data/"),
            (self.root, ""),
        ):
            if path.is_relative_to(base):
                return prefix + path.relative_to(base).as_posix()
        raise ValueError(f"{path} is not an input of {self.root}")

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def output_dir(self) -> Path:
        return self.root / "output"

    @property
    def readable_roots(self) -> tuple[Path, ...]:
        """The only folders a document may read files from: the project's reports/,
        templates/ and data/, and the package's own defaults."""
        package = self.snapshotted_package
        defaults: tuple[Path, ...] = (
            (package / "templates", package / "data")
            if package is not None
            else (PACKAGE_TEMPLATES, PACKAGE_DATA)
            if self.defaults
            else ()
        )
        return (self.reports_dir, self.own_templates_dir, self.data_dir, *defaults)

    def shown(self, path: Path) -> str:
        """``path`` as printed in messages: relative to the project when inside it."""
        return shown(path, self.root)

    def origin(self, path: Path) -> str:
        """Where a template or reference file came from, for ``list`` and ``check``."""
        inside = path.resolve().is_relative_to(self.root)
        return f"{self.shown(path)} ({'project' if inside else 'rmr-gen default'})"

    def report_ids(self) -> list[str]:
        """Every folder in reports/ (a folder without report.toml is reported, not skipped)."""
        return sorted(
            p.name for p in self.reports_dir.iterdir() if p.is_dir() and not p.name.startswith(".")
        )

    def output_folder(self, report_id: str) -> Path:
        return self.output_dir / report_id
