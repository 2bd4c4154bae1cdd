"""Tests of `pages/_ui`: page labels and discovery follow Streamlit's own `pages/` rules, and
`tune_server_process` really tunes the server process."""

import ast
import ctypes
import gc
import json
import os
import platform
import subprocess
import sys
import threading
import types
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pages._ui import (
    PAGES_DIR,
    ROOT_DIR,
    discover_pages,
    freeze_imports,
    page_label,
    tune_server_process,
)


def test_page_label_strips_number_and_underscores():
    assert page_label(Path("1_Transform.py")) == "Transform"
    assert page_label(Path("2_Layer_by_layer.py")) == "Layer by layer"
    assert page_label(Path("10 - Loss landscape.py")) == "Loss landscape"
    assert page_label(Path("Playground.py")) == "Playground"


def test_discover_pages_follows_streamlit_rules(tmp_path):
    for name in ["10_Ten.py", "2_Two.py", "Zeta.py", "_under.py", ".hidden.py", "__init__.py"]:
        (tmp_path / name).write_text(f'"""Page {name}."""\n')
    (tmp_path / "notes.txt").write_text("not a page")
    (tmp_path / "_helpers").mkdir()
    (tmp_path / "_helpers" / "__init__.py").write_text("")

    pages = discover_pages(tmp_path)

    # Numbered pages by number, then the rest by name; a leading "_" does not hide a page.
    assert [page.path.name for page in pages] == ["2_Two.py", "10_Ten.py", "_under.py", "Zeta.py"]
    assert pages[0].summary == "Page 2_Two.py."
    assert pages[0].link_target == "pages/2_Two.py"


def test_discover_pages_skips_missing_folder(tmp_path):
    assert discover_pages(tmp_path / "nowhere") == []


def test_ui_package_is_not_a_page():
    assert "_ui" not in {page.path.stem for page in discover_pages(PAGES_DIR)}


# Run in a fresh interpreter (the tuning changes the whole process for good), with and without
# tune_server_process; prints what a server process would see. Garbage made just before the
# call, with automatic collection off, is gone only if the call collects before it freezes.
# Eight threads allocating at once get an arena each unless the arenas are capped; a big block
# freed first would raise glibc's own mmap threshold above 1 MB unless the threshold is fixed.
PROBE = """
import ctypes, gc, json, os, re, sys, tempfile, threading, weakref

from pages._ui import tune_server_process

class Mallinfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in ("arena", "ordblks", "smblks", "hblks",
        "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]

libc = ctypes.CDLL("libc.so.6")
libc.mallinfo2.restype = Mallinfo2
libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
libc.fdopen.restype, libc.fdopen.argtypes = ctypes.c_void_p, [ctypes.c_int, ctypes.c_char_p]
libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
libc.fclose.argtypes = [ctypes.c_void_p]

class Node:
    pass

gc.disable()
cycle = Node()
cycle.me = cycle
dead = weakref.ref(cycle)
del cycle
alive = Node()
if sys.argv[1] == "tuned":
    tune_server_process()
gc.enable()
gc.collect()

def own_mapping(size):
    before = libc.mallinfo2().hblkhd
    block = libc.malloc(size)
    mapped = libc.mallinfo2().hblkhd - before >= size
    libc.free(block)
    return mapped

libc.free(libc.malloc(8 << 20))
start = threading.Barrier(8)

def allocate():
    start.wait()
    for _ in range(200):
        for block in [libc.malloc(4096) for _ in range(50)]:
            libc.free(block)

threads = [threading.Thread(target=allocate) for _ in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
fd, path = tempfile.mkstemp()
stream = libc.fdopen(fd, b"w")
libc.malloc_info(0, stream)
libc.fclose(stream)
with open(path) as report:
    arenas = len(re.findall("<heap nr=", report.read()))
os.unlink(path)
print(json.dumps({
    "garbage_kept": dead() is not None,
    "alive_frozen": not any(o is alive for o in gc.get_objects()),
    "arenas": arenas,
    "mapped_1mb": own_mapping(1 << 20),
}))
"""


def fresh_interpreter_json(code: str, argument: str, timeout: float = 120) -> dict:
    """Run ``code`` in a fresh interpreter at the repo root (``sys.argv[1]`` = ``argument``);
    returns the JSON object its last printed line holds."""
    run = subprocess.run(
        [sys.executable, "-c", code, argument],
        cwd=ROOT_DIR,
        env={**os.environ, "PYTHONPATH": str(ROOT_DIR)},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    return json.loads(run.stdout.strip().splitlines()[-1])


def _probe(mode: str) -> dict:
    return fresh_interpreter_json(PROBE, mode)


def _glibc_version() -> tuple[int, ...]:
    name, version = platform.libc_ver()
    return tuple(int(part) for part in version.split(".")) if name == "glibc" else ()


@pytest.mark.skipif(_glibc_version() < (2, 33), reason="mallinfo2 needs glibc 2.33 or newer")
def test_tuning_freezes_the_living_caps_arenas_and_fixes_the_mmap_threshold():
    untuned, tuned = _probe("untuned"), _probe("tuned")
    # Without the tuning each effect is absent: the probe can tell.
    assert untuned["arenas"] > 2 and not untuned["alive_frozen"] and not untuned["mapped_1mb"]
    assert not tuned["garbage_kept"]  # collected first, not frozen for ever
    assert tuned["alive_frozen"]  # out of every later collection's walk
    assert tuned["arenas"] <= 2
    # A block of 1 MB gets its own mapping, given back to the system when freed.
    assert tuned["mapped_1mb"]


@pytest.fixture
def no_warm_up_running():
    """Wait for the home page's warm-up thread (``warm_up_process``) if an earlier AppTest in
    this process started it: it ends with its own ``gc.freeze()``, which would change the
    freeze count these tests read."""
    for thread in threading.enumerate():
        if thread.name == "spacewarp-warm-up":
            thread.join()


@pytest.mark.usefixtures("no_warm_up_running")
def test_tuning_happens_once_per_process():
    tune_server_process.cache_clear()
    gc.unfreeze()
    tune_server_process()
    frozen = gc.get_freeze_count()
    assert frozen > 10_000
    gc.unfreeze()
    tune_server_process()  # the second call in the same process does nothing
    assert gc.get_freeze_count() == 0
    tune_server_process.cache_clear()


@pytest.mark.usefixtures("no_warm_up_running")
@pytest.mark.parametrize("libc", ["missing", "no mallopt"])
def test_without_glibc_the_garbage_collector_is_still_tuned(monkeypatch, libc):
    def load(name):
        if libc == "missing":  # macOS, Windows
            raise OSError(f"{name}: cannot open shared object file")
        return object()  # a C library without mallopt

    monkeypatch.setattr(ctypes, "CDLL", load)
    tune_server_process.cache_clear()
    gc.unfreeze()
    assert tune_server_process() is None  # no error reaches the page
    assert gc.get_freeze_count() > 10_000
    tune_server_process.cache_clear()


@pytest.mark.usefixtures("no_warm_up_running")
def test_a_module_imported_later_leaves_the_collectors_reach_once(monkeypatch):
    # The probes' scikit-learn is imported by a live tick, after the page's first run froze
    # the rest; Streamlit's full collection after every tick would walk it again and again.
    import pages._ui as ui

    ui._freeze_at.cache_clear()
    freeze_imports()
    late = types.ModuleType("spacewarp_late_import")
    late.tables = [[] for _ in range(5_000)]  # containers: objects the collector tracks
    monkeypatch.setitem(sys.modules, late.__name__, late)
    before = gc.get_freeze_count()
    freeze_imports()
    assert gc.get_freeze_count() >= before + 5_000
    made_since = [[] for _ in range(100)]
    frozen = gc.get_freeze_count()
    freeze_imports()  # no new module: nothing more is collected or frozen
    assert gc.get_freeze_count() == frozen
    assert any(item is made_since[0] for item in gc.get_objects())
    ui._freeze_at.cache_clear()


def _top_level_calls(path: Path) -> list[str]:
    names = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            names.append(ast.unparse(node.value.func).split(".")[-1])
    return names


@pytest.mark.parametrize(
    "path", [ROOT_DIR / "app.py", *(page.path for page in discover_pages(PAGES_DIR))], ids=str
)
def test_every_entry_script_tunes_the_process_first(path):
    # A shared link or a reload runs only the page it names: any of them can be the first
    # script a fresh server runs.
    calls = _top_level_calls(path)
    assert calls[:2] == ["tune_server_process", "set_page_config"], (path.name, calls[:3])


def test_a_run_of_the_app_freezes_the_imported_modules():
    tune_server_process.cache_clear()
    gc.unfreeze()
    at = AppTest.from_file(str(PAGES_DIR.parent / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert gc.get_freeze_count() > 10_000  # NumPy, Plotly, Streamlit, ...
