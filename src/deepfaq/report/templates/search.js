/* The index's search: the box in the page header filters as you type (offline; the
   index is embedded in the page). Every question's title, the ways it is asked, its
   one-line answer, its claims and its answer are searched, words stemmed so that
   "normalising", "normalization" and "normalized" meet; matches are ranked (every
   word found first, then by how much each word tells apart, weighted by where it
   was found: title and paraphrases above the answer). */
(function () {
  var data = JSON.parse(document.getElementById("search-data").textContent);
  var box = document.getElementById("search");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var topics = document.querySelectorAll("section.topic");
  var STOP = " a an and are as at be by can do does for from how i in is it my of on or so the to what when where which who why with you your ";
  var WEIGHT = {title: 3, paraphrases: 3, line: 2, claims: 1.5, answer: 1};
  function stem(w) {
    w = w.replace(/isation/g, "ization").replace(/yse$/, "yze").replace(/ise([ds]?)$/, "ize$1").replace(/ising$/, "izing");
    var irregular = {dying: "die", dies: "die", died: "die", dead: "die"};
    if (irregular[w]) { return irregular[w]; }
    var rules = [["izations", "iz"], ["ization", "iz"], ["izing", "iz"], ["izer", "iz"], ["ized", "iz"], ["izes", "iz"], ["ize", "iz"],
                 ["ational", "ate"], ["fulness", "ful"], ["iveness", "ive"], ["ousness", "ous"], ["nesses", ""], ["ness", ""],
                 ["ments", ""], ["ment", ""], ["ings", ""], ["ing", ""], ["ies", "y"], ["ied", "y"], ["edly", ""], ["ed", ""], ["es", ""], ["s", ""]];
    for (var k = 0; k < rules.length; k++) {
      var r = rules[k];
      if (w.length - r[0].length >= 3 && w.slice(-r[0].length) === r[0]) { return w.slice(0, -r[0].length) + r[1]; }
    }
    return w;
  }
  function terms(s) {
    return s.toLowerCase().split(/[^a-z0-9]+/).filter(function (w) {
      return w && STOP.indexOf(" " + w + " ") < 0;
    }).map(stem);
  }
  var docs = data.map(function (d) {
    var f = {};
    Object.keys(d.fields).forEach(function (k) { f[k] = terms(d.fields[k]); });
    return {d: d, f: f};
  });
  function has(words, t) {
    for (var i = 0; i < words.length; i++) {
      if (words[i] === t || (t.length >= 4 && words[i].indexOf(t) === 0)) { return true; }
    }
    return false;
  }
  function where(doc, t) {
    var best = 0;
    Object.keys(WEIGHT).forEach(function (k) {
      if (doc.f[k] && has(doc.f[k], t)) { best = Math.max(best, WEIGHT[k]); }
    });
    return best;
  }
  function rank(q) {
    var ts = terms(q).filter(function (t, i, a) { return a.indexOf(t) === i; });
    var idf = {};
    ts.forEach(function (t) {
      var n = docs.filter(function (doc) { return where(doc, t) > 0; }).length;
      idf[t] = Math.log(1 + docs.length / Math.max(n, 1));
    });
    var out = docs.map(function (doc) {
      var score = 0, found = 0;
      ts.forEach(function (t) { var w = where(doc, t); if (w) { score += w * idf[t]; found += 1; } });
      return {doc: doc, score: score, found: found};
    }).filter(function (r) { return r.score > 0; });
    out.sort(function (a, b) { return b.found - a.found || b.score - a.score; });
    return {terms: ts, results: out};
  }
  function show(q) {
    var r = rank(q), quoted = "\u201c" + q.trim() + "\u201d";
    list.textContent = "";
    topics.forEach(function (s) { s.hidden = r.results.length > 0; });
    list.hidden = !r.results.length;
    if (!r.terms.length) { status.textContent = ""; return; }
    r.results.forEach(function (x) {
      var li = document.createElement("li"), a = document.createElement("a"), line = document.createElement("div");
      a.href = x.doc.d.id + ".html";
      a.textContent = x.doc.d.title;
      line.className = "why";
      line.textContent = x.doc.d.line;
      li.appendChild(a);
      li.appendChild(line);
      list.appendChild(li);
    });
    var all = r.results.filter(function (x) { return x.found === r.terms.length; }).length;
    if (!r.results.length) {
      status.textContent = "No question mentions " + quoted + " yet. All " + data.length +
        " questions are listed below by topic: try a broader word, or ask in your own words" +
        " with deepfaq ask, which matches meaning, not words.";
    } else if (all) {
      status.textContent = all + " of " + data.length + " questions match " + quoted + ", best first" +
        (r.results.length > all ? "; then " + (r.results.length - all) + " with some of its words" : "") + ".";
    } else {
      status.textContent = "No question has every word of " + quoted + "; " + r.results.length +
        " have some, best first.";
    }
  }
  var start = new URLSearchParams(window.location.search).get("q") || "";
  box.value = start;
  show(start);
  box.addEventListener("input", function () { show(box.value); });
  box.form.addEventListener("submit", function (e) { e.preventDefault(); show(box.value); });
})();
