"""A first visitor of a fresh server in Chromium: Transform draws its first picture before
scikit-learn is imported, with the probe bars "measuring…", and the live canvas then asks for
the probes (its "drawn" trigger), which arrive measured (pages/_ui/live_canvas.py)."""

from __future__ import annotations

import pytest

from bench.harness import serve

pytestmark = pytest.mark.browser

TIMEOUT_MS = 90_000  # only bounds a hang on the loaded machine
PROBE_TEXTS = '[data-testid="live-probes"] .lc-probe-text'

# The probe bars' texts when the live canvas first drew a picture (recorded as it happens).
RECORD_FIRST_PICTURE = (
    """
new MutationObserver(() => {
  if (window.__firstProbes || !document.querySelector('[data-testid="live-canvas"][data-frame]'))
    return;
  window.__firstProbes = [...document.querySelectorAll('"""
    + PROBE_TEXTS
    + """')].map(row => row.textContent);
}).observe(document, {subtree: true, childList: true, attributes: true});
"""
)
MEASURED_JS = (
    """() => {
  const rows = [...document.querySelectorAll('"""
    + PROBE_TEXTS
    + """')];
  return rows.length === 4 && rows.every(row => /^[^:]+: [0-9.]+%/.test(row.textContent));
}"""
)


def test_a_fresh_server_draws_transform_first_and_measures_the_probes_after(browser):
    # Its own server: the shared one may have imported scikit-learn for an earlier test.
    with serve(timeout=120) as (_, url):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        try:
            page = context.new_page()
            page.add_init_script(RECORD_FIRST_PICTURE)
            page.goto(url + "/Transform", timeout=TIMEOUT_MS)
            page.wait_for_function(MEASURED_JS, timeout=TIMEOUT_MS, polling=50)
            first = page.evaluate("window.__firstProbes")
            names = ["input", "layer 1", "layer 2", "layer 3"]
            assert first == [f"{name}: measuring…" for name in names]
            assert page.locator('[data-testid="stException"]').count() == 0
        finally:
            context.close()
