"""Debian's chromium as the browser tests start it: headless, no sandbox (root), quiet network.

Without the background-networking switches Chromium tries to reach Google's
hosts at every start, which this project's test machines refuse.
"""

from __future__ import annotations

import os
from pathlib import Path

CHROMIUM = Path(os.environ.get("RMR_GEN_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
