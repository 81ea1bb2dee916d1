// report.html's interactive map: pan and zoom, click a factory or a park, filter by verdict and
// district, and the map and the factory table select each other. Offline, no libraries: the
// SVG is drawn by relocate, the data it shows sits in the #map-data JSON block.
(function () {
  'use strict';
  var root = document.documentElement;
  var svg = document.getElementById('webmap');
  var view = document.getElementById('wm-view');
  var panel = document.getElementById('wm-panel');
  var block = document.getElementById('map-data');
  if (!svg || !view || !panel || !block) { return; }
  var data = JSON.parse(block.textContent);
  var t = data.t;
  var locale = data.lang || root.lang || 'en';
  var fmt = function (v, digits) {
    return Number(v).toLocaleString(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  };
  var byId = {};
  data.f.forEach(function (f, i) { byId[f.id] = i; });
  var dots = Array.prototype.slice.call(svg.querySelectorAll('circle.wm-f'));
  var dotOf = {};
  dots.forEach(function (c) { dotOf[c.getAttribute('data-i')] = c; });
  var sel = document.getElementById('wm-sel');
  var table = document.getElementById('factories-table');
  var rowOf = {};
  if (table) {
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      rowOf[row.getAttribute('data-id')] = row;
    });
  }

  // ---- View: the SVG's user units under a translate-and-scale transform.
  var box = svg.viewBox.baseVal;
  var state = { k: 1, x: 0, y: 0 };
  var K_MIN = 1, K_MAX = 60;
  var selected = null;
  function apply() {
    view.setAttribute('transform', 'translate(' + state.x.toFixed(2) + ' ' + state.y.toFixed(2) + ') scale(' + state.k.toFixed(4) + ')');
    // Dots grow slower than the map, so neighbours separate as one zooms in.
    svg.style.setProperty('--dot-r', (5 / Math.pow(state.k, 0.75)).toFixed(3) + 'px');
    svg.style.setProperty('--dot-sw', (0.9 / state.k).toFixed(4) + 'px');
    sel.setAttribute('r', (11 / Math.pow(state.k, 0.75)).toFixed(3));
    svg.setAttribute('data-zoom', state.k.toFixed(3));
  }
  function clampView() {
    state.k = Math.min(K_MAX, Math.max(K_MIN, state.k));
    var minX = box.width * (1 - state.k), minY = box.height * (1 - state.k);
    state.x = Math.min(0, Math.max(minX, state.x));
    state.y = Math.min(0, Math.max(minY, state.y));
  }
  // A point of the page in SVG user units (outside the view transform).
  function toSvg(clientX, clientY) {
    var m = svg.getScreenCTM();
    if (!m) { return { x: 0, y: 0 }; }
    var p = svg.createSVGPoint();
    p.x = clientX; p.y = clientY;
    return p.matrixTransform(m.inverse());
  }
  function zoomAt(factor, at) {
    var k = Math.min(K_MAX, Math.max(K_MIN, state.k * factor));
    var f = k / state.k;
    state.x = at.x - (at.x - state.x) * f;
    state.y = at.y - (at.y - state.y) * f;
    state.k = k;
    clampView();
    apply();
  }
  function centreOn(x, y, k) {
    state.k = Math.max(state.k, k || state.k);
    state.x = box.width / 2 - x * state.k;
    state.y = box.height / 2 - y * state.k;
    clampView();
    apply();
  }
  svg.addEventListener('wheel', function (e) {
    e.preventDefault();
    zoomAt(e.deltaY < 0 ? 1.25 : 0.8, toSvg(e.clientX, e.clientY));
  }, { passive: false });
  var drag = null;
  svg.addEventListener('pointerdown', function (e) {
    if (e.button !== 0) { return; }
    drag = { id: e.pointerId, x: e.clientX, y: e.clientY, sx: state.x, sy: state.y, moved: false };
  });
  svg.addEventListener('pointermove', function (e) {
    if (!drag || drag.id !== e.pointerId) { return; }
    var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) { return; }
    if (!drag.moved) { drag.moved = true; svg.classList.add('dragging'); svg.setPointerCapture(e.pointerId); }
    var m = svg.getScreenCTM();
    var unit = m ? 1 / m.a : 1;
    state.x = drag.sx + dx * unit;
    state.y = drag.sy + dy * unit;
    clampView();
    apply();
  });
  var endDrag = function (e) {
    if (drag && drag.id === e.pointerId && drag.moved) {
      svg.classList.remove('dragging');
      // The click that ends a drag selects nothing.
      svg.addEventListener('click', function stop(ev) { ev.stopPropagation(); svg.removeEventListener('click', stop, true); }, true);
    }
    drag = null;
  };
  svg.addEventListener('pointerup', endDrag);
  svg.addEventListener('pointercancel', endDrag);
  var centre = function () { return { x: box.width / 2, y: box.height / 2 }; };
  document.getElementById('wm-zoom-in').addEventListener('click', function () { zoomAt(1.5, centre()); });
  document.getElementById('wm-zoom-out').addEventListener('click', function () { zoomAt(1 / 1.5, centre()); });
  document.getElementById('wm-reset').addEventListener('click', function () {
    state = { k: 1, x: 0, y: 0 };
    apply();
  });

  // ---- Panel: built with text nodes only (names and evidence come from input files).
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function fact(dl, label, value) {
    if (value === undefined || value === null || value === '') { return; }
    dl.appendChild(el('dt', '', label));
    var dd = el('dd');
    if (value.nodeType) { dd.appendChild(value); } else { dd.textContent = String(value); }
    dl.appendChild(dd);
  }
  function parkName(p) {
    var park = data.parks[p];
    return park ? park.name : '';
  }
  function parkButton(p) {
    var b = el('button', 'wm-link', parkName(p));
    b.type = 'button';
    b.setAttribute('data-park', String(p));
    b.addEventListener('click', function () { selectPark(p, true); });
    return b;
  }
  function clearFocus() {
    svg.classList.remove('focus');
    Array.prototype.forEach.call(svg.querySelectorAll('.hl, .wm-park.selected'), function (n) {
      n.classList.remove('hl');
      n.classList.remove('selected');
    });
  }
  function markRow(id) {
    Array.prototype.forEach.call(document.querySelectorAll('#factories-table tr.selected'), function (r) {
      r.classList.remove('selected');
      r.removeAttribute('aria-selected');
    });
    var row = rowOf[id];
    if (row) { row.classList.add('selected'); row.setAttribute('aria-selected', 'true'); }
    return row;
  }

  function selectFactory(i, pan) {
    var f = data.f[i];
    if (!f) { return; }
    clearFocus();
    selected = i;
    sel.setAttribute('cx', f.x);
    sel.setAttribute('cy', f.y);
    if (pan) { centreOn(f.x, f.y, 4); }
    panel.textContent = '';
    panel.setAttribute('data-factory', f.id);
    panel.appendChild(el('h3', '', f.id + ' — ' + f.name));
    var dl = el('dl');
    fact(dl, t.verdict, el('span', 'v v-' + f.v, f.vl));
    fact(dl, t.district, f.d >= 0 ? data.districts[f.d] : '');
    fact(dl, t.criteria, f.c);
    fact(dl, t.basis, f.b === 'none' ? '' : f.b);
    fact(dl, t.evidence, f.e);
    fact(dl, t.status, f.s);
    if (f.p >= 0) { fact(dl, t.park, parkButton(f.p)); }
    fact(dl, t.km, f.km === null ? '' : fmt(f.km, 1));
    fact(dl, t.year, f.yr);
    fact(dl, t.reason, f.ur);
    panel.appendChild(dl);
    if (f.ru.length) {
      panel.appendChild(el('h4', '', t.runners));
      var ul = el('ul', 'wm-runners');
      f.ru.forEach(function (r) {
        var li = el('li');
        li.appendChild(parkButton(r[0]));
        li.appendChild(document.createTextNode(' — ' + r[2]));
        li.appendChild(el('div', 'hint', r[1]));
        ul.appendChild(li);
      });
      panel.appendChild(ul);
    }
    if (f.ro.length) {
      panel.appendChild(el('h4', '', t.ruled));
      var ro = el('ul', 'wm-ruled');
      f.ro.forEach(function (r) {
        var li = el('li');
        li.appendChild(parkButton(r[0]));
        li.appendChild(document.createTextNode(': ' + r[1]));
        ro.appendChild(li);
      });
      panel.appendChild(ro);
    }
    var row = markRow(f.id);
    if (row) {
      var b = el('button', 'wm-link', t.table);
      b.type = 'button';
      b.addEventListener('click', function () { row.scrollIntoView({ block: 'center' }); });
      panel.appendChild(b);
    }
  }

  function selectPark(p, pan) {
    var park = data.parks[p];
    if (!park) { return; }
    clearFocus();
    selected = null;
    sel.setAttribute('cx', -100);
    sel.setAttribute('cy', -100);
    var shape = svg.querySelector('.wm-park[data-p="' + p + '"]');
    if (shape) {
      shape.classList.add('selected');
      if (pan) {
        var b = shape.getBBox();
        centreOn(b.x + b.width / 2, b.y + b.height / 2, 2);
      }
    }
    panel.textContent = '';
    panel.setAttribute('data-park', park.id);
    panel.removeAttribute('data-factory');
    panel.appendChild(el('h3', '', park.name + ' (' + park.id + ')'));
    var dl = el('dl');
    fact(dl, t.fill, fmt(park.fill, 1) + ' %');
    fact(dl, t.alloc, fmt(park.alloc, 2));
    fact(dl, t.avail, fmt(park.avail, 2));
    fact(dl, t.count, fmt(park.n, 0));
    fact(dl, t.workers, fmt(park.emp, 0));
    panel.appendChild(dl);
    var mine = [];
    data.f.forEach(function (f, i) { if (f.p === p) { mine.push(i); } });
    if (mine.length) {
      svg.classList.add('focus');
      mine.forEach(function (i) { var d = dotOf[i]; if (d) { d.classList.add('hl'); } });
      panel.appendChild(el('h4', '', t.factories));
      var ul = el('ul', 'wm-park-factories');
      mine.slice(0, 60).forEach(function (i) {
        var f = data.f[i];
        var li = el('li');
        var b = el('button', 'wm-link', f.id + ' — ' + f.name);
        b.type = 'button';
        b.addEventListener('click', function () { selectFactory(i, true); });
        li.appendChild(b);
        li.appendChild(document.createTextNode(' '));
        li.appendChild(el('span', 'v v-' + f.v, f.vl));
        ul.appendChild(li);
      });
      panel.appendChild(ul);
      if (park.n > 60) { panel.appendChild(el('p', 'hint', t.more.replace('{n}', fmt(park.n - 60, 0)))); }
    }
  }

  function showCell(c) {
    var cell = data.cells[c];
    if (!cell) { return; }
    clearFocus();
    panel.textContent = '';
    panel.appendChild(el('h3', '', t.cell));
    var dl = el('dl');
    var labels = svg.ownerDocument.querySelectorAll('#map-verdict option');
    for (var k = 0; k < 4; k += 1) {
      var opt = labels[k + 1];
      fact(dl, opt ? opt.textContent : '', fmt(cell[2 + k], 0));
    }
    panel.appendChild(dl);
  }

  svg.addEventListener('click', function (e) {
    var target = e.target;
    if (target.classList.contains('wm-f')) {
      selectFactory(Number(target.getAttribute('data-i')), false);
    } else if (target.classList.contains('wm-cell')) {
      showCell(Number(target.getAttribute('data-c')));
    } else if (target.classList.contains('wm-park')) {
      selectPark(Number(target.getAttribute('data-p')), false);
    }
  });

  // The table selects on the map: a click on a row (not on a link or button in it).
  if (table) {
    table.tBodies[0].addEventListener('click', function (e) {
      if (e.target.closest('button, a')) { return; }
      var row = e.target.closest('tr');
      if (!row) { return; }
      var i = byId[row.getAttribute('data-id')];
      if (i === undefined) { return; }
      selectFactory(i, true);
      var section = document.getElementById('map');
      if (section) { section.scrollIntoView({ block: 'start' }); }
    });
  }

  // ---- Filters: verdict and district, on the dots, the flows and the table.
  var verdictSel = document.getElementById('map-verdict');
  var districtSel = document.getElementById('map-district');
  var status = document.getElementById('wm-status');
  var flowsEls = Array.prototype.slice.call(svg.querySelectorAll('.wm-flow'));
  var cellEls = Array.prototype.slice.call(svg.querySelectorAll('.wm-cell'));
  var VERDICTS = ['must_relocate', 'encouraged', 'may_stay', 'out_of_scope'];
  function filter() {
    var v = verdictSel.value, d = districtSel.value;
    var di = d ? data.districts.indexOf(d) : -1;
    var shown = 0;
    dots.forEach(function (dot) {
      var f = data.f[Number(dot.getAttribute('data-i'))];
      var on = (!v || f.v === v) && (!d || f.d === di);
      dot.style.display = on ? '' : 'none';
      if (on) { shown += 1; }
    });
    flowsEls.forEach(function (p) {
      p.style.display = (!d || p.getAttribute('data-origin') === d) ? '' : 'none';
    });
    if (cellEls.length) {
      var k = VERDICTS.indexOf(v);
      var most = 1;
      data.cells.forEach(function (c) { most = Math.max(most, k < 0 ? c[2] + c[3] + c[4] + c[5] : c[2 + k]); });
      shown = 0;
      cellEls.forEach(function (el, i) {
        var c = data.cells[i];
        var n = k < 0 ? c[2] + c[3] + c[4] + c[5] : c[2 + k];
        shown += n;
        el.style.display = n > 0 ? '' : 'none';
        el.setAttribute('r', n > 0 ? Math.max(1.5, (box.width / 90) * 0.9 * Math.sqrt(n / most)).toFixed(1) : '0');
      });
    }
    status.textContent = t.shown.replace('{n}', fmt(shown, 0)).replace('{total}', fmt(data.total, 0));
    // The table follows: report.js's search reads the same selects.
    var search = document.getElementById('factory-search');
    if (search) { search.dispatchEvent(new Event('input')); }
  }
  verdictSel.addEventListener('change', filter);
  districtSel.addEventListener('change', filter);

  apply();
  filter();
  root.setAttribute('data-map-ready', 'true');
})();
