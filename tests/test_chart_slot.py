"""`pages._ui.chart_slot`: a box of the chart's height stands in its place while the chart is
computed, and the chart replaces it in the same place; the Loss-surface page leaves no box."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from pages._ui import ROOT_DIR
from pages._ui.chart_slot import SLOT_KEY


def _slot_script():
    import streamlit as st

    from pages._ui.chart_slot import chart_slot

    st.markdown("above")
    with chart_slot("demo", 300) as slot:
        if st.session_state.get("stop_inside"):
            st.stop()  # the script stopped while the chart was being computed
    slot.plotly_chart({"data": [{"type": "scatter", "x": [0, 1], "y": [1, 0]}]}, key="demo")
    st.markdown("below")


def _boxes(node) -> list:
    """Every placeholder box under ``node`` (blocks whose id ends with the slot key)."""
    found = []
    for child in getattr(node, "children", {}).values():
        if type(child).__name__ == "Block" and f"-{SLOT_KEY}_" in child.proto.id:
            found.append(child)
        found += _boxes(child)
    return found


def test_the_box_stands_in_the_charts_place_while_it_is_computed():
    at = AppTest.from_function(_slot_script)
    at.session_state["stop_inside"] = True
    at.run()
    assert not at.exception
    (box,) = _boxes(at.main)
    assert box.proto.id.endswith(f"-{SLOT_KEY}_demo")
    assert box.proto.height_config.pixel_height == 300  # the chart's height: nothing jumps
    assert box.proto.flex_container.border
    assert not at.get("plotly_chart")
    # In place: after the text above it, and nothing below it was sent yet.
    assert [type(c).__name__ for c in at.main.children.values()] == ["Markdown", "Block"]


def test_the_chart_replaces_the_box_in_the_same_place():
    at = AppTest.from_function(_slot_script)
    at.run()
    assert not at.exception
    assert _boxes(at.main) == []
    children = list(at.main.children.values())
    assert len(children) == 3 and children[0].value == "above" and children[2].value == "below"
    assert children[1].proto is at.get("plotly_chart")[0].proto  # the chart, where the box was


def test_the_loss_surface_page_leaves_no_box_behind():
    at = AppTest.from_file(str(ROOT_DIR / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/3_Loss_surface.py").run()
    assert not at.exception
    assert _boxes(at.main) == []
    assert at.get("plotly_chart")  # the exact surface, drawn where its box stood


def _previewed_script():
    import streamlit as st

    from pages._ui.chart_slot import previewed_chart

    figure = {"data": [{"type": "scatter", "x": [0, 1], "y": [1, 0]}]}
    previewed_chart(
        st, figure, key="demo", preview="data:image/svg+xml;base64,AA==", alt="<b>x</b>", config={}
    )


def test_a_previewed_chart_sends_its_preview_and_the_chart_in_one_keyed_box():
    from pages._ui.chart_slot import PREVIEW_KEY

    at = AppTest.from_function(_previewed_script)
    at.run()
    assert not at.exception
    (box,) = at.main.children.values()
    assert box.proto.id.endswith(f"-{PREVIEW_KEY}_demo")  # the stylesheet's CSS hook
    preview, chart = box.children.values()
    assert 'data-testid="chart-preview"' in preview.proto.body
    assert 'src="data:image/svg+xml;base64,AA=="' in preview.proto.body
    assert 'alt="&lt;b&gt;x&lt;/b&gt;"' in preview.proto.body  # alt text escaped
    assert chart.proto is at.get("plotly_chart")[0].proto


def test_the_first_pictures_of_activations_and_loss_surface_have_previews():
    from pages._ui.chart_slot import PREVIEW_KEY

    for page, key in (
        ("pages/2_Activations.py", "act_curves"),
        ("pages/3_Loss_surface.py", "exact_surface"),
    ):
        at = AppTest.from_file(str(ROOT_DIR / "app.py"), default_timeout=120)
        at.run()
        at.switch_page(page).run()
        assert not at.exception
        bodies = [h.proto.body for h in at.get("html")]
        previews = [body for body in bodies if body.startswith('<div data-testid="chart-preview"')]
        assert len(previews) == 1 and "data:image/svg+xml;base64," in previews[0]
        ids = [getattr(block.proto, "id", "") for block in _blocks(at.main)]
        assert any(id_.endswith(f"-{PREVIEW_KEY}_{key}") for id_ in ids)


def _blocks(node) -> list:
    """Every container under ``node`` (blocks, columns, tabs, ...), depth first."""
    found = []
    for child in getattr(node, "children", {}).values():
        if hasattr(child, "children"):
            found += [child, *_blocks(child)]
    return found
