"""Shared Streamlit helpers for `app.py` and every page in `pages/`.

Why this lives at `pages/_ui/__init__.py`: the project layout has no room for a top-level UI
module, and every `pages/*.py` file becomes a page. Streamlit 1.67 finds pages with a
non-recursive `pages/*.py` glob that skips only names starting with "." and `__init__.py`
(`_mpa_v1` in `streamlit/runtime/scriptrunner/script_runner.py`). A leading underscore does
*not* hide a file: `pages/_ui.py` would show up in the sidebar as "ui". A sub-folder is never
scanned, so this package is invisible to the navigation yet importable as `pages._ui` from
`app.py`, from each page and from tests (the repo root is on `sys.path` in all three).

Usage, at the top of ``app.py`` and of every page, right after the imports::

    import streamlit as st

    from pages._ui import apply_style, tune_server_process

    tune_server_process()  # once per server process: cheap garbage collection, few arenas
    st.set_page_config(page_title="Transform · Spacewarp", page_icon="🌀", layout="wide")
    apply_style()
"""

from __future__ import annotations

import ast
import ctypes
import functools
import gc
import html
import importlib
import logging
import re
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

ROOT_DIR = Path(__file__).resolve().parents[2]
PAGES_DIR = ROOT_DIR / "pages"
ASSETS_DIR = ROOT_DIR / "assets"
STYLE_CSS = ASSETS_DIR / "style.css"
PAGE_ICON = "🌀"
CHART = {"displayModeBar": False}  # Plotly config: no floating toolbar over the pictures
KEEP = {"persist_state": "session"}  # widget values survive switching tabs and pages

# Same pattern Streamlit uses for page names and order: optional number, separators, name.
_PAGE_FILENAME = re.compile(r"([0-9]*)[_ -]*(.*)\.py")


@dataclass(frozen=True)
class PageEntry:
    """One page file, as the home page lists it."""

    path: Path
    label: str
    summary: str

    @property
    def link_target(self) -> str:
        """Path for `st.page_link`, relative to the folder of `app.py`."""
        return f"pages/{self.path.name}"


M_ARENA_MAX = -8  # glibc's mallopt parameter numbers (malloc.h)
M_MMAP_THRESHOLD = -3
MALLOC_ARENAS = 2
MMAP_THRESHOLD = 1 << 20


@functools.cache
def tune_server_process() -> None:
    """Once per server process, before sessions multiply: cheap garbage collection, and few
    malloc arenas.

    ``app.py`` and every page call it first, right after their imports. Every one must: a
    shared link or a reload runs only the page it names (``app.py`` does not run first), so the
    first script a fresh server runs can be any of them. Later calls return at once
    (``functools.cache``). It changes the whole process, which is why it is a call of its own
    and not hidden in ``apply_style``.

    - Everything alive now (imported modules, mostly) leaves the garbage collector's reach
      (``gc.freeze``), so a full collection scans only what sessions made since. NumPy, SciPy,
      scikit-learn, Plotly and Streamlit hold a few hundred thousand objects; Streamlit collects
      after every script run, fragment ticks included, and that walk was 61 % of the live
      page's server time (bench/profile_server.py). Garbage is collected before the freeze, so
      nothing dead is kept for ever.
    - glibc gives each thread that allocates concurrently its own malloc arena (up to 8 per
      core) and keeps freed memory in each. Every session's script runs on its own thread, and
      the pictures and animations allocate tens of MB of temporaries, so with 5 concurrent live
      sessions the server held 440 MB instead of 310 MB (bench/load_test.py). Capping the arenas
      at 2 (as ``MALLOC_ARENA_MAX=2`` would, but that must be set before the server starts)
      gives most of the memory back; so does a fixed mmap threshold of 1 MB (glibc raises it
      up to 32 MB as big blocks are freed, after which big NumPy temporaries stay in the
      arenas): blocks of 1 MB and more go back to the system when freed. Measured with 5
      sessions: 440 MB untuned, 388 MB with the arena cap, 360 MB with both; the live page
      refreshes as often. Skipped where the C library is not glibc.
    """
    gc.collect()
    gc.freeze()
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(M_ARENA_MAX, MALLOC_ARENAS)
        libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    except (OSError, AttributeError):  # not glibc (macOS, musl): nothing to tune
        pass


def page_imports(pages_dir: Path = PAGES_DIR) -> list[str]:
    """The modules the pages import at their top (``import x``, ``from x import y``), in page
    order, read from their source without running them."""
    modules: list[str] = []
    for page in discover_pages(pages_dir):
        try:
            tree = ast.parse(page.path.read_text(encoding="utf-8"))
        except (OSError, SyntaxError, UnicodeDecodeError):
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                modules += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                modules.append(node.module)
    return list(dict.fromkeys(modules))


# What core imports only where it is used, not with its modules: scikit-learn and the SciPy it
# pulls in, about 2 s of a fresh server's CPU. No page's first picture waits for it: the
# Transform page imports it once its first picture is drawn (``wait_for_sklearn``), and the
# warm-up imports it ``LATE_SECONDS`` after the pages' modules, so that a visitor who opens a
# page at once does not share the interpreter with it while the browser fetches the page's
# scripts from this process (every fetch waits for the interpreter lock).
LATE_IMPORTS = ("sklearn.linear_model", "sklearn.datasets")
LATE_SECONDS = 10.0


def imported(name: str) -> bool:
    """True when module ``name`` is fully imported, so using it now waits for nothing.

    A module being imported (by the warm-up thread, say) is already in ``sys.modules``; the
    import system marks its spec ``_initializing`` until its code has run, and an ``import``
    of it from another thread waits until then.
    """
    module = sys.modules.get(name)
    return module is not None and not getattr(module.__spec__, "_initializing", False)


def sklearn_ready() -> bool:
    """True when scikit-learn's linear models (the linear probes') are imported."""
    return imported(LATE_IMPORTS[0])


def wait_for_sklearn() -> None:
    """Return once scikit-learn's linear models are imported: imports them, or waits for the
    thread importing them (the import system's lock on the module)."""
    importlib.import_module(LATE_IMPORTS[0])


def freeze_imports() -> None:
    """Move everything alive now out of the garbage collector's reach, once per number of
    imported modules: a module imported after ``tune_server_process`` froze the rest (the
    probes' scikit-learn and SciPy, some 80,000 objects) is otherwise walked by the full
    collection Streamlit runs after every script run, fragment ticks included: 49 ms a tick,
    about a fifth of a live session's server time (bench/profile_server.py)."""
    _freeze_at(len(sys.modules))


@functools.lru_cache(maxsize=32)
def _freeze_at(_n_modules: int) -> None:
    # Collected first, so nothing dead is kept for ever; what a session holds now and drops
    # later stays, once per new module count (at most 32 times a process).
    gc.collect()
    gc.freeze()


def _import_all(modules: list[str]) -> None:
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # the page imports it again itself, and shows its error there
            logging.getLogger(__name__).warning("warm-up could not import %s", name, exc_info=True)
    # What the imports made leaves the collector's reach, as ``tune_server_process`` does.
    gc.collect()
    gc.freeze()


def _warm_up(modules: list[str], late: tuple[str, ...], after: float) -> None:
    _import_all(modules)
    if not all(imported(name) for name in late):
        time.sleep(after)
        _import_all(list(late))


@functools.cache
def warm_up_process() -> threading.Thread:
    """Once per server process, after the home page is drawn: import on a background thread
    what every page imports (``page_imports``), so the next page a visitor opens starts at once.

    A fresh server's first script run used to pay for every import of the engine, Plotly,
    scikit-learn and SciPy (scikit-learn's data sets alone pull in ``scipy.stats``): 1.5 s of a
    quiet machine and 4–5 s of a busy one, before the home page, which needs none of them,
    showed anything. The home page now imports only Streamlit and these helpers, and calls this
    at its end. Imports are thread-safe (a page that needs a module meanwhile waits for it);
    nothing here touches a session. ``LATE_IMPORTS`` (scikit-learn) follow ``LATE_SECONDS``
    later: no page imports them at its top, and a page that needs them sooner imports them
    itself (the Transform page after its first picture, ``pages/_ui/live_canvas.py``).
    """
    thread = threading.Thread(
        target=_warm_up,
        args=(page_imports(), LATE_IMPORTS, LATE_SECONDS),
        name="spacewarp-warm-up",
        daemon=True,
    )
    thread.start()
    return thread


def apply_style() -> None:
    """Load `assets/style.css` into the current page if it exists.

    `st.html` of a `.css` file sends only a style tag, which takes no room in the layout
    (unlike `st.markdown("<style>...")`, which leaves an empty block behind).
    """
    if STYLE_CSS.is_file():
        st.html(STYLE_CSS)


def page_label(path: Path) -> str:
    """Human label of a page file: `1_Transform.py` -> "Transform", `2_Layer_by_layer.py` ->
    "Layer by layer" (the name Streamlit shows in the sidebar)."""
    match = _PAGE_FILENAME.fullmatch(path.name)
    name = match.group(2) if match else path.stem
    return re.sub(r"[_ ]+", " ", name).strip() or path.stem


def _page_order(path: Path) -> tuple[float, str]:
    # Streamlit's sidebar order: numbered pages by number (10_ after 9_), then the rest by
    # name without its number and separators.
    match = _PAGE_FILENAME.fullmatch(path.name)
    number, name = match.groups() if match else ("", path.stem)
    return (float(number) if number else float("inf"), name.lower())


def _summary(path: Path) -> str:
    # First line of the page's module docstring, read without running the page. Every page
    # lists every page in its sidebar on every rerun: parsing them each time was a sixth of the
    # Loss-surface page's rerun, so a file's summary is kept until the file changes.
    try:
        changed = path.stat().st_mtime_ns
    except OSError:
        return ""
    return _parsed_summary(path, changed)


@functools.lru_cache(maxsize=64)
def _parsed_summary(path: Path, changed: int) -> str:
    try:
        docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    except (OSError, SyntaxError, UnicodeDecodeError):
        return ""
    return docstring.strip().splitlines()[0] if docstring else ""


def discover_pages(pages_dir: Path = PAGES_DIR) -> list[PageEntry]:
    """Page files Streamlit will put in the sidebar, in the sidebar's order.

    Mirrors Streamlit's own rules: `*.py` directly in `pages_dir`, except names starting
    with "." and `__init__.py`; sub-folders (like this package) are not pages.
    """
    if not pages_dir.is_dir():
        return []
    paths = [
        path
        for path in pages_dir.glob("*.py")
        if not path.name.startswith(".") and path.name != "__init__.py"
    ]
    return [
        PageEntry(path=path, label=page_label(path), summary=_summary(path))
        for path in sorted(paths, key=_page_order)
    ]


def image_row(images: list[tuple[str, str]], width: int) -> None:
    """Show (data URI, caption) pictures side by side in one ``st.html`` block.

    Live pictures go through here rather than ``st.image``: inline images are swapped in the
    same DOM update, so a ticking fragment never shows an empty frame (``st.image`` hands the
    browser a URL to fetch, and the picture is blank until it arrives).
    """
    figures = "".join(
        f'<figure style="margin:0;text-align:center;flex:1 1 110px;max-width:{width}px">'
        f'<img src="{uri}" style="display:block;width:100%;height:auto" '
        f'alt="{html.escape(caption)}">'
        f'<figcaption style="font-size:0.8rem;color:#6b6880;margin-top:2px">'
        f"{html.escape(caption)}</figcaption></figure>"
        for uri, caption in images
    )
    row = '<div data-testid="live-images" style="display:flex;flex-wrap:wrap;gap:10px">'
    st.html(f"{row}{figures}</div>")
