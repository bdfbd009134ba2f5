// Render every chart on the page from its Vega-Lite spec (the same spec the PNG/SVG downloads use).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-spec-id]").forEach(function (el) {
    var source = document.getElementById(el.dataset.specId);
    if (!source || typeof vegaEmbed === "undefined") { return; }
    var spec = JSON.parse(source.textContent);
    if (!(spec.encoding && spec.encoding.column)) { spec.width = "container"; }  // facets keep their own width
    vegaEmbed(el, spec, { actions: false, renderer: "svg" }).catch(function (err) {
      el.textContent = "The chart could not be drawn; the table below has every value. (" + err + ")";
    });
  });
});
