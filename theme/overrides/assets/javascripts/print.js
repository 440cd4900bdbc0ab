/*
 * Printing: a print button on a module, a worksheet and the whole-course page (both views), and
 * every collapsed section (a transcript, a facilitator note) opened while the page prints.
 */
(function () {
  "use strict";

  var course = window.course;
  if (!course || !course.feature("print")) return;

  var openedForPrint = [];

  window.addEventListener("beforeprint", function () {
    course.all("details:not([open])").forEach(function (details) {
      details.setAttribute("open", "");
      openedForPrint.push(details);
    });
  });

  window.addEventListener("afterprint", function () {
    openedForPrint.forEach(function (details) {
      details.removeAttribute("open");
    });
    openedForPrint = [];
  });

  // A print button inside `where`, or in a paragraph of its own after it.
  function addPrintButton(where, text, after) {
    if (!where || !course.once(where, "print")) return;
    var print = course.button(text, "course-print-button");
    print.addEventListener("click", function () {
      window.print();
    });
    if (after) where.after(course.make("p", { class: "course-print-action" }, [print]));
    else where.appendChild(print);
  }

  course.subscribe(function () {
    var page = course.pageInfo().page;
    addPrintButton(document.querySelector(".course-module-tools"), course.t("printModule"));
    if (page === "worksheet") addPrintButton(document.querySelector(".md-content .course-meta"), course.t("printWorksheet"), true);
    if (page === "print") addPrintButton(document.querySelector(".course-print-title"), course.t("printCourse"), true);
  });
})();
