"""The answers citizens ask for most, read on a 390-px phone over the whole national catalogue.

Each conversation starts afresh on the chat page in headless Chromium, types
the question as a citizen would and keeps a screenshot of the reply in
test-artifacts/webchat/phone_<name>.png (TEST_ARTIFACTS to move them). Each
reply must name the procedure's national code on its first line, fit a phone
(first bubble ≤ 700 characters, no sideways scrolling), link to the portal,
state fees and times a citizen can act on, and offer whole-word buttons.
"""
from __future__ import annotations

import re
import secrets
import subprocess
import sys
from dataclasses import dataclass
from typing import List, Optional, Tuple

import pytest

from scripts.servers import ServerError, running_assistant
from tests.conftest import CURATED_DIR, NATIONAL_CATALOGUE, PROJECT_ROOT
from tests.e2e.chat_browser import PHONE_WIDTH, bot_texts, shot, start_phone_browser, wait_bot_count

pytestmark = [pytest.mark.e2e, pytest.mark.national]  # skipped, with the path, when the national file is absent

FIRST_BUBBLE_CHARS = 700
SCROLL_TOLERANCE = 2  # CSS pixels
PORTAL = "https://dichvucong.gov.vn/"
AMOUNT = re.compile(r"\d{1,3}(?:\.\d{3})+ đồng")
TIME_WITH_UNIT = re.compile(r"\d+\s+(?:ngày|giờ|tháng)|trong ngày", re.IGNORECASE)


@dataclass(frozen=True)
class Turn:
    """One message typed by the citizen and what its reply must be.

    kind: documents | fee | time | overview | more (the next part of the last answer).
    """

    message: str
    code: str
    kind: str
    shot: str
    header: Optional[str] = None  # words the first line must contain
    not_free: bool = False  # the record states a fee: the answer never says "miễn phí"


CONVERSATIONS: List[Tuple[str, List[Turn]]] = [
    ("khai_sinh", [
        Turn("đăng ký khai sinh cần giấy tờ gì", "1.001193", "documents", "phone_khai_sinh"),
        Turn("xem tiếp", "1.001193", "more", "phone_khai_sinh_xem_tiep",
             header="giấy tờ chỉ cần trong một số trường hợp"),
    ]),
    ("ket_hon", [Turn("đăng ký kết hôn cần những gì", "1.000894", "documents", "phone_ket_hon")]),
    ("so_do", [Turn("làm sổ đỏ lần đầu cần giấy tờ gì", "1.013978", "documents", "phone_so_do")]),
    ("can_cuoc_doi", [Turn("đổi căn cước cần giấy tờ gì", "1.014063", "documents", "phone_can_cuoc_doi")]),
    ("can_cuoc_mat", [
        Turn("mất căn cước công dân làm lại thế nào", "1.014064", "overview", "phone_can_cuoc_mat"),
        Turn("hết bao nhiêu tiền", "1.014064", "fee", "phone_can_cuoc_mat_le_phi"),
    ]),
    ("ho_chieu", [Turn("làm hộ chiếu hết bao nhiêu tiền", "1.001456", "fee", "phone_ho_chieu", not_free=True)]),
    ("bang_lai", [Turn("đổi bằng lái xe hết bao nhiêu tiền", "3.000347", "fee", "phone_bang_lai", not_free=True)]),
    ("sang_ten_xe", [Turn("sang tên xe máy cần giấy tờ gì", "1.013076", "documents", "phone_sang_ten_xe")]),
    ("tam_tru", [Turn("đăng ký tạm trú mất bao lâu", "1.004194", "time", "phone_tam_tru")]),
]


@pytest.fixture(scope="module")
def national_assistant(tmp_path_factory):
    """The assistant over a fresh SQLite catalogue: the curated catalogue, then the whole national one."""
    work = tmp_path_factory.mktemp("phone")
    database_url = f"sqlite:///{work / 'catalogue.db'}"
    for source in (CURATED_DIR, NATIONAL_CATALOGUE):
        subprocess.run(
            [sys.executable, "-m", "procedures_kb", "--database-url", database_url, "import", str(source),
             "--no-progress"],
            cwd=PROJECT_ROOT, check=True, capture_output=True,
        )
    env = {"APP_ENV": "production", "DOSSIER_HASH_KEY": secrets.token_urlsafe(32), "HOTLINE": "18001096"}
    try:
        with running_assistant(database_url, work, env=env) as running:
            yield running.url
    except ServerError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="module")
def phone(national_assistant):
    driver = start_phone_browser()
    driver.get(f"{national_assistant}/webhooks/webchat/")
    yield driver
    driver.quit()


def type_message(driver, text):
    """Type `text` in the box and press Enter, as a citizen does; the reply's first new bubble element."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    before = len(bot_texts(driver))
    driver.find_element(By.ID, "input").send_keys(text, Keys.ENTER)
    wait_bot_count(driver, before + 1)
    bubbles = driver.find_elements(By.CSS_SELECTOR, ".message.bot .bubble, .message.officer .bubble")
    top_in_view = driver.execute_script(
        "var l = document.getElementById('log').getBoundingClientRect(), b = arguments[0].getBoundingClientRect();"
        "return b.top >= l.top - 1 && b.top < l.bottom;", bubbles[before])
    assert top_in_view, f"the first line of the reply to {text!r} is scrolled out of view"
    # The question at the top of the screen, the reply under it: what a citizen reads first.
    question = driver.find_elements(By.CSS_SELECTOR, ".message.user")[-1]
    driver.execute_script("arguments[0].scrollIntoView({block: 'start'});", question)
    return bubbles[before]


def button_problems(driver) -> List[str]:
    """What is wrong with the quick-reply buttons under the reply (none shown, hidden, cut, duplicated)."""
    from selenium.webdriver.common.by import By

    buttons = driver.find_elements(By.CSS_SELECTOR, "#quick button")
    if not buttons:
        return ["no button under the reply"]
    problems = []
    labels = [b.text for b in buttons]
    for button, label in zip(buttons, labels):
        box = button.rect
        if not button.is_displayed() or box["x"] < 0 or box["x"] + box["width"] > PHONE_WIDTH + SCROLL_TOLERANCE:
            problems.append(f"button {label!r} is not fully on the screen ({box})")
        if label.rstrip().endswith(("…", "...")):
            problems.append(f"button label cut: {label!r}")
        if driver.execute_script("return arguments[0].scrollWidth > arguments[0].clientWidth + 1;", button):
            problems.append(f"button label overflows its button: {label!r}")
    if len(set(labels)) != len(labels):
        problems.append(f"duplicated button labels: {labels}")
    return problems


def reply_problems(driver, bubble, turn: Turn) -> List[str]:
    """Everything a citizen on a phone would find wrong with `bubble` as the reply to `turn`."""
    from selenium.webdriver.common.by import By

    text = bubble.text
    first_line = text.split("\n", 1)[0]
    lowered = text.lower()
    problems = []
    if f"(mã {turn.code})" not in first_line:
        problems.append(f"first line does not name (mã {turn.code}): {first_line!r}")
    if turn.header and turn.header not in first_line:
        problems.append(f"first line does not say {turn.header!r}: {first_line!r}")
    if len(text) > FIRST_BUBBLE_CHARS:
        problems.append(f"first bubble is {len(text)} characters (at most {FIRST_BUBBLE_CHARS})")
    links = [a.get_attribute("href") or "" for a in bubble.find_elements(By.TAG_NAME, "a")]
    if not any(href.startswith(PORTAL) and len(href) > len(PORTAL) for href in links):
        problems.append(f"no link to the procedure's page on {PORTAL} (links: {links})")
    if turn.kind in ("documents", "more") and not bubble.find_elements(By.CSS_SELECTOR, ".line.item"):
        problems.append("the documents are not shown as a list")
    if turn.kind == "fee" and not AMOUNT.search(text):
        problems.append("the fee answer states no amount in đồng")
    if turn.not_free and "miễn phí" in lowered:
        problems.append("the fee answer says 'miễn phí' although the record states a fee")
    if turn.kind == "time" and not TIME_WITH_UNIT.search(text):
        problems.append("the time answer has no number with a unit (ngày / giờ / tháng) nor 'trong ngày'")
    width = driver.execute_script("return document.documentElement.scrollWidth;")
    if width > PHONE_WIDTH + SCROLL_TOLERANCE:
        problems.append(f"the page scrolls sideways: scrollWidth {width} px on a {PHONE_WIDTH} px screen")
    return problems + button_problems(driver)


@pytest.mark.parametrize("turns", [turns for _, turns in CONVERSATIONS], ids=[name for name, _ in CONVERSATIONS])
def test_phone_reply_reads_like_an_officers_explanation(phone, turns):
    from selenium.webdriver.common.by import By

    phone.find_element(By.ID, "restart").click()  # a new conversation: no procedure carried over
    wait_bot_count(phone, 1)
    assert phone.execute_script("return window.innerWidth;") == PHONE_WIDTH
    found = {}
    for turn in turns:
        bubble = type_message(phone, turn.message)
        shot(phone, turn.shot)
        print(f"{turn.message!r} ->\n{bubble.text}\nbuttons: {[b.text for b in phone.find_elements(By.CSS_SELECTOR, '#quick button')]}")
        problems = reply_problems(phone, bubble, turn)
        if problems:
            found[turn.message] = problems + [f"reply: {bubble.text!r}"]
    assert not found, "\n".join(f"{message!r}:\n  " + "\n  ".join(problems) for message, problems in found.items())


def test_a_reply_taller_than_the_screen_is_shown_from_its_first_line(phone):
    """The steps of temporary residence fill more than a phone screen: the citizen sees the title and code first."""
    from selenium.webdriver.common.by import By

    phone.find_element(By.ID, "restart").click()
    wait_bot_count(phone, 1)
    bubble = type_message(phone, "các bước đăng ký tạm trú")  # asserts the reply's first line is in view on arrival
    assert "(mã 1.004194) — các bước thực hiện:" in bubble.text.splitlines()[0]
    taller = phone.execute_script("return arguments[0].offsetHeight > document.getElementById('log').clientHeight;", bubble)
    assert taller, "this reply no longer fills the screen: pick a longer one so the test keeps its meaning"
    shot(phone, "phone_tam_tru_cac_buoc")
