"""A project of one's own: init, new --kind, defaults from the package, the project's own first."""

from __future__ import annotations

import shutil
from pathlib import Path

import pdfplumber
from typer.testing import CliRunner

from rmr_gen.cli import app
from rmr_gen.core.project import PACKAGE_DATA, PACKAGE_TEMPLATES
from tests.conftest import normalise, pdf_pages_text

EXAMPLE = "processmal-palliativ-norr-2025-2028"


def cli(*args: str) -> object:
    return CliRunner().invoke(app, list(args))


def test_init_makes_a_project_whose_example_builds(tmp_path: Path) -> None:
    folder = tmp_path / "mitt projekt"
    result = cli("init", str(folder))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (folder / "reports").iterdir()) == [EXAMPLE]
    assert not (folder / "templates").exists()  # the package's defaults are used
    result = cli("--project", str(folder), "build")
    assert result.exit_code == 0, result.output
    text = normalise(" ".join(pdf_pages_text(folder / "output" / EXAMPLE / f"{EXAMPLE}.pdf")))
    assert "Processmål för process Palliativ vård i norra sjukvårdsregionen" in text
    assert "Tabell 1" in text


def test_the_project_index_forgets_the_example_once_it_is_removed(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    assert cli("init", str(folder)).exit_code == 0
    result = cli("--project", str(folder), "build", "--web")
    assert result.exit_code == 0, result.output
    index = folder / "output" / "index.html"
    assert f'href="{EXAMPLE}/web/index.html"' in index.read_text(encoding="utf-8")
    shutil.rmtree(folder / "reports" / EXAMPLE)
    result = cli("--project", str(folder), "build", "--web")
    assert result.exit_code == 0, result.output
    page = index.read_text(encoding="utf-8")
    assert EXAMPLE not in page and "Palliativ vård" not in page
    assert "Inga rapporter i reports/." in page


def test_init_refuses_an_existing_project(tmp_path: Path) -> None:
    (tmp_path / "reports").mkdir()
    result = cli("init", str(tmp_path))
    assert result.exit_code == 2
    assert f"{tmp_path}: error: is already an rmr-gen project (it has reports/)" in result.stderr
    assert list(tmp_path.iterdir()) == [tmp_path / "reports"]


def test_new_kind_processmal_and_rmr_build(tmp_path: Path) -> None:
    project = tmp_path / "p"
    (project / "reports").mkdir(parents=True)
    result = cli(
        "--project", str(project), "new", "plan", "--kind", "processmal",
        "--organisation", "rcc-norr", "--regions", "Gotland, Uppsala",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    toml = (project / "reports" / "plan" / "report.toml").read_text(encoding="utf-8")
    assert 'regions = ["Gotland", "Uppsala"]' in toml
    assert 'organisation = "rcc-norr"' in toml
    result = cli(
        "--project", str(project), "new", "riktlinje", "--kind", "rmr", "--organisation", "vgr"
    )
    assert result.exit_code == 0, result.output
    result = cli("--project", str(project), "build")
    assert result.exit_code == 0, result.output
    with pdfplumber.open(project / "output" / "riktlinje" / "riktlinje.pdf") as pdf:
        text = normalise(pdf.pages[0].extract_text())
    assert "Regional medicinsk riktlinje (arbetsnamn)" in text
    assert "Skriv inledningen här." in text


def test_new_kind_processmal_is_complete_and_check_names_its_placeholders(tmp_path: Path) -> None:
    project = tmp_path / "p"
    (project / "reports").mkdir(parents=True)
    result = cli("--project", str(project), "new", "plan", "--kind", "processmal",
                 "--organisation", "rcc-norr")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "created  data/plan.csv (made-up numbers: replace them with the export)" in result.stdout
    toml = (project / "reports" / "plan" / "report.toml").read_text(encoding="utf-8")
    for key in ("date = ", "target_year = ", "previous_period = ", "[charts.figur-1]"):
        assert key in toml, key
    assert (
        'contents = ["inledning.md", "mal.md", "table:tabell-1", "chart:figur-1", "motivering.md"]'
        in toml
    )
    result = cli("--project", str(project), "check")
    assert result.exit_code == 0, result.output
    warnings = result.stderr.splitlines()
    assert (
        "reports/plan/inledning.md:3:1: warning: placeholder still there: [FYLL I: Skriv inledningen här.]"
        in warnings
    )
    assert (
        "reports/plan/report.toml:21:16: warning: placeholder still there: [FYLL I: målnivån]"
        in warnings
    )
    assert len(warnings) == 8 and all(
        ": warning: placeholder still there: [FYLL I" in w for w in warnings
    )
    result = cli("--project", str(project), "build")
    assert result.exit_code == 0, result.output
    assert len(result.stderr.splitlines()) == 8  # the build names them too
    text = normalise(" ".join(pdf_pages_text(project / "output" / "plan" / "plan.pdf")))
    for seen in ("[FYLL I: Skriv inledningen här.]", "Tabell 1. [FYLL I: Mål och målnivåer.]",
                 "Figur 1.", "Jämtland/Härjedalen 50 (+10)", "Motivering"):  # fmt: skip
        assert seen in text, seen
    (project / "reports" / "plan" / "inledning.md").write_text("## Inledning\n\nKlar.\n", "utf-8")
    result = cli("--project", str(project), "check")
    assert len(result.stderr.splitlines()) == 7 and "inledning.md" not in result.stderr


def test_new_kind_processmal_never_overwrites_a_data_file(tmp_path: Path) -> None:
    (tmp_path / "reports").mkdir()
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "plan.csv").write_text("mine\n", encoding="utf-8")
    result = cli("--project", str(tmp_path), "new", "plan", "--kind", "processmal",
                 "--organisation", "rcc-norr")  # fmt: skip
    assert result.exit_code == 2
    assert "data/plan.csv: error: exists (new writes it)" in result.stderr
    assert list((tmp_path / "reports").iterdir()) == []
    assert (tmp_path / "data" / "plan.csv").read_text(encoding="utf-8") == "mine\n"


def test_new_kind_names_unknown_organisation_and_region(tmp_path: Path) -> None:
    (tmp_path / "reports").mkdir()
    result = cli(
        "--project", str(tmp_path), "new", "plan", "--kind", "processmal",
        "--organisation", "rcc-nord",
    )  # fmt: skip
    assert result.exit_code == 2
    assert (
        "--organisation: error: unknown organisation 'rcc-nord' (did you mean 'rcc-norr'?)"
        in result.stderr
    )
    result = cli(
        "--project", str(tmp_path), "new", "plan", "--kind", "processmal",
        "--organisation", "rcc-norr", "--regions", "Gotlnd",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "--regions: error: unknown region 'Gotlnd' (did you mean 'Gotland'?)" in result.stderr
    assert list((tmp_path / "reports").iterdir()) == []


def test_new_needs_kind_or_from(tmp_path: Path) -> None:
    (tmp_path / "reports").mkdir()
    result = cli("--project", str(tmp_path), "new", "plan")
    assert result.exit_code == 2
    assert "give either --kind processmal|rmr or --from REPORT" in result.stderr


def test_the_projects_own_reference_data_and_templates_come_first(project: Path, run) -> None:
    """A project's data/organisations.toml and templates/ override the defaults file by file."""
    organisations = (PACKAGE_DATA / "organisations.toml").read_text(encoding="utf-8")
    (project / "data" / "organisations.toml").write_text(
        organisations.replace('name = "Regionalt cancercentrum norr"', 'name = "RCC Norr (egen)"'),
        encoding="utf-8",
    )
    css = project / "templates" / "processmal" / "style.css"
    css.parent.mkdir(parents=True)
    shutil.copyfile(PACKAGE_TEMPLATES / "processmal" / "style.css", css)
    result = run(project, "check", EXAMPLE, "--sources")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "source  data/organisations.toml  data/organisations.toml (project)" in lines
    assert f"source  data/regions.toml  {PACKAGE_DATA / 'regions.toml'} (rmr-gen default)" in lines
    assert (
        "source  templates/processmal/style.css  templates/processmal/style.css (project)" in lines
    )
    assert (
        f"source  templates/base.css  {PACKAGE_TEMPLATES / 'base.css'} (rmr-gen default)" in lines
    )
    result = run(project, "build", EXAMPLE)
    assert result.exit_code == 0, result.output
    text = normalise(" ".join(pdf_pages_text(project / "output" / EXAMPLE / f"{EXAMPLE}.pdf")))
    assert "RCC Norr (egen)" in text


def test_help_shows_no_python_types() -> None:
    for command in ("build", "check", "release", "verify", "new", "diff", "init"):
        result = cli(command, "--help")
        assert result.exit_code == 0
        assert "<str>" not in result.stdout and "list[" not in result.stdout, command
    diff_help = cli("diff", "--help").stdout
    assert "--format <text|json>" in diff_help
    release_help = cli("release", "--help").stdout
    assert "--document-version, --version X.Y" in release_help
    assert "Not rmr-gen's own version" in " ".join(release_help.split())
