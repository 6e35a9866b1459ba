"""The reviewer's diff: what text changed, which numbers moved, which targets changed.

Both sides are rendered by the build's own code path: a release from its
snapshot, the working draft from the project. Numbers are compared as the
reader sees them (the formatted cells), texts word by word per section. The
diff document is the new side's HTML with insertions and deletions marked
(``<ins>``/``<del>``: underlined/struck through *and* coloured) and every
changed table cell shown as old → new.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from rmr_gen.core.cache import Cache
from rmr_gen.core.errors import InputError, Location, Problem, Problems
from rmr_gen.core.files import atomic_write
from rmr_gen.core.i18n import N_, M, tr
from rmr_gen.core.project import Project
from rmr_gen.inputs.config import load_reference, parse_version
from rmr_gen.output.pdf import html_to_pdf
from rmr_gen.workflows.build import Prepared, prepare
from rmr_gen.workflows.diffcompare import compare
from rmr_gen.workflows.difflog import draft_changelog
from rmr_gen.workflows.diffmeta import (
    FieldChange,
)
from rmr_gen.workflows.diffmodel import (  # noqa: F401  (the diff's values, public here)
    DRAFT,
    CellChange,
    Differences,
    DiffResult,
    RowChange,
    SectionChange,
    TargetChange,
)
from rmr_gen.workflows.diffpage import diff_document, redline_page
from rmr_gen.workflows.diffwords import invisible
from rmr_gen.workflows.digests import input_files
from rmr_gen.workflows.planning import cache_for
from rmr_gen.workflows.redline import mark_up  # noqa: F401  (public here)
from rmr_gen.workflows.redlinetokens import tokens  # noqa: F401  (public here)
from rmr_gen.workflows.release import single
from rmr_gen.workflows.releasecheck import check_intact
from rmr_gen.workflows.releases import (
    SOURCE,
    check_names,
    manifest_files,
    read_manifest,
    snapshot,
    source_hashes,
)

# ---------------------------------------------------------------- both sides


def split_side(report_id: str, label: str) -> tuple[str, str]:
    """``other@1.0`` → ``("other", "1.0")`` (a release of another report); ``1.0`` →
    ``(report_id, "1.0")``."""
    if "@" in label:
        other, _, version = label.partition("@")
        return other, version
    return report_id, label


def _side(project: Project, report_id: str, which: str, cache: Cache) -> list[Prepared]:
    if which == DRAFT:
        source = project
    else:
        report_id, which = split_side(report_id, which)
        check_intact(project, report_id, which)  # a changed snapshot is never compared
        source = snapshot(project, report_id, which)
    problems = Problems()
    prepared = prepare(source, [report_id], problems, cache)
    problems.raise_if_any()
    return prepared


# ---------------------------------------------------------------- the command


def _check(project: Project, report_id: str, old: str | None, new: str) -> None:
    """Both sides name a release (``X.Y``, or ``REPORT@X.Y`` on the old side) or the draft;
    ``old`` None: not known yet (the report's origin), only ``new`` is checked."""
    if old == DRAFT:
        raise InputError(
            [
                Problem(
                    Location("OLD"),
                    M("diff.old-is-draft", "the old side must be a released version, e.g. 1.0"),
                )
            ]
        )
    if "@" in new:
        raise InputError(
            [
                Problem(
                    Location("NEW"),
                    M(
                        "diff.new-is-other-report",
                        "'{new}': the new side is a version of {report_id} (or its draft);"
                        " compare with another report's release as the old side:"
                        " --against REPORT@X.Y",
                        new=new,
                        report_id=report_id,
                    ),
                )
            ]
        )
    for where, label in (("OLD", old or DRAFT), ("NEW", new)):
        if label == DRAFT:
            continue
        other, version = split_side(report_id, label)
        if parse_version(version) is None:
            raise InputError(
                [
                    Problem(
                        Location(where),
                        M(
                            "diff.bad-version",
                            "'{label}' is not a release version: use major.minor, e.g. 1.0,"
                            " or REPORT@X.Y for a release of another report",
                            label=label,
                        ),
                    )
                ]
            )
        check_names(project, other, version)


def _origin(report_id: str, after: Prepared) -> str:
    """The release a report made with ``new --from`` came from (``previous``)."""
    origin = after.report.previous
    if not origin:
        raise InputError(
            [
                Problem(
                    Location("OLD"),
                    M(
                        "diff.no-previous",
                        "{report_id} names no previous plan (previous in report.toml): give the"
                        " release to compare with, e.g. 1.0, or --against REPORT@X.Y",
                        report_id=report_id,
                    ),
                )
            ]
        )
    return origin


def compare_all(
    project: Project, report_id: str, old: str | None, new: str | None = None
) -> list[tuple[Differences, Prepared | None, Prepared | None]]:
    """Per document (one, or one per parameter value): what differs; writes nothing.

    ``old`` is a release of the report (``1.0``) or of another (``plan-2024@1.0``);
    None: the release the report was made from (``new --from``, ``previous``). A value
    on one side only is reported as added or removed, with no redline.
    """
    new = new or DRAFT
    _check(project, report_id, old, new)
    cache = cache_for(project)
    after_items = _side(project, report_id, new, cache)
    old = old or _origin(report_id, after_items[0])
    if split_side(report_id, old)[0] == report_id:
        old = split_side(report_id, old)[1]  # this report's own release: "1.0"
    _check(project, report_id, old, new)
    before = {item.report.parameter_value: item for item in _side(project, report_id, old, cache)}
    after = {item.report.parameter_value: item for item in after_items}
    cache.flush()
    sources = _changed_sources(project, report_id, old, new, next(iter(after.values())))
    results: list[tuple[Differences, Prepared | None, Prepared | None]] = []
    for name in dict.fromkeys([*after, *before]):
        was, now = before.get(name), after.get(name)
        if was is not None and now is not None:
            differences = compare(report_id, old, new, was, now)
        else:
            item = now or was
            assert item is not None
            value = item.report.parameter_value
            change = FieldChange(
                "parameter.values", "Parametervärde", "" if now else value, value if now else ""
            )
            differences = Differences(report_id, old, new, fields=(change,))
            differences = dataclasses.replace(
                differences, changelog=tuple(draft_changelog(differences))
            )
        value = (now or was).report.parameter_value  # type: ignore[union-attr]
        results.append((dataclasses.replace(differences, sources=sources, value=value), was, now))
    return results


def compare_versions(
    project: Project, report_id: str, old: str, new: str | None = None
) -> tuple[Differences, Prepared, Prepared]:
    """What differs between release ``old`` and ``new`` of a single document."""
    results = compare_all(project, report_id, old, new)
    differences, before, after = results[0]
    if len(results) > 1 or before is None or after is None:
        single([r for _, r, _ in results if r is not None], project)  # refuses, naming why
    assert before is not None and after is not None
    return differences, before, after


def _changed_sources(
    project: Project, report_id: str, old: str, new: str, after: Prepared
) -> tuple[str, ...]:
    """The snapshot paths whose content differs between the two sides."""
    other, version = split_side(report_id, old)
    before = {  # another report's release: its files under this report's folder name
        k.replace(f"{SOURCE}/reports/{other}/", f"{SOURCE}/reports/{report_id}/", 1): v
        for k, v in manifest_files(read_manifest(project, other, version)).items()
    }
    now: Mapping[str, object]
    if new == DRAFT:
        problems = Problems()
        reference = load_reference(project, problems)
        problems.raise_if_any()
        now = source_hashes(project, input_files(project, after.report, reference))
    else:
        now = manifest_files(read_manifest(project, report_id, new))
    names = {k for k in [*before, *now] if k.startswith(f"{SOURCE}/")}
    return tuple(sorted(n.removeprefix(f"{SOURCE}/") for n in names if before.get(n) != now.get(n)))


def diff_all(
    project: Project, report_id: str, old: str | None, new: str | None = None
) -> list[DiffResult]:
    """Compare release ``old`` with ``new`` (default: the draft); a PDF and HTML per document:
    ``diff-<OLD>-<NEW>.pdf``, or ``diff-<OLD>-<NEW>-<value>.pdf`` per parameter value
    (``OLD`` is ``REPORT-X.Y`` for another report's release)."""
    new = new or DRAFT
    results = []
    for differences, before, after in compare_all(project, report_id, old, new):
        old = differences.old
        if before is None or after is None:
            results.append(DiffResult(differences, None, None))
            continue
        html = diff_document(before, after, differences)
        source = project if new == DRAFT else snapshot(project, report_id, new)
        other, version = split_side(report_id, old)
        old_texts = snapshot(project, other, version).reports_dir / other  # a redrawn image
        pdf = html_to_pdf(
            html,
            source.templates_dir,
            (*source.readable_roots, old_texts),
            f"diff {report_id} {old} {new}",
        ).pdf
        page = redline_page(project, html, (*source.readable_roots, old_texts), before, after)
        suffix = after.report.name.removeprefix(report_id)  # "" or "-<value slug>"
        name = f"diff-{old.replace('@', '-')}-{new}{suffix}.pdf"
        target = project.output_folder(report_id) / name
        atomic_write(target.with_suffix(".html"), page.encode("utf-8"))
        atomic_write(target, pdf)
        results.append(DiffResult(differences, target.with_suffix(".html"), target))
    return results


def diff(project: Project, report_id: str, old: str, new: str | None = None) -> DiffResult:
    """Compare one document's release ``old`` with ``new``; write PDF and HTML."""
    results = diff_all(project, report_id, old, new)
    if len(results) != 1:
        message = M(
            "diff.several-documents", "{report_id} renders several documents", report_id=report_id
        )
        raise InputError([Problem(Location("reports"), message)])
    return results[0]


#: How the summary names a section's or a row's change (the JSON keeps the English word).
CHANGES = {
    "changed": N_("changed"),
    "added": N_("added"),
    "removed": N_("removed"),
    "renamed": N_("renamed"),
    "formatting": N_("formatting"),
}


def _change(change: str) -> str:
    return tr(CHANGES[change]) if change in CHANGES else change


def summary_lines(d: Differences) -> list[str]:
    """The plain-text summary printed on stdout, with the changed words."""
    which = f" [{d.value}]" if d.value else ""
    lines = [
        tr(
            "diff {report}{which} {old} → {new}: {count} change(s): {sections} section(s),"
            " {added} word(s) added, {removed} removed, {cells} cell(s), {targets} target(s),"
            " {fields} field(s), {links} link(s)"
        ).format(
            report=d.report,
            which=which,
            old=d.old,
            new=d.new,
            count=d.count,
            sections=len(d.sections),
            added=d.words_added,
            removed=d.words_removed,
            cells=len(d.cells),
            targets=len(d.targets),
            fields=len(d.fields),
            links=len(d.links),
        )
    ]
    not_set = tr("(not set)")
    lines += [
        tr("field: {label} [{key}]: {old} → {new}").format(
            label=f.label, key=f.key, old=f.old or not_set, new=f.new or not_set
        )
        for f in d.fields
    ]
    for s in d.sections:
        name = f"{s.old_name} → {s.section}" if s.change == "renamed" else s.section
        level = "".join(f", {n}" for n in s.notes if n.startswith("rubriknivå"))
        lines.append(
            tr("section {change}: {name} (+{added} −{removed} words{level})").format(
                change=_change(s.change),
                name=name,
                added=s.words_added,
                removed=s.words_removed,
                level=level,
            )
        )
        lines += [
            tr("  moved: {text}").format(text=n.removeprefix("flyttat: "))
            for n in s.notes
            if "flyttat" in n
        ]
        for old, new in s.edits:
            if kind := invisible(old, new):
                lines.append(f"  ”{new}”: {kind}")
            elif old and new:
                lines.append(f"  [-{old}-]{{+{new}+}}")
            else:
                lines.append(f"  [-{old}-]" if old else f"  {{+{new}+}}")
    lines += [
        tr("cell: {report}, {table}, {region}, {indicator}: {old} → {new}").format(
            report=d.report,
            table=c.table,
            region=c.region,
            indicator=c.indicator,
            old=c.old,
            new=c.new,
        )
        for c in d.cells
    ]
    lines += [
        tr("row {change}: {report}, {table}, {row}{target}").format(
            change=_change(r.change),
            report=d.report,
            table=r.table,
            row=f"{r.old} → {r.row}" if r.change == "renamed" else r.row,
            target=tr(" (target {target})").format(target=r.target) if r.target else "",
        )
        for r in d.rows
    ]
    if d.periods:
        tables = ", ".join(dict.fromkeys(c.table for c in d.period_cells))
        lines.append(
            tr("period: {old} → {new}: {count} value(s)").format(
                old=d.periods[0], new=d.periods[1], count=len(d.period_cells)
            )
            + (
                tr(" of {tables} are the new period's (marked in the redline)").format(
                    tables=tables
                )
                if tables
                else ""
            )
        )
    lines += [
        tr("target: {report}, {table}, {indicator}: {old} → {new}").format(
            report=d.report, table=t.table, indicator=t.indicator, old=t.old, new=t.new
        )
        for t in d.targets
    ]
    lines += [
        tr("link: {text}: {old} → {new}").format(
            text=k.text, old=k.old or tr("(new)"), new=k.new or tr("(removed)")
        )
        for k in d.links
    ]
    lines += [
        tr("figure redrawn: {report}, {figure}").format(report=d.report, figure=f)
        for f in d.figures
    ]
    lines += [tr("input changed: {name}").format(name=name) for name in d.sources]
    if d.sources and not d.any:
        lines.append(
            tr(
                "{count} input file(s) differ from {old}, but nothing printed changes"
                " (e.g. whitespace or line breaks that do not reach the page)"
            ).format(count=len(d.sources), old=d.old)
        )
    lines.append("Förändringar sedan föregående version (förslag):")
    lines += [f"  {line}" for line in d.changelog]
    return lines
