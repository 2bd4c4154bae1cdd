"""Shared pieces of the browser benchmarks: a Streamlit server, its memory, and page probes.

``serve()`` runs ``streamlit run app.py`` on a free loopback port (so parallel runs and pytest
workers never collide) and stops it afterwards; ``RssSampler`` samples the server's resident
memory (the process and its children, read from /proc, no psutil needed) on a background
thread. The JavaScript snippets read the Transform page the way a person sees it: the metric
values, the sidebar widgets, and a signature of the layer-by-layer Plotly figure's data.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# {label: value} of every st.metric on the page and every counter the Transform page's live
# canvas draws with its picture, in one round trip.
METRICS_JS = """() => Object.fromEntries([...document.querySelectorAll(
    '[data-testid="stMetric"], [data-testid="live-metric"]')]
  .map(m => [m.querySelector('[data-testid="stMetricLabel"], [data-testid="live-metric-label"]')
               ?.innerText.trim(),
             m.querySelector('[data-testid="stMetricValue"], [data-testid="live-metric-value"]')
               ?.innerText.trim()]))"""

# What the sidebar shows: the URL, each selectbox's shown value, each slider's value, the seed.
SIDEBAR_JS = """() => {
  const side = document.querySelector('[data-testid="stSidebar"]');
  if (!side) return null;  // between two renders, or the page is not (yet) an app page
  const label = w => w.querySelector('[data-testid="stWidgetLabel"]')?.innerText.trim();
  const selects = Object.fromEntries([...side.querySelectorAll('[data-testid="stSelectbox"]')]
    .map(w => [label(w), w.querySelector('input[role="combobox"]')?.value]));
  const sliders = Object.fromEntries([...side.querySelectorAll('[data-testid="stSlider"]')]
    .map(w => [label(w), w.querySelector('input[type="range"]')?.value]));
  const seed = side.querySelector('[data-testid="stNumberInput"] input')?.value;
  return {url: location.href, selects, sliders, seed,
          exceptions: document.querySelectorAll('[data-testid="stException"]').length};
}"""

# A signature of the last Plotly figure's data (the Transform page's layer-by-layer figure):
# trace types, lengths and the first decoded coordinates. New data gives a new signature.
CHART_SIGNATURE_JS = """() => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')].pop();
  if (!gd || !gd._fullData) return null;
  return gd._fullData.map(t => t.type + ':' + (t.x ? t.x.length + ':' +
    Array.from(t.x.slice(0, 6)).map(v => Number(v).toFixed(5)).join(',') : '')).join('|');
}"""

# Milliseconds from ``start`` (a performance.now() taken before the key press) until the address
# bar changed (the rerun reached ``write_url``) and until the chart signature differs from
# ``before`` (the new figure is drawn); polled every 10 ms; null for what did not happen within
# ``timeout`` ms.
WAIT_CHART_JS = (
    """async ([before, start, timeout]) => {
  const signature = """
    + CHART_SIGNATURE_JS
    + """;
  const search = location.search;
  let url = null;
  while (performance.now() - start < timeout) {
    if (url === null && location.search !== search) url = performance.now() - start;
    const now = signature();
    if (now !== null && now !== before) return {url, chart: performance.now() - start};
    await new Promise(r => setTimeout(r, 10));
  }
  return {url, chart: null};
}"""
)


def number(text: str | None) -> float:
    """The number in a metric's text ("1,234", "98.4%"); 0 when there is none."""
    return float(re.sub(r"[^0-9.]", "", text or "") or 0)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve(
    log_path: Path | None = None,
    timeout: float = 60.0,
    options: tuple[str, ...] = (),
    root: Path = ROOT,
) -> Iterator[tuple[int, str]]:
    """Run the app on a free loopback port; yield (server pid, base URL); stop it afterwards.

    ``options`` are extra ``streamlit run`` flags, e.g. ``("--runner.postScriptGC", "false")``
    to try a configuration before it goes into ``.streamlit/config.toml``; ``root`` is the
    checkout to serve (another version of the app, to compare in the same run).
    """
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true"]
    command += ["--server.address", "127.0.0.1", "--server.port", str(port), *options]
    log = log_path.open("w") if log_path else subprocess.DEVNULL
    process = subprocess.Popen(command, cwd=root, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start (exit code {process.poll()})")
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.25)
        yield process.pid, url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if log_path:
            log.close()


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and all its descendants in MB (VmRSS from /proc)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue  # the process ended between listing and reading
        match = re.search(r"VmRSS:\s+(\d+) kB", status)
        total += int(match.group(1)) if match else 0
        pending += _children(current)
    return total / 1024


class RssSampler:
    """Samples the server every ``interval`` s on a daemon thread: ``samples`` holds (seconds
    since start, RSS MB, server CPU seconds, client CPU seconds, machine busy jiffies, machine
    total jiffies, label); ``label`` tags what the benchmark is doing at the time. The client
    is this process and its other descendants: the Playwright driver and Chromium."""

    def __init__(self, pid: int, interval: float = 1.0) -> None:
        self.pid, self.interval, self.label = pid, interval, "idle"
        self.samples: list[tuple[float, float, float, float, int, int, str]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._start = time.monotonic()

    def _run(self) -> None:
        while not self._stop.is_set():
            now, server = time.monotonic() - self._start, cpu_seconds(self.pid)
            client = cpu_seconds(os.getpid()) - server
            busy, total = machine_jiffies()
            self.samples.append((now, rss_mb(self.pid), server, client, busy, total, self.label))
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def labelled(self, label: str) -> list[float]:
        """RSS samples (MB) taken under ``label``."""
        return [sample[1] for sample in self.samples if sample[-1] == label]

    def cpu(self, label: str) -> tuple[float, float, float]:
        """(server CPU in cores, client CPU in cores, whole machine busy share) over the
        samples under ``label``."""
        tagged = [sample for sample in self.samples if sample[-1] == label]
        if len(tagged) < 2:
            return float("nan"), float("nan"), float("nan")
        first, last = tagged[0], tagged[-1]
        seconds = last[0] - first[0]
        server, client = (last[2] - first[2]) / seconds, (last[3] - first[3]) / seconds
        return server, client, (last[4] - first[4]) / max(last[5] - first[5], 1)

    def server_cpu_seconds(self, label: str) -> float:
        """CPU seconds the server process (and its children) used over the samples under
        ``label``: the server alone, never the browsers that drive it."""
        tagged = [sample for sample in self.samples if sample[-1] == label]
        return tagged[-1][2] - tagged[0][2] if len(tagged) > 1 else float("nan")

    def latest(self) -> float:
        return self.samples[-1][1] if self.samples else rss_mb(self.pid)


def machine_jiffies() -> tuple[int, int]:
    """(busy, total) CPU jiffies of the whole machine so far, all cores (/proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def log_errors(text: str) -> list[str]:
    """The distinct exception lines (``module.Error: message``) after tracebacks in the log."""
    found, inside = [], False
    for line in text.splitlines():
        if line.startswith("Traceback"):
            inside = True
        elif inside and line and not line[0].isspace() and not line.startswith("During"):
            inside = False
            if line not in found:
                found.append(line)
    return found


def load_average() -> str:
    """The 1/5/15-minute load averages: other work on the 2-core machine skews timings."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds used so far by ``pid`` and its descendants (/proc/PID/stat)."""
    ticks, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15 of stat)
        pending += _children(current)
    return ticks / os.sysconf("SC_CLK_TCK")
