"""A state machine drawn as SVG from django-fsm-2's transition metadata, in pure Python
(docs/decisions/0015-state-diagrams.md): nothing is drawn by hand, so the picture cannot drift
from the model, and no Graphviz program is needed where the app runs.

Layout: states in ranks by breadth-first distance from the initial state, top to bottom; within
a rank, ordered by where the arrows into them come from (one barycentre pass, which untangles
most crossings). An arrow to a lower rank goes down; one to the same or an earlier rank (a
resend, a retry) bends out to the side; a transition that may stay in its state loops. Every
arrow is labelled with its transition's human name.
"""

import html
import math
import textwrap
from collections import deque
from dataclasses import dataclass, field

from django_fsm import GET_STATE, RETURN_VALUE

# Geometry in SVG user units (px at 1:1). Text is 13 px: about 7 px a character.
NODE_W, NODE_H, GAP_X, GAP_Y, MARGIN = 168, 44, 40, 92, 24
CHAR_W, WRAP = 7, 22
SIDE = 64  # room on each side for the side lines and the loops


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    transition: str  # the method name, e.g. "vet_true"
    label: str  # its human name, e.g. "vet true"


@dataclass
class Machine:
    """One model's state machine as django-fsm-2 declares it."""

    states: list[tuple[str, str]]  # (value, label) in the field's choices order
    initial: str
    edges: list[Edge] = field(default_factory=list)

    @classmethod
    def of(cls, model, field_name: str = "state") -> "Machine":
        state_field = model._meta.get_field(field_name)
        states = [(str(value), str(label)) for value, label in state_field.choices]
        values = [value for value, _label in states]
        machine = cls(states=states, initial=str(state_field.default))
        for transition in transitions_of(model, field_name):
            for source, target in arrows(transition, values):
                machine.edges.append(Edge(source, target, transition.name, human_name(transition)))
        return machine

    def label_of(self, value: str) -> str:
        return dict(self.states)[value]


def transitions_of(model, field_name: str = "state"):
    """Every transition declared on `model`'s FSM field, in declaration order."""
    return list(model._meta.get_field(field_name).get_all_transitions(model))


def human_name(transition) -> str:
    """The transition's own label (`custom={"label": …}`) or its name in words, as the app's
    messages already say it ("“vet true” is not possible from there")."""
    return transition.custom.get("label") or transition.name.replace("_", " ")


def targets_of(transition, source: str) -> list[str]:
    target = transition.target
    if isinstance(target, (RETURN_VALUE, GET_STATE)):
        return [str(state) for state in target.allowed_states]
    if target is None:  # django-fsm: a transition without a target keeps the state
        return [source]
    return [str(target)]


def arrows(transition, states: list[str]) -> list[tuple[str, str]]:
    """(source, target) pairs of one transition. Its metadata is stored per source state, "*"
    (any state) and "+" (any other state) included."""
    pairs = []
    source = str(transition.source)
    sources = states if source in ("*", "+") else [source]
    for state in sources:
        for target in targets_of(transition, state):
            if source == "+" and target == state:
                continue
            pairs.append((state, target))
    return pairs


def ranks(machine: Machine) -> list[list[str]]:
    """The states' rows, top to bottom (see `Layout`)."""
    return [[n for n in row if not isinstance(n, Dummy)] for row in Layout(machine).rows]


class Dummy:
    """A point an arrow passes through on a row it crosses (so it bends around the boxes)."""

    def __init__(self, key):
        self.key = key


# A transition taken from this many states or more into one state (withdraw, reassign) is drawn
# as one line down the side of the picture that each of its states joins: eight separate arrows
# into "Withdrawn" would cross everything else.
BUS_SOURCES = 4


class Layout:
    """Rows and positions. Rows by breadth-first distance from the initial state (over the
    arrows that are not on a side line); a side line's target goes one row below its first
    source, or in the last row when nothing leaves it. An arrow longer than one row passes
    through a point on each row it crosses; then each row is ordered under the mean position
    of what points at it, a few passes down and up, which untangles most crossings."""

    def __init__(self, machine: Machine):
        self.machine = machine
        values = [value for value, _label in machine.states]
        by_name: dict[str, set] = {}
        for edge in machine.edges:
            by_name.setdefault(edge.transition, set()).add((edge.source, edge.target))
        self.buses = []  # (transition name, target, [sources]); at most one a side
        for name, pairs in by_name.items():
            targets = {t for _s, t in pairs}
            sources = sorted({s for s, t in pairs if s != t}, key=values.index)
            if len(targets) == 1 and len(sources) >= BUS_SOURCES and len(self.buses) < 2:
                self.buses.append((name, next(iter(targets)), sources))
        on_bus = {(s, target) for name, target, sources in self.buses for s in sources}
        on_bus_names = {(name, target) for name, target, _sources in self.buses}
        self.pairs = {
            (e.source, e.target)
            for e in machine.edges
            if e.source != e.target and (e.transition, e.target) not in on_bus_names
        }
        self.following = following = {value: [] for value in values}
        for s, t in sorted(self.pairs, key=lambda pair: values.index(pair[1])):
            following[s].append(t)
        rank = {machine.initial: 0}
        queue = deque([machine.initial])
        while queue:
            state = queue.popleft()
            for target in following[state]:
                if target not in rank:
                    rank[target] = rank[state] + 1
                    queue.append(target)
        last = max(rank.values())
        for _name, target, sources in self.buses:
            if target not in rank:
                leaves = any(s == target for s, _t in self.pairs)
                first = min((rank[s] for s in sources if s in rank), default=last)
                rank[target] = first + 1 if leaves else last
                last = max(last, rank[target])
        for value in values:
            rank.setdefault(value, last + 1)
        # No arrow along a row or back up unless it closes a loop (a resend, a retry): a state
        # goes below every state that points at it without being reachable from it.
        forward = [(s, t) for s, t in self.pairs if not self._reaches(following, t, s)]
        for _ in values:
            moved = False
            for s, t in forward:
                if rank[t] <= rank[s]:
                    rank[t], moved = rank[s] + 1, True
            if not moved:
                break
        for _name, target, _sources in self.buses:  # a final state stays in the last row
            if not following[target]:
                rank[target] = max(rank[v] for v in values if v != target)
        self.rank = rank
        self.on_bus = on_bus
        rows: list[list] = [[] for _ in range(max(rank.values()) + 1)]
        for value in values:
            rows[rank[value]].append(value)
        self.routes: dict[tuple[str, str], list] = {}
        for s, t in sorted(
            self.pairs, key=lambda pair: (values.index(pair[0]), values.index(pair[1]))
        ):
            low, high = sorted((rank[s], rank[t]))
            route = [s]
            for row in range(low + 1, high) if rank[s] < rank[t] else range(high - 1, low, -1):
                dummy = Dummy((s, t, row))
                rows[row].append(dummy)
                route.append(dummy)
            route.append(t)
            self.routes[(s, t)] = route
        self.rows = self._untangle(rows)
        # A side line's target sits at its row's end on that side.
        for number, (_name, target, _sources) in enumerate(self.buses):
            row = self.rows[rank[target]]
            row.remove(target)
            row.append(target) if number == 0 else row.insert(0, target)

    @staticmethod
    def _reaches(following, start, goal) -> bool:
        seen, stack = {start}, [start]
        while stack:
            for nxt in following[stack.pop()]:
                if nxt == goal:
                    return True
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return False

    def _untangle(self, rows):
        links: list[tuple] = []
        for route in self.routes.values():
            links.extend(zip(route, route[1:], strict=False))
        for sweep in range(4):
            down = sweep % 2 == 0
            for number in range(1, len(rows)) if down else range(len(rows) - 2, -1, -1):
                near = rows[number - 1] if down else rows[number + 1]
                where = {node: index for index, node in enumerate(near)}
                current = {node: index for index, node in enumerate(rows[number])}

                def weight(node, where=where, current=current):
                    linked = [where[a] for a, b in links if b is node and a in where]
                    linked += [where[b] for a, b in links if a is node and b in where]
                    if not linked:
                        return current[node] * len(where) / max(len(current), 1)
                    return sum(linked) / len(linked)

                rows[number].sort(key=weight)
        return rows


def _lines(label: str) -> list[str]:
    return textwrap.wrap(label, WRAP) or [label]


def _text(x: float, y: float, lines: list[str], css: str) -> str:
    first = y - (len(lines) - 1) * 8
    spans = "".join(
        f'<tspan x="{x:.0f}" y="{first + 16 * number:.0f}">{html.escape(line)}</tspan>'
        for number, line in enumerate(lines)
    )
    return f'<text class="{css}" text-anchor="middle" dominant-baseline="middle">{spans}</text>'


DUMMY_W = 28


def svg(machine: Machine, *, title: str, description: str, id_prefix: str) -> str:
    """The machine as an inline SVG element: a box per state, an arrow per (source, target)
    labelled with the transitions that take it. Each arrow carries data-transitions /
    data-from / data-to, so a test can check that every transition of the model is drawn."""
    layout = Layout(machine)

    def width_of(node):
        return DUMMY_W if isinstance(node, Dummy) else NODE_W

    row_widths = [sum(width_of(n) for n in row) + GAP_X * (len(row) - 1) for row in layout.rows]
    width = 2 * MARGIN + max(row_widths) + 2 * SIDE
    # Below the last row: room for an arc along it or a side line's lane.
    height = 2 * MARGIN + len(layout.rows) * NODE_H + (len(layout.rows) - 0.5) * GAP_Y
    place: dict = {}
    for number, row in enumerate(layout.rows):
        x = (width - row_widths[number]) / 2
        for node in row:
            place[node] = (x + width_of(node) / 2, MARGIN + number * (NODE_H + GAP_Y) + NODE_H / 2)
            x += width_of(node) + GAP_X
    # One arrow per (source, target); transitions sharing it share its label.
    names: dict[tuple[str, str], list[Edge]] = {}
    for edge in machine.edges:
        names.setdefault((edge.source, edge.target), []).append(edge)
    # Arrows leaving (or reaching) one box spread along its edge, in the order of their ends.
    ends: dict[tuple, list[tuple[str, str]]] = {}
    for pair, route in layout.routes.items():
        (s, t), (first, before_last) = pair, (route[1], route[-2])
        up = layout.rank[t] < layout.rank[s]
        same = layout.rank[t] == layout.rank[s]
        ends.setdefault((s, "top" if up else "bottom"), []).append((pair, place[first][0]))
        ends.setdefault((t, "bottom" if up or same else "top"), []).append(
            (pair, place[before_last][0])
        )

    def spread(key, pair, x):
        pairs = sorted(ends[key], key=lambda item: item[1])
        index = [p for p, _x in pairs].index(pair)
        return x + (index - (len(pairs) - 1) / 2) * min((NODE_W - 16) / len(pairs), 26)

    arrow_id = f"{id_prefix}-arrow"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="state-diagram" viewBox="0 0 {width:.0f} '
        f'{height:.0f}" width="{width:.0f}" height="{height:.0f}" role="img" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc">',
        f'<title id="{id_prefix}-title">{html.escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{html.escape(description)}</desc>',
        f'<defs><marker id="{arrow_id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'class="arrow-head"/></marker></defs>',
    ]
    labels = []

    def arrow(s, t, path, css="edge"):
        transitions = " ".join(dict.fromkeys(e.transition for e in names[(s, t)]))
        parts.append(
            f'<g class="{css}" data-transitions="{html.escape(transitions)}" '
            f'data-from="{html.escape(s)}" data-to="{html.escape(t)}"><path d="{path}" '
            f'marker-end="url(#{arrow_id})"/></g>'
        )

    def label_of(s, t):
        return " / ".join(dict.fromkeys(e.label for e in names[(s, t)]))

    for s, t in names:
        if s == t:  # a loop on the box's right side
            x, y = place[s][0] + NODE_W / 2, place[s][1]
            arrow(
                s,
                t,
                f"M{x:.0f},{y - 10:.0f} C{x + 44:.0f},{y - 34:.0f} {x + 44:.0f},"
                f"{y + 34:.0f} {x:.0f},{y + 10:.0f}",
            )
            # Above the box's corner: beside it would cover the next box on the row.
            labels.append(_label(x, y - NODE_H / 2 - 9, label_of(s, t)))
            continue
        if (s, t) in layout.on_bus and (s, t) not in layout.routes:
            continue  # drawn with its side line below
        (sx, sy), (tx, ty) = place[s], place[t]
        route = layout.routes[(s, t)]
        if layout.rank[s] == layout.rank[t]:  # along a row: an arc below it
            x1 = spread((s, "bottom"), (s, t), sx)
            x2 = spread((t, "bottom"), (s, t), tx)
            y = sy + NODE_H / 2
            # Two arcs between one pair of boxes (there and back) dip to different depths.
            deep = (t, s) in names and sx > tx
            dip = y + GAP_Y * (0.75 if deep else 0.45)
            arrow(
                s, t, f"M{x1:.0f},{y:.0f} C{x1:.0f},{dip:.0f} {x2:.0f},{dip:.0f} {x2:.0f},{y:.0f}"
            )
            labels.append(
                _label((x1 + x2) / 2, y + GAP_Y * (0.56 if deep else 0.34), label_of(s, t))
            )
            continue
        up = layout.rank[t] < layout.rank[s]
        points = [place[node] for node in route]
        half = -NODE_H / 2 if up else NODE_H / 2
        points[0] = (spread((s, "top" if up else "bottom"), (s, t), sx), sy + half)
        points[-1] = (spread((t, "bottom" if up else "top"), (s, t), tx), ty - half)
        path = f"M{points[0][0]:.0f},{points[0][1]:.0f}"
        for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
            middle = (y1 + y2) / 2
            path += f" C{x1:.0f},{middle:.0f} {x2:.0f},{middle:.0f} {x2:.0f},{y2:.0f}"
        arrow(s, t, path)
        # The label on the first stretch, staggered so arrows leaving one box keep theirs apart.
        siblings = sorted(ends[(s, "top" if up else "bottom")], key=lambda item: item[1])
        index = [p for p, _x in siblings].index((s, t))
        (x1, y1), (x2, y2) = points[0], points[1]
        middle = (y1 + y2) / 2
        at = (0.25, 0.5, 0.75)[index % 3] if len(siblings) > 1 else 0.5
        labels.append(
            _label(*_bezier((x1, y1), (x1, middle), (x2, middle), (x2, y2), at), label_of(s, t))
        )
    for number, (name, target, sources) in enumerate(layout.buses):
        right = number == 0
        bus_x = width - MARGIN - 12 if right else MARGIN + 12
        tx, ty = place[target]
        # Into the target's side, from the line.
        end_x = tx + NODE_W / 2 if right else tx - NODE_W / 2
        for source in sources:
            if (source, target) in layout.routes:
                continue  # also taken by another transition: drawn as an ordinary arrow
            sx, sy = place[source]
            lane = sy + NODE_H / 2 + GAP_Y * (0.22 if right else 0.12)
            x1 = sx + (NODE_W / 2 - 14) * (1 if right else -1)
            arrow(
                source,
                target,
                f"M{x1:.0f},{sy + NODE_H / 2:.0f} L{x1:.0f},{lane:.0f} L{bus_x:.0f},{lane:.0f} "
                f"L{bus_x:.0f},{ty:.0f} L{end_x:.0f},{ty:.0f}",
                css="edge bus",
            )
        top = min(place[s][1] for s in sources) + NODE_H / 2
        labels.append(
            _label(
                bus_x + (-6 if right else 6),
                (top + ty) / 2,
                next(e.label for e in machine.edges if e.transition == name),
                anchor="end" if right else "start",
            )
        )
    for value, label in machine.states:
        x, y = place[value]
        css = "state initial" if value == machine.initial else "state"
        parts.append(
            f'<g class="{css}" data-state="{html.escape(value)}"><rect x="{x - NODE_W / 2:.0f}" '
            f'y="{y - NODE_H / 2:.0f}" width="{NODE_W}" height="{NODE_H}" rx="8"/>'
            f"{_text(x, y, _lines(label), 'state-label')}</g>"
        )
    parts.extend(labels)  # last: drawn over the arrows and boxes they cross
    parts.append("</svg>")
    return "".join(parts)


def _label(x, y, text, anchor="middle"):
    return (
        f'<text class="edge-label" x="{x:.0f}" y="{y:.0f}" text-anchor="{anchor}" '
        f'dominant-baseline="middle">{html.escape(text)}</text>'
    )


def _bezier(p0, p1, p2, p3, t):
    u = 1 - t
    x = u**3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t**3 * p3[0]
    y = u**3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t**3 * p3[1]
    return (x, y) if math.isfinite(x) and math.isfinite(y) else (p0[0], p0[1])
