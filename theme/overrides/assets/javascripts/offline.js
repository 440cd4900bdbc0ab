/*
 * The course opened from disk (file://), in the offline and SCORM packages only: loaded in the page's
 * head, before Material's own script. Over http(s) it does nothing.
 *
 * - Search: Chromium will not start a worker from a file:// script, so `new Worker(<Material's search
 *   worker>)` gets a worker started from a blob holding the same source, which the package build wrote
 *   into search/search_worker.js (with the lunr language files the worker imports). Messages sent before
 *   that script has loaded are queued.
 * - Links: a link to a folder opens a listing from disk, not the page, so every link to a folder, those
 *   the page's scripts make too (search results, "continue where you left off"), gets its index.html.
 * - Videos: YouTube and Vimeo refuse to play inside a page opened from disk, so the player gives way to
 *   a note that says so, above the link to the video on its host; the transcript is opened.
 */
(function () {
  "use strict";

  if (location.protocol !== "file:" || window.__courseOffline) return;
  window.__courseOffline = true;

  // Its words are in core.js's table (course.text), loaded after this file: there by the time the page is set up.
  function t(key) {
    return window.course ? window.course.t(key) : "";
  }

  var WORKER_DATA = "search/search_worker.js";

  /* ---------------------------------------------------------------- search worker */

  var RealWorker = window.Worker;

  function loadScript(src, done) {
    var script = document.createElement("script");
    script.src = src;
    script.onload = done;
    script.onerror = done;
    document.head.appendChild(script);
  }

  // Inside the blob, imports of lunr files resolve to blobs of their own.
  function prelude(lunr) {
    return (
      "(function () {\n" +
      "  var files = " + JSON.stringify(lunr) + ";\n" +
      "  var urls = {};\n" +
      "  Object.keys(files).forEach(function (name) {\n" +
      "    urls[name] = URL.createObjectURL(new Blob([files[name]], { type: 'text/javascript' }));\n" +
      "  });\n" +
      "  var real = self.importScripts.bind(self);\n" +
      "  self.importScripts = function () {\n" +
      "    real.apply(null, Array.prototype.map.call(arguments, function (url) {\n" +
      "      var name = String(url).split('/lunr/').pop();\n" +
      "      if (!urls[name]) throw new Error('not in the package: ' + url);\n" +
      "      return urls[name];\n" +
      "    }));\n" +
      "  };\n" +
      "})();\n"
    );
  }

  function FileWorker(url) {
    var target = document.createDocumentFragment(); // an EventTarget Material can listen on
    var queue = [];
    var worker = null;
    target.postMessage = function (message) {
      if (worker) worker.postMessage(message);
      else queue.push(message);
    };
    target.terminate = function () {
      if (worker) worker.terminate();
      queue = [];
    };
    var start = function () {
      var data = window.__courseSearchWorker;
      if (!data) return;
      var source = prelude(data.lunr || {}) + data.source;
      worker = new RealWorker(URL.createObjectURL(new Blob([source], { type: "text/javascript" })));
      ["message", "messageerror", "error"].forEach(function (type) {
        worker.addEventListener(type, function (event) {
          var copy = type === "message" ? new MessageEvent("message", { data: event.data }) : new Event(type);
          target.dispatchEvent(copy);
          if (typeof target["on" + type] === "function") target["on" + type](copy);
        });
      });
      queue.splice(0).forEach(function (message) {
        worker.postMessage(message);
      });
    };
    if (window.__courseSearchWorker) start();
    else loadScript(new URL("../../../" + WORKER_DATA, url).href, start);
    return target;
  }

  window.Worker = function (url, options) {
    var href = new URL(String(url), location.href).href;
    if (/\/assets\/javascripts\/workers\/search\.[^/]*\.js$/.test(href)) return FileWorker(href);
    return new RealWorker(url, options);
  };

  /* ---------------------------------------------------------------- links to folders */

  function fixLink(link) {
    var href = link.getAttribute("href");
    if (!href || href.charAt(0) === "#") return;
    var url;
    try {
      url = new URL(href, location.href);
    } catch (e) {
      return;
    }
    if (url.protocol !== "file:" || url.pathname.slice(-1) !== "/") return;
    url.pathname += "index.html";
    link.setAttribute("href", url.href);
  }

  function fixLinks(root) {
    if (root.nodeType !== 1) return;
    if (root.tagName === "A") fixLink(root);
    Array.prototype.forEach.call(root.querySelectorAll("a[href]"), fixLink);
  }

  new MutationObserver(function (records) {
    records.forEach(function (record) {
      if (record.type === "attributes") fixLink(record.target);
      else Array.prototype.forEach.call(record.addedNodes, fixLinks);
    });
  }).observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ["href"] });

  // A link the observer has not seen yet (made and clicked in one go) is mended as it is followed.
  document.addEventListener(
    "click",
    function (event) {
      var link = event.target && event.target.closest ? event.target.closest("a[href]") : null;
      if (link) fixLink(link);
    },
    true
  );

  /* ---------------------------------------------------------------- videos */

  function explainVideos() {
    Array.prototype.forEach.call(document.querySelectorAll(".course-video__frame"), function (frame) {
      var figure = frame.closest(".course-video");
      var note = document.createElement("p");
      note.className = "course-video__offline";
      note.textContent = t("videoOffline");
      var title = document.createElement("p");
      title.className = "course-video__offline-title";
      title.textContent = (figure && figure.getAttribute("data-title")) || "";
      frame.replaceWith(title, note);
      var next = figure && figure.nextElementSibling;
      while (next && next.tagName !== "FIGURE") {
        if (next.tagName === "DETAILS") {
          next.setAttribute("open", "");
          break;
        }
        next = next.nextElementSibling;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    fixLinks(document.body);
    explainVideos();
  });
})();
