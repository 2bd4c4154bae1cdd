// The layer-by-layer animation, one Plotly graph kept mounted for the whole session. A new
// figure (after Pause, Snapshot or a setting change) goes into the same graph with
// Plotly.react: the old animation stays on screen until the new one is drawn, the 3-D scene
// and its WebGL context are reused (a new chart had to build both: about 5x slower in
// Chromium), and the chart's place on the page never changes (a fixed height). Python sends
// the figure as Plotly JSON with a version (pages/_ui/animation_chart.py); the same figure
// is not drawn twice. plotly.js is the copy Streamlit ships: already on the page when another
// chart loaded it, else imported from Streamlit's own chunk (its URL comes from Python).

function plotlyFrom(url) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!window.__spacewarpPlotly) {
    const index = document.querySelector('script[src*="/static/js/index."]');
    const base = index ? index.src : document.baseURI;
    window.__spacewarpPlotly = import(new URL(url, base).href).then(() => window.Plotly);
  }
  return window.__spacewarpPlotly;
}

function followLayer(Plotly, graph, name) {
  // Frames are named "input", "L2" (a layer's start) and "L2.3.1" (its stages): the layer
  // slider has a step per name without a dot.
  const sliders = (graph.layout && graph.layout.sliders) || [];
  const index = sliders.findIndex((slider) => slider.steps.every((step) => !String(step.args[0][0]).includes(".")));
  if (index < 0 || typeof name !== "string") return;
  const layer = name.split(".")[0];
  const active = sliders[index].steps.findIndex((step) => step.args[0][0] === layer);
  if (active >= 0 && sliders[index].active !== active) {
    Plotly.relayout(graph, { [`sliders[${index}].active`]: active });
  }
}

export default function (component) {
  const { data, parentElement } = component;
  let root = parentElement.querySelector(".animation-chart");
  if (!root) {
    root = document.createElement("div");
    root.className = "animation-chart";
    root.setAttribute("data-testid", "animation-chart");
    root.style.width = "100%";
    root.style.overflow = "hidden";
    const graph = document.createElement("div");
    graph.style.width = "100%";
    root.appendChild(graph);
    parentElement.appendChild(root);
    root._drawn = null; // version on screen
    root._queue = Promise.resolve();
  }
  root.style.height = `${data.height}px`;
  const graph = root.firstChild;
  if (root._wanted === data.version) return;
  root._wanted = data.version;
  // One draw at a time, the newest wins: a draw that finds a newer version waiting skips.
  root._queue = root._queue.then(async () => {
    if (root._wanted !== data.version || root._drawn === data.version) return;
    const Plotly = await plotlyFrom(data.plotly);
    const figure = JSON.parse(data.figure);
    figure.layout.height = data.height;
    figure.layout.autosize = true; // the width follows the page (config.responsive)
    delete figure.layout.width;
    // The page's own font (Streamlit's web font), as st.plotly_chart's theme gave it.
    const family = getComputedStyle(root).fontFamily;
    if (family) {
      figure.layout.font = { ...figure.layout.font, family };
      if (figure.layout.title) {
        figure.layout.title.font = { ...figure.layout.title.font, family };
      }
    }
    await Plotly.react(graph, {
      data: figure.data,
      layout: figure.layout,
      frames: figure.frames || [],
      config: { ...data.config, responsive: true },
    });
    root._drawn = data.version;
    root.setAttribute("data-version", data.version);
    if (!root._follows) {
      // The layer slider (input, L1, …) follows every frame shown, whether it plays or the
      // stage slider is dragged: plotly.js moves a slider only to a frame among its own steps.
      graph.on("plotly_animatingframe", (event) => followLayer(Plotly, graph, event.name));
      graph.on("plotly_sliderchange", (event) => followLayer(Plotly, graph, event.step.args[0][0]));
      root._follows = true;
    }
  }).catch((error) => {
    root.textContent = `The animation could not be drawn: ${error}`;
  });
}
