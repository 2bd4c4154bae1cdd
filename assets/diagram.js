// The network diagram: Python sends a compact atlas of every unit's map (one PNG), where each
// tile goes, and the SVG overlay (links, bias marks, outlines, labels, legend). The maps are
// painted on a canvas, which keeps its last picture until the next atlas has decoded, so a
// live refresh never shows an empty frame; a click on a unit sends {column, unit} back as the
// "select" trigger.
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
  overlay.innerHTML = data.svg;
  const svg = overlay.querySelector("svg");
  if (svg) {
    svg.style.width = "100%";
    svg.style.height = "auto";
    svg.style.display = "block";
  }
  const token = ++root._token;
  const atlas = new Image();
  atlas.onload = () => {
    if (token !== root._token) return; // a newer atlas is on its way
    if (canvas.width !== data.width || canvas.height !== data.height) {
      canvas.width = data.width;
      canvas.height = data.height;
    }
    const context = canvas.getContext("2d");
    context.imageSmoothingEnabled = false;
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    const size = data.tile;
    data.boxes.forEach(([x, y], k) => {
      const sx = (k % data.perRow) * size;
      const sy = Math.floor(k / data.perRow) * size;
      context.drawImage(atlas, sx, sy, size, size, x, y, size, size);
    });
    canvas.setAttribute("data-units", String(data.boxes.length));
    canvas.setAttribute("data-epoch", String(data.epoch));
  };
  atlas.src = data.atlas;
}
