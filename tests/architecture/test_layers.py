"""The layers of docs/design.md, checked over the syntax tree of every module: nothing imports
upward, and no two packages import each other (directly or round a longer cycle).

Every import counts, including those inside functions: a deferred import is still a
dependency."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "stridewise"

#: Each unit (a subpackage or a top-level module of ``stridewise``) and its layer; a unit may
#: import units of its own layer or below, never above.
LAYERS: dict[str, int] = {
    # 0: foundations and pure science. The core's validation rules sit here too: every entrance
    # (file readers included) checks values with them, and they depend on nothing but the clock.
    "clock": 0, "errors": 0, "science": 0, "__init__": 0, "core.validation": 0,
    # 1: data: persistence, reading files, the daily series, pain and load monitoring, plans
    "fit": 1, "store": 1, "activity": 1, "summary": 1, "sanitise": 1, "ingest": 1, "importer": 1,
    "importer_exports": 1,
    "import_report": 1, "series": 1, "monitor": 1, "plan": 1,
    # 2: the application core
    "core": 2,
    # 3: presentation shared by every face
    "present": 3,
    # 4: the faces
    "cli": 4, "web": 4, "report": 4, "demo": 4, "cohort": 4,
    # the multi-user server: a gate around the web face (accounts, policy, audit)
    "server": 4,
}
#: Faces that must not import one another (the report is built without the dashboard).
SEPARATE_FACES = {("report", "web"), ("web", "cli"), ("report", "cli")}


#: Modules that are units of their own, apart from their package.
SUB_UNITS = {"core.validation"}


def _unit(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "stridewise":
        return None
    if ".".join(parts[1:3]) in SUB_UNITS:
        return ".".join(parts[1:3])
    return parts[1] if len(parts) > 1 else "__init__"


def _file_unit(rel: Path) -> str:
    dotted = ".".join(rel.with_suffix("").parts)
    return dotted if dotted in SUB_UNITS else rel.parts[0].removesuffix(".py")


def _imports() -> dict[str, set[tuple[str, str]]]:
    """unit -> {(imported unit, importing file)}"""
    found: dict[str, set[tuple[str, str]]] = {}
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC)
        unit = _file_unit(rel)
        package = ".".join(("stridewise", *rel.with_suffix("").parts[:-1]))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    names = [".".join([*base, node.module or ""]).rstrip(".")]
                else:
                    names = [node.module or ""]
                # "from stridewise.core import validation" imports the sub-unit only.
                subs = [f"{names[0]}.{alias.name}" for alias in node.names
                        if _unit(f"{names[0]}.{alias.name}") in SUB_UNITS]
                if subs:
                    names = subs if len(subs) == len(node.names) else [*names, *subs]
            for name in names:
                target = _unit(name)
                if target is not None and target != unit:
                    found.setdefault(unit, set()).add((target, str(rel)))
    return found


def test_every_unit_has_a_layer() -> None:
    units = {_file_unit(p.relative_to(SRC)) for p in SRC.rglob("*.py")}
    assert units <= set(LAYERS), sorted(units - set(LAYERS))


def test_nothing_imports_upward() -> None:
    upward = sorted(
        f"{where} imports {target} (layer {LAYERS[target]} > {LAYERS[unit]})"
        for unit, targets in _imports().items()
        for target, where in targets
        if LAYERS[target] > LAYERS[unit]
    )
    assert upward == []


@pytest.mark.parametrize(("face", "other"), sorted(SEPARATE_FACES))
def test_faces_stay_apart(face: str, other: str) -> None:
    wrong = sorted(w for t, w in _imports().get(face, set()) if t == other)
    assert wrong == []


def test_no_cycle_between_units() -> None:
    graph = {unit: {t for t, _ in targets} for unit, targets in _imports().items()}
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt == path[0]:
                cycles.append([*path, nxt])
            elif nxt not in path and nxt > path[0]:
                visit(nxt, [*path, nxt])

    for start in sorted(graph):
        visit(start, [start])
    assert cycles == []
