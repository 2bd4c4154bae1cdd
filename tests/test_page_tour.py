"""AppTest checks of the Tour (`pages/5_Tour.py`): every chapter, its link, its numbers.

Entered through `app.py` and then switched to, as a reader arrives. Numbers the chapters print
are compared with the core's own functions (and the article's rounded values), never with
strings copied from the chapter texts, which hold only slots.
"""

from __future__ import annotations

import math
from pathlib import Path
from urllib.parse import parse_qs

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core.labs.tour import neuron, read_chapter, scores
from core.settings import TOUR_CHAPTERS, TourSettings
from pages._ui.state import EXPERIMENT
from pages._ui.text import as_shown

ROOT = Path(__file__).resolve().parents[1]
TOUR_PAGE = "pages/5_Tour.py"
TOUR_DIR = ROOT / "assets" / "tour"
TITLES = [read_chapter(TOUR_DIR / f"{slug}.md").title for slug in TOUR_CHAPTERS]

pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")


def open_tour(**params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    at.switch_page(TOUR_PAGE)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def story(at: AppTest) -> str:
    """Every Markdown block on the page, its line breaks as plain spaces."""
    return " ".join(" ".join(block.value for block in at.markdown).split())


def shown_chapter(at: AppTest) -> int:
    return TITLES.index(at.subheader[0].value) + 1


def test_next_walks_every_chapter_and_back_walks_home():
    at = open_tour()
    assert shown_chapter(at) == 1 and at.button(key="tour_back").disabled
    for number in range(2, len(TOUR_CHAPTERS) + 1):
        at.button(key="tour_next").click().run()
        assert not at.exception, (number, [e.value for e in at.exception])
        assert shown_chapter(at) == number
        assert at.query_params["chapter"] in (str(number), [str(number)])
        assert len(at.get("plotly_chart")) + len(at.get("html")) >= 1  # a picture is drawn
    assert at.button(key="tour_next").disabled
    for number in range(len(TOUR_CHAPTERS) - 1, 0, -1):
        at.button(key="tour_back").click().run()
        assert not at.exception, (number, [e.value for e in at.exception])
        assert shown_chapter(at) == number
    assert "chapter" not in at.query_params  # chapter 1 is the default: a clean URL


@pytest.mark.parametrize("number", range(1, len(TOUR_CHAPTERS) + 1))
def test_a_link_opens_its_chapter_and_links_to_the_same_run(number):
    at = open_tour(chapter=str(number))
    assert shown_chapter(at) == number
    expected = TourSettings(chapter=number).linked_run()
    link = at.main.get("page_link")[-1].proto
    assert link.page == expected.page.replace(" ", "_")
    assert parse_qs(link.query_string) == {k: [v] for k, v in expected.query.items()}


def test_the_neuron_shows_z_and_sigmoid_computed_by_the_core():
    at = open_tour()
    worked = neuron(1.0)
    assert worked.z == 7.0 and abs(worked.a - 1 / (1 + math.exp(-7))) < 1e-15
    text = story(at)
    assert "**z = 7**" in text and f"**σ(z) = {worked.a:.5f}**" in text
    assert f"{worked.a:.5f}" == "0.99909"
    # Drag w₂: the same text now carries the core's numbers for z = 3·2 + 4 = 10.
    at.slider(key="w2").set_value(2.0).run()
    text = story(at)
    assert "**z = 10**" in text and f"**σ(z) = {1 / (1 + math.exp(-10)):.5f}**" in text
    assert at.query_params["w2"] in ("2", ["2"])


def test_softmax_shows_the_articles_probabilities_and_cross_entropy():
    at = open_tour(chapter="7")
    text = story(at)
    logits = np.array([3.0, 1.0, -3.0])
    exps = np.exp(logits)
    expected = exps / exps.sum()
    np.testing.assert_allclose(expected, [0.879, 0.119, 0.002], atol=5e-4)  # the article's
    shown = ", ".join(f"{p:.3f}" for p in expected)
    assert f"**({shown})**" in text
    assert f"**{-math.log(expected[0]):.3f}** if that is class 1" in text
    assert f"**{-math.log(expected[2]):.3f}** if it is class 3" in text
    # Move a score: the numbers follow, from the core's softmax and loss.
    at.slider(key="z3").set_value(0.0).run()
    moved = scores([3.0, 1.0, 0.0])
    assert f"({', '.join(f'{p:.3f}' for p in moved.probabilities)})" in story(at)


def test_the_chapter_texts_hold_slots_not_the_numbers():
    texts = "".join(path.read_text() for path in TOUR_DIR.glob("*.md"))
    for typed in ("0.99909", "0.879", "0.119", "0.002", "0.129", "z = 7"):
        assert typed not in texts


def test_the_shading_toggle_shades_the_moves_and_travels_in_the_url():
    at = open_tour(chapter="4", moves_act="relu")
    plain = at.get("plotly_chart")[0].proto.spec
    assert not at.toggle(key="tour_area_on").value and "colorbar" not in plain
    at.toggle(key="tour_area_on").set_value(True).run()
    assert not at.exception
    assert (
        "colorbar" in at.get("plotly_chart")[0].proto.spec
        and '"toself"' in at.get("plotly_chart")[0].proto.spec
    )
    assert at.query_params["area"] in ("on", ["on"])
    assert any("log |det J|" in caption.value for caption in at.caption)
    at.button(key="tour_next").click().run()
    at.button(key="tour_back").click().run()  # the chapter keeps its setting
    assert at.toggle(key="tour_area_on").value and not at.exception


def test_each_chapter_keeps_its_control_while_the_reader_moves_on():
    at = open_tour(chapter="3")
    at.slider(key="xor_units").set_value(3).run()
    at.button(key="tour_next").click().run()
    assert at.query_params["xor_units"] in ("3", ["3"])  # still in the link, from chapter 4
    at.button(key="tour_back").click().run()
    assert at.slider(key="xor_units").value == 3
    assert "one hidden layer of 3 units" in story(at)


def test_a_hostile_tour_link_is_clamped_with_its_notices_in_one_box():
    at = open_tour(chapter="99", moves_act="<script>", z1="nan", area="[x](javascript:1)")
    assert shown_chapter(at) == len(TOUR_CHAPTERS)
    assert len(at.warning) == 1  # one box for the link, a line for each notice, as elsewhere
    box = at.warning[0]
    assert box.icon == ":material/link:" and box.value.count("\n- ") == 4
    notices = as_shown(box.value)
    assert "chapter=99" in notices and "moves_act=<script>" in notices and "z1=nan" in notices
    assert "[x](javascript:1)" in notices  # the characters, escaped: never a rendered link
    assert "[x](javascript" not in box.value and not at.text
    assert not any("javascript" in block.value for block in at.markdown)


def test_the_link_opens_the_full_page_on_the_same_weights():
    at = open_tour(chapter="3", xor_units="4")
    link = at.main.get("page_link")[-1].proto
    params = {k: v[0] for k, v in parse_qs(link.query_string).items()}
    at.switch_page("pages/1_Transform.py")
    for key in list(at.query_params):
        del at.query_params[key]
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    experiment = at.session_state[EXPERIMENT]
    run = TourSettings(chapter=3, xor_units=4).linked_run()
    assert experiment.settings == run.settings and experiment.epoch == run.epochs
