// Edge routes of the career graph (graph/layout.py), drawn on vis-network's
// canvas under the boxes. vis-network draws an edge as one line or curve
// from centre to centre, which runs through the boxes in between; the layout
// gives each edge a polyline around them, and this draws it. Used by the app's
// graph component and by the standalone HTML export.

const ROUTE_CORNER = 7;
// Space kept around the layout when it is fitted into the canvas.
const FIT_PAD = 24;

function routeArrow(ctx, [x0, y0], [x1, y1], width) {
  const length = 9 + width * 1.5;
  const angle = Math.atan2(y1 - y0, x1 - x0);
  const spread = 0.42;
  ctx.beginPath();
  ctx.moveTo(x1, y1);
  ctx.lineTo(x1 - length * Math.cos(angle - spread), y1 - length * Math.sin(angle - spread));
  ctx.lineTo(x1 - length * Math.cos(angle + spread), y1 - length * Math.sin(angle + spread));
  ctx.closePath();
  ctx.setLineDash([]);
  ctx.fill();
  return length;
}

// The route of one edge: rounded corners, the edge's dashes, an arrow at the
// target; `alpha` is its opacity (dimmed, faint when inferred).
function drawRoute(ctx, edge, alpha) {
  const points = edge.points;
  if (!points || points.length < 2) return;
  ctx.save();
  ctx.globalAlpha = alpha;
  ctx.strokeStyle = edge.color;
  ctx.fillStyle = edge.color;
  ctx.lineWidth = edge.width;
  const end = points[points.length - 1];
  const before = points[points.length - 2];
  // the line stops where the arrowhead starts, so a thick line's end does
  // not show around its tip
  const head = edge.arrow ? routeArrow(ctx, before, end, edge.width) * 0.8 : 0;
  const last = Math.hypot(end[0] - before[0], end[1] - before[1]) || 1;
  const stop = [
    end[0] - ((end[0] - before[0]) * Math.min(head, last)) / last,
    end[1] - ((end[1] - before[1]) * Math.min(head, last)) / last,
  ];
  ctx.setLineDash(edge.dashes || []);
  ctx.beginPath();
  ctx.moveTo(points[0][0], points[0][1]);
  for (let i = 1; i < points.length - 1; i += 1) {
    const [px, py] = points[i - 1];
    const [cx, cy] = points[i];
    const [nx, ny] = i + 1 === points.length - 1 ? stop : points[i + 1];
    const room = Math.min(Math.hypot(cx - px, cy - py), Math.hypot(nx - cx, ny - cy)) / 2;
    ctx.arcTo(cx, cy, nx, ny, Math.min(ROUTE_CORNER, room));
  }
  ctx.lineTo(stop[0], stop[1]);
  ctx.stroke();
  ctx.restore();
}

// Faint lines first and thick ones (a chosen path) last, so that what is
// highlighted is drawn over what is not.
function drawRoutes(ctx, edges, alphaOf) {
  const order = edges.map((edge) => [alphaOf(edge), edge.width, edge]);
  order.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (const [alpha, , edge] of order) drawRoute(ctx, edge, alpha);
}

function distanceToSegment([px, py], [ax, ay], [bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const span = dx * dx + dy * dy;
  const t = span === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / span));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

// The edge whose route passes within `tolerance` of `point` (canvas
// coordinates), nearest first; null when none does.
function routeNear(edges, point, tolerance) {
  let best = null;
  let bestDistance = tolerance;
  for (const edge of edges) {
    const points = edge.points || [];
    for (let i = 1; i < points.length; i += 1) {
      const distance = distanceToSegment(point, points[i - 1], points[i]);
      if (distance <= bestDistance) {
        best = edge;
        bestDistance = distance;
      }
    }
  }
  return best;
}

// Show the whole layout (boxes and routes: `bounds` from the payload) in
// the canvas, as vis-network's fit() would for the boxes alone.
function fitBounds(network, bounds, container, minScale = 0) {
  const [left, top, right, bottom] = bounds;
  const scale = Math.max(
    minScale,
    Math.min(
      (container.clientWidth - 2 * FIT_PAD) / Math.max(1, right - left),
      (container.clientHeight - 2 * FIT_PAD) / Math.max(1, bottom - top),
      1.5,
    ),
  );
  network.moveTo({
    position: { x: (left + right) / 2, y: (top + bottom) / 2 },
    scale,
    animation: false,
  });
}
