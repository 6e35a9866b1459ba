"""Planning a build: every report validated, expanded into one job per PDF, its data read
and its inputs hashed. A report with a problem gets no job; the others go on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rmr_gen.core.cache import Cache
from rmr_gen.core.cache import key as cache_key
from rmr_gen.core.errors import InputError, Problem, Problems
from rmr_gen.core.files import digest_files
from rmr_gen.core.models import Key, Measurement, Report
from rmr_gen.core.project import Project
from rmr_gen.inputs.config import Reference, load_reference, load_report
from rmr_gen.inputs.params import expand
from rmr_gen.output.assemble import Assembler
from rmr_gen.output.render import check_templates, engine_version
from rmr_gen.workflows.datacache import DataReader
from rmr_gen.workflows.digests import InputDigests
from rmr_gen.workflows.releasecheck import untrusted_previous
from rmr_gen.workflows.scaffold import placeholders


@dataclass(frozen=True)
class Job:
    """One PDF to make: a report (or one value of a parameterised report) and its data."""

    report: Report
    data: dict[Key, Measurement]
    inputs: str  # content hash of everything that goes into this PDF


def cache_for(project: Project) -> Cache:
    return Cache(project.output_dir / ".cache")


@dataclass
class Plan:
    jobs: list[Job]
    failed: dict[str, list[Problem]]  # report id -> its problems
    assembler: Assembler | None = None  # renders the jobs' blocks and HTML
    reference: Reference | None = None
    notes: list[Problem] = field(default_factory=list)  # of the reports that are fine


def plan(project: Project, report_ids: Sequence[str], cache: Cache) -> Plan:
    """Validate every report and make its jobs. Problems in shared inputs
    (reference data, templates) fail everything; a report's own fail only it."""
    problems = Problems()
    reference = load_reference(project, problems)
    problems.extend(_check_templates(project, cache))
    problems.raise_if_any()
    reader = DataReader(project, cache, reference)
    inputs = InputDigests(project, reference)
    result = Plan([], {}, Assembler(project, cache), reference)
    try:
        for report_id in report_ids:
            report_problems = Problems()
            report = load_report(project, report_id, reference, report_problems)
            if report is not None and (untrusted := untrusted_previous(project, report)):
                report_problems.extend(untrusted)
                report = None
            jobs = []
            if report is not None:
                report_problems.extend(placeholders(project, report))
                for variant in expand(report, reference):
                    data, variant = reader.report_data(variant, report_problems)
                    try:
                        jobs.append(Job(variant, data, inputs.digest(variant, data)))
                    except InputError as exc:
                        report_problems.extend(exc.problems)
                        break
            if report_problems:
                result.failed[report_id] = list(report_problems)
            else:
                result.jobs.extend(jobs)
                result.notes.extend(report_problems)
    finally:
        reader.forget_files()  # the jobs hold the rows they use; the reading child can go
    return result


def _check_templates(project: Project, cache: Cache) -> list[Problem]:
    """:func:`check_templates`, skipped when the same template files (names and bytes)
    compiled without a problem before: compiling every template is most of the time of
    a build with nothing to do."""
    try:
        files = digest_files(
            project.template_files().values(), project.root, roots=project.template_dirs
        )
    except InputError:  # unreadable: the check says why
        return check_templates(project.template_dirs, project.root)
    digest = cache_key("templates-ok", files, engine_version(), *map(str, project.template_dirs))
    if cache.get("templates-ok", digest) == b"ok":
        return []
    problems = check_templates(project.template_dirs, project.root)
    if not problems:
        cache.put("templates-ok", digest, b"ok")
    return problems
