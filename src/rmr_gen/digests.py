"""What goes into a PDF, hashed: a job whose hash is unchanged is not rendered again."""

from __future__ import annotations

import json
import os
from pathlib import Path

from rmr_gen import __version__
from rmr_gen.cache import code_digest
from rmr_gen.cache import key as cache_key
from rmr_gen.config import Reference
from rmr_gen.files import digest_files, files_below
from rmr_gen.models import Key, Measurement, Report
from rmr_gen.project import Project


class InputDigests:
    """Hashes of the inputs shared by many jobs, computed once per build."""

    def __init__(self, project: Project, reference: Reference) -> None:
        self.project = project
        self.shared = digest_files(
            [*reference.files, *project.template_files().values()],
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
