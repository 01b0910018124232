"""A layered layout whose edges pass through no box they do not connect.

Boxes sit in rows (tiers: senior levels on top, or the depth of an org chart)
on one grid of columns. The gaps between rows (*channels*) hold no box, and
since every box is narrower than a column, neither do the gaps between
columns (*lanes*), on any row. An edge leaves its source box on the side that
faces its target, runs along a channel, down or up a lane when it skips rows,
along the channel next to its target and into it. Every segment lies in a
channel, a lane, or the gap between two boxes side by side, so a line never
suggests a step through a role it does not connect. Segments that share a
channel or a lane get tracks of their own, and each box side spreads its
ports, so lines run side by side instead of merging.

The graph is not needed: the caller gives the tiers (node -> row group,
top first, in the order to start from), the box heights and the edges.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from statistics import fmean

__all__ = ["Layout", "layered_layout", "crossed_boxes"]

Point = tuple[float, float]

#: Sweeps of the barycentre heuristic that orders each tier (down, up, ...).
_SWEEPS = 4
#: The most room one channel takes, however many lines run along it: past it
#: tracks are packed closer (a catalogue-wide export can have thousands).
_MAX_CHANNEL = 240.0
#: Clearance between a lane's outermost track and the boxes beside it.
_LANE_CLEARANCE = 4.0
#: Space between the ports on one side of a box, at most.
_PORT_GAP = 14.0


@dataclass(frozen=True)
class Layout:
    """Where each box is and the route of each edge.

    ``positions`` holds each box's centre and ``sizes`` its width and height;
    ``routes`` holds each edge's polyline, from a point on its source box's
    border to a point on its target's, with horizontal and vertical segments.
    """

    positions: dict[Hashable, Point]
    sizes: dict[Hashable, tuple[float, float]]
    routes: dict[Hashable, tuple[Point, ...]]

    def bounds(self) -> tuple[float, float, float, float]:
        """``(left, top, right, bottom)`` of every box and route."""
        xs, ys = [], []
        for node, (x, y) in self.positions.items():
            width, height = self.sizes[node]
            xs += (x - width / 2, x + width / 2)
            ys += (y - height / 2, y + height / 2)
        for route in self.routes.values():
            xs += (x for x, _ in route)
            ys += (y for _, y in route)
        if not xs:
            return (0.0, 0.0, 0.0, 0.0)
        return (min(xs), min(ys), max(xs), max(ys))


@dataclass
class _Route:
    """An edge being routed: its ends, sides, channels, lane and tracks."""

    key: Hashable
    source: Hashable
    target: Hashable
    kind: str  # "side" (neighbours on one row), "channel" or "lane"
    source_side: str = ""  # "top" or "bottom"
    target_side: str = ""
    channels: tuple[int, ...] = ()  # one, or (first, last) with a lane
    lane: int | None = None  # lane k runs between columns k and k + 1
    source_port: float = 0.0
    target_port: float = 0.0
    lane_x: float = 0.0
    track_y: tuple[float, ...] = ()
    offset: float = 0.0  # "side": height above or below the row's middle


def layered_layout(
    tiers: Mapping[Hashable, int],
    edges: Sequence[tuple[Hashable, Hashable, Hashable]],
    *,
    heights: Mapping[Hashable, float],
    box_width: float = 160.0,
    column_gap: float = 30.0,
    row_length: int = 4,
    tier_gap: float = 45.0,
    row_gap: float = 18.0,
    track_gap: float = 8.0,
) -> Layout:
    """Place boxes in rows and route ``edges`` (``(key, source, target)``) so
    that no route passes through a box other than its own two.

    Each tier is one or more rows of at most ``row_length`` boxes, ordered to
    keep related boxes close (a barycentre heuristic, starting from the order
    of ``tiers``); a row's boxes share the row's tallest height. Columns are
    ``box_width + column_gap`` apart. An edge from a box to itself (which
    validation refuses in a catalogue) gets an empty route.

    Examples
    --------
    A skip-level step does not run through the box it skips:

    >>> tiers = {"manager": 0, "coordinator": 1, "assistant": 2}
    >>> edges = [("a-c", "assistant", "coordinator"),
    ...          ("c-m", "coordinator", "manager"),
    ...          ("a-m", "assistant", "manager")]
    >>> layout = layered_layout(tiers, edges, heights=dict.fromkeys(tiers, 40))
    >>> crossed_boxes(layout, edges)
    []
    >>> len(layout.routes["a-m"]) > 2  # around the coordinator, not through
    True
    >>> layout.positions["manager"][1] < layout.positions["assistant"][1]
    True
    """
    if row_length < 1:
        raise ValueError(f"row_length must be at least 1, not {row_length}")
    loops = [key for key, u, v in edges if u == v]
    edges = [(key, u, v) for key, u, v in edges if u != v]
    neighbours: dict[Hashable, set] = defaultdict(set)
    for _, u, v in edges:
        neighbours[u].add(v)
        neighbours[v].add(u)
    rows = _rows(_ordered_tiers(tiers, neighbours), row_length)
    row_of = {node: r for r, (_, members) in enumerate(rows) for node in members}
    column = _columns(rows, neighbours, row_length)
    pitch = box_width + column_gap
    x_of = {node: c * pitch for node, c in column.items()}
    lane_load: Counter = Counter()
    routes = [
        _plan(key, u, v, row_of, column, len(rows), pitch, lane_load)
        for key, u, v in edges
    ]
    _lane_tracks(routes, pitch, column_gap - 2 * _LANE_CLEARANCE)
    _place_ports(routes, x_of, box_width)
    row_height = [max(heights[n] for n in members) for _, members in rows]
    row_y = _stack(
        rows, row_height, routes, tier_gap=tier_gap, row_gap=row_gap, gap=track_gap
    )
    _offset_sides(routes, track_gap, row_height, row_of)
    positions = {node: (x_of[node], row_y[row_of[node]]) for node in row_of}
    sizes = {node: (box_width, row_height[row_of[node]]) for node in row_of}
    return Layout(
        positions,
        sizes,
        {route.key: _polyline(route, positions, sizes) for route in routes}
        | dict.fromkeys(loops, ()),
    )


def _ordered_tiers(
    tiers: Mapping[Hashable, int], neighbours: Mapping[Hashable, set]
) -> list[list]:
    """Each tier's nodes, top tier first, ordered by the mean position of
    their neighbours in other tiers (sweeping down, then up, a few times)."""
    by_tier: dict[int, list] = {}
    for node, tier in tiers.items():
        by_tier.setdefault(tier, []).append(node)
    layers = [by_tier[t] for t in sorted(by_tier)]
    place = {}
    for layer in layers:
        place.update({n: (i + 0.5) / len(layer) for i, n in enumerate(layer)})
    for sweep in range(_SWEEPS):
        order = range(len(layers)) if sweep % 2 == 0 else reversed(range(len(layers)))
        for t in order:
            layer = layers[t]
            here = set(layer)

            def barycentre(node, here=here) -> float:
                others = [place[m] for m in neighbours.get(node, ()) if m not in here]
                return fmean(others) if others else place[node]

            layer.sort(key=barycentre)
            place.update({n: (i + 0.5) / len(layer) for i, n in enumerate(layer)})
    return layers


def _rows(layers: list[list], row_length: int) -> list[tuple[int, list]]:
    """``(tier, nodes)`` per row: each tier wrapped after ``row_length``."""
    return [
        (t, layer[start : start + row_length])
        for t, layer in enumerate(layers)
        for start in range(0, len(layer), row_length)
    ]


def _columns(
    rows: list[tuple[int, list]], neighbours: Mapping[Hashable, set], row_length: int
) -> dict[Hashable, int]:
    """A whole column per node: each row shifted under the neighbours its
    boxes have in the rows above (else centred), so chains stand straight,
    but never out of the ``row_length`` columns a full row takes: the layout
    is never wider than that.

    Examples
    --------
    >>> rows = [(0, ["boss"]), (1, ["a", "b"])]
    >>> _columns(rows, {"a": {"boss"}, "b": {"boss"}}, 4)
    {'boss': 0, 'a': 0, 'b': 1}
    """
    lowest = -(row_length // 2)
    column: dict[Hashable, int] = {}
    for _, members in rows:
        wanted = [
            fmean(column[m] for m in placed) - i
            for i, node in enumerate(members)
            if (placed := [m for m in neighbours.get(node, ()) if m in column])
        ]
        first = round(fmean(wanted)) if wanted else -(len(members) // 2)
        first = max(lowest, min(first, lowest + row_length - len(members)))
        column.update({node: first + i for i, node in enumerate(members)})
    return column


def _plan(key, u, v, row_of, column, row_count, pitch, lane_load) -> _Route:
    """Which sides, channels and lane the route from ``u`` to ``v`` takes.

    Channel ``k`` is the gap above row ``k`` (channel ``row_count`` lies below
    the last row); lane ``k`` is the gap right of column ``k``. ``lane_load``
    counts the routes given to each lane so far.
    """
    ru, rv = row_of[u], row_of[v]
    if ru == rv:
        if abs(column[u] - column[v]) == 1:
            return _Route(key, u, v, "side")
        below = ru + 1 < row_count
        side = "bottom" if below else "top"
        return _Route(key, u, v, "channel", side, side, (ru + 1 if below else ru,))
    down = ru < rv
    sides = ("bottom", "top") if down else ("top", "bottom")
    first, last = (ru + 1, rv) if down else (ru, rv + 1)
    if first == last:
        return _Route(key, u, v, "channel", *sides, (first,))
    cu, cv = column[u], column[v]
    # any lane between the two columns is as short as another: take the one
    # used least so far, then the one nearest the target
    between = range(min(cu, cv), max(cu, cv)) if cu != cv else (cv - 1, cv)
    lane = min(between, key=lambda k: (lane_load[k], abs(k + 0.5 - cv)))
    lane_load[lane] += 1
    route = _Route(key, u, v, "lane", *sides, (first, last), lane)
    route.lane_x = (lane + 0.5) * pitch
    return route


def _place_ports(routes: list[_Route], x_of: Mapping, box_width: float) -> None:
    """Spread the routes leaving or entering each box side along it, ordered
    by where they head, so they do not cross right at the box."""
    sides: dict[tuple, list] = defaultdict(list)
    for route in routes:
        if route.kind == "side":
            continue
        lane = route.lane_x if route.kind == "lane" else None
        toward_target = x_of[route.target] if lane is None else lane
        toward_source = x_of[route.source] if lane is None else lane
        sides[(route.source, route.source_side)].append(
            (toward_target, str(route.key), route, "source")
        )
        sides[(route.target, route.target_side)].append(
            (toward_source, str(route.key), route, "target")
        )
    room = box_width - 2 * _PORT_GAP
    for (node, _), ends in sides.items():
        ends.sort(key=lambda end: end[:2])
        spacing = min(_PORT_GAP, room / max(1, len(ends) - 1))
        middle = (len(ends) - 1) / 2
        for i, (_, _, route, end) in enumerate(ends):
            x = x_of[node] + (i - middle) * spacing
            if end == "source":
                route.source_port = x
            else:
                route.target_port = x


def _tracks(intervals: list[tuple[float, float, Hashable]]) -> tuple[dict, int]:
    """A track per interval so that intervals sharing a track do not touch:
    greedy by left end, reusing the track that frees up first.

    Examples
    --------
    >>> _tracks([(0, 5, "a"), (6, 9, "b"), (2, 7, "c")])
    ({'a': 0, 'c': 1, 'b': 0}, 2)
    """
    busy: list[tuple[float, int]] = []  # (right end, track), soonest free first
    track_of, count = {}, 0
    for lo, hi, item in sorted(intervals, key=lambda i: (i[0], i[1])):
        if busy and busy[0][0] < lo:
            _, track = heapq.heappop(busy)
        else:
            track, count = count, count + 1
        track_of[item] = track
        heapq.heappush(busy, (hi, track))
    return track_of, count


def _horizontal_runs(route: _Route) -> list[tuple[int, float, float]]:
    """``(channel, x from, x to)`` of each run of the route along a channel."""
    if route.kind == "channel":
        return [(route.channels[0], route.source_port, route.target_port)]
    if route.kind == "lane":
        first, last = route.channels
        return [
            (first, route.source_port, route.lane_x),
            (last, route.lane_x, route.target_port),
        ]
    return []


def _lane_tracks(routes: list[_Route], pitch: float, room: float) -> None:
    """Move each lane route onto a track of its lane, so routes sharing a
    stretch of lane run side by side within it."""
    by_lane: dict[int, list] = defaultdict(list)
    for route in routes:
        if route.kind == "lane":
            by_lane[route.lane].append(
                (min(route.channels), max(route.channels), route)
            )
    for lane, intervals in by_lane.items():
        track_of, count = _tracks(
            [(lo, hi, i) for i, (lo, hi, _) in enumerate(intervals)]
        )
        spacing = min(6.0, room / max(1, count - 1))
        for i, (_, _, route) in enumerate(intervals):
            route.lane_x = (lane + 0.5) * pitch + (
                track_of[i] - (count - 1) / 2
            ) * spacing


def _stack(
    rows: list[tuple[int, list]],
    row_height: list[float],
    routes: list[_Route],
    *,
    tier_gap: float,
    row_gap: float,
    gap: float,
) -> list[float]:
    """The y of each row's centre, top to bottom, with each channel as tall
    as its tracks need; sets each route's ``track_y``."""
    runs = defaultdict(list)
    for route_index, route in enumerate(routes):
        for run_index, (channel, x0, x1) in enumerate(_horizontal_runs(route)):
            runs[channel].append((min(x0, x1), max(x0, x1), (route_index, run_index)))
    track_y: dict[tuple[int, int], float] = {}
    row_y = []
    y = 0.0
    for channel in range(len(rows) + 1):
        track_of, count = _tracks(runs.get(channel, []))
        if channel in (0, len(rows)):
            least = 0.0  # the outer channels are there only for routes
        else:
            least = tier_gap if rows[channel - 1][0] != rows[channel][0] else row_gap
        spacing = (
            gap if (count + 1) * gap <= _MAX_CHANNEL else _MAX_CHANNEL / (count + 1)
        )
        height = max(least, (count + 1) * spacing) if count else least
        first = y + (height - (count - 1) * spacing) / 2
        track_y.update({item: first + t * spacing for item, t in track_of.items()})
        y += height
        if channel < len(rows):
            row_y.append(y + row_height[channel] / 2)
            y += row_height[channel]
    for route_index, route in enumerate(routes):
        route.track_y = tuple(
            track_y[(route_index, run_index)]
            for run_index in range(len(_horizontal_runs(route)))
        )
    return row_y


def _offset_sides(
    routes: list[_Route], gap: float, row_height: list[float], row_of: Mapping
) -> None:
    """Routes between the same two boxes side by side: one above another."""
    pairs: dict[frozenset, list] = defaultdict(list)
    for route in routes:
        if route.kind == "side":
            pairs[frozenset((route.source, route.target))].append(route)
    for together in pairs.values():
        reach = row_height[row_of[together[0].source]] / 2 - 4
        spacing = min(gap, 2 * reach / max(1, len(together) - 1))
        for i, route in enumerate(together):
            route.offset = (i - (len(together) - 1) / 2) * spacing


def _polyline(route: _Route, positions: Mapping, sizes: Mapping) -> tuple[Point, ...]:
    (xu, yu), (wu, hu) = positions[route.source], sizes[route.source]
    (xv, yv), (wv, hv) = positions[route.target], sizes[route.target]
    if route.kind == "side":
        sign = 1 if xv > xu else -1
        y = yu + route.offset
        return ((xu + sign * wu / 2, y), (xv - sign * wv / 2, y))
    start = (
        route.source_port,
        yu + (hu / 2 if route.source_side == "bottom" else -hu / 2),
    )
    end = (
        route.target_port,
        yv + (hv / 2 if route.target_side == "bottom" else -hv / 2),
    )
    if route.kind == "channel":
        (track,) = route.track_y
        middle = [(route.source_port, track), (route.target_port, track)]
    else:
        first, last = route.track_y
        middle = [
            (route.source_port, first),
            (route.lane_x, first),
            (route.lane_x, last),
            (route.target_port, last),
        ]
    return _simplified([start, *middle, end])


def _simplified(points: list[Point]) -> tuple[Point, ...]:
    """``points`` without repeats and without the middle of three in line.

    Examples
    --------
    >>> _simplified([(0, 0), (0, 5), (0, 5), (0, 9), (4, 9)])
    ((0, 0), (0, 9), (4, 9))
    """
    kept: list[Point] = []
    for point in points:
        if kept and point == kept[-1]:
            continue
        if len(kept) >= 2:
            (ax, ay), (bx, by) = kept[-2], kept[-1]
            if (bx - ax) * (point[1] - ay) == (by - ay) * (point[0] - ax):
                kept[-1] = point
                continue
        kept.append(point)
    return tuple(kept)


def crossed_boxes(
    layout: Layout,
    edges: Sequence[tuple[Hashable, Hashable, Hashable]],
    tolerance: float = 0.5,
) -> list[tuple[Hashable, Hashable]]:
    """``(edge key, node)`` for each box a route passes through that is not
    one of the edge's own two: none for a layout from :func:`layered_layout`.

    A route that only grazes a border (within ``tolerance``) does not count.
    For checks and tests: it tries every segment against every box.

    Examples
    --------
    >>> boxes = Layout({"a": (0, 0), "b": (0, 100), "c": (0, 50)},
    ...                dict.fromkeys("abc", (40, 20)),
    ...                {"ab": ((0, 10), (0, 90))})
    >>> crossed_boxes(boxes, [("ab", "a", "b")])
    [('ab', 'c')]
    """
    crossed = []
    for key, u, v in edges:
        route = layout.routes[key]
        for node, (x, y) in layout.positions.items():
            if node in (u, v):
                continue
            width, height = layout.sizes[node]
            box = (
                x - width / 2 + tolerance,
                y - height / 2 + tolerance,
                x + width / 2 - tolerance,
                y + height / 2 - tolerance,
            )
            if any(_enters(a, b, box) for a, b in pairwise(route)):
                crossed.append((key, node))
    return crossed


def _enters(a: Point, b: Point, box: tuple[float, float, float, float]) -> bool:
    """Whether the segment ``a``-``b`` passes through the inside of ``box``
    (``left, top, right, bottom``): Liang-Barsky clipping."""
    (x0, y0), (x1, y1) = a, b
    left, top, right, bottom = box
    dx, dy = x1 - x0, y1 - y0
    low, high = 0.0, 1.0
    for p, q in (
        (-dx, x0 - left),
        (dx, right - x0),
        (-dy, y0 - top),
        (dy, bottom - y0),
    ):
        if p == 0:
            if q <= 0:
                return False
        elif p < 0:
            low = max(low, q / p)
        else:
            high = min(high, q / p)
    return low < high
