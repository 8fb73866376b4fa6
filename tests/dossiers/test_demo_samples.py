"""The demo dossier codes the README lists are what `make db` gives a fresh clone.

Seeding draws procedures from the catalogue, so its codes depend on what is
imported before it: `make db` seeds after the curated catalogue and before
the national one, whether or not the national file is there.
"""
from __future__ import annotations

import os
import re
import shlex
import subprocess
from typing import List, NamedTuple

import pytest
from sqlalchemy import select

from dossiers.__main__ import main as dossiers_main
from dossiers.models import STATUS_LABELS, Dossier
from dossiers.seed import demo_phone
from procedures_kb.cli import main as procedures_main
from storage.engine import make_session_factory
from tests.conftest import PROJECT_ROOT

README_ROW = re.compile(r"^\| `(\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4})` \| ([^|(]+?)(?: \(([^)]*)\))? \| (\d{4}) \|$")


class Sample(NamedTuple):
    code: str
    status_label: str
    procedure_hint: str
    digits: str


def readme_samples() -> List[Sample]:
    text = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Dossier status", 1)[1].split("\n## ", 1)[0]
    return [Sample(m[1], m[2], m[3] or "", m[4]) for m in map(README_ROW.match, section.splitlines()) if m]


def make_db_plan(tmp_path) -> List[List[str]]:
    """The commands `make db` would run (make -n) with a national file present, as argv lists.

    The project's defaults (DEMO_ANCHOR) are what the README documents, so the environment's are dropped.
    """
    national = tmp_path / "national.jsonl.gz"
    national.write_bytes(b"")
    environment = {k: v for k, v in os.environ.items() if k not in ("DEMO_ANCHOR", "MAKEFLAGS", "MFLAGS")}
    done = subprocess.run(
        ["make", "-n", "-o", ".venv/.installed", "db", f"NATIONAL={national}"],
        cwd=PROJECT_ROOT, env=environment, capture_output=True, text=True, check=True,
    )
    commands = []
    for line in done.stdout.replace("\\\n", " ").splitlines():
        for part in line.split(";"):
            words = shlex.split(part)
            while words and words[0] in ("if", "then", "else", "fi"):
                words = words[1:]
            if len(words) > 2 and words[0].endswith("/python") and words[1] == "-m":
                commands.append(words[2:])
    return commands


def test_the_readme_lists_a_sample_for_every_status():
    samples = readme_samples()
    assert {s.status_label for s in samples} == set(STATUS_LABELS.values())


def test_make_db_seeds_after_the_curated_import_and_before_the_national_one(tmp_path):
    modules = [(c[0], c[1] if len(c) > 1 else "", c[2] if len(c) > 2 else "") for c in make_db_plan(tmp_path)]
    assert modules == [
        ("migrations", "upgrade", ""),
        ("procedures_kb", "import", "procedures_kb/data/curated"),
        ("dossiers", "seed", "--count"),
        ("procedures_kb", "import", str(tmp_path / "national.jsonl.gz")),
        ("procedures_kb", "redigest", ""),  # digests made by older code are brought up to date
    ]
    imports = [c for c in make_db_plan(tmp_path) if c[:2] == ["procedures_kb", "import"]]
    assert all("--if-changed" in c for c in imports)


def test_a_fresh_setup_gives_the_readme_dossier_codes(engine, tmp_path, monkeypatch, capsys):
    """Run the curated import and the seed exactly as `make db` does, then read the README's table."""
    monkeypatch.chdir(PROJECT_ROOT)
    url = engine.url.render_as_string(hide_password=False)
    plan = make_db_plan(tmp_path)
    curated = next(c for c in plan if c[:3] == ["procedures_kb", "import", "procedures_kb/data/curated"])
    seed = next(c for c in plan if c[:2] == ["dossiers", "seed"])
    assert procedures_main(["--database-url", url, *curated[1:]]) == 0
    assert dossiers_main(["--database-url", url, *seed[1:]]) == 0
    capsys.readouterr()

    samples = readme_samples()
    with make_session_factory(engine)() as session:
        dossiers = {
            d.code: d for d in session.execute(
                select(Dossier).where(Dossier.code.in_([s.code for s in samples]))
            ).scalars()
        }
    for sample in samples:
        dossier = dossiers.get(sample.code)
        assert dossier is not None, f"{sample.code} is not seeded"
        assert STATUS_LABELS[dossier.status] == sample.status_label, sample.code
        assert demo_phone(sample.code)[-4:] == sample.digits
        assert sample.procedure_hint.lower() in dossier.procedure_name.lower()


@pytest.mark.parametrize("line", ["| `000.00.03.H56-261120-0003` | Mới tiếp nhận (cấp thẻ căn cước cho người dưới 14 tuổi) | 6156 |"])
def test_the_readme_row_pattern_reads_a_row(line):
    match = README_ROW.match(line)
    assert match and match.groups() == ("000.00.03.H56-261120-0003", "Mới tiếp nhận", "cấp thẻ căn cước cho người dưới 14 tuổi", "6156")
