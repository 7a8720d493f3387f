// A list's table (.kp-cards) becomes cards on a phone (app.css): each cell is labelled by its column's
// heading, here copied into its data-label, again when htmx brings new rows.
(function () {
  "use strict";
  function label(root) {
    root.querySelectorAll("table.kp-cards").forEach(function (table) {
      var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      table.querySelectorAll("tbody > tr").forEach(function (tr) {
        var column = 0;
        Array.prototype.forEach.call(tr.children, function (cell) {
          if (cell.colSpan === 1 && heads[column] && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", heads[column]);
          }
          column += cell.colSpan;
        });
      });
    });
  }
  label(document);
  document.addEventListener("htmx:afterSettle", function () { label(document); });
})();
