"""A headless Chromium session (Debian's chromium + chromium-driver) through selenium.

Used to photograph maps for slides and by the browser tests, which also ask it
to block the network and to keep console and network logs.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from ctz.base import CtzError

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_FLAGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
"""Flags that run Chromium headless on a server without a sandbox or GPU."""
OFFLINE_FLAG = "--host-resolver-rules=MAP * ~NOTFOUND"
"""Resolve no host name: every request to the network fails at once."""

MAP_IDLE_JS = """
if (typeof L === "undefined") { return false; }
const maps = [];
for (const key of Object.keys(window)) {
    try { if (window[key] instanceof L.Map) { maps.push(window[key]); } } catch (e) {}
}
if (!maps.length) { return false; }
let idle = true;
maps.forEach(function (map) {
    map.eachLayer(function (layer) {
        if (layer instanceof L.GridLayer && layer.isLoading()) { idle = false; }
    });
});
return idle;
"""
"""True once Leaflet has drawn a map and no tile layer is still loading."""
TILES_LOADED_JS = """
return document.querySelectorAll("img.leaflet-tile-loaded").length;
"""
"""How many basemap tiles the page shows (Leaflet marks only tiles that loaded)."""


def chromium_paths() -> tuple[str, str] | None:
    """Return the Chromium and chromedriver executables, or None when either is missing."""
    browser = next((p for p in map(shutil.which, CHROMIUM_NAMES) if p), None)
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


@contextmanager
def headless_chromium(
    width: int, height: int, *, offline: bool = False, logs: bool = False
) -> Iterator[WebDriver]:
    """Start headless Chromium with a viewport of exactly ``width`` × ``height`` pixels.

    Parameters
    ----------
    width, height
        Viewport size in CSS pixels (device scale 1, so screenshots match).
    offline
        Block every network request by failing host-name resolution.
    logs
        Keep the console (``browser``) and network (``performance``) logs.

    Yields
    ------
    selenium.webdriver.Chrome
        The driver; it quits, and its fresh profile folder is removed, on exit.

    Raises
    ------
    CtzError
        When Chromium or chromedriver is not installed or does not start.
    """
    from selenium import webdriver
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.chrome.service import Service

    paths = chromium_paths()
    if paths is None:
        raise CtzError("headless Chromium not found: install Debian's chromium and chromium-driver")
    with tempfile.TemporaryDirectory(prefix="ctz-chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = paths[0]
        for flag in (
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
        ):
            options.add_argument(flag)
        if offline:
            options.add_argument(OFFLINE_FLAG)
        if logs:
            options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
        try:
            driver = webdriver.Chrome(service=Service(paths[1]), options=options)
        except WebDriverException as error:
            raise CtzError(f"headless Chromium did not start: {error.msg}") from error
        try:
            driver.execute_cdp_cmd(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            )
            yield driver
        finally:
            driver.quit()


def tiles_loaded(driver: WebDriver) -> int:
    """Return how many basemap tiles loaded in the page open in ``driver``."""
    return int(driver.execute_script(TILES_LOADED_JS))


def open_map(driver: WebDriver, html: Path, timeout_s: float = 20.0) -> bool:
    """Load a map file and wait until Leaflet has drawn it and its tiles settled.

    Parameters
    ----------
    driver
        A driver from :func:`headless_chromium`.
    html
        The map's HTML file.
    timeout_s
        Give up waiting after this many seconds (tiles may be slow or unreachable).

    Returns
    -------
    bool
        Whether the map became idle before the timeout.
    """
    driver.get(html.resolve().as_uri())
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if driver.execute_script(MAP_IDLE_JS):
            # Let the last tiles fade in and the vectors paint.
            time.sleep(0.4)
            return True
        time.sleep(0.1)
    return False
