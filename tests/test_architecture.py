"""The layering of docs/architecture.md holds in the code: every module has a layer,
imports point only to the same or a higher layer, heavy libraries stay in their modules."""

from __future__ import annotations

from tests import layers


def test_every_module_is_in_the_layer_table() -> None:
    known = layers.layer_of()
    unknown = sorted(set(layers.modules_on_disk()) - set(known))
    assert not unknown, (
        f"modules not in the layer table of docs/architecture.md: {unknown}; add each to a layer"
    )
    gone = sorted(set(known) - set(layers.modules_on_disk()))
    assert not gone, f"the layer table names modules that do not exist: {gone}"


def test_modules_live_in_their_layers_folder_once_grouped() -> None:
    folders = layers.layer_folders()
    if not any((layers.PACKAGE / name).is_dir() for name in folders):
        return  # still one flat package: nothing to check yet
    misplaced = []
    for name, path in layers.modules_on_disk().items():
        folder = path.relative_to(layers.ROOT).parent.as_posix() + "/"
        expected = layers.layer_of()[name].folder
        if not folder.startswith(expected.rstrip("/")) or (
            expected == "src/rmr_gen/" and folder != expected and path.name != "__init__.py"
        ):
            misplaced.append(f"{path.relative_to(layers.ROOT)} belongs in {expected}")
    assert not misplaced, "\n".join(misplaced)


def test_imports_point_only_to_the_same_or_a_higher_layer() -> None:
    layer_of = layers.layer_of()
    upward = []
    for name, path in layers.modules_on_disk().items():
        files = (
            sorted(path.parent.rglob("*.py"))
            if path.name == "__init__.py" and name != "__init__"
            else [path]
        )
        for file in files:
            own = layer_of.get(layers.module_of(file))
            if own is None:
                continue  # reported by test_every_module_is_in_the_layer_table
            for line, module, names in layers.imports(file):
                for target in layers.imported_modules(module, names):
                    if target == "__init__":
                        continue  # rmr_gen.__version__
                    theirs = layer_of.get(target)
                    if theirs is None or theirs.rank > own.rank:
                        where = f"{file.relative_to(layers.ROOT)}:{line}"
                        layer = theirs.name if theirs else "no layer"
                        upward.append(f"{where}: {own.name} imports {target} ({layer})")
    assert not upward, "imports that point down the table:\n" + "\n".join(upward)


def test_heavy_libraries_stay_in_their_modules() -> None:
    allowed = layers.heavy()
    found = []
    for path in sorted(layers.PACKAGE.rglob("*.py")):
        name = layers.module_of(path)
        for line, module, _ in layers.imports(path):
            library = module.split(".")[0]
            if library in allowed and name not in allowed[library]:
                found.append(f"{path.relative_to(layers.ROOT)}:{line}: imports {library}")
    assert not found, (
        "heavy libraries outside the modules docs/architecture.md names:\n" + "\n".join(found)
    )


def test_the_tables_are_read() -> None:
    """A table the tests cannot parse would let every check above pass on nothing."""
    assert len(layers.layers()) >= 5
    assert "errors" in layers.layer_of() and "cli" in layers.layer_of()
    assert layers.heavy()["weasyprint"]
