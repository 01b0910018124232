"""A cache of built catalogues, keyed by the content of their files.

Validating and building 100,000 roles takes seconds; reading the same graph
back from a pickle takes a fraction of that. A catalogue is stored only after
its files passed validation, under a key made of those files' bytes, the
options that shape the result (lenient loading, the budgets) and this code's
own source, so a warm load is always one whose exact files were validated by
exactly this code. Change a byte of either and the key changes.

The cache is a folder of pickles. Unpickling runs code named in the file, so
the folder must be one only this program writes: it is created private to
its user (mode 0700), and only :func:`default_cache`'s folder or one given on
purpose is ever read.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import networkx as nx

from graph.bulk import collection_paused
from graph.limits import count_from_env

__all__ = [
    "BuildCache",
    "CACHE_ENV",
    "build_key",
    "default_cache",
    "detached_graph",
    "wait_for_writes",
]

#: Where the cache lives; ``off`` turns it off.
CACHE_ENV = "CAREER_GRAPH_CACHE"
#: How many megabytes the cache may hold before the least recently used
#: catalogues are let go.
CACHE_MB_ENV = "CAREER_GRAPH_CACHE_MB"
_DEFAULT_MB = 2_000
_SUFFIX = ".pickle"
_log = logging.getLogger(__name__)
#: Writes started by :meth:`BuildCache.put_later` and not finished yet.
_writes: set[threading.Thread] = set()
_writes_lock = threading.Lock()


@dataclass(frozen=True)
class BuildCache:
    """Built catalogues in ``folder``, at most ``max_bytes`` of them.

    Reading and writing never fail a load: an unreadable, corrupt or
    unwritable entry is a miss, and the catalogue is built as without a
    cache.

    Examples
    --------
    >>> import tempfile
    >>> cache = BuildCache(Path(tempfile.mkdtemp()) / "cache")
    >>> key = build_key([b"id,title\\n"], "strict")
    >>> cache.get(key) is None
    True
    >>> cache.put(key, {"built": True})
    >>> cache.get(key)
    {'built': True}
    """

    folder: Path
    max_bytes: int = _DEFAULT_MB * 1_000_000

    def get(self, key: str) -> object | None:
        """What was stored under ``key``, or ``None``."""
        path = self._path(key)
        try:
            handle = path.open("rb")
        except OSError:
            return None
        # Read as it is unpickled, not into one bytes object first: a million
        # roles came back in 10-13 s instead of 14-20 s, and 520 MB lighter.
        try:
            with handle, collection_paused():
                value = pickle.load(handle)
        except Exception:  # a torn or foreign file: build again, replace it
            _log.warning("Ignoring an unreadable cache entry %s", path.name)
            with suppress(OSError):
                path.unlink(missing_ok=True)
            return None
        with suppress(OSError):
            os.utime(path)  # recently used: trimmed last
        return value

    def put(self, key: str, value: object) -> None:
        """Store ``value`` under ``key``, atomically, then trim the folder."""
        path = self._path(key)
        scratch = path.with_name(
            f".{key}.{os.getpid()}.{threading.get_ident()}.partial"
        )
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            with scratch.open("wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(scratch, path)  # readers see all of it or none
        except (OSError, pickle.PicklingError) as error:
            _log.warning("Could not store a built catalogue in the cache: %s", error)
            with suppress(OSError):
                scratch.unlink(missing_ok=True)
            return
        self._trim(keep=path)

    def put_later(self, key: str, value: object) -> None:
        """Store ``value`` under ``key`` from a thread of its own, so the
        caller goes on with the catalogue at once: writing 100,000 roles takes
        about a second, a million about fifteen.

        ``value`` must not change while it is written (pass graphs through
        :func:`detached_graph`). The thread is not a daemon: a process that
        ends meanwhile (a CLI command) finishes the write first, and
        :func:`wait_for_writes` waits for it on purpose.
        """

        def write() -> None:
            try:
                self.put(key, value)
            except Exception as error:  # changed while written: only speed lost
                _log.warning("Could not store a built catalogue: %r", error)
            finally:
                with _writes_lock:
                    _writes.discard(threading.current_thread())

        thread = threading.Thread(target=write, name="career-graph-cache-write")
        with _writes_lock:
            _writes.add(thread)
        thread.start()

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}{_SUFFIX}"

    def _trim(self, keep: Path) -> None:
        """Let the least recently used entries go until the rest fit; never
        ``keep``, the one just stored, however large."""
        entries = []
        for path in self.folder.glob(f"*{_SUFFIX}"):
            if path == keep:
                continue
            try:
                status = path.stat()
            except OSError:  # let go by another process meanwhile
                continue
            entries.append((status.st_mtime, status.st_size, path))
        try:
            total = keep.stat().st_size
        except OSError:  # let go by another process meanwhile
            total = 0
        total += sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries, key=lambda entry: entry[0]):
            if total <= self.max_bytes:
                break
            with suppress(OSError):
                path.unlink(missing_ok=True)
            total -= size


def wait_for_writes() -> None:
    """Wait until every write started by :meth:`BuildCache.put_later` is done."""
    with _writes_lock:
        pending = list(_writes)
    for thread in pending:
        thread.join()


def detached_graph(G: nx.DiGraph) -> nx.DiGraph:
    """A graph object over ``G``'s own node and adjacency mappings, which a built
    catalogue never changes, with a copy of ``G.graph``, to which derived
    indexes are added as sessions use it: what a background write can pickle
    while ``G`` serves queries. Graphs in ``G.graph`` (the relation digraphs)
    are detached too: networkx caches its views (``G.out_degree``) in the
    graph object on first use. Nothing else is copied.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b", {"type": "promotion"})])
    >>> G.graph["moves"] = nx.DiGraph([("a", "b")])
    >>> H = detached_graph(G)
    >>> G.graph["lookup"] = "built later"
    >>> list(H.edges(data=True)), sorted(H.graph), H.graph["moves"] is G.graph["moves"]
    ([('a', 'b', {'type': 'promotion'})], ['moves'], False)
    """
    detached = G.__class__()
    detached.graph.update(
        (name, detached_graph(value) if isinstance(value, nx.DiGraph) else value)
        for name, value in G.graph.items()
    )
    # The same mappings G's own __init__ and add_edge fill, or a built
    # catalogue's arrays (networkx keeps _adj and _succ as one);
    # tests/test_cache.py compares the result with G.
    detached._node = G._node
    detached._adj = detached._succ = G._succ
    detached._pred = G._pred
    return detached


def build_key(parts: Iterable[bytes | str | None], *options: object) -> str:
    """The cache key of a catalogue built from ``parts`` (file contents,
    ``None`` for a missing file) with ``options``, by this code.

    Examples
    --------
    >>> build_key([b"a", b"b"]) == build_key([b"a", b"b"])
    True
    >>> build_key([b"a", b"b"]) == build_key([b"ab", b""])  # lengths count
    False
    >>> build_key([b"a"], "strict") == build_key([b"a"], "lenient")
    False
    """
    digest = hashlib.blake2b(digest_size=20)
    digest.update(_code_fingerprint())
    # each part hashed on its own, at once: hashlib lets go of the GIL, and a
    # million roles' two files took 0.4 s one after the other
    with ThreadPoolExecutor(2) as pool:
        for part_digest in pool.map(_part_digest, parts):
            digest.update(part_digest)
    digest.update(repr(options).encode())
    return digest.hexdigest()


def _part_digest(part: bytes | str | None) -> bytes:
    data = b"" if part is None else part
    data = data.encode() if isinstance(data, str) else data
    marker = b"-" if part is None else str(len(data)).encode()
    return marker + b":" + hashlib.blake2b(data, digest_size=20).digest()


@cache
def _code_fingerprint() -> bytes:
    """This package's source and the versions a pickle depends on: a changed
    loader, or another Python or networkx, builds afresh."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"{sys.version}|{nx.__version__}".encode())
    package = Path(__file__).resolve().parent
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.digest()


def default_cache(environ: dict[str, str] | None = None) -> BuildCache | None:
    """The cache the app and the command line use: ``$CAREER_GRAPH_CACHE``, or
    ``career-graph`` in the user's cache folder (``$XDG_CACHE_HOME``, else
    ``~/.cache``); ``None`` when the variable is ``off``. Its size is
    ``$CAREER_GRAPH_CACHE_MB`` megabytes (2,000 unless set).

    Examples
    --------
    >>> default_cache({"CAREER_GRAPH_CACHE": "off"}) is None
    True
    >>> default_cache({"CAREER_GRAPH_CACHE": "/tmp/c"}).folder
    PosixPath('/tmp/c')
    """
    environ = os.environ if environ is None else environ
    chosen = environ.get(CACHE_ENV, "").strip()
    if chosen.lower() == "off":
        return None
    if chosen:
        folder = Path(chosen)
    else:
        base = environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        folder = Path(base) / "career-graph"
    megabytes = count_from_env(CACHE_MB_ENV, _DEFAULT_MB, environ)
    return BuildCache(folder, megabytes * 1_000_000)
