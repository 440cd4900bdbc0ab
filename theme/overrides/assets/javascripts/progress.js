/*
 * Progress (participant view): the "done" toggle at the end of a module, a ✓ after each done module
 * in the menu and on the home page, the count of done modules and where to continue.
 *
 * course.progress holds the stored progress for the other features (the journal page's tools):
 *   course-progress/<course>  {"done": [module ids], "last": {"module", "title"}}
 */
(function () {
  "use strict";

  var course = window.course;
  if (!course || !course.feature("progress")) return;
  var make = course.make;
  var all = course.all;
  var t = course.t;

  /* ---------------------------------------------------------------- stored progress */

  function progressKey(slug) {
    return "course-progress/" + encodeURIComponent(slug);
  }

  function readProgress(slug) {
    var value = course.readJSON(progressKey(slug), {});
    var done = Array.isArray(value.done) ? value.done.filter(function (id) { return typeof id === "string"; }) : [];
    var last = value.last && typeof value.last.module === "string" ? value.last : null;
    return { done: done, last: last };
  }

  function writeProgress(slug, progress) {
    return course.store.set(progressKey(slug), JSON.stringify(progress));
  }

  function setDone(slug, module, done) {
    var progress = readProgress(slug);
    progress.done = progress.done.filter(function (id) { return id !== module; });
    if (done) progress.done.push(module);
    return writeProgress(slug, progress);
  }

  function rememberModule(slug, module) {
    var title = course.headingText(document.querySelector(".md-content h1"));
    var progress = readProgress(slug);
    progress.last = { module: module, title: title };
    writeProgress(slug, progress);
  }

  /* ---------------------------------------------------------------- on the page */

  function mountModuleEnd(end) {
    if (!course.once(end, "ready")) return;
    var slug = end.getAttribute("data-course") || "";
    var module = end.getAttribute("data-module") || "";
    var toggle = course.button(t("doneToggle"), "course-done-toggle");
    var icon = make("span", { class: "course-done-toggle__icon", "aria-hidden": "true", text: "✓" });
    toggle.insertBefore(icon, toggle.firstChild);
    var status = make("p", { class: "course-module-end__status", role: "status" });
    var render = function (announce) {
      var done = readProgress(slug).done.indexOf(module) !== -1;
      toggle.setAttribute("aria-pressed", done ? "true" : "false");
      if (announce) status.textContent = t(done ? "doneMarked" : "doneUnmarked");
    };
    toggle.addEventListener("click", function () {
      var done = toggle.getAttribute("aria-pressed") !== "true";
      if (!setDone(slug, module, done)) course.showStorageProblem();
      render(true);
      markNavigation(slug);
    });
    render(false);
    var alert = make("p", { class: "course-storage-alert course-warning", hidden: "" });
    end.replaceChildren(toggle, status, alert);
  }

  // A ✓ after each done module in the site navigation, with words for screen readers.
  function markNavigation(slug) {
    var done = readProgress(slug).done;
    var paths = {};
    done.forEach(function (module) {
      paths[course.moduleURL(module).pathname] = true;
    });
    all(".course-nav-done").forEach(function (mark) {
      mark.remove();
    });
    all(".md-nav--primary .md-nav__link").forEach(function (link) {
      if (link.closest(".md-nav--secondary")) return; // the table of contents inside the navigation
      if (link.parentNode.classList.contains("md-nav__item--nested")) return; // a section of modules, not one
      var target = link;
      if (link.tagName === "LABEL") {
        target = link.parentNode && link.parentNode.querySelector(":scope > a.md-nav__link");
        if (!target) return;
      } else if ((link.getAttribute("href") || "").charAt(0) === "#") {
        return;
      }
      if (!paths[new URL(target.href, location.href).pathname]) return;
      var where = link.querySelector(".md-ellipsis") || link;
      where.appendChild(
        make("span", { class: "course-nav-done" }, [
          make("span", { "aria-hidden": "true", text: " ✓" }),
          make("span", { class: "course-sr-only", text: t("doneInMenu") })
        ])
      );
    });
  }

  function mountProgressSummary(summary) {
    var slug = summary.getAttribute("data-course") || "";
    var modules = (summary.getAttribute("data-modules") || "").split(/\s+/).filter(Boolean);
    var progress = readProgress(slug);
    var count = modules.filter(function (id) { return progress.done.indexOf(id) !== -1; }).length;
    var titleOf = function (module) {
      var path = course.moduleURL(module).pathname;
      var link = all(".course-module-list a").filter(function (a) {
        return new URL(a.href, location.href).pathname === path;
      })[0];
      return link ? course.plainText(link) : "";
    };
    var children = [
      make("p", { class: "course-progress-summary__count", id: "course-progress-count" }, [
        make("strong", { text: t("progressCount", { count: count, total: modules.length }) })
      ]),
      make("progress", {
        class: "course-progress-summary__bar",
        max: String(modules.length || 1),
        value: String(count),
        "aria-labelledby": "course-progress-count"
      })
    ];
    var last = progress.last && modules.indexOf(progress.last.module) !== -1 ? progress.last.module : "";
    var next = last || modules[0];
    if (next) {
      var link = make("a", {
        class: "course-continue",
        href: course.moduleURL(next).href,
        text: titleOf(next) || (progress.last && progress.last.title) || next
      });
      children.push(make("p", { class: "course-progress-summary__continue" }, course.tNodes(last ? "progressContinue" : "progressStart", { link: link })));
    }
    children.push(make("p", { class: "course-meta", text: t("progressKept") }));
    summary.replaceChildren.apply(summary, children);
  }

  function markStatuses() {
    all(".course-status").forEach(function (status) {
      var progress = readProgress(status.getAttribute("data-course") || "");
      var module = status.getAttribute("data-module");
      status.replaceChildren();
      status.classList.remove("course-status--done", "course-status--last");
      if (progress.done.indexOf(module) !== -1) {
        status.classList.add("course-status--done");
        status.appendChild(make("span", { "aria-hidden": "true", text: "✓ " }));
        status.appendChild(document.createTextNode(t("statusDone")));
      } else if (progress.last && progress.last.module === module) {
        status.classList.add("course-status--last");
        status.textContent = t("statusLast");
      }
    });
  }

  // Everything progress shows on the page, drawn again from storage.
  function showProgress() {
    markStatuses();
    all(".course-progress-summary").forEach(mountProgressSummary);
    var slug = course.pageInfo().course;
    if (slug) markNavigation(slug);
  }

  course.progress = {
    key: progressKey,
    read: readProgress,
    write: writeProgress
  };

  course.on("stored", showProgress);

  course.subscribe(function () {
    var info = course.pageInfo();
    if (info.view !== "participant") return;
    all(".course-module-end").forEach(function (end) {
      mountModuleEnd(end);
      if (info.page === "module") rememberModule(end.getAttribute("data-course") || "", end.getAttribute("data-module") || "");
    });
    all(".course-progress-summary").forEach(mountProgressSummary);
    markStatuses();
    if (info.course) markNavigation(info.course);
    course.showStorageProblem();
  });
})();
