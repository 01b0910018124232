// Career graph component (Streamlit custom component v2).
// vis-network is prepended to this module from the copy inside the pyvis
// package, and graph/templates/routes.js after it (drawRoutes, routeNear,
// fitBounds), so `vis` is a global here and nothing is fetched from any host.
// All text from the data goes into the page through textContent or vis-network
// (canvas labels, innerText tooltips): never as HTML.

const DIM_NODE_OPACITY = 0.25;
const DIM_EDGE_OPACITY = 0.12;
const INFERRED_OPACITY = 0.45;

// Back and Forward: Streamlit does not rerun a one-page app when the browser
// moves through its history, so the graph reports each move (with a counter,
// so returning to the same address counts again) and the app replays the
// view the address names.
let reportHistory = null;
let historyMoves = 0;
function onPopState() {
  if (reportHistory === null) return;
  historyMoves += 1;
  reportHistory({ search: window.location.search, n: historyMoves });
}

function buildShell(parent, height) {
  const root = document.createElement("div");
  root.className = "career-graph";
  const note = document.createElement("div");
  note.className = "cg-note";
  const canvas = document.createElement("div");
  canvas.className = "cg-canvas";
  canvas.style.height = `${height}px`;
  canvas.setAttribute("role", "application");
  canvas.tabIndex = 0;
  const fit = document.createElement("button");
  fit.type = "button";
  fit.className = "cg-fit";
  fit.textContent = "Fit";
  fit.title = "Show the whole graph again";
  fit.addEventListener("click", () => fitView(root.__careerGraph));
  const png = document.createElement("button");
  png.type = "button";
  png.className = "cg-fit cg-png";
  png.textContent = "PNG";
  png.title = "Save the view as shown as a PNG image";
  png.hidden = true;
  png.addEventListener("click", () => savePng(root.__careerGraph));
  const tip = document.createElement("div");
  tip.className = "cg-edge-tip";
  tip.hidden = true;
  const frame = document.createElement("div");
  frame.className = "cg-frame";
  frame.append(canvas, fit, png, tip);
  const legend = document.createElement("div");
  legend.className = "cg-legend";
  root.append(note, frame, legend);
  parent.appendChild(root);
  return root;
}

// One legend entry: a marker (a swatch or a line, styled by the caller) and
// its text, set as text only.
function legendItem(legend, markerClass, text) {
  const item = document.createElement("span");
  item.className = "cg-item";
  const marker = document.createElement("span");
  marker.className = markerClass;
  const label = document.createElement("span");
  label.textContent = text;
  item.append(marker, label);
  legend.appendChild(item);
  return marker;
}

function renderLegend(legend, data) {
  legend.replaceChildren();
  for (const [family, colour, shape] of data.legend.families) {
    // The swatch has the node's shape too: past the palette's twelve
    // colours, families are told apart by shape.
    legendItem(legend, `cg-swatch cg-shape-${shape}`, family).style.background = colour;
  }
  if (data.legend.inferred) {
    legendItem(
      legend,
      "cg-line cg-inferred",
      "Faint: inferred from a comparison, not stated by a source",
    );
  }
  for (const [type, label, dashes, colour] of data.legend.edges) {
    const line = legendItem(legend, `cg-line cg-${type}`, label);
    line.style.borderTopStyle = dashes;
    line.style.borderTopColor = colour;
  }
}

// The selected role and its neighbours (and the chosen path) in full
// colour, the rest dimmed; with `dim` false (an org view, all of one piece)
// nothing is dimmed.
function highlight(state, selected, path, dim) {
  const { nodes } = state;
  const known = selected !== null && nodes.get(selected) !== null;
  const dims = known && dim;
  const neighbours = new Set(known ? state.network.getConnectedNodes(selected) : []);
  if (known) neighbours.add(selected);
  // The chosen career path stays in full colour too.
  path.forEach((id) => neighbours.add(id));
  const pathSteps = new Set(path.slice(1).map((id, i) => `${path[i]}|${id}`));
  nodes.update(
    nodes.getIds().map((id) => ({
      id,
      opacity: !dims || neighbours.has(id) ? 1 : DIM_NODE_OPACITY,
      borderWidth: id === selected ? 4 : state.baseBorder.get(id),
      shadow: id === selected ? { enabled: true, size: 12, x: 0, y: 0 } : false,
    })),
  );
  state.alpha = new Map(
    state.routes.map((edge) => {
      const touches =
        !dims ||
        edge.from === selected ||
        edge.to === selected ||
        pathSteps.has(`${edge.from}|${edge.to}`);
      return [
        edge.id,
        (touches ? 1 : DIM_EDGE_OPACITY) * (edge.inferred ? INFERRED_OPACITY : 1),
      ];
    }),
  );
  state.network.redraw();
  if (known) {
    state.network.selectNodes([selected], false);
  } else {
    state.network.unselectAll();
  }
  state.root.querySelector(".cg-canvas").setAttribute(
    "aria-label",
    known ? `Career graph, ${nodes.get(selected).label} selected` : "Career graph",
  );
}

// Keyboard: the graph takes focus; arrow keys walk the selected role's
// neighbours (left/up back, right/down on, in reading order) and Enter
// selects the one in focus. The canvas stays focused across reruns.
function neighboursInOrder(state) {
  const ids = state.network.getConnectedNodes(state.selected ?? "");
  const positions = state.network.getPositions(ids);
  return ids
    .filter((id) => !String(id).startsWith("more:"))
    .sort((a, b) => positions[a].y - positions[b].y || positions[a].x - positions[b].x);
}

function onKey(state, event, select) {
  const keys = ["ArrowLeft", "ArrowUp", "ArrowRight", "ArrowDown", "Enter"];
  if (!keys.includes(event.key) || !state.network) return;
  event.preventDefault();
  if (event.key === "Enter") {
    if (state.focused) select(state.focused);
    return;
  }
  const ring = neighboursInOrder(state);
  if (ring.length === 0) return;
  const step = event.key === "ArrowLeft" || event.key === "ArrowUp" ? -1 : 1;
  const at = ring.indexOf(state.focused);
  state.focused = ring[(at + step + ring.length) % ring.length];
  state.network.selectNodes([state.focused], false);
  const label = state.nodes.get(state.focused)?.label ?? state.focused;
  state.root.querySelector(".cg-canvas").setAttribute(
    "aria-label",
    `Career graph: ${label}; press Enter to select it`,
  );
}

// The tab whose unsaved edits a tab switch or leaving the page would drop:
// on window, as the listeners are added once per page.
function onBeforeUnload(event) {
  if (window.__careerGraphUnsavedTab) {
    event.preventDefault();
    event.returnValue = "";
  }
}

const _TAB_KEYS = new Set(["ArrowLeft", "ArrowRight", "Home", "End", "Enter", " "]);

// Streamlit's tabs switch on pointer down (and on arrow keys), so that is
// where the question has to come first.
function onTabGesture(event) {
  const unsavedInTab = window.__careerGraphUnsavedTab;
  const tab = event.target.closest?.("[role='tab']");
  if (!unsavedInTab || !tab) return;
  if (event.type === "keydown" && !_TAB_KEYS.has(event.key)) return;
  if (event.type !== "keydown" && tab.textContent.trim() === unsavedInTab) return;
  const leave = window.confirm(
    `Your edits in ${unsavedInTab} are not saved. Switching tab drops them. Switch anyway?`,
  );
  if (!leave) {
    event.preventDefault();
    event.stopPropagation();
  }
}

// The whole layout at a readable size: as wide as the canvas allows, never
// smaller than the payload's min_scale (panning shows the rest).
function fitView(state) {
  if (!state?.network) return;
  const canvas = state.root.querySelector(".cg-canvas");
  fitBounds(state.network, state.bounds, canvas, state.minScale);
}

// A tall layout gets a taller canvas (up to maxHeight), so that it is drawn
// at its readable size rather than shrunk to fit a fixed height.
function canvasHeight(data, width, maxHeight) {
  if (data.narrow) maxHeight = Infinity; // a swipe scrolls the page through it
  const [left, top, right, bottom] = data.bounds;
  const room = (width - 2 * FIT_PAD) / Math.max(1, right - left);
  const scale = Math.max(data.min_scale, Math.min(room, 1));
  const wanted = (bottom - top) * scale + 2 * FIT_PAD;
  return Math.round(Math.min(maxHeight, Math.max(data.height, wanted)));
}

// The canvas as drawn, on white (the canvas itself is transparent).
function savePng(state) {
  const source = state?.root.querySelector(".cg-canvas canvas");
  if (!source || !state.exportName) return;
  const copy = document.createElement("canvas");
  copy.width = source.width;
  copy.height = source.height;
  const ctx = copy.getContext("2d");
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, copy.width, copy.height);
  ctx.drawImage(source, 0, 0);
  const link = document.createElement("a");
  link.href = copy.toDataURL("image/png");
  link.download = `${state.exportName}.png`;
  link.click();
}

// Hovering a route shows what the relation is, as hovering a box does.
function onPointerMove(state, event) {
  const tip = state.root.querySelector(".cg-edge-tip");
  const canvas = state.root.querySelector(".cg-canvas");
  const box = canvas.getBoundingClientRect();
  const dom = { x: event.clientX - box.left, y: event.clientY - box.top };
  const network = state.network;
  const at = network.DOMtoCanvas(dom);
  const edge =
    network.getNodeAt(dom) === undefined
      ? routeNear(state.routes, [at.x, at.y], 6 / network.getScale())
      : null;
  if (!edge?.title) {
    tip.hidden = true;
    return;
  }
  tip.textContent = edge.title;
  tip.style.left = `${dom.x + 12}px`;
  tip.style.top = `${dom.y + 12}px`;
  tip.hidden = false;
}

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  const root =
    parentElement.querySelector(".career-graph") ||
    buildShell(parentElement, data.height);
  const state = root.__careerGraph || (root.__careerGraph = { root, clicks: 0 });

  if (state.graphKey !== data.graph_key) {
    const container = root.querySelector(".cg-canvas");
    container.style.height = `${canvasHeight(data, container.clientWidth, data.max_height)}px`;
    if (!state.network) {
      state.nodes = new vis.DataSet();
      state.edges = new vis.DataSet();
      state.network = new vis.Network(
        container,
        { nodes: state.nodes, edges: state.edges },
        data.options,
      );
      const select = (id) => {
        state.clicks += 1;
        // A counter makes every click a new value, so clicking the role that
        // was selected before another widget changed the selection still counts.
        state.report("selected", { id, click: state.clicks });
      };
      state.network.on("click", (params) => {
        if (params.nodes.length === 0) return;
        select(params.nodes[0]);
      });
      container.addEventListener("keydown", (event) => onKey(state, event, select));
      state.network.on("beforeDrawing", (ctx) =>
        drawRoutes(ctx, state.routes ?? [], (edge) => state.alpha?.get(edge.id) ?? 1),
      );
      if (window.matchMedia("(hover: hover)").matches) {
        container.addEventListener("mousemove", (event) => onPointerMove(state, event));
        container.addEventListener("mouseleave", () => {
          root.querySelector(".cg-edge-tip").hidden = true;
        });
      }
    } else {
      state.network.setOptions(data.options);
      state.network.setSize("100%", container.style.height);
    }
    // on a phone the whole graph is drawn and a swipe scrolls the page:
    // dragging or pinching the graph would trap it
    state.network.setOptions({ interaction: { dragView: !data.narrow, zoomView: !data.narrow } });
    root.classList.toggle("cg-narrow", Boolean(data.narrow));
    state.nodes.clear();
    state.edges.clear();
    state.nodes.add(data.nodes);
    state.edges.add(data.edges);
    state.routes = data.edges;
    state.bounds = data.bounds;
    state.minScale = data.min_scale;
    state.baseBorder = new Map(data.nodes.map((n) => [n.id, n.borderWidth ?? 1]));
    fitView(state);
    state.graphKey = data.graph_key;
    // a tooltip of a box that is gone ("+N more" once clicked) would stay
    // over the new graph until the pointer moved
    root.querySelectorAll("div.vis-tooltip").forEach((tip) => {
      tip.style.visibility = "hidden";
    });
  }
  state.report = setStateValue;
  state.selected = data.selected ?? null;
  state.focused = state.selected;
  root.querySelector(".cg-note").textContent = data.note || "";
  state.exportName = data.export_name ?? null;
  root.querySelector(".cg-png").hidden = !state.exportName;
  renderLegend(root.querySelector(".cg-legend"), data);
  highlight(state, data.selected ?? null, data.path ?? [], data.dim ?? true);
  if (data.expose) {
    // the vis-network instance, for tests: window.careerGraph and the like
    window[data.expose] = state.network;
    state.exposedAs = data.expose;
  }
  if (data.narrow_px) {
    // phones get rows of two: say so when the width crosses the line
    const canvas = root.querySelector(".cg-canvas");
    state.reportNarrow = () => {
      const narrow = canvas.clientWidth > 0 && canvas.clientWidth < data.narrow_px;
      if (narrow !== Boolean(data.narrow) && narrow !== state.reportedNarrow) {
        state.reportedNarrow = narrow;
        setStateValue("narrow", narrow);
      }
    };
    if (!state.widthWatch) {
      state.widthWatch = new ResizeObserver(() => state.reportNarrow());
      state.widthWatch.observe(canvas);
    }
    state.reportNarrow();
  }
  if ((data.scroll_to_tabs ?? 0) > (state.scrolledToTabs ?? 0)) {
    state.scrolledToTabs = data.scroll_to_tabs;
    // "Compare with…" and the like open a tab below the fold: show it
    document.querySelector("[data-testid='stTabs']")?.scrollIntoView({ block: "start" });
  } else {
    state.scrolledToTabs = data.scroll_to_tabs ?? 0;
  }
  window.__careerGraphUnsavedTab = data.unsaved_in_tab ?? null;
  if (!window.__careerGraphGuard) {
    window.addEventListener("beforeunload", onBeforeUnload);
    // capture: ask before Streamlit's own handler switches the tab
    document.addEventListener("pointerdown", onTabGesture, true);
    document.addEventListener("keydown", onTabGesture, true);
    window.__careerGraphGuard = true;
  }
  if (data.history) {
    reportHistory = (value) => setStateValue("history", value);
    if (!window.__careerGraphHistory) {
      window.addEventListener("popstate", onPopState);
      window.__careerGraphHistory = true;
    }
  }
  return () => {
    if (state.exposedAs && window[state.exposedAs] === state.network) {
      delete window[state.exposedAs];
    }
    state.widthWatch?.disconnect();
    state.network?.destroy();
    delete root.__careerGraph;
    root.remove();
  };
}
