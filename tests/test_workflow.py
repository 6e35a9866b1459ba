"""The publication workflow: parameterised reports, every PDF in one command,
parallel and repeatable, skipping what did not change."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from rmr_gen.inputs.params import slugify
from tests.conftest import NORR, copy_project, normalise

PER_REGION = "exempel-processmal-palliativ-per-region"
PER_SJUKVARDSREGION = "exempel-processmal-palliativ-per-sjukvardsregion"
EXAMPLES = (PER_REGION, PER_SJUKVARDSREGION)


def digests(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.pdf"))
    }


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example reports built once with two worker processes."""
    project = copy_project(tmp_path_factory.mktemp("examples"))
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "rmr_gen",
            "--project",
            str(project),
            "build",
            "--jobs",
            "2",
            *EXAMPLES,
        ],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    return project


def test_slugs_are_safe_file_names() -> None:
    assert slugify("Jämtland/Härjedalen") == "jamtland-harjedalen"
    assert slugify("Västra Götaland") == "vastra-gotaland"
    assert slugify("Sjukvårdsregion Mellansverige") == "sjukvardsregion-mellansverige"
    assert slugify("Örebro") == "orebro"
    assert slugify("../../etc") == "etc"


def test_one_pdf_per_region_and_per_sjukvardsregion(examples: Path) -> None:
    per_region = sorted((examples / "output" / PER_REGION).glob("*.pdf"))
    per_sjukvardsregion = sorted((examples / "output" / PER_SJUKVARDSREGION).glob("*.pdf"))
    assert len(per_region) == 21
    assert len(per_sjukvardsregion) == 6
    assert (examples / "output" / PER_REGION / f"{PER_REGION}-jamtland-harjedalen.pdf").is_file()
    assert (
        examples / "output" / PER_SJUKVARDSREGION / f"{PER_SJUKVARDSREGION}-stockholm-gotland.pdf"
    ).is_file()


def test_the_value_is_in_title_table_and_metadata(examples: Path) -> None:
    pdf = (
        examples
        / "output"
        / PER_SJUKVARDSREGION
        / f"{PER_SJUKVARDSREGION}-norra-sjukvardsregionen.pdf"
    )
    with pdfplumber.open(pdf) as document:
        text = normalise(" ".join(page.extract_text() for page in document.pages))
        title = document.metadata["Title"]
    assert "Processmål för palliativ vård - Norra sjukvårdsregionen - 2025-2028" in text
    assert "Tabell 1. Mål och målnivåer, Norra sjukvårdsregionen." in text
    assert normalise(title) == "Processmål för palliativ vård - Norra sjukvårdsregionen - 2025-2028"
    for region in ("Jämtland/Härjedalen", "Västerbotten", "Norrbotten", "Västernorrland"):
        assert region in text
    assert "Uppsala" not in text


def test_every_page_says_exempeldata(examples: Path) -> None:
    for pdf in sorted((examples / "output" / PER_SJUKVARDSREGION).glob("*.pdf")):
        with pdfplumber.open(pdf) as document:
            for page in document.pages:
                assert "Exempeldata" in page.extract_text(), (pdf.name, page.page_number)


def test_output_is_identical_whatever_the_number_of_jobs(examples: Path, tmp_path: Path) -> None:
    serial = copy_project(tmp_path / "serial")
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "rmr_gen",
            "--project",
            str(serial),
            "build",
            "--jobs",
            "1",
            PER_SJUKVARDSREGION,
        ],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert digests(serial / "output" / PER_SJUKVARDSREGION) == digests(
        examples / "output" / PER_SJUKVARDSREGION
    )


def test_changing_one_region_rebuilds_only_what_prints_it(
    examples: Path, tmp_path: Path, run
) -> None:
    project = tmp_path / "project"
    shutil.copytree(examples, project, symlinks=True)  # built, with its stamps and cache
    csv = project / "data" / "exempel-palliativ-nationell.csv"
    lines = csv.read_text(encoding="utf-8").splitlines()
    index = next(
        i for i, line in enumerate(lines) if line.startswith("munhalsa;Gotland;2022–2023;cancer;")
    )
    indicator, region, period, population, value = lines[index].split(";")
    lines[index] = ";".join([indicator, region, period, population, str((int(value) + 7) % 100)])
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = run(project, "build", "--jobs", "2", *EXAMPLES)
    assert result.exit_code == 0, result.output
    built = sorted(
        line.split()[1] for line in result.stdout.splitlines() if line.startswith("built ")
    )
    assert built == [f"{PER_REGION}-gotland", f"{PER_SJUKVARDSREGION}-stockholm-gotland"]
    assert "2 built, 25 skipped, 0 failed" in result.stdout


def test_no_op_build_touches_no_file(project: Path, run) -> None:
    assert run(project, "build", NORR, PER_SJUKVARDSREGION).exit_code == 0
    output = project / "output"
    before = {p: p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file()}
    result = run(project, "build", NORR, PER_SJUKVARDSREGION)
    assert result.exit_code == 0
    assert "0 built, 7 skipped, 0 failed" in result.stdout
    after = {p: p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file()}
    assert after == before


def test_concurrent_builds_leave_every_pdf_valid(project: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "rmr_gen",
        "--project",
        str(project),
        "build",
        "--force",
        "--jobs",
        "1",
        NORR,
    ]
    processes = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(4)
    ]
    for process in processes:
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err.decode()
    folder = project / "output" / NORR
    assert sorted(p.name for p in folder.iterdir()) == [f".build-{NORR}.json", f"{NORR}.pdf"]
    with pikepdf.open(folder / f"{NORR}.pdf") as pdf:
        assert len(pdf.pages) == 3


def test_unknown_parameter_value_is_refused(project: Path, run) -> None:
    toml = project / "reports" / PER_REGION / "report.toml"
    text = toml.read_text(encoding="utf-8").replace(
        'by = "region"', 'by = "region"\nvalues = ["Gotland", "Gotlnd"]'
    )
    toml.write_text(text, encoding="utf-8")
    result = run(project, "check", PER_REGION)
    assert result.exit_code == 2
    line = text.splitlines().index('values = ["Gotland", "Gotlnd"]') + 1
    assert (
        f"reports/{PER_REGION}/report.toml:{line}: error: unknown region 'Gotlnd' (did you mean 'Gotland'?) (see data/regions.toml)"
        in result.stderr.splitlines()
    )


def test_a_parameter_value_listed_twice_is_refused(project: Path, run) -> None:
    toml = project / "reports" / PER_REGION / "report.toml"
    text = toml.read_text(encoding="utf-8").replace(
        'by = "region"', 'by = "region"\nvalues = ["Gotland", "Gotland"]'
    )
    toml.write_text(text, encoding="utf-8")
    result = run(project, "check", PER_REGION)
    assert result.exit_code == 2
    assert "error: 'Gotland' is listed twice in parameter.values" in result.stderr
