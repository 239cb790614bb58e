"""Re-make docs/img/dashboard-order.png: the demo world's dispatched order in the dashboard.

    .venv/bin/python docs/img/screenshot.py     (needs chromium and chromium-driver, as the browser test)
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import requests
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

OUT = Path(__file__).with_name("dashboard-order.png")

server = subprocess.Popen([sys.executable, "-m", "simulator", "serve", "--port", "0", "--db", "sqlite://",
                           "--demo", "--frozen-at", "1795408200"], stdout=subprocess.PIPE, text=True)
try:
    base = re.search(r"listening on (\S+)", server.stdout.readline()).group(1)
    orders = requests.get(f"{base}/_sim/orders?status=DISPATCHED").json()["orders"]
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1440,1200"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get(f"{base}/_sim/ui/orders/{orders[0]['order_id']}")
        driver.save_screenshot(str(OUT))
    finally:
        driver.quit()
finally:
    server.terminate()
    server.wait()
print(OUT)
