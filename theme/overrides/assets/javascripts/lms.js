/*
 * The LMS bridge of a SCORM package (SCORM 1.2 or 2004); loaded only in SCORM builds.
 *
 * A SCO may initialise and terminate once, while the participant opens many pages, so the package's
 * launch page (scorm.html) holds the connection and shows the course's pages in a frame below it.
 * This file plays both parts:
 *
 * - On the launch page (it has #course-lms-frame and the package's settings): find the LMS's API
 *   (`API` for 1.2, `API_1484_11` for 2004) in the parent windows, then the opener's, as the standard's
 *   discovery algorithm does; initialise; copy the journal, progress and checks the LMS kept
 *   (suspend_data) into this browser's storage; open the frame at the bookmarked page (lesson_location /
 *   location). Then, as the pages in the frame write to storage (the `storage` event) and open other
 *   pages (the frame's `load`), save the bookmark, the journal and progress in suspend_data (within the
 *   version's limit: what does not fit stays in this browser, and the participant is told), report
 *   `incomplete` until every module of the package is done and `completed` after, and, when the package
 *   scores knowledge checks, the score and passed/failed against the pass mark. It commits after a page
 *   change, a module marked done or a check answered, a few seconds after typing stops, and terminates
 *   once when the window goes away. With no LMS (opened from disk), it opens the course's first page.
 * - On a course page: when no launch page connected to an LMS holds it, it says that nothing is
 *   reported to an LMS; the page otherwise works as in the offline package. When one does, the
 *   journal and progress say that they are saved with the LMS too.
 *
 * Storage keys read and written (the site's own, see course.js):
 *   course-journal/<course>/<module>/<block>/<prompt>   {"text": "...", "updated": "<ISO date>"}
 *   course-progress/<course>                            {"done": [module ids], "last": {...}}
 *   course-checks/<course>/<module>/<block>/<question>  {"correct": true|false, ...} (knowledge checks)
 * suspend_data holds {"v": 1, "d": [done modules], "c": [[module, block, question, stored value]],
 *   "j": [[module, block, prompt, text, updated], ...]}, newest answers first.
 */
(function () {
  "use strict";

  var course = window.course; // core.js: its words (course.text) and storage; every page and the launch page load it first
  if (!course || !course.feature("lms")) return;

  var JOURNAL = "course-journal/";
  var PROGRESS = "course-progress/";
  var CHECKS = "course-checks/";
  var TYPING_DELAY = 3000; // ms after the last keystroke before the journal is committed
  var SAFE_PAGE = /^(?:[A-Za-z0-9_~-]+\/)*index\.html$/;

  /* ---------------------------------------------------------------- storage (core.js's) */

  var read = course.store.get;
  var write = course.store.set;

  function keys(prefix) {
    return course.store.keys(prefix).sort();
  }

  function parse(raw, fallback) {
    try {
      var value = JSON.parse(raw);
      return value && typeof value === "object" ? value : fallback;
    } catch (e) {
      return fallback;
    }
  }

  function enc(parts) {
    return parts.map(function (part) { return encodeURIComponent(String(part)); }).join("/");
  }

  function dec(key, prefix) {
    return key.slice(prefix.length).split("/").map(decodeURIComponent);
  }

  /* ---------------------------------------------------------------- a course page */

  var frame = document.getElementById("course-lms-frame");
  if (!frame) {
    var host = null;
    try {
      host = window.parent !== window && window.parent.courseLMS ? window.parent.courseLMS : null;
    } catch (e) {
      host = null; // a parent from another origin: not our launch page
    }
    if (host && host.connected) {
      // The page's promises about where things are kept, as they are in an LMS.
      course.text.journalSaved = course.t("lmsJournalSaved");
      course.text.progressKept = course.t("lmsProgressKept");
      course.text.toolsPrivacy = course.t("lmsToolsPrivacy");
      return;
    }
    course.subscribe(function () {
      var where = document.querySelector(".md-content__inner");
      if (!where || !course.once(where, "lms-note")) return;
      // Drawn as Material draws a note.
      var note = course.make("p", { class: "course-lms-note admonition note", role: "note", text: course.t("lmsNotReporting") });
      where.insertBefore(note, where.firstChild);
    });
    return;
  }

  /* ---------------------------------------------------------------- the launch page */

  var settings = parse((document.getElementById("course-lms-settings") || {}).textContent, {});
  var v12 = settings.version === "1.2";
  var NAME = v12 ? "API" : "API_1484_11";
  var CMI = v12
    ? { location: "cmi.core.lesson_location", suspend: "cmi.suspend_data", exit: "cmi.core.exit", time: "cmi.core.session_time",
        status: "cmi.core.lesson_status", raw: "cmi.core.score.raw", min: "cmi.core.score.min", max: "cmi.core.score.max" }
    : { location: "cmi.location", suspend: "cmi.suspend_data", exit: "cmi.exit", time: "cmi.session_time",
        status: "cmi.completion_status", success: "cmi.success_status", scaled: "cmi.score.scaled", raw: "cmi.score.raw",
        min: "cmi.score.min", max: "cmi.score.max", measure: "cmi.progress_measure" };
  var slug = String(settings.course || "");
  var modules = Array.isArray(settings.modules) ? settings.modules : [];
  var checks = Array.isArray(settings.checks) ? settings.checks : [];
  var limit = settings.limit || (v12 ? 4096 : 64000);
  var status = document.querySelector(".course-lms__status");
  var state = { connected: false };
  window.courseLMS = state;

  // The standard's discovery: up the parents (at most 500 steps), then from the opener.
  function scan(win) {
    for (var tries = 0; win && tries <= 500; tries++) {
      try {
        if (win[NAME]) return win[NAME];
      } catch (e) {
        /* a window of another origin: look further up */
      }
      var parent = null;
      try {
        parent = win.parent;
      } catch (e) {
        parent = null;
      }
      if (!parent || parent === win) return null;
      win = parent;
    }
    return null;
  }

  function findAPI() {
    var api = scan(window);
    if (!api && window.opener) api = scan(window.opener);
    try {
      if (!api && window.top && window.top.opener) api = scan(window.top.opener);
    } catch (e) {
      /* no opener to search */
    }
    return api;
  }

  var api = findAPI();

  function call(name12, name2004, args) {
    try {
      return String(api[v12 ? name12 : name2004].apply(api, args));
    } catch (e) {
      return "";
    }
  }

  function get(element) {
    return call("LMSGetValue", "GetValue", [element]);
  }

  var sent = {}; // what the LMS was last told, element by element: only changes are sent
  function set(element, value) {
    value = String(value);
    if (sent[element] === value) return true;
    var ok = call("LMSSetValue", "SetValue", [element, value]) === "true";
    if (ok) sent[element] = value;
    return ok;
  }

  function say(message) {
    if (!status) return;
    status.textContent = message;
    status.hidden = !message;
  }

  /* ---------------------------------------------------------------- suspend_data */

  function restore(raw) {
    var data = parse(raw, null);
    if (!data || data.v !== 1) return;
    (Array.isArray(data.j) ? data.j : []).forEach(function (a) {
      if (!Array.isArray(a) || a.length < 4 || typeof a[3] !== "string") return;
      var key = JOURNAL + enc([slug, a[0], a[1], a[2]]);
      var local = parse(read(key), null);
      var updated = String(a[4] || "");
      if (!local || typeof local.text !== "string" || (updated && String(local.updated || "") < updated)) {
        write(key, JSON.stringify({ text: a[3], updated: updated }));
      }
    });
    var progressKey = PROGRESS + encodeURIComponent(slug);
    var progress = parse(read(progressKey), {});
    var done = Array.isArray(progress.done) ? progress.done.slice() : [];
    (Array.isArray(data.d) ? data.d : []).forEach(function (id) {
      if (typeof id === "string" && done.indexOf(id) === -1) done.push(id);
    });
    progress.done = done;
    write(progressKey, JSON.stringify(progress));
    (Array.isArray(data.c) ? data.c : []).forEach(function (c) {
      if (!Array.isArray(c) || c.length < 4 || typeof c[3] !== "string") return;
      var key = CHECKS + enc([slug, c[0], c[1], c[2]]);
      if (read(key) === null) write(key, c[3]);
    });
  }

  function doneModules() {
    var progress = parse(read(PROGRESS + encodeURIComponent(slug)), {});
    return Array.isArray(progress.done) ? progress.done.filter(function (id) { return typeof id === "string"; }) : [];
  }

  // suspend_data within the limit: progress and checks first, then the newest answers that fit.
  function snapshot() {
    var prefix = JOURNAL + encodeURIComponent(slug) + "/";
    var answers = keys(prefix)
      .map(function (key) {
        var parts = dec(key, prefix);
        var value = parse(read(key), null);
        if (parts.length !== 3 || !value || typeof value.text !== "string" || !value.text) return null;
        return [parts[0], parts[1], parseInt(parts[2], 10), value.text, String(value.updated || "")];
      })
      .filter(Boolean)
      .sort(function (a, b) { return a[4] < b[4] ? 1 : a[4] > b[4] ? -1 : 0; });
    var checkPrefix = CHECKS + encodeURIComponent(slug) + "/";
    var stored = keys(checkPrefix).map(function (key) {
      var parts = dec(key, checkPrefix);
      return [parts[0], parts[1], parseInt(parts[2], 10), read(key) || ""];
    });
    var data = { v: 1, d: doneModules(), c: stored, j: [] };
    var text = JSON.stringify(data);
    if (text.length > limit) {
      data.c = [];
      text = JSON.stringify(data);
    }
    var left = 0;
    answers.forEach(function (answer) {
      data.j.push(answer);
      var longer = JSON.stringify(data);
      if (longer.length > limit) {
        data.j.pop();
        left++;
      } else {
        text = longer;
      }
    });
    return { text: text, left: left };
  }

  /* ---------------------------------------------------------------- status and score */

  function score() {
    if (!checks.length) return null;
    var right = 0;
    var answered = 0;
    checks.forEach(function (c) {
      var value = parse(read(CHECKS + enc([slug, c[0], c[1], c[2]])), null);
      if (!value) return;
      answered++;
      if (value.correct === true) right++;
    });
    return { scaled: right / checks.length, answered: answered };
  }

  function report() {
    var done = doneModules();
    var count = modules.filter(function (id) { return done.indexOf(id) !== -1; }).length;
    var complete = modules.length > 0 && count === modules.length;
    var result = score();
    var passed = result && result.scaled >= (settings.passMark || 0);
    if (result && result.answered) {
      var raw = Math.round(result.scaled * 100);
      set(CMI.min, 0);
      set(CMI.max, 100);
      set(CMI.raw, raw);
      if (!v12) set(CMI.scaled, Math.round(result.scaled * 10000) / 10000);
    }
    if (v12) {
      set(CMI.status, !complete ? "incomplete" : result ? (passed ? "passed" : "failed") : "completed");
    } else {
      set(CMI.status, complete ? "completed" : "incomplete");
      set(CMI.measure, modules.length ? Math.round((count / modules.length) * 100) / 100 : 0);
      if (result) set(CMI.success, result.answered === checks.length || complete ? (passed ? "passed" : "failed") : "unknown");
    }
  }

  /* ---------------------------------------------------------------- saving */

  var timer = null;
  var finished = false;
  var started = Date.now();

  function save(commit) {
    if (!state.connected || finished) return;
    clearTimeout(timer);
    timer = null;
    var snap = snapshot();
    var accepted = set(CMI.suspend, snap.text);
    report();
    if (commit) call("LMSCommit", "Commit", [""]);
    say(!accepted ? course.t("lmsRefused") : snap.left ? course.t("lmsOverflow", { count: snap.left }) : "");
  }

  function later(delay) {
    clearTimeout(timer);
    timer = setTimeout(function () { save(true); }, delay);
  }

  function pageOf(win) {
    try {
      var base = new URL(".", location.href).href;
      var href = win.location.href.split("#")[0].split("?")[0];
      if (href.indexOf(base) !== 0) return "";
      var page = href.slice(base.length);
      return page === "" || page.slice(-1) === "/" ? page + "index.html" : page; // a folder's page, as the server gave it
    } catch (e) {
      return "";
    }
  }

  function duration(seconds) {
    if (!v12) return "PT" + seconds + "S";
    var pad = function (n, width) { return String(n).padStart(width, "0"); };
    return pad(Math.floor(seconds / 3600), 4) + ":" + pad(Math.floor((seconds % 3600) / 60), 2) + ":" + pad(seconds % 60, 2);
  }

  function finish() {
    if (!state.connected || finished) return;
    save(false);
    set(CMI.exit, "suspend"); // keep suspend_data for the next launch, finished or not
    set(CMI.time, duration(Math.round((Date.now() - started) / 1000)));
    call("LMSCommit", "Commit", [""]);
    finished = true;
    call("LMSFinish", "Terminate", [""]);
  }

  /* ---------------------------------------------------------------- start */

  var start = SAFE_PAGE.test(settings.start || "") ? settings.start : "index.html";
  if (!api || call("LMSInitialize", "Initialize", [""]) !== "true") {
    location.replace(start); // no LMS: the course as the offline package has it
    return;
  }
  state.connected = true;
  restore(get(CMI.suspend));
  var bookmark = get(CMI.location);
  frame.src = SAFE_PAGE.test(bookmark) ? bookmark : start;
  save(true);

  frame.addEventListener("load", function () {
    var page = pageOf(frame.contentWindow);
    if (SAFE_PAGE.test(page) && set(CMI.location, page)) save(true);
  });
  window.addEventListener("storage", function (event) {
    var key = event.key || "";
    if (key.indexOf(JOURNAL + encodeURIComponent(slug) + "/") === 0) later(TYPING_DELAY);
    else if (key === PROGRESS + encodeURIComponent(slug) || key.indexOf(CHECKS + encodeURIComponent(slug) + "/") === 0) later(0);
  });
  window.addEventListener("pagehide", finish);
  window.addEventListener("beforeunload", finish);
  window.addEventListener("unload", finish);
})();
