// Render every chart on the page from its Vega-Lite spec (the same spec the PNG/SVG downloads use).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-spec-id]").forEach(function (el) {
    var source = document.getElementById(el.dataset.specId);
    if (!source || typeof vegaEmbed === "undefined") { el.dataset.drawn = "no"; return; }
    var spec = JSON.parse(source.textContent);
    if (!(spec.encoding && spec.encoding.column)) { spec.width = "container"; }  // facets keep their own width
    // data-drawn tells anything waiting on the page (people's scripts, the browser tests) that the chart is done.
    // ast + the expression interpreter: no eval, so the strict Content-Security-Policy holds; no injected <style>.
    // Tooltips styled by site.css, not by a <style> element the tooltip handler would inject.
    var options = { actions: false, renderer: "svg", ast: true, defaultStyle: false,
                    tooltip: { disableDefaultStyle: true } };
    vegaEmbed(el, spec, options).then(function () {
      el.dataset.drawn = "yes";
    }).catch(function (err) {
      el.textContent = "The chart could not be drawn; the table below has every value. (" + err + ")";
      el.dataset.drawn = "failed";
    });
  });
});
