/*
 * Printing: a print button on a module, a worksheet and the whole-course page (both views), and on the
 * trainer's printouts (agenda, facilitator guide, run sheets: a place marked data-course-print-label, whose
 * words the page gives), with each link's full address printed after it; every collapsed section (a
 * transcript, a facilitator note) opened while the page prints.
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

  // On paper a link is its address: each link of the content gets its full address, printed after it (CSS).
  function printAddresses() {
    course.all(".md-content a[href]:not(.headerlink)").forEach(function (link) {
      var href = link.getAttribute("href") || "";
      if (href.charAt(0) !== "#" && !link.hasAttribute("download")) link.setAttribute("data-print-url", link.href);
    });
  }

  course.subscribe(function () {
    var printouts = course.all("[data-course-print-label]");
    printouts.forEach(function (place) {
      addPrintButton(place, place.getAttribute("data-course-print-label") || "");
    });
    if (printouts.length) printAddresses();
    var page = course.pageInfo().page;
    addPrintButton(document.querySelector(".course-module-tools"), course.t("printModule"));
    if (page === "worksheet") addPrintButton(document.querySelector(".md-content .course-meta"), course.t("printWorksheet"), true);
    if (page === "print") addPrintButton(document.querySelector(".course-print-title"), course.t("printCourse"), true);
  });
})();
