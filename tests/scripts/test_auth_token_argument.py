"""A Rasa HTTP API token that starts with "-" (secrets.token_urlsafe gives one about once in 64 runs) is
passed as `--auth-token=<token>`: as a separate argument argparse took it for an option and Rasa exited
("argument -t/--auth-token: expected one argument"), as CI once saw."""
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def test_rasa_reads_a_token_starting_with_a_dash_in_the_joined_form():
    from rasa.__main__ import create_argument_parser

    arguments = create_argument_parser().parse_args(["run", "--enable-api", "--auth-token=-Ab3_x"])
    assert arguments.auth_token == "-Ab3_x"


def test_the_scripts_pass_the_token_joined_to_its_option():
    for script in ("scripts/servers.py", "scripts/run.sh", "bench/nlu_server_bench.py", "README.md"):
        text = (PROJECT_ROOT / script).read_text(encoding="utf-8")
        assert "--auth-token=" in text and '"--auth-token", ' not in text and '--auth-token "' not in text, script
