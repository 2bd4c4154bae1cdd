"""Shared pytest fixtures: a live Streamlit server and headless Chromium for `browser` tests,
and for AppTests the cache clearing and page openers (`clear_streamlit_caches`, `open_page`,
`open_script`) that every page test module shares.

Each pytest-xdist worker builds its own session fixtures, so each worker starts its own
server on its own free loopback port; nothing is shared between workers.

Without /usr/bin/chromium (Debian's `chromium` package) or the `playwright` module the browser
tests are skipped, except under `CI=true`, where a missing browser is a failure: CI must not
pass by running nothing.

Browser tests wait on the state they need (an element, a value in the DOM, a message on the
app's websocket), never for a fixed time. Every wait ends as soon as that state is there; its
timeout only bounds a hang, and is generous because the suite runs on a loaded 2-core machine
(two xdist workers, each with its own server and Chromium, beside the other tests), where a
first page with Plotly took well over the 30 s once allowed.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

# On a fresh server the Transform page's probes wait for scikit-learn, imported once the first
# picture is drawn (pages/_ui/live_canvas.py); AppTests run as a warm server does, with it
# imported, so every run measures its probes (tests/test_first_visit.py covers the wait).
import sklearn.datasets  # noqa: F401
import sklearn.linear_model  # noqa: F401
import streamlit as st
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.testing.v1 import AppTest

from bench.harness import CHROMIUM, CHROMIUM_ARGS

ROOT_DIR = Path(__file__).resolve().parents[1]
SCREENSHOT_DIR = ROOT_DIR / "tests" / "screenshots"
CHROMIUM_PATH = Path(CHROMIUM)  # Debian's build; flags shared with the benchmarks
SERVER_START_TIMEOUT_S = 120.0
TIMEOUT_MS = 90_000  # any single wait of a browser test: only bounds a hang
CLICK_ATTEMPTS = 5
LIVE_COMPONENT = "spacewarp.live_canvas"  # the live view's component (its registered name)
ANIMATION_COMPONENT = "spacewarp.animation_chart"  # the layer-by-layer animation's graph
# The value of the first st.metric whose label contains ``label``, as a number (-1 if absent).
# An st.metric, or a counter the Transform page's live canvas draws with its picture.
METRIC_JS = """label => {
  const metric = [...document.querySelectorAll(
    '[data-testid="stMetric"], [data-testid="live-metric"]')]
    .find(m => m.innerText.includes(label));
  if (!metric) return -1;
  return Number(metric.querySelector(
    '[data-testid="stMetricValue"], [data-testid="live-metric-value"]')
    .innerText.replace(/[^0-9.]/g, ''));
}"""


def _skip_or_fail(reason: str) -> None:
    # Under CI a missing browser must fail the run rather than silently skip it.
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true, so this is a failure, not a skip)")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_healthy(base_url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"streamlit exited with code {process.returncode}:\n{log_path.read_text()}"
            )
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    raise RuntimeError(
        f"streamlit not healthy after {SERVER_START_TIMEOUT_S:.0f} s:\n{log_path.read_text()}"
    )


class ServerUrl(str):
    """The server's base URL, with the ``pid`` of its process (a test can read its CPU time
    from ``/proc/<pid>/stat``)."""

    pid: int


@pytest.fixture(scope="session")
def streamlit_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerUrl]:
    """Run `streamlit run app.py` on a free loopback port; yield its base URL (a ``str``,
    whose ``pid`` is the server process)."""
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    log_path = tmp_path_factory.mktemp("streamlit") / "server.log"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
    ]
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command, cwd=ROOT_DIR, stdout=log, stderr=subprocess.STDOUT, text=True
        )
        try:
            _wait_until_healthy(base_url, process, log_path)
            server = ServerUrl(base_url)
            server.pid = process.pid
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (never a downloaded browser build)."""
    if not CHROMIUM_PATH.exists():
        _skip_or_fail(f"{CHROMIUM_PATH} not found; install it with `apt-get install chromium`")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _skip_or_fail("the playwright module is not installed (pip install playwright)")

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM_PATH), args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser, streamlit_server):
    """A fresh 1280×900 browser page; closed after the test."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    browser_page = context.new_page()
    browser_page.set_default_timeout(TIMEOUT_MS)
    browser_page.set_default_navigation_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    try:
        yield browser_page
    finally:
        context.close()


def _message(kind, payload):
    if isinstance(payload, str):
        return None
    try:
        return kind.FromString(payload)
    except Exception:  # noqa: BLE001 - protobuf's DecodeError: not a message of this kind
        return None


def _is_fragment_run_finished(payload) -> bool:
    message = _message(ForwardMsg, payload)
    return (
        message is not None
        and message.WhichOneof("type") == "script_finished"
        and message.script_finished == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
    )


def _is_full_rerun(payload) -> bool:
    # What the browser sends when a widget changes: a rerun of the whole script (a fragment's
    # timer sends reruns too, but they name the fragment).
    message = _message(BackMsg, payload)
    return (
        message is not None
        and message.WhichOneof("type") == "rerun_script"
        and not message.rerun_script.fragment_id
    )


class AppSession:
    """The page's Streamlit session seen through its websocket, in Streamlit's own messages.

    A click on a widget either reaches the server as a rerun request or is lost (it can land
    while a ticking fragment swaps the element). Retrying on a timeout of the *result* could
    press a toggle twice on a slow machine; retrying only when no rerun request left the
    browser cannot.
    """

    def __init__(self, page) -> None:
        self.page = page
        self._sockets = []
        page.on("websocket", lambda socket: self._sockets.append(socket))

    @property
    def socket(self):
        streams = [ws for ws in self._sockets if ws.url.endswith("/_stcore/stream")]
        assert streams, "the page has not opened its Streamlit websocket"
        return streams[-1]

    @contextmanager
    def expect_rerun(self, timeout: float = 20_000):
        """The block must make the browser request a rerun of the script."""
        with self.socket.expect_event("framesent", predicate=_is_full_rerun, timeout=timeout):
            yield

    def click(self, locator) -> None:
        """Click a widget until the click reaches the server (a rerun request is sent)."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        for _ in range(CLICK_ATTEMPTS):
            locator.wait_for(state="visible")  # outside the timed block: only the click is timed
            try:
                with self.expect_rerun():
                    locator.click()
                return
            except PlaywrightTimeout:
                continue
        raise AssertionError(f"no click on {locator} reached the server")

    def pause(self) -> None:
        """Press Pause until the button reads Play again.

        Under a loaded full suite, one Pause click in a few hundred reached the server as a
        rerun request yet the page went on playing (not reproduced by hand: 24 presses under
        three busy loops all took 0.3-2.0 s). Pressing again only while the label still says
        Pause cannot toggle twice: a page that still shows Pause is still playing.
        """
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        for _ in range(CLICK_ATTEMPTS):
            self.click(self.page.get_by_role("button", name="Pause"))
            try:
                self.page.get_by_role("button", name="Play").wait_for(
                    state="visible", timeout=20_000
                )
                return
            except PlaywrightTimeout:
                continue
        raise AssertionError("the page kept playing after every Pause")

    def choose(self, widget, option: str) -> None:
        """Open a selectbox or multiselect and pick ``option``, until the choice is sent."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        for _ in range(CLICK_ATTEMPTS):
            widget.click()
            try:
                with self.expect_rerun():
                    self.page.get_by_role("option", name=option, exact=True).click(timeout=10_000)
                return
            except PlaywrightTimeout:  # the list closed under a rerun: open it again
                self.page.keyboard.press("Escape")
        raise AssertionError(f"could not choose {option!r}")

    def wait_for_fragment_runs(self, count: int) -> None:
        """Return after ``count`` more fragment runs (timer ticks) finished on the server."""
        for _ in range(count):
            self.socket.wait_for_event(
                "framereceived", predicate=_is_fragment_run_finished, timeout=TIMEOUT_MS
            )

    def metric(self, label: str) -> float:
        """The number an ``st.metric`` shows now (-1 while it is not on the page)."""
        return self.page.evaluate(METRIC_JS, label)

    def wait_for_metric(self, label: str, condition: str) -> None:
        """Wait until the metric's value ``v`` meets ``condition``, a JS test such as "v >= 3"."""
        self.page.wait_for_function(
            f"label => {{ const v = ({METRIC_JS})(label); return {condition}; }}", arg=label
        )

    def next_paint(self) -> None:
        """Wait until the browser has painted twice more (WebGL draws on the next frame)."""
        self.page.evaluate(
            "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
        )


@pytest.fixture
def app(page) -> AppSession:
    """The page's Streamlit session: clicks that reach the server, fragment ticks, paints."""
    return AppSession(page)


@pytest.fixture
def screenshot(page):
    """`screenshot(name)` saves the page as `tests/screenshots/<name>.png`, returns the path."""

    def save(name: str, *, full_page: bool = True) -> Path:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOT_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return save


@pytest.fixture
def live_view():
    """`live_view(at)`: the data an AppTest run sent the Transform page's live canvas
    (pages/_ui/live_canvas.py), as the browser receives it."""

    def read(at) -> dict:
        (element,) = [
            e for e in at.get("bidi_component") if e.proto.component_name == LIVE_COMPONENT
        ]
        return json.loads(element.proto.json)

    return read


@pytest.fixture
def counters(live_view):
    """`counters(at)`: {label: value} of the counters the live canvas draws above the current
    picture (Epoch, accuracies, loss) on the Transform page."""
    return lambda at: dict(live_view(at)["frames"][-1]["counters"])


@pytest.fixture
def clear_streamlit_caches() -> Iterator[None]:
    """Empty Streamlit's caches before and after the test. Every AppTest run in the process
    shares ``st.cache_data`` and ``st.cache_resource`` (the latter outlives the runs), so a
    page test would otherwise see what an earlier test computed. A module of AppTests opts in
    with ``pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")``."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def open_page():
    """``open_page(page, experiment=None, query=None, timeout=60)``: an AppTest of ``page``
    entered from the home page, as a visitor does (a page's links resolve only when
    ``app.py`` is the main script), after ``query`` went into the URL and ``experiment`` into
    the session as the Transform page's network; the page must run without an exception."""

    def run(page: str, experiment=None, query: dict | None = None, timeout: float = 60):
        at = AppTest.from_file(str(ROOT_DIR / "app.py"), default_timeout=timeout)
        for key, value in (query or {}).items():
            at.query_params[key] = value
        if experiment is not None:
            at.session_state["transform"] = experiment
        at.run()
        at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return run


@pytest.fixture
def open_script():
    """``open_script(path, timeout=60)``: an AppTest of the script at ``path`` run as the
    entry point, at its defaults; it must run without an exception."""

    def run(path: str, timeout: float = 60):
        at = AppTest.from_file(path, default_timeout=timeout)
        at.run()
        assert not at.exception
        return at

    return run


@pytest.fixture
def animation_spec():
    """`animation_spec(at)`: the Plotly figure (JSON as a dict) an AppTest run sent the
    Transform page's layer-by-layer graph (pages/_ui/animation_chart.py)."""

    def read(at) -> dict:
        (element,) = [
            e for e in at.get("bidi_component") if e.proto.component_name == ANIMATION_COMPONENT
        ]
        return json.loads(json.loads(element.proto.json)["figure"])

    return read


@pytest.fixture
def transform(open_page):
    """The Transform page entered from the home page, as a visitor does (an AppTest)."""
    return open_page("pages/1_Transform.py")
