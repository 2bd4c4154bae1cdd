"""The live view's words and numbers (pages/_ui/live_plane.py): the counters above the picture."""

import numpy as np

from core.experiment import Experiment
from core.nn.history import ThinnedLog
from core.settings import Settings
from pages._ui.live_plane import counters, metric_cells


def test_counters_give_the_pictures_epoch_when_the_history_skipped_it():
    """A long run's history logs every 2nd, 4th … 32nd epoch: the counters of an epoch it
    skipped were the last logged row's, up to 31 epochs older than the picture beside them.
    They are the current weights' accuracy and loss, measured on the train and test sets."""
    experiment = Experiment.build(Settings())
    trainer = experiment.trainer
    # The same thinning with room for 8 rows instead of 2,000: after 200 epochs every 32nd
    # is logged, as after 64,000 with the real log (and the numbers still move each epoch).
    trainer.history = ThinnedLog(8, trainer.history.rows.shape[1])
    trainer.run(223)
    history = trainer.history
    assert history.stride == 32 and history.epochs[-1] == 192 != trainer.epoch == 223
    train = trainer.evaluate(trainer.X_train, trainer.y_train)
    test = trainer.evaluate(trainer.X_test, trainer.y_test)
    now = metric_cells(experiment, np.array([*train, *test, np.nan]))
    stale = metric_cells(experiment, history.rows[-1])
    assert now != stale  # the two epochs' numbers differ as shown: the test can tell them apart
    assert counters(experiment) == [["Epoch", "223"], *map(list, now)]


def test_counters_of_a_logged_epoch_are_its_history_row():
    """Where the history holds the picture's epoch, the counters are that row: the curves
    beside them end on the same numbers."""
    experiment = Experiment.build(Settings())
    experiment.trainer.run(30)
    history = experiment.trainer.history
    assert history.epochs[-1] == 30
    expected = [["Epoch", "30"], *map(list, metric_cells(experiment, history.rows[-1]))]
    assert counters(experiment) == expected
