"""A corpus of broken data files, one problem each, and the exact lines an editor sees.

Every file in tests/data_corpus/ must have its row here (and every row a file),
so the table cannot drift from the corpus. Locations are ``file:line:column``
for CSV and ``file.xlsx:Sheet!C7`` for workbooks.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rmr_gen.core.errors import Problems
from rmr_gen.core.project import Project
from rmr_gen.inputs.config import load_reference
from rmr_gen.inputs.data import read_measurements, report_duplicates
from tests.conftest import ROOT

CORPUS = Path(__file__).parent / "data_corpus"

CASES = [
    (
        "bad-population.csv",
        [
            "bad-population.csv:2:4: error: population 'båda' must be 'cancer' or 'all'",
        ],
    ),
    (
        "binary.csv",
        [
            "binary.csv: error: not a text file (CSV expected)",
        ],
    ),
    (
        "blank-first-line.csv",
        [
            "blank-first-line.csv:2: note: lines above the header (line 2) were skipped",
        ],
    ),
    (
        "blank-lines-only.csv",
        [
            "blank-lines-only.csv:1: error: empty data file (a header line is expected)",
        ],
    ),
    (
        "blank-rows-keep-line-numbers.csv",
        [
            "blank-rows-keep-line-numbers.csv:6:5: error: no value (empty cell)",
        ],
    ),
    (
        "cell-without-header.xlsx",
        [
            "cell-without-header.xlsx:Data!G2: error: value 'kommentar' is in a column without a header",
        ],
    ),
    (
        "column-twice.csv",
        [
            "column-twice.csv:1:6: error: column 'value' appears twice (also column 5)",
        ],
    ),
    (
        "comma-separated-bad.csv",
        [
            "comma-separated-bad.csv:2:5: error: value '7,9x' is not a number",
        ],
    ),
    (
        "cp1252-unknown-region.csv",
        [
            "cp1252-unknown-region.csv:2:2: error: unknown region 'Västerbottn' (did you mean 'Västerbotten'? or map it in report.toml: [data.rename] \"Västerbottn\" = \"Västerbotten\")",
        ],
    ),
    (
        "denominator-zero.csv",
        [
            "denominator-zero.csv:2:6: error: denominator is 0",
        ],
    ),
    (
        "duplicate-rows.csv",
        [
            "duplicate-rows.csv:4: error: duplicate measurement for Norrbotten, brytpunktssamtal, 2022–2023, cancer (also at duplicate-rows.csv:2)",
        ],
    ),
    (
        "empty-indicator.csv",
        [
            "empty-indicator.csv:2:1: error: no indicator (empty cell)",
        ],
    ),
    (
        "empty-sheet.xlsx",
        [
            "empty-sheet.xlsx:Data: error: empty sheet (a header row is expected)",
        ],
    ),
    (
        "empty-value.csv",
        [
            "empty-value.csv:2:5: error: no value (empty cell)",
        ],
    ),
    (
        "empty.csv",
        [
            "empty.csv:1: error: empty data file (a header line is expected)",
        ],
    ),
    (
        "extra-column.csv",
        [
            "extra-column.csv:1:6: note: column 'kommentar' is not used and was ignored",
        ],
    ),
    (
        "half-counts.csv",
        [
            "half-counts.csv:2:6: error: denominator is empty (numerator 3 given)",
        ],
    ),
    (
        "header-only-bom-crlf.csv",
        [
            "header-only-bom-crlf.csv:1: error: no data rows below the header",
        ],
    ),
    (
        "header-only.csv",
        [
            "header-only.csv:1: error: no data rows below the header",
        ],
    ),
    (
        "header-only.xlsx",
        [
            "header-only.xlsx:Data!A1: error: no data rows below the header",
        ],
    ),
    (
        "long-and-short-rows.csv",
        [
            "long-and-short-rows.csv:2: error: expected 5 fields, found 7",
            "long-and-short-rows.csv:3: error: expected 5 fields, found 3",
        ],
    ),
    (
        "malformed-period.csv",
        [
            "malformed-period.csv:2:3: error: period '2022/23' must be written in full: 2022–2023",
        ],
    ),
    (
        "missing-column.csv",
        [
            "missing-column.csv:1: error: missing column 'region' (is it the column 'regoin'? Rename that header, or map it in report.toml: [data.columns] region = \"regoin\")",
        ],
    ),
    (
        "missing-column.xlsx",
        [
            "missing-column.xlsx:Data!1:1: error: missing column 'population' (is it the column 'populaton'? Rename that header, or map it in report.toml: [data.columns] population = \"populaton\")",
        ],
    ),
    (
        "missing-value-column.csv",
        [
            "missing-value-column.csv:1: error: missing column 'value' (or 'numerator' and 'denominator') (name the export's header in report.toml: [data.columns] value = \"…\")",
            "missing-value-column.csv:1:5: note: column 'andel' is not used and was ignored",
        ],
    ),
    (
        "mixed-encodings.csv",
        [
            "mixed-encodings.csv:3: error: the file mixes UTF-8 and Windows-1252 text: this line is not UTF-8 (save the whole file again as CSV UTF-8)",
        ],
    ),
    (
        "negative-count.csv",
        [
            "negative-count.csv:2:6: error: denominator '-4' must be a whole number ≥ 0",
        ],
    ),
    (
        "negative-value.csv",
        [
            "negative-value.csv:2:5: error: value -3 is outside 0–100 (a percentage)",
        ],
    ),
    (
        "non-integer-count.csv",
        [
            "non-integer-count.csv:2:5: error: numerator '2,5' must be a whole number ≥ 0",
        ],
    ),
    (
        "not-a-number.csv",
        [
            "not-a-number.csv:2:5: error: value '7x9' is not a number",
        ],
    ),
    (
        "not-a-number.xlsx",
        [
            "not-a-number.xlsx:Data!E3: error: value 'sjuttio' is not a number",
        ],
    ),
    (
        "not-a-workbook.xlsx",
        [
            "not-a-workbook.xlsx: error: not an Excel workbook (.xlsx) that can be read",
        ],
    ),
    (
        "numerator-greater.csv",
        [
            "numerator-greater.csv:2:5: error: numerator 12 is greater than denominator 10",
        ],
    ),
    (
        "numerator-without-denominator.csv",
        [
            "numerator-without-denominator.csv:1: error: column 'numerator' needs a column 'denominator' too",
        ],
    ),
    (
        "old-mac-line-ends.csv",
        [
            "old-mac-line-ends.csv:3:5: error: value '7,9,0' is not a number",
        ],
    ),
    (
        "over-100.csv",
        [
            "over-100.csv:2:5: error: value 100,5 is outside 0–100 (a percentage)",
        ],
    ),
    (
        "percent-cell-over-100.xlsx",
        [
            "percent-cell-over-100.xlsx:Blad1!E2: error: value 150% is outside 0–100 (a percentage)",
        ],
    ),
    (
        "quoted-separator-in-value.csv",
        [
            "quoted-separator-in-value.csv:2:5: error: value '7;9' is not a number",
        ],
    ),
    (
        "reversed-period.csv",
        [
            "reversed-period.csv:2:3: error: period '2023-2022' must be a year or years like 2022–2023",
        ],
    ),
    (
        "same-mistake-in-many-rows.csv",
        [
            "same-mistake-in-many-rows.csv:2:5: error: 24 values that are not numbers in column 'value', lines 2–25; first: value 'n/a' is not a number",
        ],
    ),
    (
        "title-rows-above-header.xlsx",
        [
            "title-rows-above-header.xlsx:Data!B3: note: rows above the header (row 3) were skipped",
            "title-rows-above-header.xlsx:Data!F5: error: value '5x' is not a number",
        ],
    ),
    (
        "too-few-fields.csv",
        [
            "too-few-fields.csv:3: error: expected 5 fields, found 3",
        ],
    ),
    (
        "too-many-fields-first-row.csv",
        [
            "too-many-fields-first-row.csv:2: error: expected 5 fields, found 6",
        ],
    ),
    (
        "too-many-fields.csv",
        [
            "too-many-fields.csv:3: error: expected 5 fields, found 6",
        ],
    ),
    (
        "two-decimal-commas.csv",
        [
            "two-decimal-commas.csv:2:5: error: value '1,2,3' is not a number",
        ],
    ),
    (
        "undecodable.csv",
        [
            "undecodable.csv:3: error: cannot read the text: byte 0x81 is neither UTF-8 nor Windows-1252 (save as CSV UTF-8)",
        ],
    ),
    (
        "unknown-indicator.csv",
        [
            "unknown-indicator.csv:2:1: error: unknown indicator 'brytpunktsamtal' (did you mean 'brytpunktssamtal'?)",
        ],
    ),
    (
        "unknown-region.csv",
        [
            "unknown-region.csv:2:2: error: unknown region 'Norbotten' (did you mean 'Norrbotten'? or map it in report.toml: [data.rename] \"Norbotten\" = \"Norrbotten\")",
        ],
    ),
    (
        "utf16.csv",
        [
            "utf16.csv: error: UTF-16 text is not read: save as CSV (UTF-8)",
        ],
    ),
    (
        "value-and-counts-disagree.csv",
        [
            "value-and-counts-disagree.csv:2:5: error: value 60 does not match numerator/denominator 12/30 = 40.0 %",
        ],
    ),
    (
        "workbook-named-csv.csv",
        [
            "workbook-named-csv.csv: error: this is an Excel workbook, not CSV: give it the name *.xlsx",
        ],
    ),
    (
        "fraction-one-value.csv",
        [
            "fraction-one-value.csv:4:5: error: value 0,514 looks like a fraction of 1 (51,4 %?): the other values of tackningsgrad in this file are 45–58; write the percentage (0,514 % if below 1 % is meant)",
        ],
    ),
    (
        "fraction-column.csv",
        [
            "fraction-column.csv:1:5: error: every value in column 'value' is between 0 and 1: fractions of 1, not percentages (0,514 is 51,4 %)? Write percentages, or list the file in data.fractions in report.toml (a value really below 1 % is written 0,5 %)",
        ],
    ),
    (
        "fraction-column-general.xlsx",
        [
            "fraction-column-general.xlsx:Blad1!E1: error: every value in column 'value' is between 0 and 1: fractions of 1, not percentages (0,514 is 51,4 %)? Write percentages, or list the file in data.fractions in report.toml (a value really below 1 % is written 0,5 %)",
        ],
    ),
    (
        "thousands-separator-counts.csv",
        [
            "thousands-separator-counts.csv:2:5: note: 2 numerators with a thousands separator read as whole numbers ('3,000' as 3000), lines 2–3",
            "thousands-separator-counts.csv:2:6: note: 2 denominators with a thousands separator read as whole numbers ('4,000' as 4000), lines 2–3",
        ],
    ),
    (
        "thousands-separator-ambiguous.csv",
        [
            "thousands-separator-ambiguous.csv:2:5: error: numerator '3,000.5' must be a whole number ≥ 0",
            "thousands-separator-ambiguous.csv:3:6: error: denominator '50,5' must be a whole number ≥ 0",
        ],
    ),
    (
        "hidden-first-sheet.xlsx",
        [
            "hidden-first-sheet.xlsx:Data: note: read sheet 'Data', the first visible one; the workbook also has '2021' (hidden) (name a sheet with file.xlsx#Sheet in data.files)",
            "hidden-first-sheet.xlsx:Data!E2: error: value '5x' is not a number",
        ],
    ),
    (
        "names-as-registers-write-them.csv",
        [],
    ),
    (
        "unknown-name-in-many-rows.csv",
        [
            "unknown-name-in-many-rows.csv:2:2: error: unknown region 'Region Gotlnd' (did you mean 'Gotland'? or map it in report.toml: [data.rename] \"Region Gotlnd\" = \"Gotland\"): 28 rows, lines 2–83",
        ],
    ),
    (
        "sep-line.csv",
        [
            "sep-line.csv:3:5: error: value '5x' is not a number",
        ],
    ),
    (
        "unclosed-quote.csv",
        [
            'unclosed-quote.csv:3: error: a quote (") opened on this line is not closed on it (the field runs on to line 4): close it or remove it',
        ],
    ),
    (
        "formula-without-value.xlsx",
        [
            "formula-without-value.xlsx:Data!G2: error: formula =E2/F2*100 has no saved value (and 1 more cells like it): open the workbook in Excel or LibreOffice and save it, so that the values are stored with the formulas",
        ],
    ),
    (
        "mac-roman.csv",
        [
            'mac-roman.csv: note: read as Mac Roman text (Excel for Mac\'s "CSV (Macintosh)"); save as CSV UTF-8 to be sure of å, ä and ö',
            "mac-roman.csv:4:5: error: value '5x' is not a number",
        ],
    ),
    (
        "period-as-excel-date.xlsx",
        [
            "period-as-excel-date.xlsx:Blad1!C2: error: period '2022-01-01' is a date: the spreadsheet turned the year into a date (format the column as text and write 2022): 2 rows, lines 2–3",
        ],
    ),
    (
        "many-values-outside.csv",
        [
            # 'x' at line 17 is a register's suppression marker: a suppressed cell
            "many-values-outside.csv:2:5: error: 15 values outside 0–100 in column 'value', lines 2–16; first: value 101 is outside 0–100 (a percentage)",
        ],
    ),
    (
        "fraction-one-indicator.csv",
        [
            "fraction-one-indicator.csv:2:5: error: every value of tackningsgrad in column 'value' is between 0 and 1 (4 rows, lines 2–5), while other indicators' values are percentages: fractions of 1 (0,514 is 51,4 %)? Write them as percentages (a value really below 1 % is written 0,5 %)",
        ],
    ),
    (
        "fraction-far-below.csv",
        [
            "fraction-far-below.csv:4:5: error: value 0,05 looks like a fraction of 1 (5 %?): the other values of tackningsgrad in this file are 45–58; write the percentage (0,05 % if below 1 % is meant)",
        ],
    ),
    (
        "fraction-among-percent-cells.xlsx",
        [
            "fraction-among-percent-cells.xlsx:Blad1!E4: error: value 0.55 looks like a fraction of 1 (55 %?): the other values of tackningsgrad in this file are 45–58; write the percentage (0.55 % if below 1 % is meant)",
        ],
    ),
    (
        "two-data-sheets.xlsx",
        [
            "two-data-sheets.xlsx: error: sheets 'Preliminärt' and 'Slutligt' both have the data columns: name the sheet to read in data.files (\"two-data-sheets.xlsx#Slutligt\"; list each one to read several)",
        ],
    ),
    (
        "info-sheet-first.xlsx",
        [
            "info-sheet-first.xlsx:Data: note: read sheet 'Data', the visible one with the data columns; the workbook also has 'Info' (name a sheet with file.xlsx#Sheet in data.files)",
            "info-sheet-first.xlsx:Data!E5: error: value '5x' is not a number",
        ],
    ),
    (
        "title-lines-above-header.csv",
        [
            "title-lines-above-header.csv:3: note: lines above the header (line 3) were skipped",
            "title-lines-above-header.csv:6:5: error: value '5x' is not a number",
        ],
    ),
    (
        "decimal-comma-in-comma-file.csv",
        [
            "decimal-comma-in-comma-file.csv:2: error: 12 lines with another number of fields than the header's 5, lines 2–13; first: expected 5 fields, found 6 (a decimal comma in a file separated by commas? Save it as CSV separated by semicolons, or put the numbers in quotes)",
        ],
    ),
    (
        "thousands-or-decimal-count.csv",
        [
            "thousands-or-decimal-count.csv:3:5: error: numerator '1,000' may be 1000 or 1: this column also has '12,0', with ',' as the decimal mark (write counts without separators)",
        ],
    ),
    (
        "merged-header-two-rows.xlsx",
        [
            "merged-header-two-rows.xlsx:Data!E2: note: row 2 is read as part of the header (the names below a merged cell)",
            "merged-header-two-rows.xlsx:Data!F5: error: denominator '10x' must be a whole number ≥ 0",
        ],
    ),
    (
        "cells-without-header-many.xlsx",
        [
            "cells-without-header-many.xlsx:Data!F2: error: value 'kommentar 0' is in a column without a header, and 11 more cells of this column (rows 2–13)",
        ],
    ),
    (
        "total-rows.csv",
        [
            "total-rows.csv:6:2: note: 'Riket' is a total, not a region: its 2 rows (lines 6–7) are left out (to print it for comparison: [data] reference = [\"Riket\"])",
            "total-rows.csv:8:2: note: 'Totalt' is a total, not a region: its row is left out (to print it for comparison: [data] reference = [\"Totalt\"])",
            "total-rows.csv:4:5: error: value '5x' is not a number",
        ],
    ),
    (
        "invisible-characters.csv",
        [],
    ),
    (
        "formula-counts-float-noise.xlsx",
        [
            "formula-counts-float-noise.xlsx:Data!E1: note: column 'antal' is not used and was ignored",
        ],
    ),
    (
        "formula-counts-not-whole.xlsx",
        [
            "formula-counts-not-whole.xlsx:Data!E1: note: column 'antal' is not used and was ignored",
            "formula-counts-not-whole.xlsx:Data!F2: error: numerator '2.5' must be a whole number ≥ 0",
            "formula-counts-not-whole.xlsx:Data!F3: error: numerator '3.01' must be a whole number ≥ 0",
        ],
    ),
    (
        "libreoffice-source.csv",
        [],
    ),
    (
        "libreoffice-percent-cells-formulas.xlsx",
        [],
    ),
    (
        "libreoffice-percent-cells.csv",
        [],
    ),
    (
        "libreoffice-from-csv.xlsx",
        [],
    ),
    (
        "libreoffice-export-decimal-comma.csv",
        [],
    ),
    (
        "libreoffice-typed-percent.xlsx",
        [],
    ),
    (
        "libreoffice.ods",
        [
            "libreoffice.ods: error: a LibreOffice/OpenDocument spreadsheet (.ods) is not read: save it as Excel 2007–365 (.xlsx) or as CSV (UTF-8), and name that file in data.files",
        ],
    ),
    (
        "libreoffice-ods-named-xlsx.xlsx",
        [
            "libreoffice-ods-named-xlsx.xlsx: error: this is a LibreOffice/OpenDocument spreadsheet (.ods), not an Excel workbook (.xlsx): save it as Excel 2007–365 (.xlsx) or as CSV (UTF-8), and name that file in data.files",
        ],
    ),
    (
        "percent-literal-formats.xlsx",
        [],
    ),
    (
        "percent-formats-excel-writes.xlsx",
        [],
    ),
    (
        "percent-literal-over-100.xlsx",
        [
            "percent-literal-over-100.xlsx:Blad1!E3: error: value 101 is outside 0–100 (a percentage)",
        ],
    ),
    (
        "percent-literal-small-value.xlsx",
        [
            "percent-literal-small-value.xlsx:Blad1!E4: error: value 0.55 looks like a fraction of 1 (55 %?): the other values of tackningsgrad in this file are 45–58; write the percentage (0.55 % if below 1 % is meant)",
        ],
    ),
    (
        "header-repeated.csv",
        [
            "header-repeated.csv:4: note: the header again (files pasted together?): left out",
            "header-repeated.csv:7: note: the header again (files pasted together?): left out",
        ],
    ),
    (
        # a workbook names the cell, as a spreadsheet does (never a whole row, ``Utdrag!8:8``)
        "text-around-table.xlsx",
        [
            "text-around-table.xlsx:Utdrag!B3: note: rows above the header (row 3) were skipped",
            "text-around-table.xlsx:Utdrag!B6: note: the header again (files pasted together?): left out",
            "text-around-table.xlsx:Utdrag!B8: note: text, not a row of the table ('Källa: Svenska palliativregistret, uttag 2024-03-01'): left out",
        ],
    ),
    (
        "text-below-table.csv",
        [
            "text-below-table.csv:7: note: text, not a row of the table ('Källa: Svenska palliativregistret, uttag 2024-03-01 (alla re…'): left out",
            "text-below-table.csv:8: note: text, not a row of the table ('Nästa rad'): left out",
            "text-below-table.csv:5:5: error: value '4x' is not a number",
        ],
    ),
    (
        "wide-format.csv",
        [
            "wide-format.csv:1: error: missing column 'period': the periods are columns here (2021–2022, 2022–2023); rmr-gen reads one row per measurement, with its period in a column 'period' and its number in 'value'",
            "wide-format.csv:1: error: missing column 'value' (or 'numerator' and 'denominator') (name the export's header in report.toml: [data.columns] value = \"…\")",
            "wide-format.csv:1:4: note: column '2021–2022' is not used and was ignored",
            "wide-format.csv:1:5: note: column '2022–2023' is not used and was ignored",
        ],
    ),
    (
        # a whole export (34 rows) pasted below itself, header and all: one line, not 34
        "export-pasted-twice.csv",
        [
            "export-pasted-twice.csv:36: note: the header again (files pasted together?): left out",
            "export-pasted-twice.csv:37: error: the rows of lines 2–35 repeat at lines 37–70: the export pasted twice? Delete one copy",
        ],
    ),
    (
        # a later export pasted below the first without its header, two numbers changed
        "export-pasted-twice-other-numbers.csv",
        [
            "export-pasted-twice-other-numbers.csv:36: error: the rows of lines 2–35 repeat at lines 36–69 (2 of them with other numbers, first at line 40): the export pasted twice? Delete one copy",
        ],
    ),
    (
        # a hidden column 'value' (last year's numbers) beside the visible 'Värde'
        "hidden-column-old-values.xlsx",
        [
            "hidden-column-old-values.xlsx:Data!F1: note: column 'Värde' is not used and was ignored",
            "hidden-column-old-values.xlsx:Data!E1: error: column 'value' is hidden in the workbook but is the one read, while the visible column 'Värde' (F) is ignored: delete the hidden column if 'Värde' holds the numbers (and map it in report.toml: [data.columns] value = \"Värde\"), or unhide it if it is meant",
        ],
    ),
    (
        # a hidden column that nothing visible could stand for is read
        "hidden-column-nothing-else.xlsx",
        [
            "hidden-column-nothing-else.xlsx:Data!F1: note: column 'kommentar' is not used and was ignored",
            "hidden-column-nothing-else.xlsx:Data!D1: note: column 'population' is hidden in the workbook: read, as no visible column could be meant",
            "hidden-column-nothing-else.xlsx:Data!E3: error: value '5x' is not a number",
        ],
    ),
    (
        # hidden row 10 repeats row 3 with an old number; hidden row 11 is data of its own
        "hidden-rows.xlsx",
        [
            "hidden-rows.xlsx:Data!A10: error: duplicate measurement for Jämtland/Härjedalen, tackningsgrad, 2021–2022, cancer (row 10, hidden; also at row 3): a hidden row is read as data; delete the row that is not meant, or unhide it",
            "hidden-rows.xlsx:Data!A11: note: row 11 is hidden in the workbook but read as data: the document prints it (unhide it to see what is printed)",
        ],
    ),
    (
        # each region's name in one cell merged down over its two periods' rows
        "merged-region-cells.xlsx",
        [
            "merged-region-cells.xlsx:Data!B2: error: merged cells in column 'region': B2:B3, B4:B5 and 2 more (rows 2–9); a merged cell holds its text in its first row only: unmerge them and fill every row",
            "merged-region-cells.xlsx:Data!E9: error: value '4x' is not a number",
        ],
    ),
    (
        # saved in MS-DOS code page 850: ä is 0x84, which Windows-1252 reads as „
        "dos-code-page.csv",
        [
            "dos-code-page.csv:3: error: the file looks like MS-DOS code page 850 ('V„sterbotten' is 'Västerbotten' in it), not Windows-1252 or UTF-8: save it as CSV UTF-8",
        ],
    ),
    (
        # Excel's Alt+Enter in a header and in cells: a line break inside quotes is text
        "line-break-in-quoted-field.csv",
        [
            "line-break-in-quoted-field.csv:1:6: note: column 'kommentar från registret' is not used and was ignored",
            "line-break-in-quoted-field.csv:9:5: error: value '45x' is not a number",
        ],
    ),
]


@pytest.fixture(scope="module")
def reference():
    problems = Problems()
    found = load_reference(Project.open(ROOT), problems)
    assert not problems
    return found


def test_every_corpus_file_has_a_case() -> None:
    files = sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".csv", ".xlsx", ".ods"))
    assert files == sorted(name for name, _ in CASES)
    assert len(files) >= 30


@pytest.mark.parametrize(("name", "expected"), CASES, ids=[name for name, _ in CASES])
def test_broken_file_is_reported_exactly(name: str, expected: list[str], reference) -> None:
    problems = Problems()
    measurements = read_measurements(CORPUS / name, name, reference, problems)
    report_duplicates(measurements, problems)
    assert [str(p) for p in problems] == expected


def test_names_as_registers_write_them_are_the_regions_they_name(reference) -> None:
    problems = Problems()
    name = "names-as-registers-write-them.csv"
    found = read_measurements(CORPUS / name, name, reference, problems)
    assert [(m.line, m.region, m.indicator) for m in found] == [
        (2, "Dalarna", "tackningsgrad"),  # Region Dalarna
        (3, "Örebro", "tackningsgrad"),  # Region Örebro län
        (4, "Västra Götaland", "tackningsgrad"),  # Västra Götalandsregionen
        (5, "Jämtland/Härjedalen", "brytpunktssamtal"),  # Region Jämtland Härjedalen, label
        (6, "Dalarna", "brytpunktssamtal"),  # Dalarnas län
        (7, "Dalarna", "munhalsa"),  # county code 20
        (8, "Norrbotten", "munhalsa"),  # NORRBOTTEN; indicator alias in capitals
        (9, "Västerbotten", "smartskattning"),  # without diacritics
        (10, "Västernorrland", "smartskattning"),  # NFD-decomposed
        (11, "Skåne", "vb-opioid"),  # two spaces
        (12, "Gävleborg", "tackningsgrad"),  # lower case; the indicator's label
    ]


def test_invisible_characters_are_not_read(reference) -> None:
    problems = Problems()
    name = "invisible-characters.csv"
    found = read_measurements(CORPUS / name, name, reference, problems)
    assert [(m.line, m.region, m.period, m.value) for m in found] == [
        (2, "Norrbotten", "2022–2023", 55.0),  # zero-width spaces in the name and the value
        (3, "Västerbotten", "2022–2023", 58.0),  # a soft hyphen; a direction mark in the period
        (4, "Gotland", "2022–2023", 61.0),  # a word joiner and a byte order mark
    ]


def test_line_breaks_inside_quotes_are_text_and_lines_stay_right(reference) -> None:
    name = "line-break-in-quoted-field.csv"
    found = read_measurements(CORPUS / name, name, reference, Problems())
    assert [(m.line, m.region, m.value) for m in found] == [
        (3, "Norrbotten", 51.0),  # its comment runs on to line 4
        (5, "Västerbotten", 58.0),
        (6, "Jämtland/Härjedalen", 55.0),  # its comment runs on to line 8
    ]


def test_mac_roman_text_reads_its_letters(reference) -> None:
    problems = Problems()
    found = read_measurements(CORPUS / "mac-roman.csv", "mac-roman.csv", reference, problems)
    assert [(m.region, m.period, m.value) for m in found] == [
        ("Västerbotten", "2022–2023", 58.0),
        ("Jämtland/Härjedalen", "2022–2023", 51.0),
    ]


def test_counts_with_thousands_separators_are_thousands(reference) -> None:
    name = "thousands-separator-counts.csv"
    found = read_measurements(CORPUS / name, name, reference, Problems())
    assert [(m.numerator, m.denominator, m.value) for m in found] == [
        (3000, 4000, 75.0),
        (2500, 5000, 50.0),
        (1500, 3000, 50.0),
    ]


def test_formula_counts_with_rounding_noise_are_whole(reference) -> None:
    name = "formula-counts-float-noise.xlsx"
    found = read_measurements(CORPUS / name, name, reference, Problems())
    assert [(m.line, m.numerator, m.denominator, m.value) for m in found] == [
        (2, 3, 100, 3.0),  # =E2*0.1*10 saved as 3.0000000000000004; =100*1.1-10
        (3, 7, 20, 35.0),  # 7.000000000000001
        (4, 100004, 200000, 50.002),  # =E4/1.15*1.15 saved as 100003.99999999999
        (5, 3, 10, 30.0),  # =0.3/0.1 saved as 2.9999999999999996
    ]


#: Files LibreOffice Calc 7.4 (Swedish locale) wrote from libreoffice-source.csv: saved as
#: .xlsx after percent formats and count formulas were added (their values computed and
#: saved by LibreOffice); exported from that as CSV with ';' and decimal commas ("42,1%");
#: the CSV opened and saved as .xlsx and as CSV; the CSV with "42,1 %" typed, which
#: LibreOffice stores as 0.421 formatted 0.00\ %.
LIBREOFFICE = [
    "libreoffice-percent-cells-formulas.xlsx",
    "libreoffice-percent-cells.csv",
    "libreoffice-from-csv.xlsx",
    "libreoffice-export-decimal-comma.csv",
    "libreoffice-typed-percent.xlsx",
]


def _numbers(name: str, reference) -> list[tuple]:
    problems = Problems()
    found = read_measurements(CORPUS / name, name, reference, problems)
    assert not list(problems)
    return sorted(
        (m.indicator, m.region, m.period, m.population, m.value, m.numerator, m.denominator)
        for m in found
    )


@pytest.mark.parametrize("name", LIBREOFFICE)
def test_libreoffice_files_give_the_numbers_of_the_csv(name: str, reference) -> None:
    source = _numbers("libreoffice-source.csv", reference)
    assert len(source) == 48
    assert _numbers(name, reference) == source


def test_a_literal_percent_sign_in_a_format_does_not_scale(reference) -> None:
    name = "percent-literal-formats.xlsx"
    found = read_measurements(CORPUS / name, name, reference, Problems())
    assert [(m.line, m.value) for m in found] == [
        (2, 51.0),  # 0" %"
        (3, 58.0),  # 0\%
        (4, 45.5),  # 0.0" procent"
        (5, 60.0),  # [$%-41D]0, a currency symbol
        (6, 52.0),  # #,##0" %"
        (7, 47.0),  # 0_%, a space as wide as %
        (8, 49.0),  # [>=1]0" %";0.0%: the first section, literal
    ]


def test_percent_formats_as_excel_writes_them_scale(reference) -> None:
    name = "percent-formats-excel-writes.xlsx"
    found = read_measurements(CORPUS / name, name, reference, Problems())
    assert [(m.line, m.value) for m in found] == [
        (2, 51.0),  # 0.51 as 0%
        (3, 58.4),  # 0.584 as 0.0%
        (4, 45.5),  # 0.455 as 0.0 % (Swedish Excel's 0,0 %)
        (5, 60.0),  # 0.6 as #,##0 %
        (6, 52.0),  # 0%;[Red]-0%
        (7, 47.0),  # 0.47 as [>=1]0" %";0.0%: the second section, a percentage
        (8, 49.0),  # 49 as the same format's first section: literal
    ]


#: Files that once printed a wrong number with exit 0: through the CLI, they must
#: stop the build (exit 2, the corpus line on stderr, no PDF).
SILENT_ONCE = [
    "fraction-one-value.csv",
    "fraction-column.csv",
    "fraction-column-general.xlsx",
    "fraction-one-indicator.csv",
    "fraction-far-below.csv",
    "fraction-among-percent-cells.xlsx",
    "two-data-sheets.xlsx",
    "thousands-or-decimal-count.csv",
    "percent-literal-small-value.xlsx",  # 0.55 in a cell formatted 0.0" %" was read as 55
]


@pytest.mark.parametrize("name", SILENT_ONCE)
def test_a_file_that_printed_a_wrong_number_stops_the_build(name: str, tmp_path: Path, run) -> None:
    from tests.test_data_trust import make_project, pdf, refused

    root = make_project(tmp_path, (CORPUS / name).read_bytes(), file=name)
    result = run(root, "build")
    refused(result, *(f"data/{line}" for line in dict(CASES)[name]))
    assert not pdf(root).exists()


@pytest.mark.parametrize("name", LIBREOFFICE)
def test_libreoffice_files_print_the_numbers_of_the_csv(name: str, tmp_path: Path, run) -> None:
    from tests.test_data_trust import make_project, table_rows

    printed = {}
    for file in ("libreoffice-source.csv", name):
        root = make_project(tmp_path / file, (CORPUS / file).read_bytes(), file=file)
        result = run(root, "build")
        assert result.exit_code == 0, result.output
        printed[file] = table_rows(root)
    assert printed[name] == printed["libreoffice-source.csv"]
    assert printed[name]["Jämtland/Härjedalen"] == "69 (+27)"  # 68,7 % in 2022–2023, 42,1 % before


def test_a_libreoffice_spreadsheet_is_refused_with_what_to_do(tmp_path: Path, run) -> None:
    from tests.test_data_trust import make_project, pdf, refused

    ods = (CORPUS / "libreoffice.ods").read_bytes()
    root = make_project(tmp_path / "ods", ods, file="register.ods")
    refused(
        run(root, "build"),
        "reports/test-rapport/report.toml:8: error: data file 'register.ods' is a"
        " LibreOffice/OpenDocument spreadsheet (.ods): save it as Excel 2007–365 (.xlsx) or"
        " as CSV (UTF-8), and name that file here",
    )
    assert not pdf(root).exists()
    root = make_project(tmp_path / "renamed", ods, file="register.xlsx")
    refused(
        run(root, "build"),
        "data/register.xlsx: error: this is a LibreOffice/OpenDocument spreadsheet (.ods), not"
        " an Excel workbook (.xlsx): save it as Excel 2007–365 (.xlsx) or as CSV (UTF-8), and"
        " name that file in data.files",
    )
    assert not pdf(root).exists()
