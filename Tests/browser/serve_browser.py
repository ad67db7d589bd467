"""Drives reel serve's pages in Debian's headless Chromium (selenium + chromium-driver).

Usage: serve_browser.py URL LIBRARY ARTIFACTS
Checks the gallery, Save (against the catalog, with sqlite3), the item page's video (plays, seeks with a Range
request answered 206), the scrub preview (the VTT's tile for the hovered time), the lineage graph's links and a
planted <script> name (never runs). Saves a screenshot of each page into ARTIFACTS. Exits 1 naming the first
check that failed."""
import json
import os
import re
import sqlite3
import sys
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

base, library, artifacts = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(artifacts, exist_ok=True)
catalog = sqlite3.connect(os.path.join(library, "catalog.sqlite"))


def sql(query, *args):
    return catalog.execute(query, args).fetchall()


def check(condition, message):
    if not condition:
        print("FAILED: " + message, file=sys.stderr)
        sys.exit(1)
    print("ok: " + message)


def wait(condition, seconds=10):
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    return condition()


options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--autoplay-policy=no-user-gesture-required",
                 "--window-size=1280,900", "--mute-audio"]:
    options.add_argument(argument)
options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
try:
    # Gallery: every item of the library, drafts and saved marked.
    driver.get(base + "/?per_page=100")
    cards = driver.find_elements(By.CSS_SELECTOR, "#gallery .card")
    (count,) = sql("SELECT COUNT(*) FROM items")[0]
    check(len(cards) == count, f"the gallery shows the library's {count} items ({len(cards)})")
    check(driver.execute_script("return window.reelPwned === undefined"), "the planted <script> name did not run")
    planted = sql("SELECT id FROM items WHERE name LIKE '<script>%'")[0][0]
    shown = driver.find_element(By.CSS_SELECTOR, f'.card[data-id="{planted}"] .name').text
    check(shown.startswith("<script>window.reelPwned=1</script>"), "the planted name shows as text")
    driver.save_screenshot(os.path.join(artifacts, "gallery.png"))

    # Save: the button marks the item saved, in the page and in the catalog.
    draft = sql("SELECT id FROM items WHERE saved = 0 AND kind = 'video' ORDER BY created_at DESC LIMIT 1")[0][0]
    driver.find_element(By.CSS_SELECTOR, f'button.save[data-id="{draft}"]').click()
    card = f'.card[data-id="{draft}"]'
    check(wait(lambda: "saved" in driver.find_element(By.CSS_SELECTOR, card).get_attribute("class").split()),
          "clicking Save marks the card saved")
    check(wait(lambda: sql("SELECT saved FROM items WHERE id = ?", draft)[0][0] == 1), "the catalog says saved")
    driver.save_screenshot(os.path.join(artifacts, "gallery-saved.png"))

    # Item page: the episode (stitched, with a sprite and its VTT).
    episode = sql("SELECT item_id FROM lineage WHERE role = 'input' LIMIT 1")[0][0]
    driver.get_log("performance")  # drop what the gallery loaded
    driver.get(base + "/items/" + episode)
    video = driver.find_element(By.ID, "player")
    check(wait(lambda: driver.execute_script("return arguments[0].readyState >= 2", video)), "the video loads")
    driver.execute_script("arguments[0].play()", video)
    check(wait(lambda: driver.execute_script("return arguments[0].currentTime", video) > 0.5),
          "the video plays (currentTime advances)")
    # Chromium asks for media with Range requests from the first one (`bytes=0-`); a clip this small may arrive
    # whole in that first answer, so every request for it since the page loaded counts.
    driver.execute_script("arguments[0].currentTime = 12", video)
    check(wait(lambda: driver.execute_script("return arguments[0].currentTime >= 12 && !arguments[0].seeking",
                                             video)), "the video seeks to 12 s")
    statuses = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.responseReceived":
            response = message["params"]["response"]
            if f"/api/items/{episode}/content" in response["url"]:
                statuses.append((response["status"], response["headers"].get("Content-Range", "")))
    check(any(status == 206 and content_range.startswith("bytes ") for status, content_range in statuses),
          f"the player's Range requests were answered 206 with a Content-Range ({statuses})")

    # Scrub preview: hovering at a time shows the tile the VTT gives for it.
    bar = driver.find_element(By.ID, "scrub")
    check(wait(lambda: bar.get_attribute("data-ready") == "true"), "the scrub bar loaded its VTT")
    vtt_url = bar.get_attribute("data-vtt")
    vtt = urllib.request.urlopen(base + vtt_url if vtt_url.startswith("/") else vtt_url).read().decode()
    cues = []
    for start, end, x, y in re.findall(
            r"(\d+:\d+:\d+\.\d+|\d+:\d+\.\d+) --> (\d+:\d+:\d+\.\d+|\d+:\d+\.\d+)\s*\n[^\n]*#xywh=(\d+),(\d+),", vtt):
        def seconds(text):
            total = 0.0
            for part in text.split(":"):
                total = total * 60 + float(part)
            return total
        cues.append((seconds(start), seconds(end), int(x), int(y)))
    width = bar.size["width"]
    duration = driver.execute_script("return arguments[0].duration", video)
    fraction = 0.7
    ActionChains(driver).move_to_element_with_offset(bar, int(width * fraction - width / 2), 0).perform()
    tile = driver.find_element(By.ID, "scrub-tile")
    check(wait(lambda: tile.value_of_css_property("display") == "block"), "hovering shows the preview tile")
    hovered = float(tile.get_attribute("data-time"))
    check(abs(hovered - duration * fraction) < duration * 0.02, f"the preview is for the hovered time ({hovered})")
    expected = next(c for c in cues if c[0] <= hovered < c[1])
    position = tile.value_of_css_property("background-position")
    check(position == f"{-expected[2]}px {-expected[3]}px",
          f"the tile is the VTT's #xywh for {hovered:.2f} s: {position} (expected x={expected[2]} y={expected[3]})")
    check(bar.get_attribute("data-sprite") in tile.value_of_css_property("background-image"),
          "the tile shows the sprite sheet")
    driver.save_screenshot(os.path.join(artifacts, "item.png"))

    # Lineage: the graph links to each input, and a click goes there.
    inputs = {row[0] for row in sql("SELECT input_id FROM lineage WHERE item_id = ? AND role = 'input'", episode)}
    links = driver.find_elements(By.CSS_SELECTOR, "#lineage a[data-role='input']")
    hrefs = {link.get_dom_attribute("href").rsplit("/", 1)[-1] for link in links}
    check(hrefs == inputs, f"the lineage graph links to the {len(inputs)} inputs")
    first = sorted(inputs)[0]
    target = next(link for link in links if link.get_dom_attribute("href").endswith(first))
    driver.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", target)
    check(wait(lambda: driver.current_url.endswith("/items/" + first)), "clicking an input opens its page")

    # The planted item's own page: its name is text, nothing ran.
    driver.get(base + "/items/" + planted)
    check(driver.execute_script("return window.reelPwned === undefined"), "the planted name did not run on its page")
    check(driver.find_element(By.TAG_NAME, "h1").text.startswith("<script>"), "its heading shows the name as text")

    for name, path in [("runs", "/runs"), ("stats", "/stats")]:
        driver.get(base + path)
        driver.save_screenshot(os.path.join(artifacts, name + ".png"))
    run = sql("SELECT id FROM runs LIMIT 1")[0][0]
    driver.get(base + "/runs/" + run)
    stages = driver.find_elements(By.CSS_SELECTOR, "#stages tr")
    check(len(stages) == 1 + sql("SELECT COUNT(*) FROM run_stages WHERE run_id = ?", run)[0][0],
          "the run page lists every stage")
    driver.save_screenshot(os.path.join(artifacts, "run.png"))
    driver.get(base + "/stats")
    bars = driver.find_elements(By.CSS_SELECTOR, "#by-kind rect")
    check(len(bars) == sql("SELECT COUNT(DISTINCT kind) FROM items")[0][0], "the stats chart has a bar per kind")
finally:
    driver.quit()
