"""The layer and heavy-library tables of docs/architecture.md, read as data.

The document is the one place the layering is written down; the architecture
and type tests read it from there, so the page and the checks cannot drift apart.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "architecture.md"
PACKAGE = ROOT / "src" / "rmr_gen"


@dataclass(frozen=True)
class Layer:
    rank: int
    name: str
    folder: str  # e.g. "src/rmr_gen/core/"
    modules: tuple[str, ...]


def _table(heading: str) -> list[list[str]]:
    """The rows (cells) of the first table after ``## heading``."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:]]


def _names(cell: str) -> tuple[str, ...]:
    return tuple(re.findall(r"`([^`]+)`", cell))


def layers() -> list[Layer]:
    return [
        Layer(int(rank), name, _names(folder)[0], _names(modules))
        for rank, name, folder, modules, *_ in _table("Layers")
    ]


def layer_of() -> dict[str, Layer]:
    """Module name → its layer."""
    return {module: layer for layer in layers() for module in layer.modules}


def heavy() -> dict[str, tuple[str, ...]]:
    """Heavy library → the modules that may import it."""
    return {
        _names(library)[0]: _names(modules) for library, modules, *_ in _table("Heavy libraries")
    }


def layer_folders() -> dict[str, Layer]:
    """Subpackage name → its layer, for the layers that have a folder of their own."""
    return {
        layer.folder.rstrip("/").rsplit("/", 1)[1]: layer
        for layer in layers()
        if layer.folder.rstrip("/") != "src/rmr_gen"
    }


def modules_on_disk() -> dict[str, Path]:
    """Each module of the package by name: a file, or a package of its own."""
    folders = layer_folders()
    found: dict[str, Path] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if len(parts) > 1 and parts[0] in folders:
            parts = parts[1:]
            if parts == ("__init__.py",):  # the layer's own package marker
                continue
        found.setdefault(parts[0].removesuffix(".py"), path)
    return found


def module_of(path: Path) -> str:
    """The module name a file belongs to (see :func:`modules_on_disk`)."""
    parts = path.relative_to(PACKAGE).parts
    if len(parts) > 1 and parts[0] in layer_folders():
        parts = parts[1:]
    return parts[0].removesuffix(".py")


def imported_modules(module: str, names: tuple[str, ...]) -> list[str]:
    """The rmr_gen modules an import statement reaches (none for other packages)."""
    parts = module.split(".")
    if parts[0] != "rmr_gen":
        return []
    parts = parts[1:]
    if parts and parts[0] in layer_folders():
        parts = parts[1:]
    if parts:
        return [parts[0]]
    known = layer_of()
    return [name if name in known else "__init__" for name in names]


def imports(path: Path) -> list[tuple[int, str, tuple[str, ...]]]:
    """``(line, absolute module, imported names)`` for every import in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append((node.lineno, alias.name, ()))
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, module] if module else base)
            found.append((node.lineno, module, tuple(a.name for a in node.names)))
    return found
