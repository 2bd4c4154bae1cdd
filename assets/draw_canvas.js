// Draw your own data: a canvas over the input plane [-1, 1]². Python sends the points (as
// levels 0..255) and their fill colours in `data`; a click sends the clicked level pair back
// as the "click" trigger, and Python adds or erases a point there and sends the new set.
const LEVELS = 255;

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let canvas = parentElement.querySelector("canvas");
  if (!canvas) {
    canvas = document.createElement("canvas");
    canvas.setAttribute("data-testid", "draw-canvas");
    parentElement.appendChild(canvas);
  }
  const size = data.size;
  canvas.width = size;
  canvas.height = size;
  canvas.onclick = (event) => {
    const box = canvas.getBoundingClientRect();
    const column = ((event.clientX - box.left) / box.width) * LEVELS;
    const row = (1 - (event.clientY - box.top) / box.height) * LEVELS;
    const clamp = (v) => Math.min(LEVELS, Math.max(0, Math.round(v)));
    setTriggerValue("click", { x: clamp(column), y: clamp(row), n: data.points.length });
  };
  const context = canvas.getContext("2d");
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, size, size);
  context.strokeStyle = "#ecebf4";
  for (let k = 1; k < 8; k++) {  // a light grid every 0.25
    const at = (k / 8) * size;
    context.beginPath(); context.moveTo(at, 0); context.lineTo(at, size); context.stroke();
    context.beginPath(); context.moveTo(0, at); context.lineTo(size, at); context.stroke();
  }
  context.strokeStyle = "#9a96b8";
  context.strokeRect(0.5, 0.5, size - 1, size - 1);
  data.points.forEach(([x, y], i) => {
    context.beginPath();
    context.arc((x / LEVELS) * size, (1 - y / LEVELS) * size, 5, 0, 2 * Math.PI);
    context.fillStyle = data.fills[i];
    context.fill();
    context.lineWidth = 1.5;
    context.strokeStyle = "#ffffff";
    context.stroke();
  });
  canvas.setAttribute("data-points", String(data.points.length));
}
