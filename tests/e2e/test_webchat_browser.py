"""The chat page in a real headless Chromium, on a phone-sized window.

Screenshots are kept in test-artifacts/webchat/ (TEST_ARTIFACTS to move them).
"""
from __future__ import annotations

import re

import pytest

from tests.e2e.chat_browser import ask, bot_texts, shot, start_phone_browser, wait_bot_count

pytestmark = pytest.mark.e2e

INJECTION = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script><b>đậm</b>'


@pytest.fixture(scope="module")
def browser():
    driver = start_phone_browser()
    yield driver
    driver.quit()


def test_ask_tap_rate_reload_and_stay_safe(browser, assistant, officer):
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(f"{assistant}/webhooks/webchat")  # without the slash: redirected
    assert driver.title == "Trợ lý thủ tục hành chính"
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "vi"
    start = len(wait_bot_count(driver, 1))  # the welcome
    assert "trợ lý ảo" in bot_texts(driver)[0]
    assert [b.text for b in driver.find_elements(By.CSS_SELECTOR, "#quick button")][:1] == ["Làm căn cước cần giấy tờ gì?"]

    # A question: the typing indicator shows, the answer names the procedure's code.
    assert ask(driver, "đăng ký khai sinh cần giấy tờ gì") is True
    answer = wait_bot_count(driver, start + 1)[-1]
    assert "(mã 1.001193)" in answer and "Tờ khai đăng ký khai sinh" in answer
    assert driver.find_element(By.ID, "typing").get_attribute("hidden") is not None
    items = driver.find_elements(By.CSS_SELECTOR, ".message.bot:last-of-type .line.item")
    assert len(items) >= 3, "the documents are shown as a list"
    # The page is phone-sized and does not scroll sideways.
    assert driver.execute_script("return window.innerWidth") == 390
    assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    shot(driver, "1-answer")

    # Buttons are quick replies; feedback is offered separately.
    quick = {b.text: b for b in driver.find_elements(By.CSS_SELECTOR, "#quick button")}
    assert "Lệ phí" in quick and "Hữu ích" not in quick
    feedback = driver.find_elements(By.CSS_SELECTOR, ".message.bot:last-of-type .feedback button")
    assert [b.text for b in feedback] == ["Hữu ích", "Chưa hữu ích"]
    quick["Lệ phí"].click()
    fee = wait_bot_count(driver, start + 2)[-1]
    assert "(mã 1.001193)" in fee and "lệ phí" in fee.lower()
    user_bubbles = [el.text for el in driver.find_elements(By.CSS_SELECTOR, ".message.user .bubble")]
    assert user_bubbles[-1] == "Lệ phí"  # the label, not the payload

    before = len(bot_texts(driver))
    driver.find_elements(By.CSS_SELECTOR, ".message.bot:last-of-type .feedback button")[0].click()
    thanks = wait_bot_count(driver, before + 1)[-1]
    assert "cảm ơn" in thanks.lower()
    rated = driver.find_elements(By.CSS_SELECTOR, ".feedback button[aria-pressed='true']")
    assert [b.text for b in rated] == ["Hữu ích"]
    shot(driver, "2-button-and-feedback")

    # A reload keeps the conversation and the conversation id, which the server issued (signed).
    sender = driver.execute_script("return window.TTHC_CHAT.sender()")
    assert re.fullmatch(r"[A-Za-z0-9_-]{24}\.[A-Za-z0-9_-]{43}", sender)
    shown = bot_texts(driver)
    driver.refresh()
    assert bot_texts(driver) == shown
    assert driver.execute_script("return window.TTHC_CHAT.sender()") == sender
    shot(driver, "3-after-reload")

    # HTML from the user, typed and sent with the Enter key, is shown as text, never run.
    from selenium.webdriver.common.keys import Keys

    driver.find_element(By.ID, "input").send_keys(INJECTION, Keys.ENTER)
    wait_bot_count(driver, len(shown) + 1)
    last_user = driver.find_elements(By.CSS_SELECTOR, ".message.user .bubble")[-1]
    assert last_user.text == INJECTION
    assert driver.find_elements(By.CSS_SELECTOR, "#log img, #log script, #log b") == []
    assert driver.execute_script("return window.__xss") is None

    # An officer's reply arrives by polling, HTML in it stays text, web addresses become safe links.
    ask(driver, "cho tôi gặp cán bộ")
    handed = wait_bot_count(driver, len(shown) + 2)[-1]
    assert "yêu cầu hỗ trợ số" in handed
    (ticket,) = [t for t in officer("GET", "/tickets").json()["tickets"]
                 if t["conversation_id"] == f"webchat:{sender}"]
    assert ticket["channel"] == "webchat"
    reply = ("Chào bạn <img src=x onerror=window.__xss=3>, bạn xem thêm tại dichvucong.gov.vn "
             "hoặc javascript:alert(1), hoặc gọi 1800 1096.")
    assert officer("POST", f"/tickets/{ticket['id']}/reply", json={"officer": "Cán bộ Mai", "text": reply}).ok
    driver.execute_script("window.TTHC_CHAT.pollNow()")
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".message.officer"))
    bubble = driver.find_elements(By.CSS_SELECTOR, ".message.officer .bubble")[-1]
    assert bubble.text == reply
    links = {a.text: a.get_attribute("href") for a in bubble.find_elements(By.TAG_NAME, "a")}
    assert links == {"dichvucong.gov.vn": "https://dichvucong.gov.vn/", "1800 1096": "tel:18001096"}
    assert driver.find_elements(By.CSS_SELECTOR, "#log img") == [] and driver.execute_script("return window.__xss") is None
    shot(driver, "4-officer-reply")
    officer("POST", f"/tickets/{ticket['id']}/release", json={"officer": "Cán bộ Mai"})

    # No script error and no Content-Security-Policy violation on the way.
    problems = [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    assert problems == []


def test_a_message_that_could_not_be_sent_is_kept_and_resent(browser, assistant):
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(f"{assistant}/webhooks/webchat/")
    driver.find_element(By.ID, "restart").click()
    start = len(wait_bot_count(driver, 1))
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*/webhooks/webchat/webhook*"]})
    try:
        ask(driver, "lệ phí đăng ký kết hôn")
        wait_bot_count(driver, start, timeout=30)
        from selenium.webdriver.support.ui import WebDriverWait

        WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".message.failed"))
        system = driver.find_elements(By.CSS_SELECTOR, ".message.system .bubble")[-1].text
        assert "Chưa gửi được" in system
        shot(driver, "5-offline")
    finally:
        driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
    driver.find_element(By.CSS_SELECTOR, ".message.failed .retry").click()
    answer = wait_bot_count(driver, start + 1)[-1]
    assert "(mã 1.000894)" in answer
    assert driver.find_elements(By.CSS_SELECTOR, ".message.failed") == []
    assert [el.text for el in driver.find_elements(By.CSS_SELECTOR, ".message.user .bubble")] == ["lệ phí đăng ký kết hôn"]


def test_page_headers_and_assets(assistant):
    import requests

    page = requests.get(f"{assistant}/webhooks/webchat/", timeout=30)
    assert page.ok and page.headers["Content-Type"].startswith("text/html")
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "default-src 'none'" in policy and "'unsafe-inline'" not in policy
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert requests.get(f"{assistant}/webhooks/webchat/static/chat.js", timeout=30).ok
    for bad in ("index.html", "..%2Fwebchat.py", "chat.js%00.png", "../../credentials.yml"):
        assert requests.get(f"{assistant}/webhooks/webchat/static/{bad}", timeout=30).status_code == 404
    # The page's own message endpoint is the REST one, under its channel name, with a sender it issued.
    sender = requests.post(f"{assistant}/webhooks/webchat/conversations", timeout=30).json()["sender"]
    reply = requests.post(f"{assistant}/webhooks/webchat/webhook", json={"sender": sender, "message": "lệ phí làm hộ chiếu"}, timeout=60)
    assert reply.ok and any("(mã " in (r.get("text") or "") for r in reply.json())
    made_up = requests.post(f"{assistant}/webhooks/webchat/webhook", json={"sender": "web-headers", "message": "xin chào"},
                            timeout=60)
    assert made_up.status_code == 403 and "/webhooks/webchat/conversations" in made_up.json()["error"]
    assert requests.post(f"{assistant}/webhooks/webchat/webhook", data=b"\x00\xff", timeout=30).status_code == 400


def test_a_sender_the_server_refuses_is_replaced_and_the_message_still_goes(browser, assistant):
    """A page that kept a sender the server did not issue (an older page, a tampered one) gets a new one."""
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(f"{assistant}/webhooks/webchat/")
    driver.find_element(By.ID, "restart").click()
    start = len(wait_bot_count(driver, 1))
    driver.execute_script(
        "var s = JSON.parse(sessionStorage.getItem('tthc-webchat-v1'));"
        "s.sender = 'web-0f0e0d0c-made-up'; sessionStorage.setItem('tthc-webchat-v1', JSON.stringify(s));")
    driver.refresh()
    assert driver.execute_script("return window.TTHC_CHAT.sender()") == "web-0f0e0d0c-made-up"
    ask(driver, "lệ phí đăng ký kết hôn")
    answer = wait_bot_count(driver, start + 1)[-1]
    assert "(mã 1.000894)" in answer
    sender = driver.execute_script("return window.TTHC_CHAT.sender()")
    assert sender != "web-0f0e0d0c-made-up" and re.fullmatch(r"[A-Za-z0-9_-]{24}\.[A-Za-z0-9_-]{43}", sender)
    assert driver.find_elements(By.CSS_SELECTOR, ".message.failed, .message.system") == []
