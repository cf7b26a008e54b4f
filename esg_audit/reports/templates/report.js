// report.html: sort the findings table by a clicked header; filter it by text, severity and status.
(function () {
  "use strict";
  var table = document.getElementById("findings-table");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var search = document.getElementById("findings-filter");
  var severity = document.getElementById("findings-severity");
  var status = document.getElementById("findings-status");
  var clear = document.getElementById("findings-clear");
  var count = document.getElementById("findings-count");
  var none = document.getElementById("findings-none");
  var total = rows.length;
  var numberFormat = new Intl.NumberFormat("en");

  rows.forEach(function (row, index) {
    row.originalIndex = index;
    row.searchText = row.textContent.replace(/\s+/g, " ").toLowerCase();
  });

  function applyFilter() {
    var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    var wantedSeverity = severity.value;
    var wantedStatus = status.value;
    var shown = 0;
    rows.forEach(function (row) {
      var visible = (!wantedSeverity || row.dataset.severity === wantedSeverity)
        && (!wantedStatus || row.dataset.status === wantedStatus)
        && words.every(function (word) { return row.searchText.indexOf(word) !== -1; });
      row.hidden = !visible;
      if (visible) { shown += 1; }
    });
    count.textContent = "Showing " + numberFormat.format(shown) + " of "
      + numberFormat.format(total) + " findings";
    none.hidden = shown !== 0;
  }

  function sortKey(row, column, numeric) {
    var cell = row.cells[column];
    var key = cell.hasAttribute("data-key") ? cell.getAttribute("data-key") : cell.textContent;
    return numeric ? Number(key) : key.trim().toLowerCase();
  }

  function sortBy(column) {
    var header = headers[column];
    var numeric = header.dataset.type === "number";
    var direction = header.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", direction === 1 ? "ascending" : "descending");
    var keyed = rows.map(function (row) { return [sortKey(row, column, numeric), row]; });
    keyed.sort(function (a, b) {
      var order = numeric ? a[0] - b[0] : a[0].localeCompare(b[0], "en", { numeric: true });
      // Ties keep the report's own order (most urgent first), whichever the direction.
      return order !== 0 ? direction * order : a[1].originalIndex - b[1].originalIndex;
    });
    var fragment = document.createDocumentFragment();
    keyed.forEach(function (pair) { fragment.appendChild(pair[1]); });
    body.appendChild(fragment);
    rows = keyed.map(function (pair) { return pair[1]; });
  }

  headers.forEach(function (header, column) {
    var button = header.querySelector("button");
    if (button) { button.addEventListener("click", function () { sortBy(column); }); }
  });
  search.addEventListener("input", applyFilter);
  severity.addEventListener("change", applyFilter);
  status.addEventListener("change", applyFilter);
  clear.addEventListener("click", function () {
    search.value = ""; severity.value = ""; status.value = "";
    applyFilter();
  });
  applyFilter();
}());
