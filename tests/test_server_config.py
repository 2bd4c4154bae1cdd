"""The Streamlit server settings in ``.streamlit/config.toml`` fit a public demo.

Every key must be one Streamlit knows (a misspelt key is silently ignored, so a typo would
quietly switch a safeguard off), and the values that protect a public deployment are pinned:
no stack traces for users, no file-watcher reruns, a small upload limit that still admits the
app's own largest accepted CSV, no usage statistics, and Streamlit's garbage collection after
every script run (made cheap by ``pages._ui.tune_server_process``).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from streamlit import config

from core.exchange.uploads import MAX_BYTES

CONFIG = Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml"


@pytest.fixture(scope="module")
def settings() -> dict[str, object]:
    table = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    return {
        f"{section}.{key}": value for section, keys in table.items() for key, value in keys.items()
    }


def test_every_key_is_a_streamlit_option_of_the_right_type(settings):
    known = config._config_options_template
    for key, value in settings.items():
        assert key in known, f"{key} is not a Streamlit 1.67 option (typo?)"
        option = known[key]
        if option.type is not None and option.default_val is not None:
            assert isinstance(value, type(option.default_val)), key


def test_public_deployment_safeguards(settings):
    assert settings["client.showErrorDetails"] == "none"  # no tracebacks in the browser
    assert settings["server.fileWatcherType"] == "none"
    assert settings["server.runOnSave"] is False
    assert settings["browser.gatherUsageStats"] is False
    assert settings["runner.postScriptGC"] is True  # memory hygiene; cheap after gc.freeze


def test_upload_limit_is_small_but_admits_what_the_app_accepts(settings):
    limit_mb = settings["server.maxUploadSize"]
    assert MAX_BYTES <= limit_mb * 1024 * 1024 <= 10 * 1024 * 1024
