"""What goes into a PDF: the one list of a build's input files, and its hash (a job whose
hash is unchanged is not rendered again)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from rmr_gen import __version__
from rmr_gen.core.cache import code_digest
from rmr_gen.core.cache import key as cache_key
from rmr_gen.core.files import digest_files, files_below
from rmr_gen.core.models import Key, Measurement, Report
from rmr_gen.core.project import Project
from rmr_gen.inputs.config import Reference


def shared_files(project: Project, reference: Reference) -> list[Path]:
    """The inputs every report shares: the reference data and the templates (the
    project's own and the defaults it uses)."""
    return [*reference.files, *project.template_files().values()]


def input_files(project: Project, report: Report, reference: Reference) -> list[Path]:
    """Every file a PDF is made from, which a release snapshots: the report folder, its
    data files whole (and those of the release ``previous`` names, kept at their path
    output/<prev>/<X.Y>/source/data/) and the shared files. :class:`InputDigests` hashes
    the same files, except that of the data it hashes only the rows a PDF uses."""
    paths = {
        *files_below(report.folder),
        *report.data_files,
        *report.previous_data_files,
        *shared_files(project, reference),
    }
    return sorted(paths)


class InputDigests:
    """Hashes of the inputs shared by many jobs, computed once per build."""

    def __init__(self, project: Project, reference: Reference) -> None:
        self.project = project
        self.shared = digest_files(
            shared_files(project, reference),
            project.root,
            roots=project.readable_roots,
            # SOURCE_DATE_EPOCH dates a report that has no date of its own
            salt=f"rmr-gen {__version__} {code_digest().hex()} "
            + os.environ.get("SOURCE_DATE_EPOCH", ""),
        )
        self._folders: dict[Path, str] = {}

    def digest(self, report: Report, data: dict[Key, Measurement]) -> str:
        """Report folder, shared inputs, parameter value and exactly the data rows used:
        changing one region's numbers rebuilds only the PDFs that print them."""
        if report.folder not in self._folders:
            self._folders[report.folder] = digest_files(
                files_below(report.folder),
                self.project.root,
                roots=(report.folder,),
                max_bytes=report.limits.max_data_mb * 1_000_000,
            )
        rows = sorted((*key, repr(m.value)) for key, m in data.items())
        return cache_key(self.shared, self._folders[report.folder], report.name, json.dumps(rows))
