// kepboard's one script, /filter.js: filter and sort the KEP tables of a
// page. The page works without it (every row is in the HTML); it only
// hides rows and reorders them. It reads the rows' data- attributes,
// computed by kepboard (data-sig, data-stage, data-status, data-text,
// data-sort on cells), and decides nothing about the data itself.
//
// The filter lives in the URL fragment, so a filtered view can be linked:
//   #sig=node&stage=beta&status=shipped&q=userns
// sig: the owning SIG (`node` or `sig-node`); stage: alpha, beta, stable,
// deprecated, removed or none; status: tracked, untracked, shipped or
// pending; q: words that must all occur in the KEP's number, title, SIG,
// tracking issues or people. A value may list alternatives: stage=alpha,beta.
// A fragment without `=` (#kep-127) is an anchor, not a filter.
(function () {
  "use strict";
  var tables = Array.prototype.slice.call(document.querySelectorAll("table[data-filterable]"));
  if (tables.length === 0) return;

  var KEYS = ["sig", "stage", "status", "q"];
  var STAGES = ["alpha", "beta", "stable", "deprecated", "removed", "none"];
  var STATUSES = [
    ["tracked", "tracked in containerd"],
    ["untracked", "untracked"],
    ["shipped", "shipped in containerd"],
    ["pending", "pending (PR open or not released)"],
  ];

  var rows = [];
  tables.forEach(function (t) {
    Array.prototype.forEach.call(t.tBodies, function (b) {
      Array.prototype.forEach.call(b.rows, function (r) {
        if (r.hasAttribute("data-kep")) rows.push(r);
      });
    });
  });

  function normSig(v) {
    v = v.trim().toLowerCase();
    return v.indexOf("sig-") === 0 ? v.slice(4) : v;
  }

  // The filter of a fragment: {sig, stage, status, q}, "" where not given.
  function parse(hash) {
    var state = { sig: "", stage: "", status: "", q: "" };
    var h = hash.charAt(0) === "#" ? hash.slice(1) : hash;
    if (h.indexOf("=") < 0) return state;
    var p = new URLSearchParams(h);
    KEYS.forEach(function (k) {
      state[k] = (p.get(k) || "").trim();
    });
    return state;
  }

  function format(state) {
    var p = new URLSearchParams();
    KEYS.forEach(function (k) {
      if (state[k]) p.set(k, state[k]);
    });
    return p.toString();
  }

  function alternatives(v, norm) {
    return v
      .split(",")
      .map(norm)
      .filter(function (x) {
        return x !== "";
      });
  }

  function lower(v) {
    return v.trim().toLowerCase();
  }

  function matches(row, state) {
    var d = row.dataset;
    if (state.sig) {
      var sigs = alternatives(state.sig, normSig);
      if (sigs.length && sigs.indexOf(normSig(d.sig || "")) < 0) return false;
    }
    if (state.stage) {
      var stages = alternatives(state.stage, lower);
      if (stages.length && stages.indexOf(d.stage || "") < 0) return false;
    }
    if (state.status) {
      var have = (d.status || "").split(" ");
      var want = alternatives(state.status, lower);
      var any = want.some(function (s) {
        return have.indexOf(s) >= 0;
      });
      if (want.length && !any) return false;
    }
    if (state.q) {
      var text = d.text || "";
      var words = state.q.toLowerCase().split(/\s+/);
      for (var i = 0; i < words.length; i++) {
        if (words[i] && text.indexOf(words[i]) < 0) return false;
      }
    }
    return true;
  }

  // The controls, made here so readers without script see none.
  var box = document.querySelector("[data-filters]");
  if (!box) {
    box = document.createElement("div");
    box.className = "filters";
    var first = tables[0].closest(".scroll") || tables[0];
    first.parentNode.insertBefore(box, first);
  }
  box.setAttribute("role", "search");
  box.setAttribute("aria-label", "Filter KEPs");

  function unique(attr) {
    var seen = {};
    rows.forEach(function (r) {
      var v = r.getAttribute(attr);
      if (v) seen[v] = true;
    });
    return Object.keys(seen).sort();
  }

  function select(name, label, options) {
    var l = document.createElement("label");
    l.appendChild(document.createTextNode(label));
    var s = document.createElement("select");
    s.name = name;
    s.id = "filter-" + name;
    var all = document.createElement("option");
    all.value = "";
    all.textContent = "any";
    s.appendChild(all);
    options.forEach(function (o) {
      var opt = document.createElement("option");
      opt.value = o[0];
      opt.textContent = o[1];
      s.appendChild(opt);
    });
    l.appendChild(s);
    box.appendChild(l);
    return s;
  }

  var present = unique("data-stage");
  var controls = {
    sig: select(
      "sig",
      "SIG",
      unique("data-sig").map(function (v) {
        return [v, v === "none" ? "none given" : "sig-" + v];
      })
    ),
    stage: select(
      "stage",
      "Stage",
      STAGES.filter(function (s) {
        return present.indexOf(s) >= 0;
      }).map(function (s) {
        return [s, s === "none" ? "no stage" : s];
      })
    ),
    status: select("status", "containerd", STATUSES),
  };
  var ql = document.createElement("label");
  ql.appendChild(document.createTextNode("Find"));
  var q = document.createElement("input");
  q.type = "search";
  q.name = "q";
  q.id = "filter-q";
  q.placeholder = "KEP number, title, @person";
  q.setAttribute("autocomplete", "off");
  ql.appendChild(q);
  box.appendChild(ql);
  controls.q = q;
  var clear = document.createElement("button");
  clear.type = "button";
  clear.textContent = "Clear filters";
  box.appendChild(clear);
  var out = document.createElement("output");
  out.setAttribute("role", "status");
  out.setAttribute("aria-live", "polite");
  box.appendChild(out);

  function show(state) {
    KEYS.forEach(function (k) {
      var c = controls[k];
      if (c.tagName === "SELECT" && state[k]) {
        var v = k === "sig" ? normSig(state[k]) : state[k].toLowerCase();
        var known = Array.prototype.some.call(c.options, function (o) {
          return o.value === v;
        });
        if (!known) {
          var opt = document.createElement("option");
          opt.value = v;
          opt.textContent = v;
          c.appendChild(opt);
        }
        c.value = v;
      } else {
        c.value = state[k];
      }
    });
  }

  function apply(state) {
    var n = 0;
    rows.forEach(function (r) {
      var ok = matches(r, state);
      r.hidden = !ok;
      if (ok) n++;
    });
    out.textContent = n + " of " + rows.length + " KEPs shown";
  }

  function fromControls() {
    var state = {};
    KEYS.forEach(function (k) {
      state[k] = controls[k].value.trim();
    });
    var h = format(state);
    var url = location.pathname + location.search + (h ? "#" + h : "");
    history.replaceState(null, "", url);
    apply(state);
  }

  KEYS.forEach(function (k) {
    controls[k].addEventListener(k === "q" ? "input" : "change", fromControls);
  });
  clear.addEventListener("click", function () {
    show(parse(""));
    fromControls();
  });
  function fromHash() {
    var state = parse(location.hash);
    show(state);
    apply(state);
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();

  // Sorting: a button in each column header; stable, numeric where every
  // value of the column is a number (cells' data-sort, else their text).
  function key(row, i) {
    var c = row.cells[i];
    if (!c) return "";
    var v = c.getAttribute("data-sort");
    return (v === null ? c.textContent : v).trim();
  }

  function sortBy(table, th, i) {
    var asc = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) {
      h.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    Array.prototype.forEach.call(table.tBodies, function (body) {
      var list = Array.prototype.filter.call(body.rows, function (r) {
        return r.hasAttribute("data-kep");
      });
      var keys = list.map(function (r) {
        return key(r, i);
      });
      var numeric = keys.every(function (k) {
        return k !== "" && isFinite(Number(k));
      });
      var idx = list.map(function (_, j) {
        return j;
      });
      idx.sort(function (a, b) {
        var x = keys[a];
        var y = keys[b];
        var c = numeric ? Number(x) - Number(y) : x.localeCompare(y, "en", { numeric: true });
        if (!asc) c = -c;
        return c !== 0 ? c : a - b;
      });
      var rest = Array.prototype.filter.call(body.rows, function (r) {
        return !r.hasAttribute("data-kep");
      });
      idx.forEach(function (j) {
        body.appendChild(list[j]);
      });
      rest.forEach(function (r) {
        body.appendChild(r);
      });
    });
  }

  tables.forEach(function (table) {
    if (!table.tHead || !table.tHead.rows.length) return;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      var label = th.textContent.trim();
      var b = document.createElement("button");
      b.type = "button";
      b.className = "sort";
      if (th.querySelector("a")) {
        b.setAttribute("aria-label", "Sort by " + label);
        th.appendChild(b);
      } else {
        b.textContent = label;
        th.textContent = "";
        th.appendChild(b);
      }
      b.addEventListener("click", function () {
        sortBy(table, th, i);
      });
    });
  });
})();
