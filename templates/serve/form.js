// The 记一笔 form: show only the value field the chosen rule needs (count, deduct or amount).
(function () {
  "use strict";
  var cites = document.getElementById("cites");
  if (!cites) { return; }
  function needs() {
    var typed = cites.value.trim().split(/\s+/)[0];
    var options = document.querySelectorAll("#choices option");
    for (var i = 0; i < options.length; i++) {
      if (options[i].value === typed) { return options[i].getAttribute("data-needs"); }
    }
    return null;
  }
  function update() {
    var wanted = needs();
    document.querySelectorAll(".value-field").forEach(function (field) {
      var input = field.querySelector("input");
      field.hidden = wanted !== null && field.getAttribute("data-field") !== wanted && input.value === "";
    });
  }
  cites.addEventListener("input", update);
  cites.addEventListener("change", update);
  update();
})();
