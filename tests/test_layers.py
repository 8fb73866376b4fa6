"""The packages import only downwards (docs/architecture.md).

Layers, bottom up: storage, settings, vietnamese, safe_logging (0) → procedures_kb,
dossiers, officer_desk (1) → actions, bot (2) → migrations, scripts, rasa_sdk_plugins (3, the
top: the migrations' registry imports every feature's models; scripts start
the processes). Every import of every application file counts, also one
inside a function. Besides: actions/ and bot/ do not import each other (two
processes), and the application never imports tests/ or bench/.
"""
from __future__ import annotations

import ast
from pathlib import Path
from typing import Iterator, List, NamedTuple, Optional

import pytest

from tests.conftest import PROJECT_ROOT

LAYERS = {
    "storage": 0,
    "safe_logging": 0,  # log records cleaned of personal data, in both processes
    "settings": 0,
    "vietnamese": 0,
    "procedures_kb": 1,
    "dossiers": 1,
    "officer_desk": 1,
    "actions": 2,
    "bot": 2,
    "migrations": 3,
    "scripts": 3,
    "rasa_sdk_plugins": 3,  # the action server's start-up hook (rasa_sdk imports it by this name)
}
NEVER_IMPORTED = {"tests", "bench"}
SEPARATE_PROCESSES = [("actions", "bot"), ("bot", "actions")]
# Accepted breaches, as "path -> imported name": none.
KNOWN: set = set()
SKIPPED_DIRS = {".venv", ".git", "models", "var", "test-artifacts", "node_modules"}


class Import(NamedTuple):
    path: str  # relative to the project root
    line: int
    source: str  # top-level package or module of the importing file
    target: str  # full dotted name imported from


def top_level_units(root: Path) -> List[str]:
    """Names of the project's top-level Python packages and modules."""
    names = []
    for entry in sorted(root.iterdir()):
        if entry.name in SKIPPED_DIRS or entry.name.startswith("."):
            continue
        if entry.is_dir() and (entry / "__init__.py").exists():
            names.append(entry.name)
        elif entry.suffix == ".py":
            names.append(entry.stem)
    return names


def _module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str, is_package: bool, level: int, name: Optional[str]) -> str:
    """The absolute dotted name of `from <level dots><name> import ...` written in `module`."""
    if level == 0:
        return name or ""
    parts = module.split(".")
    if not is_package:
        parts = parts[:-1]
    parts = parts[: len(parts) - (level - 1)]
    return ".".join(parts + ([name] if name else []))


def imports_of(root: Path, path: Path, text: Optional[str] = None) -> Iterator[Import]:
    """Every import statement in the file, at any depth, as absolute dotted names."""
    text = path.read_text(encoding="utf-8") if text is None else text
    module = _module_name(root, path)
    is_package = path.name == "__init__.py"
    relative = str(path.relative_to(root))
    source = module.split(".")[0]
    nodes = sorted(
        (n for n in ast.walk(ast.parse(text, filename=relative)) if isinstance(n, (ast.Import, ast.ImportFrom))),
        key=lambda n: n.lineno,
    )
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(relative, node.lineno, source, alias.name)
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, is_package, node.level, node.module)
            if node.module is None:  # from . import a, b: each name may be a module
                for alias in node.names:
                    yield Import(relative, node.lineno, source, f"{target}.{alias.name}")
            else:
                yield Import(relative, node.lineno, source, target)


def application_files(root: Path) -> Iterator[Path]:
    for name in LAYERS:
        unit = root / name
        if unit.is_dir():
            yield from sorted(p for p in unit.rglob("*.py") if not SKIPPED_DIRS & set(p.parts))
        elif unit.with_suffix(".py").exists():
            yield unit.with_suffix(".py")


def violations(found: List[Import]) -> List[str]:
    """Readable 'path:line: a imports b (why)' for every import that breaks a rule."""
    problems = []
    for item in found:
        target = item.target.split(".")[0]
        if target in NEVER_IMPORTED:
            problems.append(f"{item.path}:{item.line}: imports {item.target} (the application never imports {target}/)")
        elif target in LAYERS and LAYERS[target] > LAYERS[item.source]:
            problems.append(
                f"{item.path}:{item.line}: imports {item.target} "
                f"(layer {LAYERS[target]} from layer {LAYERS[item.source]})"
            )
        elif (item.source, target) in SEPARATE_PROCESSES:
            problems.append(f"{item.path}:{item.line}: imports {item.target} ({item.source}/ never imports {target}/)")
    return problems


@pytest.fixture(scope="module")
def project_imports() -> List[Import]:
    return [found for path in application_files(PROJECT_ROOT) for found in imports_of(PROJECT_ROOT, path)]


def test_every_top_level_package_has_a_layer():
    unplaced = set(top_level_units(PROJECT_ROOT)) - set(LAYERS) - NEVER_IMPORTED
    assert not unplaced, f"give these a layer in tests/test_layers.py: {sorted(unplaced)}"


def test_the_scan_sees_the_application(project_imports):
    sources = {item.source for item in project_imports}
    assert {"storage", "procedures_kb", "dossiers", "officer_desk", "actions", "bot", "migrations"} <= sources


def test_nothing_imports_upwards_or_across_processes(project_imports):
    breaking = [item for item in project_imports if violations([item])]
    problems = [violations([item])[0] for item in breaking if f"{item.path} -> {item.target}" not in KNOWN]
    assert not problems, "imports against the layers:\n" + "\n".join(problems)
    gone = KNOWN - {f"{item.path} -> {item.target}" for item in breaking}
    assert not gone, f"fixed: remove from KNOWN in tests/test_layers.py: {sorted(gone)}"


# --- the checker itself ------------------------------------------------------------
SAMPLE = '''
import storage.base
from . import codes, store
from .models import Dossier
from ..bot import channels


def later():
    from actions.answers import fee
    import bench.answer_check as check
'''


def test_imports_are_found_at_any_depth_and_relative_ones_resolved(tmp_path):
    path = tmp_path / "dossiers" / "service.py"
    path.parent.mkdir()
    targets = [(i.line, i.target) for i in imports_of(tmp_path, path, SAMPLE)]
    assert targets == [
        (2, "storage.base"),
        (3, "dossiers.codes"),
        (3, "dossiers.store"),
        (4, "dossiers.models"),
        (5, "bot"),
        (9, "actions.answers"),
        (10, "bench.answer_check"),
    ]
    assert {i.source for i in imports_of(tmp_path, path, SAMPLE)} == {"dossiers"}


def test_relative_imports_in_a_package_init_resolve_to_the_package(tmp_path):
    path = tmp_path / "bot" / "channels" / "__init__.py"
    path.parent.mkdir(parents=True)
    assert [i.target for i in imports_of(tmp_path, path, "from .zalo import channel\nfrom .. import components")] == [
        "bot.channels.zalo",
        "bot.components",
    ]


def test_each_rule_reports_its_breach():
    found = [
        Import("storage/engine.py", 3, "storage", "dossiers.models"),  # upwards
        Import("dossiers/service.py", 4, "dossiers", "storage.base"),  # downwards: fine
        Import("procedures_kb/search.py", 5, "procedures_kb", "dossiers.codes"),  # same layer: fine
        Import("bot/components/x.py", 6, "bot", "actions.answers"),  # across processes
        Import("actions/y.py", 7, "actions", "bot.channels"),  # across processes
        Import("migrations/env.py", 8, "migrations", "bot.channels.zalo.models"),  # the top: fine
        Import("scripts/servers.py", 9, "scripts", "tests.fakes.zalo_api"),  # never tests/
        Import("officer_desk/store.py", 10, "officer_desk", "sqlalchemy.orm"),  # outside: fine
    ]
    assert [problem.split(":")[0:2] for problem in violations(found)] == [
        ["storage/engine.py", "3"],
        ["bot/components/x.py", "6"],
        ["actions/y.py", "7"],
        ["scripts/servers.py", "9"],
    ]
