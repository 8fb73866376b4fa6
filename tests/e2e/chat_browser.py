"""Driving the chat page in a headless Chromium that poses as a 390 × 844 phone.

Shared by the browser tests; screenshots go to test-artifacts/webchat/
(TEST_ARTIFACTS to move them).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

CHROMIUM = os.environ.get("CHROMIUM_BINARY", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", PROJECT_ROOT / "test-artifacts")) / "webchat"
PHONE_WIDTH, PHONE_HEIGHT = 390, 844  # CSS pixels


def start_phone_browser():
    """A Chromium WebDriver with a phone's screen, touch and user agent; the caller quits it."""
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")) or not Path(CHROMEDRIVER).exists():
        pytest.fail("Chromium and ChromeDriver are needed (make test installs Debian's chromium and chromium-driver).")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--lang=vi-VN", "--disable-extensions"):
        options.add_argument(flag)
    options.add_experimental_option("mobileEmulation", {
        "deviceMetrics": {"width": PHONE_WIDTH, "height": PHONE_HEIGHT, "pixelRatio": 2.0, "touch": True},
        "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
                     "Chrome/126.0 Mobile Safari/537.36",
    })
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # console errors, CSP violations
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return driver


def shot(driver, name):
    """Save what the phone shows as ARTIFACTS/<name>.png; its path."""
    path = ARTIFACTS / f"{name}.png"
    driver.save_screenshot(str(path))
    print(f"screenshot: {path}")
    return path


def bot_texts(driver):
    return [el.text for el in driver.find_elements("css selector", ".message.bot .bubble, .message.officer .bubble")]


def wait_bot_count(driver, count, timeout=60):
    """The bot's and officers' bubbles once there are at least `count` and the page accepts a new message."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout).until(lambda d: len(bot_texts(d)) >= count and not d.find_element("id", "send").get_attribute("disabled"))
    return bot_texts(driver)


def ask(driver, text):
    """Put `text` in the box and submit; True if the typing indicator showed while the reply was on its way."""
    box = driver.find_element("id", "input")
    box.clear()
    driver.execute_script("arguments[0].value = arguments[1];", box, text)
    return driver.execute_script(
        "document.getElementById('composer').requestSubmit();"
        "return !document.getElementById('typing').hidden;"
    )
