"""NLU training data is split by the domain's topics, and the generated part is what `make nlu-data` writes."""
import os
from pathlib import Path

import pytest
import yaml

from scripts import generate_nlu_data as generator
from tests.conftest import PROJECT_ROOT

DOMAIN_DIR = PROJECT_ROOT / "bot" / "domain"
NLU_DIR = PROJECT_ROOT / "bot" / "data" / "nlu"
NLU_FILES = sorted(NLU_DIR.rglob("*.yml"))


def _intents(path: Path) -> list:
    return [block["intent"] for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", [])]


def _declared(topic: str) -> set:
    intents = yaml.safe_load((DOMAIN_DIR / f"{topic}.yml").read_text(encoding="utf-8")).get("intents", [])
    return {i if isinstance(i, str) else next(iter(i)) for i in intents}


def test_there_is_nlu_data_in_both_parts():
    assert {p.parent for p in NLU_FILES} == {NLU_DIR, NLU_DIR / "generated"}


@pytest.mark.parametrize("path", NLU_FILES, ids=lambda p: str(p.relative_to(NLU_DIR)))
def test_each_file_holds_intents_of_the_domain_file_of_its_name(path):
    assert (DOMAIN_DIR / path.name).exists(), f"no bot/domain/{path.name} for {path.relative_to(PROJECT_ROOT)}"
    intents = _intents(path)
    assert intents, "an NLU file without intents"
    assert set(intents) <= _declared(path.stem), "intents declared in another domain file"


def test_generated_files_are_up_to_date():
    """`make nlu-data` would rewrite exactly the committed files (run it after editing the templates)."""
    rendered = generator.render(generator.generate(), generator.handwritten(), generator.intent_topics())
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in (NLU_DIR / "generated").glob("*.yml")}
    assert sorted(rendered) == sorted(on_disk)
    for name, text in rendered.items():
        assert text == on_disk[name], f"bot/data/nlu/generated/{name} differs: run `make nlu-data`"


def test_generator_puts_an_intent_with_the_domain_file_declaring_it_and_skips_hand_written_examples():
    data = {"greet": ["xin chào", "chào bạn", "Chào bạn"], "ask_fee": ["phí bao nhiêu"]}
    files = generator.render(data, {"xin chao": "greet"}, {"greet": "_shared", "ask_fee": "procedures"})
    assert sorted(files) == ["_shared.yml", "procedures.yml"]
    assert yaml.safe_load(files["_shared.yml"])["nlu"] == [{"intent": "greet", "examples": "- chào bạn\n"}]
    assert yaml.safe_load(files["procedures.yml"])["nlu"] == [{"intent": "ask_fee", "examples": "- phí bao nhiêu\n"}]


def test_generator_refuses_an_intent_no_domain_file_declares():
    with pytest.raises(ValueError, match="ask_fee"):
        generator.render({"ask_fee": ["phí bao nhiêu"]}, {}, {"greet": "_shared"})


def test_write_removes_files_of_topics_gone_and_leaves_unchanged_files_alone(tmp_path, monkeypatch):
    monkeypatch.setattr(generator, "ROOT", tmp_path)
    (tmp_path / "handoff.yml").write_text("old\n", encoding="utf-8")
    (tmp_path / "_shared.yml").write_text("same\n", encoding="utf-8")
    os.utime(tmp_path / "_shared.yml", ns=(10**18, 10**18))
    generator.write({"_shared.yml": "same\n", "procedures.yml": "new\n"}, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_shared.yml", "procedures.yml"]
    assert (tmp_path / "procedures.yml").read_text(encoding="utf-8") == "new\n"
    assert (tmp_path / "_shared.yml").stat().st_mtime_ns == 10**18


def test_the_examples_issue_12_is_checked_on_are_not_trained_on():
    """tests/e2e/test_understanding.py plays the issue's own sentences: none of them is a training example."""
    import ast

    from bench.eval_nlu import training_texts
    from vietnamese.folding import fold

    source = (PROJECT_ROOT / "tests" / "e2e" / "test_understanding.py").read_text(encoding="utf-8")
    sentences = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "chat" and node.args:
            argument = node.args[0]
            if isinstance(argument, ast.Constant):
                sentences.add(argument.value)
            elif isinstance(argument, ast.JoinedStr):
                sentences.update(v.value for v in argument.values if isinstance(v, ast.Constant) and v.value.strip())
        if isinstance(node, ast.Tuple) and node.elts and isinstance(node.elts[0], (ast.Constant, ast.BinOp)):
            first = node.elts[0]
            text = ast.literal_eval(first) if isinstance(first, (ast.Constant, ast.BinOp)) else None
            if isinstance(text, str) and len(text.split()) >= 2:
                sentences.add(text)
    sentences.discard("/none_of_these")
    assert len(sentences) >= 12
    assert not {fold(s) for s in sentences} & training_texts()
