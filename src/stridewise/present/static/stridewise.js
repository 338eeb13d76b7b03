// Small progressive enhancements; every page also works without them.
(function () {
  "use strict";
  // Upload progress: HTMX reports XHR progress; show it in the form's <progress>.
  document.addEventListener("htmx:xhr:progress", function (evt) {
    var form = evt.target.closest ? evt.target.closest("form") : null;
    var bar = form ? form.querySelector("progress") : null;
    if (!bar || !evt.detail.lengthComputable) { return; }
    bar.hidden = false;
    bar.value = Math.round((evt.detail.loaded / evt.detail.total) * 100);
    bar.textContent = bar.value + "%";
  });
  // After an in-place update (a session marked done), keep keyboard users where they were:
  // the replaced element gets the focus back, and screen readers hear its new text.
  document.addEventListener("htmx:afterSettle", function (evt) {
    var id = evt.detail && evt.detail.target ? evt.detail.target.id : "";
    var fresh = id ? document.getElementById(id) : null;
    if (fresh && fresh.classList.contains("session")) {
      fresh.setAttribute("tabindex", "-1");
      fresh.focus();
    }
  });
  // Body map: choosing a part on the picture selects the same part in the list.
  document.addEventListener("click", function (evt) {
    var link = evt.target.closest ? evt.target.closest("[data-pain-site]") : null;
    if (!link) { return; }
    evt.preventDefault();
    var select = document.getElementById("pain_site");
    if (!select) { return; }
    select.value = link.getAttribute("data-pain-site");
    document.querySelectorAll(".body-map .part").forEach(function (p) { p.classList.remove("selected"); });
    var part = link.querySelector(".part");
    if (part) { part.classList.add("selected"); }
    select.focus();
  });
})();
