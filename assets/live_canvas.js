// The Transform page's live view, drawn in the browser from the arrays Python computes
// (core/render/live_arrays.py): the input plane (region colours on a coarse grid, smoothed;
// the boundary as the 127.5 level line of each field; the points), the loss and score curves,
// every layer's representation in a frame fitted to its data with a scale bar, and the probe
// bars. Python sends one tick's data: several frames (pictures taken as the tick trained, each
// with its epoch and counters) and what changes once a tick (curves, probes). While playing,
// the frames are shown one after another, spread over the time between two ticks, each with
// its own counters (epoch, accuracy, loss) and the curves up to its epoch, so every number
// beside the picture is the picture's; paused, the current weights at once. Elements are
// built once per mount and redrawn in place, so nothing is ever blank. A click on a layer panel
// enlarges it. On a fresh server the probes may come a run later: once this picture is drawn,
// a "drawn" trigger asks Python to measure them.
const LEVELS = 65534;
const BREAK = 65535;
const INK = "#1f1d2e";
const MUTED = "#6b6880";
const GRID = "#9a96b8";
const FONT = "Source Sans Pro, sans-serif";
const PLANE = 360;
const PANEL = 150;
const LARGE = 360;

function bytes(text) {
  const raw = atob(text);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}
const u16 = (text) => new Uint16Array(bytes(text).buffer);

function element(tag, parent, className, testid) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (testid) node.setAttribute("data-testid", testid);
  parent.appendChild(node);
  return node;
}

function sized(canvas, width, height) {
  // Backing store at the screen's pixel density, drawn in CSS pixels.
  const ratio = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
  if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const context = canvas.getContext("2d");
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  return context;
}

function heading(node, [strong, rest]) {
  node.replaceChildren();
  element("strong", node).textContent = strong;
  node.appendChild(document.createTextNode(rest));
}

function discs(context, xy, rgb, from, to, box, radius, ring, ringColor) {
  const { x0, y0, w, h } = box;
  for (let i = from; i < to; i++) {
    if (xy[2 * i] === BREAK) continue;
    const x = x0 + (xy[2 * i] / LEVELS) * w;
    const y = y0 + (1 - xy[2 * i + 1] / LEVELS) * h;
    context.beginPath();
    context.arc(x, y, radius + ring / 2, 0, 2 * Math.PI);
    context.fillStyle = `rgb(${rgb[3 * i]},${rgb[3 * i + 1]},${rgb[3 * i + 2]})`;
    context.fill();
    context.lineWidth = ring;
    context.strokeStyle = ringColor;
    context.stroke();
  }
}

function polylines(context, xy, box, cut = LEVELS) {
  // Vertices left to right; those right of level ``cut`` (a curve's later epochs) are left out.
  const { x0, y0, w, h } = box;
  context.beginPath();
  let open = false;
  for (let i = 0; i < xy.length; i += 2) {
    if (xy[i] === BREAK) { open = false; continue; }
    if (xy[i] > cut + 0.5) break;
    const x = x0 + (xy[i] / LEVELS) * w;
    const y = y0 + (1 - xy[i + 1] / LEVELS) * h;
    if (open) context.lineTo(x, y); else context.moveTo(x, y);
    open = true;
  }
  context.stroke();
}

function contour(context, field, n, step) {
  // Marching squares: in every cell, a segment where the field crosses level 127.5.
  const at = (i, j) => field[j * n + i] - 127.5;
  const cross = (a, b) => a / (a - b);
  context.beginPath();
  for (let j = 0; j < n - 1; j++) {
    for (let i = 0; i < n - 1; i++) {
      const a = at(i, j), b = at(i + 1, j), c = at(i + 1, j + 1), d = at(i, j + 1);
      const points = [];
      if ((a > 0) !== (b > 0)) points.push([i + cross(a, b), j]);
      if ((b > 0) !== (c > 0)) points.push([i + 1, j + cross(b, c)]);
      if ((d > 0) !== (c > 0)) points.push([i + cross(d, c), j + 1]);
      if ((a > 0) !== (d > 0)) points.push([i, j + cross(a, d)]);
      for (let k = 0; k + 1 < points.length; k += 2) {
        context.moveTo(points[k][0] * step, points[k][1] * step);
        context.lineTo(points[k + 1][0] * step, points[k + 1][1] * step);
      }
    }
  }
  context.stroke();
}

function drawPlane(canvas, plane, points, scratch) {
  const context = sized(canvas, PLANE, PLANE);
  const n = plane.n;
  const rgb = bytes(plane.rgb);
  scratch.width = n; scratch.height = n;
  const image = scratch.getContext("2d").createImageData(n, n);
  for (let k = 0; k < n * n; k++) {
    image.data[4 * k] = rgb[3 * k];
    image.data[4 * k + 1] = rgb[3 * k + 1];
    image.data[4 * k + 2] = rgb[3 * k + 2];
    image.data[4 * k + 3] = 255;
  }
  scratch.getContext("2d").putImageData(image, 0, 0);
  // Grid sample i sits at i·step (corner to corner): each pixel of the coarse image is one step.
  const step = PLANE / (n - 1);
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = "high";
  context.drawImage(scratch, -step / 2, -step / 2, n * step, n * step);
  context.lineWidth = 1.4;
  context.strokeStyle = "rgba(31,29,46,0.75)";
  for (const field of plane.fields) contour(context, bytes(field), n, step);
  const xy = u16(points.xy), fills = bytes(points.rgb);
  const box = { x0: 0, y0: 0, w: PLANE, h: PLANE };
  discs(context, xy, fills, 0, points.n_train, box, 2.5, 1.0, "#ffffff");
  if (points.show_test) discs(context, xy, fills, points.n_train, xy.length / 2, box, 2.5, 1.0, INK);
}

function drawCurves(canvas, curves, width, height, epoch) {
  // Up to ``epoch``: the curves end where the picture beside them is.
  const context = sized(canvas, width, height);
  const left = 48, right = 8, top = 20, bottom = 22;
  const box = { x0: left, y0: top, w: width - left - right, h: height - top - bottom };
  context.clearRect(0, 0, width, height);
  context.font = `10px ${FONT}`;
  context.textBaseline = "alphabetic";
  context.fillStyle = INK;
  context.font = `11px ${FONT}`;
  context.fillText(curves.title, left, 12);
  let legend = left + 8 + 7 * curves.title.length;
  context.font = `10px ${FONT}`;
  context.lineWidth = 1;
  for (const [level, label] of curves.y_ticks) {
    const y = top + (1 - level / LEVELS) * box.h;
    context.strokeStyle = "rgba(154,150,184,0.3)";
    context.beginPath(); context.moveTo(left, y); context.lineTo(width - right, y); context.stroke();
    context.fillStyle = MUTED;
    context.textAlign = "end";
    context.fillText(label, left - 4, y + 3);
  }
  // The x axis ends at the picture's epoch (a frame behind the tick's last one shows less):
  // the curves' vertices are levels of the tick's whole range, stretched to fill the box.
  const [low, high] = curves.x_range;
  const end = Math.min(Math.max(epoch, low), high);
  const cut = high > low ? ((end - low) / (high - low)) * LEVELS : LEVELS;
  const stretch = end > low ? (high - low) / (end - low) : 1;
  const shown = { ...box, w: box.w * stretch };
  const ticks = end - low >= 2 ? [low, (low + end) / 2, end] : [low, Math.max(end, low + 1)];
  const anchors = ticks.length === 3 ? ["start", "center", "end"] : ["start", "end"];
  ticks.forEach((tick, k) => {
    context.textAlign = anchors[k];
    const label = Math.round(tick).toLocaleString("en-US");
    context.fillText(label, left + (k / (ticks.length - 1)) * box.w, height - 8);
  });
  context.textAlign = "start";
  for (const series of curves.series) {
    context.strokeStyle = series.color;
    context.lineWidth = 1.8;
    context.lineJoin = "round";
    context.setLineDash(series.dash ? series.dash.split(" ").map(Number) : []);
    polylines(context, u16(series.xy), shown, cut);
    context.setLineDash([]);
    context.fillStyle = series.color;
    context.fillText(series.name, legend, 12);
    legend += 7 * series.name.length + 14;
  }
}

function drawPanel(canvas, panel, fills, size) {
  const context = sized(canvas, size, size);
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, size, size);
  context.save();
  context.beginPath(); context.rect(0, 0, size, size); context.clip();
  context.strokeStyle = "rgba(154,150,184,0.55)";
  context.lineWidth = 1;
  // The grid's levels span three times the frame: the frame is its middle third.
  polylines(context, u16(panel.lines), { x0: -size, y0: -size, w: 3 * size, h: 3 * size });
  const xy = u16(panel.xy);
  const radius = size > PANEL ? 3.2 : 2.1;
  discs(context, xy, fills, 0, xy.length / 2, { x0: 0, y0: 0, w: size, h: size }, radius, 0.6, "#ffffff");
  context.restore();
  context.strokeStyle = "#ecebf4";
  context.strokeRect(0.5, 0.5, size - 1, size - 1);
  // Scale bar, bottom left: a round length in the layer's own units.
  const bar = panel.bar * size, y = size - 8;
  context.strokeStyle = INK;
  context.lineWidth = 1.5;
  context.beginPath();
  context.moveTo(8, y - 3); context.lineTo(8, y); context.lineTo(8 + bar, y); context.lineTo(8 + bar, y - 3);
  context.stroke();
  context.fillStyle = INK;
  context.font = `10px ${FONT}`;
  context.textAlign = "start";
  context.fillText(panel.bar_label, 12 + bar, y + 1);
}

function build(root) {
  // The counters sit above the picture: each frame carries its own epoch, accuracy and loss.
  const counters = element("div", root, "lc-counters", "live-counters");
  const view = element("div", root, "lc-root", "live-view");
  const left = element("div", view, "lc-left");
  const right = element("div", view, "lc-right");
  const state = {
    frame: 0,
    counters,
    queue: [],
    timer: null,
    enlarged: null,
    scratch: document.createElement("canvas"),
    planeHeading: element("div", left, "lc-heading"),
    plane: element("canvas", left, "lc-plane", "live-canvas"),
    legend: element("img", left, "lc-legend"),
    curves: element("div", left, "lc-curves"),
    panelsHeading: element("div", right, "lc-heading"),
    large: element("figure", right, "lc-large", "live-large"),
    panels: element("div", right, "lc-panels", "live-panels"),
    note: element("div", right, "lc-note"),
    probesHeading: element("div", right, "lc-heading"),
    probesCaption: element("div", right, "lc-note"),
    probes: element("div", right, "lc-probes", "live-probes"),
  };
  state.largeCanvas = element("canvas", state.large);
  state.largeCaption = element("figcaption", state.large);
  state.large.onclick = () => { state.enlarged = null; drawFrame(state, state.data, state.shown); };
  return state;
}

function drawLayers(state, data, frame) {
  const fills = bytes(data.points.rgb);
  const panels = frame.panels;
  while (state.panels.children.length > panels.length) state.panels.lastChild.remove();
  while (state.panels.children.length < panels.length) {
    const figure = element("figure", state.panels, "lc-panel");
    element("canvas", figure);
    element("figcaption", figure);
    const index = state.panels.children.length - 1;
    figure.onclick = () => {
      state.enlarged = state.enlarged === index ? null : index;
      drawFrame(state, state.data, state.shown);
    };
  }
  panels.forEach((panel, index) => {
    const figure = state.panels.children[index];
    drawPanel(figure.firstChild, panel, fills, PANEL);
    figure.lastChild.textContent = panel.caption;
    figure.title = `${panel.words}. Click to enlarge.`;
    figure.classList.toggle("lc-chosen", state.enlarged === index);
  });
  const chosen = state.enlarged !== null ? panels[state.enlarged] : undefined;
  state.large.style.display = chosen ? "block" : "none";
  if (chosen) {
    drawPanel(state.largeCanvas, chosen, fills, LARGE);
    state.largeCaption.textContent = `${chosen.words} (click to shrink)`;
  }
}

function drawTick(state, data) {
  // What changes once a tick: headings, curves, probes.
  heading(state.planeHeading, data.plane_heading);
  state.legend.style.display = data.legend ? "block" : "none";
  if (data.legend && state.legend.getAttribute("src") !== data.legend) state.legend.src = data.legend;
  while (state.curves.children.length > data.curves.length) state.curves.lastChild.remove();
  while (state.curves.children.length < data.curves.length) element("canvas", state.curves);
  heading(state.panelsHeading, data.panels_heading);
  state.note.textContent = data.note;
  heading(state.probesHeading, [data.probes.heading, ""]);
  state.probesCaption.textContent = data.probes.caption;
  while (state.probes.children.length > data.probes.rows.length) state.probes.lastChild.remove();
  while (state.probes.children.length < data.probes.rows.length) {
    const row = element("div", state.probes, "lc-probe");
    element("div", row, "lc-probe-text");
    element("div", element("div", row, "lc-track"), "lc-bar");
  }
  data.probes.rows.forEach(([text, share], k) => {
    const row = state.probes.children[k];
    row.firstChild.textContent = text;
    row.lastChild.firstChild.style.width = `${Math.min(Math.max(share, 0), 1) * 100}%`;
  });
}

function drawCounters(node, counters) {
  // Label over value, as st.metric draws them; rebuilt only when their number changes.
  while (node.children.length > counters.length) node.lastChild.remove();
  while (node.children.length < counters.length) {
    const metric = element("div", node, "lc-metric", "live-metric");
    element("div", metric, "lc-metric-label", "live-metric-label");
    element("div", metric, "lc-metric-value", "live-metric-value");
  }
  counters.forEach(([label, value], k) => {
    node.children[k].firstChild.textContent = label;
    node.children[k].lastChild.textContent = value;
  });
}

function drawFrame(state, data, frame) {
  // One picture of the weights: its counters, the input plane, the curves up to its epoch and
  // every layer, labelled with its epoch.
  state.shown = frame;
  drawCounters(state.counters, frame.counters);
  // The newest tick's curves (a frame left from the tick before is within them).
  state.data.curves.forEach((curves, k) => {
    drawCurves(state.curves.children[k], curves, PLANE, 130, frame.epoch);
  });
  drawPlane(state.plane, frame.plane, data.points, state.scratch);
  const context = state.plane.getContext("2d");
  const label = `epoch ${frame.epoch.toLocaleString("en-US")}`;
  context.font = `11px ${FONT}`;
  context.fillStyle = "rgba(255,255,255,0.8)";
  context.fillRect(4, 4, context.measureText(label).width + 8, 16);
  context.fillStyle = INK;
  context.textAlign = "start";
  context.fillText(label, 8, 16);
  drawLayers(state, data, frame);
  state.frame += 1;
  state.plane.dataset.epoch = String(frame.epoch);
  state.plane.dataset.frame = String(state.frame);
  state.plane.dataset.panels = String(frame.panels.length);
  // The network diagram (assets/diagram.js) paints its picture of the same epoch.
  document.dispatchEvent(new CustomEvent("spacewarp:live-frame", { detail: frame.epoch }));
}

function play(state) {
  // Show the next queued frame, then wait a share of the time between two ticks.
  state.timer = null;
  const next = state.queue.shift();
  if (!next) return;
  drawFrame(state, next.data, next.frame);
  state.timer = setTimeout(() => play(state), state.spacing);
}

function receive(state, data) {
  const now = performance.now();
  const fresh = data.tick !== state.tick;
  if (fresh && state.arrived !== undefined && data.playing) {
    // Spread a tick's frames over the time ticks take to arrive (smoothed).
    const gap = Math.min(Math.max(now - state.arrived, 100), 2000);
    state.period = state.period === undefined ? gap : 0.7 * state.period + 0.3 * gap;
  }
  state.arrived = now;
  state.tick = data.tick;
  state.data = data;
  drawTick(state, data);
  if (!data.playing) {
    // Paused or changed: the current weights at once, nothing left to play.
    state.queue = [];
    if (state.timer) clearTimeout(state.timer);
    state.timer = null;
    drawFrame(state, data, data.frames[data.frames.length - 1]);
    return;
  }
  if (!fresh) return;
  // Behind by more than a tick (a slow browser): drop the oldest frames rather than lag.
  state.queue = state.queue.slice(-data.frames.length).concat(
    data.frames.map((frame) => ({ data, frame })));
  state.spacing = (state.period || 500) / data.frames.length;
  if (!state.timer) play(state);
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  if (!parentElement.__live) {
    parentElement.__live = build(parentElement);
    // A hidden tab still ticks (throttled timers): say so, and Python pauses it until it shows.
    document.addEventListener("visibilitychange", () => {
      setTriggerValue("visibility", document.hidden ? "hidden" : "visible");
    });
  }
  const state = parentElement.__live;
  receive(state, data);
  if (data.probes_pending && state.askedProbes !== data.tick) {
    // Drawn before the probes could be measured (a fresh server): Python measures them now.
    state.askedProbes = data.tick;
    setTriggerValue("drawn", data.tick);
  }
}
