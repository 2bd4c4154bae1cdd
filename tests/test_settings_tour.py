"""The Tour's settings table (core/settings.py): keys, round trips, clamping, linked runs."""

from __future__ import annotations

from hypothesis import given, settings
from test_settings import _settings

from core.settings import (
    COMPARE,
    TOUR,
    TOUR_CHAPTERS,
    TOUR_EPOCHS,
    TRANSFORM,
    CompareSettings,
    Settings,
    TourSettings,
    from_query,
    to_query,
)

# Every URL key the Tour writes (a table may add keys, never drop or rename one).
TOUR_KEYS = "chapter w2 line_epochs xor_units moves_act area circle_units deep_layers " + (
    "z1 z2 z3 descent_lr vanish_depth tour_epochs"
)


def test_tour_keys_are_kept_and_clash_with_no_other_page():
    assert set(TOUR_KEYS.split()) == TOUR.keys
    assert not TOUR.keys & (TRANSFORM.keys | COMPARE.keys)  # the address bar is shared
    transform_widgets = {f.name for f in TRANSFORM.fields} | {"depth"}  # session-state keys
    assert not {f.key for f in TOUR.fields} & transform_widgets


def test_defaults_give_a_clean_link_and_the_chapter_travels():
    assert to_query(TourSettings(), TOUR) == {}
    assert to_query(TourSettings(chapter=3), TOUR) == {"chapter": "3"}
    assert from_query({"chapter": "3"}, TOUR)[0] == TourSettings(chapter=3)


@settings(max_examples=200, deadline=None)
@given(_settings(TOUR))
def test_every_tour_setting_round_trips(tour):
    restored, epochs, notices = from_query(to_query(tour, TOUR), TOUR)
    assert restored == tour and epochs is None and notices == []


def test_out_of_range_values_are_clamped_and_named():
    tour, _, notices = from_query(
        {"chapter": "0", "w2": "9", "z1": "1e9", "descent_lr": "7", "moves_act": "gelu"}, TOUR
    )
    assert tour.chapter == 1 and tour.w2 == 3.0 and tour.z1 == 6.0
    assert tour.descent_rate == 10.0 and tour.moves_activation == "tanh"
    text = " ".join(notices)
    for key in ("chapter=0", "w2=9", "z1=1e9", "descent_lr=7", "moves_act=gelu"):
        assert key in text


def test_every_chapter_links_to_a_run_its_page_can_read_back():
    for number, slug in enumerate(TOUR_CHAPTERS, start=1):
        run = TourSettings(chapter=number).linked_run()
        assert run.page in ("Transform", "Activations", "Loss surface", "Compare")
        restored, epochs, notices = from_query(run.query, run.table)
        assert restored == run.settings and not notices, slug
        assert epochs == (run.epochs or None)
        assert run.epochs == TOUR_EPOCHS.get(slug, run.epochs)


def test_each_chapters_control_changes_only_its_run():
    base = TourSettings(chapter=3)
    assert base.linked_run().settings == Settings(dataset="xor", hidden=())
    assert TourSettings(chapter=3, xor_units=4).linked_run().settings.hidden == (4,)
    moves = TourSettings(chapter=4, moves_activation="relu").linked_run()
    assert moves.settings.activation == "relu" and moves.settings.hidden == (2,)
    assert TourSettings(chapter=6, deep_layers=5).linked_run().settings == CompareSettings(depth=5)
    line = TourSettings(chapter=2, line_epochs=30).linked_run()
    assert line.epochs == 30 and line.query["epochs"] == "30"
    vanishing = TourSettings(chapter=9, vanish_depth=8).linked_run().settings
    assert vanishing.hidden == (8,) * 8 and vanishing.activation == "sigmoid"
    # The shading and the scores are the Tour's own: no run changes with them.
    shaded = TourSettings(chapter=4, area="on", z1=0.0).linked_run()
    assert shaded.settings == TourSettings(chapter=4).linked_run().settings
