// report.html behaviour: sortable tables and the factory search. Offline, no libraries.
(function () {
  'use strict';
  var root = document.documentElement;
  // Recorded on the page so a headless browser (and a curious reader) can see that the script failed.
  window.addEventListener('error', function (e) {
    root.setAttribute('data-js-error', String(e.message));
  });

  var locale = root.lang || 'en';
  // Search ignores case and Vietnamese diacritics: "thu dau mot" finds "Thủ Dầu Một".
  function fold(text) {
    return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '')
      .replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
  }

  // Numbers are shown with the language's separators; cells carry the raw value in data-v.
  function sortKey(cell, numeric) {
    if (!cell) { return numeric ? NaN : ''; }
    var raw = cell.hasAttribute('data-v') ? cell.getAttribute('data-v') : cell.textContent;
    return numeric ? (raw === '' ? NaN : Number(raw)) : fold(raw.trim());
  }

  function sortTable(table, column, th) {
    var ascending = th.getAttribute('aria-sort') !== 'ascending';
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) {
      other.removeAttribute('aria-sort');
    });
    th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    var numeric = th.getAttribute('data-type') === 'num';
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows).map(function (row, index) {
      return { row: row, index: index, key: sortKey(row.cells[column], numeric) };
    });
    var collator = new Intl.Collator(locale, { numeric: true, sensitivity: 'base' });
    rows.sort(function (a, b) {
      var result;
      if (numeric) {
        var an = isNaN(a.key), bn = isNaN(b.key);
        // Empty values go last whichever the direction.
        if (an || bn) { return an === bn ? a.index - b.index : (an ? 1 : -1); }
        result = a.key - b.key;
      } else {
        if (a.key === '' || b.key === '') {
          return a.key === b.key ? a.index - b.index : (a.key === '' ? 1 : -1);
        }
        result = collator.compare(a.key, b.key);
      }
      if (!ascending) { result = -result; }
      return result !== 0 ? result : a.index - b.index;
    });
    var fragment = document.createDocumentFragment();
    rows.forEach(function (r) { fragment.appendChild(r.row); });
    body.appendChild(fragment);
  }

  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
      var button = th.querySelector('button');
      if (button) {
        button.addEventListener('click', function () { sortTable(table, column, th); });
      }
    });
  });

  var input = document.getElementById('factory-search');
  var table = document.getElementById('factories-table');
  var shown = document.getElementById('factory-shown');
  if (input && table && shown) {
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var keys = rows.map(function (row) { return fold(row.textContent); });
    // The map's verdict and district filters apply to the table too.
    var verdictSel = document.getElementById('map-verdict');
    var districtSel = document.getElementById('map-district');
    var filter = function () {
      var terms = fold(input.value).split(/\s+/).filter(Boolean);
      var verdict = verdictSel ? verdictSel.value : '';
      var district = districtSel ? districtSel.value : '';
      var count = 0;
      rows.forEach(function (row, i) {
        var match = terms.every(function (t) { return keys[i].indexOf(t) !== -1; }) &&
          (!verdict || row.getAttribute('data-verdict') === verdict) &&
          (!district || row.getAttribute('data-district') === district);
        row.hidden = !match;
        if (match) { count += 1; }
      });
      shown.textContent = count.toLocaleString(locale);
    };
    input.addEventListener('input', filter);
    // A link can carry a search, e.g. report.html#q=Thuận%20An.
    var fromHash = function () {
      var m = /^#q=(.*)$/.exec(window.location.hash);
      if (m) {
        try { input.value = decodeURIComponent(m[1]); } catch (e) { input.value = m[1]; }
        filter();
        var section = document.getElementById('factories');
        if (section) { section.scrollIntoView(); }
      }
    };
    window.addEventListener('hashchange', fromHash);
    fromHash();
  }
  root.setAttribute('data-ready', 'true');
})();
