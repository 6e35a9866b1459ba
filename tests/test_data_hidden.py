"""What a workbook hides or a paste repeats, through the command line: the build stops
(exit 2) with the line that names it, and no PDF is written; read only when nothing
else could be meant, and then every number printed is the one the sheet shows."""

from __future__ import annotations

from pathlib import Path

from tests.test_data_corpus import CORPUS
from tests.test_data_trust import PRINTED_51_58_55_45, make_project, pdf, refused, table_rows


def test_a_hidden_column_of_old_numbers_is_not_printed(tmp_path: Path, run) -> None:
    name = "hidden-column-old-values.xlsx"
    root = make_project(tmp_path, (CORPUS / name).read_bytes(), file=name)
    result = run(root, "build")
    refused(
        result,
        f"data/{name}:Data!E1: error: column 'value' is hidden in the workbook but is the one"
        " read, while the visible column 'Värde' (F) is ignored: delete the hidden column if"
        " 'Värde' holds the numbers (and map it in report.toml: [data.columns] value ="
        ' "Värde"), or unhide it if it is meant',
    )
    assert not pdf(root).exists()


def test_the_visible_column_mapped_is_read_once_the_hidden_one_is_gone(tmp_path: Path, run) -> None:
    from openpyxl import load_workbook

    name = "hidden-column-old-values.xlsx"
    workbook = load_workbook(CORPUS / name)
    workbook["Data"].delete_cols(5)  # the advice: delete the hidden column, map 'Värde'
    workbook.save(tmp_path / name)
    root = make_project(
        tmp_path / "p",
        (tmp_path / name).read_bytes(),
        file=name,
        settings_='[data.columns]\nvalue = "Värde"\n',
    )
    result = run(root, "build")
    assert result.exit_code == 0, result.output
    assert table_rows(root) == PRINTED_51_58_55_45


def test_merged_region_cells_are_named_as_merged_only(tmp_path: Path, run) -> None:
    from openpyxl import load_workbook

    workbook = load_workbook(CORPUS / "merged-region-cells.xlsx")
    workbook["Data"]["E9"] = 40  # only the merge is wrong
    workbook.save(tmp_path / "register.xlsx")
    root = make_project(
        tmp_path / "p", (tmp_path / "register.xlsx").read_bytes(), file="register.xlsx"
    )
    result = run(root, "build")
    refused(
        result,
        "data/register.xlsx:Data!B2: error: merged cells in column 'region': B2:B3, B4:B5 and 2"
        " more (rows 2–9); a merged cell holds its text in its first row only: unmerge them and"
        " fill every row",
    )
    assert "empty cell" not in result.stderr
    assert "no valid row" not in result.stderr
    assert "missing" not in result.stderr
    assert not pdf(root).exists()


def test_a_hidden_duplicate_row_stops_the_build(tmp_path: Path, run) -> None:
    name = "hidden-rows.xlsx"
    root = make_project(tmp_path, (CORPUS / name).read_bytes(), file=name)
    result = run(root, "build")
    refused(
        result,
        f"data/{name}:Data!A10: error: duplicate measurement for Jämtland/Härjedalen,"
        " tackningsgrad, 2021–2022, cancer (row 10, hidden; also at row 3): a hidden row is"
        " read as data; delete the row that is not meant, or unhide it",
    )
    assert len([line for line in result.stderr.splitlines() if "duplicate" in line]) == 1
    assert not pdf(root).exists()


def test_an_export_pasted_twice_is_one_line(tmp_path: Path, run) -> None:
    name = "export-pasted-twice-other-numbers.csv"
    root = make_project(tmp_path, (CORPUS / name).read_bytes(), file=name)
    result = run(root, "build")
    refused(
        result,
        f"data/{name}:36: error: the rows of lines 2–35 repeat at lines 36–69 (2 of them with"
        " other numbers, first at line 40): the export pasted twice? Delete one copy",
    )
    assert "duplicate" not in result.stderr
    assert not pdf(root).exists()


def test_a_dos_code_page_file_is_an_encoding_problem(tmp_path: Path, run) -> None:
    name = "dos-code-page.csv"
    root = make_project(tmp_path, (CORPUS / name).read_bytes(), file=name)
    result = run(root, "build")
    refused(
        result,
        f"data/{name}:3: error: the file looks like MS-DOS code page 850 ('V„sterbotten' is"
        " 'Västerbotten' in it), not Windows-1252 or UTF-8: save it as CSV UTF-8",
    )
    assert "unknown region" not in result.stderr
    assert not pdf(root).exists()


def test_a_hidden_column_named_in_data_columns_beside_a_visible_near_one_is_refused(
    tmp_path: Path, run
) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Utdrag"
    sheet.append(["indicator", "region", "period", "population", "Andel", "Andel (%)"])
    for region, now in zip(PRINTED_51_58_55_45, (51, 58, 55, 45), strict=True):
        sheet.append(["tackningsgrad", region, "2022–2023", "cancer", now - 20, now])
        sheet.append(["tackningsgrad", region, "2021–2022", "cancer", 30, 50])
    sheet.column_dimensions["E"].hidden = True  # last year's shares, kept out of sight
    workbook.save(tmp_path / "utdrag.xlsx")
    root = make_project(
        tmp_path / "p",
        (tmp_path / "utdrag.xlsx").read_bytes(),
        file="utdrag.xlsx",
        settings_='[data.columns]\nvalue = "Andel"\n',
    )
    result = run(root, "check")
    refused(
        result,
        "data/utdrag.xlsx:Utdrag!E1: error: column 'Andel' is hidden in the workbook but is the"
        " one read as 'value', while the visible column 'Andel (%)' (F) is ignored: delete the"
        " hidden column if 'Andel (%)' holds the numbers (and map it in report.toml:"
        ' [data.columns] value = "Andel (%)"), or unhide it if it is meant',
    )


def test_the_sheet_layout_is_the_same_whatever_the_chunks(monkeypatch) -> None:
    from rmr_gen.inputs import sheetlayout

    found = {
        name: sheetlayout.sheet_layout(CORPUS / name, "Data")
        for name in (
            "hidden-rows.xlsx",
            "hidden-column-old-values.xlsx",
            "merged-region-cells.xlsx",
        )
    }
    assert found["hidden-rows.xlsx"].hidden_rows == {10, 11}
    assert found["hidden-column-old-values.xlsx"].hidden_columns == {5}
    assert sorted(found["merged-region-cells.xlsx"].merged) == [
        (2, 2, 3, 2),
        (4, 2, 5, 2),
        (6, 2, 7, 2),
        (8, 2, 9, 2),
    ]
    for size in (7, 64, 333):  # tags cut across chunks anywhere
        monkeypatch.setattr(sheetlayout, "CHUNK", size)
        for name, layout in found.items():
            assert sheetlayout.sheet_layout(CORPUS / name, "Data") == layout, (name, size)
