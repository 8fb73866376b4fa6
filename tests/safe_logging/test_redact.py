"""Log lines keep what an operator needs and lose everything personal."""
import io
import json
import logging

import pytest

import safe_logging
from safe_logging.hooks import clean_record, uninstall
from safe_logging.redact import clean_exception, redact, redact_json_line

# Generated values, as a conversation would carry them.
NAME = "Nguyễn Văn An"
MASKED = "Nguyễn V** A*"
PHONE = "0912345678"
DIGITS = "1155"
CODE = "000.00.05.H58-260831-0003"
TEXT = "hồ sơ của tôi đến đâu rồi"


@pytest.mark.parametrize("line, kept", [
    ("Starting Rasa server on http://127.0.0.1:5005", "Starting Rasa server on http://127.0.0.1:5005"),
    ("Predicted next action 'action_listen' with confidence 1.00.",
     "Predicted next action 'action_listen' with confidence 1.00."),
    ("Couldn't connect to the server at 'http://localhost:5055/webhook'.",
     "Couldn't connect to the server at 'http://localhost:5055/webhook'."),
    ("answered procedure 1.001193", "answered procedure 1.001193"),
])
def test_what_an_operator_needs_stays(line, kept):
    assert redact(line) == kept


@pytest.mark.parametrize("line", [
    f"Received user message '{TEXT}' with intent 'inform'",
    f"Received user message '{DIGITS}' with entities '[{{\"entity\": \"phone_last_digits\", \"value\": \"{DIGITS}\"}}]'",
    f"Current slot values: \n\tdossier_code: {CODE}",
    f"Current slot values: \n\tdossier_code: {CODE.lower().replace('.', ' ')}",
    f"applicant {MASKED} phone {PHONE}",
    f"Người nộp: {NAME}",
    # Rasa's ClientResponseError: the action server's body, JSON-escaped, inside a bytes repr.
    "500, Internal Server Error, body='b\\'" + json.dumps({"error": "x", "request_body": {"tracker": {
        "latest_message": {"text": f"{NAME} {PHONE}"}, "slots": {"dossier_code": CODE}}}}) + "\\''",
    json.dumps({"text": f"{NAME} {DIGITS}"}),
])
def test_personal_values_go(line):
    cleaned = redact(line)
    for value in (NAME, "Nguyễn", "Văn", MASKED, "V**", PHONE, DIGITS, CODE, TEXT, "tôi"):
        assert value not in cleaned, (value, cleaned)


def test_structured_lines_keep_their_keys_and_plain_values():
    line = json.dumps({"event": "processor.actions.log", "action_name": "action_feedback", "level": "debug",
                       "rasa_events": [{"text": NAME}], "text": f"{TEXT} {DIGITS}"})
    cleaned = json.loads(redact_json_line(line))
    assert cleaned["event"] == "processor.actions.log" and cleaned["action_name"] == "action_feedback"
    assert cleaned["rasa_events"] == "hidden"
    assert DIGITS not in cleaned["text"] and "tôi" not in cleaned["text"]


def _raise_chained():
    try:
        raise KeyError(f"{NAME} {DIGITS}")
    except KeyError as exc:
        raise RuntimeError(f"failed for {CODE}") from exc


def test_a_traceback_keeps_its_frames_and_types_but_not_the_messages():
    try:
        _raise_chained()
    except RuntimeError as exc:
        text = clean_exception(type(exc), exc, exc.__traceback__)
    assert "_raise_chained" in text and "builtins.KeyError" in text and "builtins.RuntimeError" in text
    for value in (NAME, DIGITS, CODE):
        assert value not in text


@pytest.fixture
def captured():
    """Records of a fresh logger written through a plain handler, with the cleaning installed."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    logger = logging.getLogger("tests.safe_logging.captured")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    safe_logging.install()
    yield logger, stream
    uninstall()
    logger.removeHandler(handler)


def test_installed_every_record_is_cleaned_whatever_its_handler(captured):
    logger, stream = captured
    logger.debug("Received user message '%s' with slots %s", TEXT, {"dossier_code": CODE})
    try:
        _raise_chained()
    except RuntimeError:
        logger.exception("Encountered an exception while running action '%s'.", "action_answer_overview")
    out = stream.getvalue()
    assert "action_answer_overview" in out and "_raise_chained" in out
    for value in (NAME, DIGITS, CODE, TEXT, "tôi"):
        assert value not in out


def test_a_record_made_before_install_is_cleaned_by_clean_record():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "phone %s", (PHONE,), None)
    assert PHONE not in clean_record(record).getMessage()


def test_warnings_are_cleaned_too(captured, monkeypatch):
    import warnings

    from safe_logging import hooks

    shown = []
    monkeypatch.setattr(hooks, "_previous_showwarning", lambda message, *args: shown.append(message))
    warnings.showwarning(f"Failed to parse arguments in line '/inform{{\"phone_last_digits\": {DIGITS}}}'",
                         UserWarning, __file__, 1)
    assert "Failed to parse arguments" in shown[0] and DIGITS not in shown[0]
