"""Import WeasyPrint without paying for its library search on every start.

WeasyPrint opens GObject, Pango, HarfBuzz and fontconfig through cffi, trying
each library's names for every platform (``libpango-1.0-0``, ``pango-1.0``, …,
``libpango-1.0.so.0``). For a name that is not a file, cffi calls
:func:`ctypes.util.find_library`, which on Linux runs ``ldconfig -p`` and then,
for every miss, ``gcc`` and ``ld``: about 0.17 s of each process's start-up,
longer than rmr-gen's own work on a small report.

While WeasyPrint is imported, the lookup is answered from one reading of the
ldconfig cache: the same answer ``find_library`` gives first, without the
compiler fallbacks. A library found only on ``LD_LIBRARY_PATH`` is still
opened, by the explicit soname WeasyPrint tries last (the dynamic loader
searches that path itself). Elsewhere (macOS, Windows, no ``/sbin/ldconfig``)
the import is WeasyPrint's own.
"""

from __future__ import annotations

import contextlib
import os
import re
import struct
import subprocess
import sys
from collections.abc import Callable, Iterator
from types import ModuleType

LDCONFIG = "/sbin/ldconfig"

#: glibc's ldconfig names the ABI of each entry; as in ctypes.util.
_ABI = {
    "x86_64-64": "libc6,x86-64",
    "ppc64-64": "libc6,64bit",
    "sparc64-64": "libc6,64bit",
    "s390x-64": "libc6,64bit",
    "ia64-64": "libc6,IA-64",
}


def import_weasyprint() -> ModuleType:
    """The ``weasyprint`` module, imported on first use with the quick library lookup."""
    module = sys.modules.get("weasyprint")
    if module is not None:
        return module
    import importlib

    with _quick_find_library():
        return importlib.import_module("weasyprint")


@contextlib.contextmanager
def _quick_find_library() -> Iterator[None]:
    import ctypes.util

    lookup = ldconfig_lookup() if sys.platform.startswith("linux") else None
    if lookup is None:
        yield
        return
    original = ctypes.util.find_library
    ctypes.util.find_library = lookup  # type: ignore[assignment]
    try:
        yield
    finally:
        ctypes.util.find_library = original


def ldconfig_lookup(ldconfig: str = LDCONFIG) -> Callable[[str], str | None] | None:
    """``find_library`` answered from one ``ldconfig -p`` listing (None: no listing)."""
    try:
        listing = subprocess.run(
            [ldconfig, "-p"],
            stdin=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            env={"LC_ALL": "C", "LANG": "C"},
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    bits = "32" if struct.calcsize("l") == 4 else "64"
    abi = _ABI.get(f"{os.uname().machine}-{bits}", "libc6")

    def find_library(name: str) -> str | None:
        pattern = rb"\s+(lib%s\.[^\s]+)\s+\(%s" % (re.escape(os.fsencode(name)), abi.encode())
        found = re.search(pattern, listing)
        return os.fsdecode(found.group(1)) if found else None

    return find_library
