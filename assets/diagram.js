// The network diagram, painted on one canvas. Python sends, per picture the live view plays,
// a compact atlas of every unit's map (one PNG of `tile`² samples a unit) with the links as
// lines (base64 float32, 7 a line: x1, y1, x2, y2, width, positive, opacity) and the bias
// marks [x, y, size, positive, opacity]; and once a tick where each tile goes and the SVG overlay (unit outlines, labels,
// legend), replaced only when it changed. Each picture is painted when the live view shows the
// picture of the same epoch (assets/live_canvas.js announces it), so the diagram follows the
// decision boundary picture by picture; paused, the current weights at once. The canvas keeps
// its last picture until the next atlas has decoded, so a live refresh never shows an empty
// frame and touches no element of the page. A click on a unit sends {column, unit} as "select".
const POSITIVE = "#0877bd";
const NEGATIVE = "#f59322";
const OUTLINE = "#6b6880";
const MIN_SCALE = 0.9; // of the diagram's own size: its 11 px labels draw at 10 px or more
const KEPT = 24; // pictures kept for the live view to catch up with (about three ticks)

function floats(text) {
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return new Float32Array(bytes.buffer);
}

function paint(root, entry) {
  // Drawn at the screen's pixel density (sharp lines on a high-density display), in the
  // diagram's own coordinates. A tile's samples run corner to corner over its box: drawn
  // half a step beyond it, smoothed, and clipped to it (as the live view draws the plane).
  const { layout, picture, atlas } = entry;
  const canvas = root._canvas;
  const density = Math.max(1, Math.round(window.devicePixelRatio || 1));
  if (canvas.width !== layout.width * density || canvas.height !== layout.height * density) {
    canvas.width = layout.width * density;
    canvas.height = layout.height * density;
  }
  const context = canvas.getContext("2d");
  context.setTransform(density, 0, 0, density, 0, 0);
  context.globalAlpha = 1;
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, layout.width, layout.height);
  const n = layout.tile, size = layout.size, step = size / Math.max(n - 1, 1);
  const scratch = root._scratch;
  scratch.width = n; scratch.height = n;
  const tile = scratch.getContext("2d");
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = "high";
  layout.boxes.forEach(([x, y], k) => {
    tile.clearRect(0, 0, n, n);
    tile.drawImage(atlas, (k % layout.perRow) * n, Math.floor(k / layout.perRow) * n, n, n, 0, 0, n, n);
    context.save();
    context.beginPath();
    context.rect(x, y, size, size);
    context.clip();
    context.drawImage(scratch, x - step / 2, y - step / 2, n * step, n * step);
    context.restore();
  });
  context.lineCap = "round";
  const lines = floats(picture.lines);
  for (let i = 0; i + 7 <= lines.length; i += 7) {
    context.globalAlpha = lines[i + 6];
    context.strokeStyle = lines[i + 5] ? POSITIVE : NEGATIVE;
    context.lineWidth = lines[i + 4];
    context.beginPath();
    context.moveTo(lines[i], lines[i + 1]);
    context.lineTo(lines[i + 2], lines[i + 3]);
    context.stroke();
  }
  context.lineWidth = 0.5;
  for (const [x, y, side, positive, opacity] of picture.biases) {
    context.globalAlpha = opacity;
    context.fillStyle = positive ? POSITIVE : NEGATIVE;
    context.fillRect(x, y, side, side);
    context.globalAlpha = 1;
    context.strokeStyle = OUTLINE;
    context.strokeRect(x, y, side, side);
  }
  canvas.setAttribute("data-units", String(layout.boxes.length));
  canvas.setAttribute("data-lines", String(lines.length / 7));
  canvas.setAttribute("data-epoch", String(picture.epoch));
  root._painted = entry;
}

function show(root, epoch) {
  // Paint the picture of ``epoch`` once its atlas has decoded; an epoch with no picture here
  // (none was sent for it) leaves the canvas as it is.
  root._want = epoch;
  const entry = root._pictures.get(epoch);
  if (entry && entry.ready && root._painted !== entry) paint(root, entry);
}

function build(parentElement) {
  const root = document.createElement("div");
  root.className = "network-diagram";
  root.setAttribute("data-testid", "network-diagram");
  root.style.position = "relative";
  const canvas = document.createElement("canvas");
  canvas.style.display = "block";
  canvas.style.width = "100%";
  const overlay = document.createElement("div");
  overlay.style.position = "absolute";
  overlay.style.left = "0";
  overlay.style.top = "0";
  overlay.style.width = "100%";
  overlay.onclick = (event) => {
    const unit = event.target.closest("[data-unit]");
    if (!unit) return;
    root._select({
      column: Number(unit.getAttribute("data-column")),
      unit: Number(unit.getAttribute("data-unit")),
    });
  };
  root.append(canvas, overlay);
  // On a narrow screen the diagram keeps at least MIN_SCALE of its size, so its labels stay
  // readable, and scrolls sideways in its own box (the page itself never gets wider).
  const scroller = document.createElement("div");
  scroller.className = "network-diagram-scroll";
  scroller.setAttribute("data-testid", "network-diagram-scroll");
  scroller.style.overflowX = "auto";
  scroller.appendChild(root);
  const hint = document.createElement("div");
  hint.textContent = "Scroll sideways to see the whole network →";
  hint.style.cssText = "font-size:0.8rem;color:#6b6880;margin-top:2px;display:none";
  hint.setAttribute("data-testid", "network-diagram-hint");
  root._hint = hint;
  root._canvas = canvas;
  root._overlay = overlay;
  root._scratch = document.createElement("canvas");
  root._pictures = new Map();
  // The live view announces every picture it shows (its epoch): paint this diagram's own.
  document.addEventListener("spacewarp:live-frame", (event) => {
    if (root.isConnected && root._playing) show(root, event.detail);
  });
  parentElement.append(scroller, hint);
  return root;
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const root = parentElement.querySelector(".network-diagram") || build(parentElement);
  root._select = (value) => setTriggerValue("select", value);
  root.style.maxWidth = `${data.width}px`;
  root.style.minWidth = `${Math.round(MIN_SCALE * data.width)}px`;
  const scroller = root.parentElement;
  root._hint.style.display = scroller.scrollWidth > scroller.clientWidth + 1 ? "block" : "none";
  if (root._svg !== data.svg) {
    root._overlay.innerHTML = data.svg;
    root._svg = data.svg;
    const svg = root._overlay.querySelector("svg");
    if (svg) {
      svg.style.width = "100%";
      svg.style.height = "auto";
      svg.style.display = "block";
    }
  }
  const layout = {
    boxes: data.boxes, tile: data.tile, size: data.size, perRow: data.perRow,
    width: data.width, height: data.height,
  };
  const current = { epoch: data.epoch, atlas: data.atlas, lines: data.lines, biases: data.biases };
  for (const picture of [...data.frames, current]) {
    const kept = root._pictures.get(picture.epoch);
    const same = kept && kept.picture.atlas === picture.atlas &&
      kept.picture.lines === picture.lines &&
      JSON.stringify(kept.picture.biases) === JSON.stringify(picture.biases) &&
      JSON.stringify(kept.layout) === JSON.stringify(layout);
    if (same) continue;
    const entry = { layout, picture, atlas: new Image(), ready: false };
    root._pictures.delete(picture.epoch);
    root._pictures.set(picture.epoch, entry);
    entry.atlas.onload = () => {
      entry.ready = true;
      if (root._want === picture.epoch && root._pictures.get(picture.epoch) === entry) {
        paint(root, entry);
      }
    };
    entry.atlas.src = picture.atlas;
  }
  while (root._pictures.size > KEPT) root._pictures.delete(root._pictures.keys().next().value);
  root._playing = data.playing;
  // Paused: the current weights. Playing: whatever the live view shows now (its next pictures
  // are announced as it plays them); without a live view, the current weights.
  // Playing behind the live view's queue (it shows an epoch of no picture here), the canvas
  // keeps its picture until the live view reaches one.
  const live = document.querySelector('[data-testid="live-canvas"]');
  const shown = live && live.dataset.epoch !== undefined ? Number(live.dataset.epoch) : null;
  if (!data.playing || shown === null || !root._painted) show(root, data.epoch);
  else if (root._pictures.has(shown)) show(root, shown);
}
