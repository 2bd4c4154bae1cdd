"""The offline HTML export opened in Chromium from a file: it plays, and fetches nothing."""

from __future__ import annotations

import pytest

from core.experiment import Experiment, Settings
from core.figures.transform import transform_figure
from core.labs.network_stages import frames_per_stage, network_animation, stage_summary
from core.labs.plane import grid_lines
from pages._ui.state import AnimationSnapshot
from pages._ui.transfer import animation_page

pytestmark = pytest.mark.browser
MAX_BYTES = 2_000_000  # the bound; measured 1.76 MB (gl3d plotly.js 0.74 MB of it)


def test_the_default_run_exports_a_small_page_that_plays_offline(browser, tmp_path):
    experiment = Experiment.build(Settings())
    experiment.trainer.run(50)
    grid = grid_lines(experiment.extent)
    anim = network_animation(
        experiment.view_model, experiment.X, grid, n_frames=frames_per_stage(3)
    )
    figure = transform_figure(anim, experiment.y)
    snapshot = AnimationSnapshot(experiment, experiment.epoch, figure, stage_summary(anim))
    html = animation_page(experiment, snapshot)
    assert len(html.encode()) <= MAX_BYTES
    path = tmp_path / "spacewarp-animation.html"
    path.write_text(html, encoding="utf-8")
    context = browser.new_context()
    try:
        page = context.new_page()
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(path.as_uri())
        page.wait_for_function(
            "() => { const gd = document.getElementById('spacewarp-figure');"
            " return gd && gd._fullData && gd._transitionData &&"
            " gd._transitionData._frames.length > 0; }",
            timeout=90_000,
        )
        frames = page.evaluate(
            "() => document.getElementById('spacewarp-figure')._transitionData._frames.length"
        )
        assert frames == len(figure.frames)
        assert page.title() == "Spacewarp: spiral, epoch 50"
        assert page.locator("table tbody tr").count() == len(snapshot.summary)
        assert [url for url in requests if not url.startswith(("file:", "data:", "blob:"))] == []
    finally:
        context.close()
