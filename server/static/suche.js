// stichwort: small progressive enhancements of the search page. The page
// works without them: every filter is a link and the form submits itself.
// Loaded as a file because the Content-Security-Policy forbids inline
// script.
(function () {
  "use strict";

  // Autocomplete: complete the word being typed from /api/suggest into
  // the search box's <datalist>.
  var q = document.getElementById("q");
  var list = document.getElementById("vorschlaege");
  if (q && list && window.fetch && window.AbortController) {
    var timer = 0, asked = "", pending = null;
    var suggest = function () {
      var value = q.value;
      var m = /^(.*?)([\p{L}\p{N}][\p{L}\p{N}-]*)$/u.exec(value);
      if (!m || m[2].length < 2) {
        list.textContent = "";
        return;
      }
      if (value === asked) return;
      asked = value;
      if (pending) pending.abort();
      pending = new AbortController();
      fetch("/api/suggest?size=8&q=" + encodeURIComponent(m[2]), {
        signal: pending.signal,
        headers: { "Accept": "application/json" }
      })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data || q.value !== value) return;
          list.textContent = "";
          (data.suggestions || []).forEach(function (s) {
            var o = document.createElement("option");
            o.value = m[1] + s;
            list.appendChild(o);
          });
          q.setAttribute("data-vorschlaege", String(list.children.length));
        })
        .catch(function () { /* aborted or offline: no suggestions */ });
    };
    q.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(suggest, 120);
    });
  }

  // A new sort order applies at once.
  var sort = document.getElementById("sort");
  if (sort && sort.form) {
    sort.addEventListener("change", function () { sort.form.submit(); });
  }

  // On a narrow screen the filters start folded, unless some are chosen.
  var box = document.querySelector(".filterbox");
  if (box && window.matchMedia && window.matchMedia("(max-width: 52rem)").matches &&
      !document.querySelector(".chips")) {
    box.removeAttribute("open");
  }
})();
