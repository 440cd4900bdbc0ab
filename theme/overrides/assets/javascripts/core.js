/*
 * The shared core of the participant's side of the course site: the `window.course` namespace that
 * the feature files (journal, journal-tools, progress, video, print) build on.
 *
 *   course.text       every word the scripts show, in English; a page may override any of them
 *                     with a JSON object in <script type="application/json" id="course-text">
 *   course.t(key, p)  the text of `key`, with {name} replaced by p.name; a text that is an object
 *                     ({one: ..., other: ...}) is chosen by p.count, after the page language's plural rules
 *   course.store      localStorage, or a map that lasts as long as the page when the browser will not save
 *   course.subscribe  runs a feature's set-up on every page Material shows (its `document$`)
 *   course.on/emit    features tell each other that stored data changed, without calling each other
 *   course.make, once, all, button, ... small DOM helpers
 *
 * Everything is kept in this browser's localStorage and nothing is ever sent anywhere: these
 * scripts make no network requests.
 *
 * Material's instant navigation swaps the page content without a reload, so each feature sets the
 * page up again on every emission of `document$`; each hook is marked once set up, so running
 * twice over the same page changes nothing.
 *
 * Storage keys (one course site may share its origin with others, hence the course slug):
 *   course-journal/<course>/<module>/<block>/<prompt>  {"text": "...", "updated": "<ISO date>"}
 *   course-progress/<course>                           {"done": [module ids], "last": {"module", "title"}}
 *   course-checks/<course>/<module>/<block>/<question>  {"chosen": [choice numbers], "correct", "checked"} (checks.js)
 */
(function () {
  "use strict";

  if (window.course) return; // the script was loaded twice

  var course = (window.course = {});
  var loaded = Object.create(null);

  // A feature file runs once only, however often it is included.
  course.feature = function (name) {
    if (loaded[name]) return false;
    loaded[name] = true;
    return true;
  };

  /* ---------------------------------------------------------------- words */

  course.text = {
    // journal fields
    journalLabel: "Your notes",
    journalSaved: "Saved as you type, in this browser on this device only. Never sent anywhere.",
    journalSeeAll: "See all your notes in {journal}.",
    journalName: "My journal",
    storageUnavailable:
      "This browser is not letting the course save anything (private browsing, or storage turned off). " +
      "You can still write here, but your notes will be lost when you close or reload the page: " +
      "download your journal from My journal to keep them.",
    storageFull:
      "This browser's storage for the course is full, so your latest notes are not saved. " +
      "They stay until you close or reload the page: download your journal from My journal to keep them.",
    // progress
    doneToggle: "I have finished this module",
    doneMarked: "Marked as done. The home page and the menu show it.",
    doneUnmarked: "No longer marked as done.",
    doneInMenu: " (done)",
    progressCount: "{count} of {total} modules done",
    progressContinue: "Continue where you left off: {link}",
    progressStart: "Start with the first module: {link}",
    progressKept: "Your progress is kept in this browser on this device only.",
    statusDone: "Done",
    statusLast: "Last opened",
    // the journal page
    toolsPrivacy:
      "Your journal is kept in this browser, on this device only. Nothing you write is sent anywhere. " +
      "Download a copy to keep it, or to move it to another browser or device, and import it there.",
    toolsCount: "You have answered {answered} of {total} prompts.",
    toolsMarkdown: "Download as Markdown",
    toolsJSON: "Download as JSON",
    toolsImport: "Import a JSON file…",
    toolsImportFile: "Journal file to import",
    toolsClear: "Clear my journal and progress…",
    downloadedMarkdown: "Your journal was downloaded as a Markdown file.",
    downloadedJSON: "Your journal was downloaded as a JSON file. Import it here, in any browser, to bring your answers back.",
    importTooLarge: "This file is too large to be a journal. Nothing was imported.",
    importFailed: "{reason} Nothing was imported.",
    importUnreadable: "The file could not be read. Nothing was imported.",
    importNotJSON: "This file is not a journal downloaded from this course (it is not a JSON file).",
    importNotOurs: "This file is not a journal downloaded from this course.",
    importNoAnswers: "This file is not a journal downloaded from this course. (It has no list of answers.)",
    importBadAnswer: "This file is not a journal downloaded from this course. (answer {number})",
    importBadProgress: "This file is not a journal downloaded from this course. (Its progress is not readable.)",
    importOtherVersion: "This journal file was made by a different version of the course site and cannot be read here.",
    importOtherCourse: "This journal belongs to another course ({course}), not this one.",
    importReplace: {
      one: "This file would replace {count} answer you have already written in this browser. Replace it with the file's version?",
      other: "This file would replace {count} answers you have already written in this browser. Replace them with the file's version?"
    },
    importCancelled: "Import cancelled. Nothing was changed.",
    importFull: "The browser's storage is full, so nothing was imported.",
    imported: {
      one: "Imported {count} answer and your progress from the file.",
      other: "Imported {count} answers and your progress from the file."
    },
    clearConfirm:
      "Delete every answer in your journal and your progress for this course from this browser? " +
      "This cannot be undone. Download a copy first if you want to keep them.",
    clearCancelled: "Nothing was deleted.",
    cleared: "Your journal and progress were deleted from this browser.",
    // the downloaded Markdown journal
    exportTitle: "My journal: {course}",
    exportIntro: "Downloaded on {date}. The course keeps this journal in one browser only; this file is your own copy.",
    exportEmpty: "No answers yet.",
    exportOthers: "Answers to prompts no longer in the course",
    exportOtherPrompt: "{module} › {block} › prompt {prompt}",
    // knowledge checks and commentary (checks.js)
    checkNothingChosen: "Choose an answer first, then press Check.",
    checkRight: "Right.",
    checkWrong: "Not quite.",
    checkWrongMultiple: "Not quite: choose every right answer, and only those.",
    checkYourChoice: "You chose: {choice}",
    checkChoiceRight: "(a right answer)",
    checkChoiceWrong: "(not a right answer)",
    checkExplanation: "Explanation",
    checkNotAnswered: "Not answered yet.",
    checkAnsweredRight: "Answered correctly.",
    checkAnsweredWrong: "Answered, not correctly yet: try again on the module's page.",
    checkYourChoiceMark: " (your choice)",
    checksSummary: {
      one: "Knowledge checks: {right} of {count} question answered correctly.",
      other: "Knowledge checks: {right} of {count} questions answered correctly."
    },
    checksPassed: "You have reached the pass mark.",
    commentaryGate:
      "There is a commentary on this activity: what an experienced practitioner might say. " +
      "It appears here once you have written your own answer.",
    commentaryShow: "Show the commentary anyway",
    commentaryShown: "The commentary is shown below your answer.",
    exportChecks: "Knowledge checks",
    exportChosen: "Your answer: {choices}",
    exportRight: "Right.",
    exportWrong: "Not right yet.",
    importBadCheck: "This file is not a journal downloaded from this course. (knowledge check {number})",
    // video, print, Material
    videoTitle: "Video",
    printModule: "Print this module",
    printWorksheet: "Print this worksheet",
    printCourse: "Print the course",
    // room mode (trainer view)
    roomPresent: "Present",
    roomPresentLabel: "Present “{title}” full screen",
    roomPosition: "Activity {n} of {total}",
    roomStart: "Start",
    roomPause: "Pause",
    roomResume: "Resume",
    roomReset: "Reset",
    roomPrevious: "Previous activity",
    roomNext: "Next activity",
    roomClose: "Close",
    roomLeft: "Time left",
    roomElapsed: "Time so far",
    roomDone: "Time is up",
    roomKeys: "← → previous and next activity · Esc closes",
    searchDialog: "Search",
    // the packages: opened from disk (offline.js), in an LMS (lms.js)
    videoOffline:
      "This video cannot play here: its host does not allow its player in a page opened from a file on your " +
      "computer. Open it on its host with the link below when you are online; its transcript follows.",
    lmsNotReporting:
      "This copy of the course is not connected to a learning management system (LMS), so nothing is reported " +
      "to one: your journal and progress are kept in this browser only.",
    lmsOverflow: {
      one:
        "One of your journal answers does not fit in what the LMS keeps for this course. It stays in this browser " +
        "only: download your journal from My journal to keep a copy.",
      other:
        "{count} of your journal answers do not fit in what the LMS keeps for this course. They stay in this " +
        "browser only: download your journal from My journal to keep a copy."
    },
    lmsRefused: "The LMS did not accept your latest work, so it is kept in this browser only for now.",
    // what the journal and progress say instead when the course reports to an LMS (lms.js)
    lmsJournalSaved: "Saved as you type, in this browser and with your record in the learning management system (LMS).",
    lmsProgressKept: "Your progress is kept in this browser and reported to the learning management system (LMS).",
    lmsToolsPrivacy:
      "Your journal is kept in this browser and saved with your record in the learning management system (LMS), " +
      "so that it follows you when you open the course there from another device. Download a copy to keep it."
  };

  // A translation given by the page replaces the English of the keys it names.
  (function () {
    var given = document.getElementById("course-text");
    if (!given) return;
    var words;
    try {
      words = JSON.parse(given.textContent);
    } catch (e) {
      return;
    }
    if (!words || typeof words !== "object") return;
    Object.keys(words).forEach(function (key) {
      var value = words[key];
      if (typeof value === "string" || (value && typeof value === "object" && typeof value.other === "string")) course.text[key] = value;
    });
  })();

  function pluralForm(count) {
    try {
      return new Intl.PluralRules(document.documentElement.lang || "en").select(count);
    } catch (e) {
      return count === 1 ? "one" : "other";
    }
  }

  course.t = function (key, params) {
    var text = course.text[key];
    params = params || {};
    if (text && typeof text === "object") text = text[pluralForm(Number(params.count))] || text.other;
    if (typeof text !== "string") return key;
    return text.replace(/\{(\w+)\}/g, function (whole, name) {
      return name in params ? String(params[name]) : whole;
    });
  };

  // The text of `key` as a list of strings and nodes, for a text around a link: {name} becomes nodes[name].
  course.tNodes = function (key, nodes) {
    var out = [];
    course.t(key).split(/(\{\w+\})/).forEach(function (part) {
      var name = /^\{(\w+)\}$/.exec(part);
      if (name && nodes[name[1]]) out.push(nodes[name[1]]);
      else if (part) out.push(part);
    });
    return out;
  };

  /* ---------------------------------------------------------------- storage */

  // localStorage when it works; otherwise (private mode, storage off, quota full) a map that
  // lasts as long as the page, so that writing keeps working and the page can say so.
  course.store = (function () {
    var memory = Object.create(null);
    var problem = "";
    var local = null;
    try {
      local = window.localStorage;
      local.setItem("course-probe", "1");
      local.removeItem("course-probe");
    } catch (e) {
      local = null;
      problem = "unavailable";
    }
    return {
      problem: function () {
        return problem;
      },
      get: function (key) {
        if (key in memory) return memory[key];
        if (!local) return null;
        try {
          return local.getItem(key);
        } catch (e) {
          return null;
        }
      },
      set: function (key, value) {
        if (local) {
          try {
            local.setItem(key, value);
            delete memory[key];
            return true;
          } catch (e) {
            problem = "full";
          }
        }
        memory[key] = value;
        return false;
      },
      remove: function (key) {
        delete memory[key];
        if (!local) return;
        try {
          local.removeItem(key);
        } catch (e) {
          /* nothing to remove */
        }
      },
      keys: function (prefix) {
        var seen = Object.create(null);
        var out = [];
        var add = function (key) {
          if (key && key.indexOf(prefix) === 0 && !seen[key]) {
            seen[key] = true;
            out.push(key);
          }
        };
        if (local) {
          try {
            for (var i = 0; i < local.length; i++) add(local.key(i));
          } catch (e) {
            /* keys from memory only */
          }
        }
        Object.keys(memory).forEach(add);
        return out;
      }
    };
  })();

  course.readJSON = function (key, fallback) {
    var raw = course.store.get(key);
    if (raw === null) return fallback;
    try {
      var value = JSON.parse(raw);
      return value === null || typeof value !== "object" ? fallback : value;
    } catch (e) {
      return fallback;
    }
  };

  // Every place that promises saving says so when the browser will not save.
  course.showStorageProblem = function () {
    var problem = course.store.problem();
    if (!problem) return;
    var key = problem === "full" ? "storageFull" : "storageUnavailable";
    var message = course.t(key);
    course.all("[data-course-storage-note]").forEach(function (note) {
      note.textContent = message;
      note.classList.add("course-warning");
    });
    course.all(".course-storage-alert").forEach(function (alert) {
      alert.textContent = message;
      alert.hidden = false;
    });
  };

  /* ---------------------------------------------------------------- page helpers */

  course.make = function (tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") node.textContent = attrs[name];
      else node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  };

  course.once = function (node, name) {
    var flag = "data-course-" + name;
    if (node.hasAttribute(flag)) return false;
    node.setAttribute(flag, "");
    return true;
  };

  course.all = function (selector, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(selector));
  };

  course.button = function (text, extraClass) {
    return course.make("button", { type: "button", class: "course-button" + (extraClass ? " " + extraClass : ""), text: text });
  };

  course.headingText = function (node) {
    if (!node) return "";
    var copy = node.cloneNode(true);
    Array.prototype.forEach.call(copy.querySelectorAll(".headerlink"), function (link) {
      link.remove();
    });
    return copy.textContent.replace(/\s+/g, " ").trim();
  };

  course.plainText = function (node) {
    return node ? node.textContent.replace(/\s+/g, " ").trim() : "";
  };

  // The view's root URL (Material's own, computed once on the first page load).
  course.siteRoot = function () {
    if (window.__md_scope) return new URL(String(window.__md_scope));
    return new URL(".", location.href);
  };

  course.moduleURL = function (module) {
    return new URL(encodeURIComponent(module) + "/", course.siteRoot());
  };

  // What main.html's .course-page says of this page: its view, its kind, its course.
  course.pageInfo = function () {
    var info = document.querySelector(".course-page");
    return {
      view: info ? info.getAttribute("data-view") : "",
      page: info ? info.getAttribute("data-page") : "",
      course: info ? info.getAttribute("data-course") || "" : ""
    };
  };

  /* ---------------------------------------------------------------- set-up and events */

  course.subscribe = function (setUp) {
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(setUp);
    } else if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", setUp);
    } else {
      setUp();
    }
  };

  var listeners = Object.create(null);

  // "answers": an answer was typed; "stored": the journal or the progress changed as a whole
  // (an import, a clear, another tab).
  course.on = function (name, fn) {
    (listeners[name] = listeners[name] || []).push(fn);
  };

  course.emit = function (name) {
    (listeners[name] || []).forEach(function (fn) {
      fn();
    });
  };

  // Another tab wrote to the journal or the progress: show it here too.
  window.addEventListener("storage", function (event) {
    if (!event.key || event.key.indexOf("course-journal/") === 0 || event.key.indexOf("course-progress/") === 0) course.emit("stored");
  });

  // Material's search dialog has no name; give it the one of its search field.
  course.subscribe(function () {
    var dialog = document.querySelector(".md-search[role=dialog]");
    var input = document.querySelector(".md-search__input");
    if (dialog && !dialog.hasAttribute("aria-label")) {
      dialog.setAttribute("aria-label", (input && input.getAttribute("aria-label")) || course.t("searchDialog"));
    }
  });
})();
