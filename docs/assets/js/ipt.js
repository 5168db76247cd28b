// Escape hides an open citation or glossary preview (WCAG 2.2, 1.4.13 "dismissible").
// It shows again the next time the citation gets focus or the pointer.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  for (const cite of document.querySelectorAll(".ipt-cite:hover, .ipt-cite:focus, .ipt-term__link:hover, .ipt-term__link:focus")) {
    cite.classList.add("ipt-cite--dismissed");
  }
});
for (const type of ["mouseleave", "blur"]) {
  document.addEventListener(
    type,
    (event) => {
      if (event.target instanceof Element && event.target.matches(".ipt-cite, .ipt-term__link")) {
        event.target.classList.remove("ipt-cite--dismissed");
      }
    },
    true,
  );
}
