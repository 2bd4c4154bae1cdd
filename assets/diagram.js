// The network diagram, painted on one canvas. Python sends a compact atlas of every unit's
// map (one PNG) and where each tile goes, the links as lines [x1, y1, x2, y2, width,
// positive, opacity] and the bias marks [x, y, size, positive, opacity]; the SVG overlay
// (unit outlines, labels, legend) is replaced only when it changed. The canvas keeps its last
// picture until the next atlas has decoded, so a live refresh never shows an empty frame and
// touches no element of the page. A click on a unit sends {column, unit} as "select".
const POSITIVE = "#0877bd";
const NEGATIVE = "#f59322";
const OUTLINE = "#6b6880";

function paint(canvas, atlas, data) {
  // Drawn at the screen's pixel density (sharp lines on a high-density display), in the
  // diagram's own coordinates.
  const density = Math.max(1, Math.round(window.devicePixelRatio || 1));
  if (canvas.width !== data.width * density || canvas.height !== data.height * density) {
    canvas.width = data.width * density;
    canvas.height = data.height * density;
  }
  const context = canvas.getContext("2d");
  context.setTransform(density, 0, 0, density, 0, 0);
  context.globalAlpha = 1;
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, data.width, data.height);
  context.imageSmoothingEnabled = false;
  const size = data.tile;
  data.boxes.forEach(([x, y], k) => {
    const sx = (k % data.perRow) * size;
    const sy = Math.floor(k / data.perRow) * size;
    context.drawImage(atlas, sx, sy, size, size, x, y, size, size);
  });
  context.lineCap = "round";
  for (const [x1, y1, x2, y2, width, positive, opacity] of data.lines) {
    context.globalAlpha = opacity;
    context.strokeStyle = positive ? POSITIVE : NEGATIVE;
    context.lineWidth = width;
    context.beginPath();
    context.moveTo(x1, y1);
    context.lineTo(x2, y2);
    context.stroke();
  }
  context.lineWidth = 0.5;
  for (const [x, y, side, positive, opacity] of data.biases) {
    context.globalAlpha = opacity;
    context.fillStyle = positive ? POSITIVE : NEGATIVE;
    context.fillRect(x, y, side, side);
    context.globalAlpha = 1;
    context.strokeStyle = OUTLINE;
    context.strokeRect(x, y, side, side);
  }
  canvas.setAttribute("data-units", String(data.boxes.length));
  canvas.setAttribute("data-lines", String(data.lines.length));
  canvas.setAttribute("data-epoch", String(data.epoch));
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let root = parentElement.querySelector(".network-diagram");
  if (!root) {
    root = document.createElement("div");
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
    root._token = 0;
    parentElement.appendChild(root);
  }
  root._select = (value) => setTriggerValue("select", value);
  root.style.maxWidth = `${data.width}px`;
  const [canvas, overlay] = root.children;
  if (root._svg !== data.svg) {
    overlay.innerHTML = data.svg;
    root._svg = data.svg;
    const svg = overlay.querySelector("svg");
    if (svg) {
      svg.style.width = "100%";
      svg.style.height = "auto";
      svg.style.display = "block";
    }
  }
  if (root._atlas === data.atlas && root._lines === JSON.stringify(data.lines)) return;
  const token = ++root._token;
  const atlas = new Image();
  atlas.onload = () => {
    if (token !== root._token) return; // a newer picture is on its way
    paint(canvas, atlas, data);
    root._atlas = data.atlas;
    root._lines = JSON.stringify(data.lines);
  };
  atlas.src = data.atlas;
}
