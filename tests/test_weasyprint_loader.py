"""WeasyPrint's libraries are found from one ldconfig listing, as find_library finds them."""

from __future__ import annotations

import ctypes.util
import subprocess
import sys
from pathlib import Path

import pytest

from rmr_gen.output.weasyprint_loader import LDCONFIG, ldconfig_lookup

linux_with_ldconfig = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not Path(LDCONFIG).exists(),
    reason="the quick lookup is used only on Linux with glibc's ldconfig",
)

#: Names WeasyPrint 70 tries before the explicit sonames (text/ffi.py).
NAMES = (
    "libgobject-2.0-0", "gobject-2.0-0", "gobject-2.0",
    "libpango-1.0-0", "pango-1.0-0", "pango-1.0",
    "libharfbuzz-0", "harfbuzz", "harfbuzz-subset", "harfbuzz-vector",
    "libfontconfig-1", "fontconfig-1", "fontconfig",
    "libpangoft2-1.0-0", "pangoft2-1.0-0", "pangoft2-1.0",
)  # fmt: skip


@linux_with_ldconfig
def test_answers_as_find_library_does_for_every_name_weasyprint_tries() -> None:
    lookup = ldconfig_lookup()
    assert lookup is not None
    answers = {name: lookup(name) for name in NAMES}
    assert answers == {name: ctypes.util.find_library(name) for name in NAMES}
    assert answers["pango-1.0"] == "libpango-1.0.so.0"  # found, not only missed


def test_no_listing_means_no_quick_lookup(tmp_path: Path) -> None:
    assert ldconfig_lookup(str(tmp_path / "ldconfig")) is None
    failing = tmp_path / "failing-ldconfig"
    failing.write_text("#!/bin/sh\nexit 1\n")
    failing.chmod(0o755)
    assert ldconfig_lookup(str(failing)) is None


@linux_with_ldconfig
def test_a_fresh_process_imports_weasyprint_with_every_library_and_restores_find_library() -> None:
    code = (
        "import ctypes.util\n"
        "original = ctypes.util.find_library\n"
        "from rmr_gen.output.weasyprint_loader import import_weasyprint\n"
        "import_weasyprint()\n"
        "from weasyprint.text import ffi\n"
        "assert ctypes.util.find_library is original\n"
        "print(all(lib is not None for lib in (ffi.gobject, ffi.pango, ffi.harfbuzz,"
        " ffi.harfbuzz_subset, ffi.fontconfig, ffi.pangoft2)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "True"
    assert done.stderr == ""
