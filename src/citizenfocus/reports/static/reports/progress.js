// While a pack builds, ask its JSON twin how far it has got and say so; show the result when it is done.
(function () {
  "use strict";
  var box = document.querySelector("[data-pack-status]");
  if (!box) { return; }
  var bar = box.querySelector("progress");
  var words = box.querySelector("[data-pack-words]");
  function poll() {
    fetch(box.getAttribute("data-pack-status"), {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (pack) {
        bar.value = pack.percent;
        bar.textContent = pack.percent + "%";
        words.textContent = pack.status_label + (pack.step_words ? ": " + pack.step_words : "") +
          " (step " + pack.step + " of " + pack.steps + ")";
        if (pack.status === "done" || pack.status === "failed") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1500);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
}());
