// The words this script adds to a page come from the page, in its language (main.html).
const iptWords = document.getElementById("ipt-script-words")?.dataset ?? {};

// Previews of citations and glossary terms (WCAG 2.2, 1.4.13 "content on hover or focus").
// A citation link is described by its entry in the page's reference list, and a glossary
// term by its hidden definition (aria-describedby), so screen readers announce both without
// this script. For sighted readers it shows that text in one popover: on hover or keyboard
// focus; it stays while the pointer is over it, and Escape closes it. On a touch screen the
// first tap opens it in place and the popover links on to the full reference.
(() => {
  const TRIGGERS = "a.ipt-cite, a.ipt-term__link";
  const popover = document.createElement("div");
  popover.className = "ipt-popover";
  popover.hidden = true;
  popover.setAttribute("aria-hidden", "true"); // the link's description already says it
  document.body.append(popover);
  let owner = null;
  let hideTimer = 0;

  const describedText = (link) => {
    const target = document.getElementById(link.getAttribute("aria-describedby") || "");
    return target ? target.cloneNode(true) : null;
  };

  const place = (link) => {
    const box = link.getBoundingClientRect();
    popover.style.maxWidth = `${Math.min(448, window.innerWidth - 16)}px`;
    const width = popover.offsetWidth;
    const left = Math.max(8, Math.min(box.left, window.innerWidth - width - 8));
    // Above the line being read when it fits (that text is already read), else below it.
    const above = box.top - popover.offsetHeight - 6;
    const top = above >= 8 ? above : box.bottom + 6;
    popover.style.left = `${left + window.scrollX}px`;
    popover.style.top = `${top + window.scrollY}px`;
  };

  const show = (link, withLink) => {
    const content = describedText(link);
    if (!content) return;
    clearTimeout(hideTimer);
    content.removeAttribute("id");
    content.removeAttribute("hidden");
    popover.replaceChildren(...content.childNodes);
    if (withLink) {
      const more = document.createElement("a");
      more.href = link.getAttribute("href");
      more.className = "ipt-popover__more";
      more.textContent = link.classList.contains("ipt-cite")
        ? iptWords.moreReference
        : iptWords.moreGlossary;
      popover.append(" ", more);
      popover.removeAttribute("aria-hidden");
    } else {
      popover.setAttribute("aria-hidden", "true");
    }
    popover.hidden = false;
    owner = link;
    place(link);
  };

  const hide = () => {
    popover.hidden = true;
    owner = null;
  };
  const hideSoon = () => {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 300);
  };

  document.addEventListener("pointerover", (event) => {
    if (event.pointerType === "touch") return;
    const link = event.target.closest?.(TRIGGERS);
    if (link) show(link, false);
    else if (event.target.closest?.(".ipt-popover")) clearTimeout(hideTimer);
  });
  document.addEventListener("pointerout", (event) => {
    if (event.pointerType === "touch") return;
    if (event.target.closest?.(`${TRIGGERS}, .ipt-popover`)) hideSoon();
  });
  document.addEventListener("focusin", (event) => {
    const link = event.target.closest?.(TRIGGERS);
    if (link && link.matches(":focus-visible")) show(link, false);
  });
  document.addEventListener("focusout", (event) => {
    if (event.target.closest?.(TRIGGERS)) hideSoon();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !popover.hidden) hide();
  });
  // Touch: the first tap on a citation opens its preview here instead of jumping away.
  document.addEventListener("click", (event) => {
    const link = event.target.closest?.(TRIGGERS);
    if (!link) {
      if (!event.target.closest?.(".ipt-popover")) hide();
      return;
    }
    if (matchMedia("(hover: none)").matches && owner !== link) {
      event.preventDefault();
      show(link, true);
    }
  });
  window.addEventListener("resize", () => owner && place(owner));
})();

// A wide table scrolls sideways inside its box on a narrow screen. Keyboard users must be
// able to scroll it too (WCAG 2.1.1), so a box that scrolls becomes a focusable, labelled
// region; one that fits is left alone.
(() => {
  const mark = () => {
    for (const box of document.querySelectorAll(".md-typeset__scrollwrap")) {
      const scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", iptWords.wideTable);
      } else if (!scrolls && box.getAttribute("role") === "region") {
        for (const name of ["tabindex", "role", "aria-label"]) box.removeAttribute(name);
      }
    }
  };
  document.addEventListener("DOMContentLoaded", () => setTimeout(mark, 0));
  window.addEventListener("resize", mark);
})();

// Phones and tablets open the navigation with the header's menu button. Material draws it as
// a <label> for a hidden checkbox: a screen reader finds no name and no button there, and a
// keyboard cannot reach it (WCAG 4.1.2, 2.1.1). The script puts a real button in its place,
// named, in the Tab order, saying whether the menu is open; it works the same checkbox, so
// Material's drawer behaves as before. Without the script the label is still there to tap.
(() => {
  const toggle = document.getElementById("__drawer");
  const label = document.querySelector('.md-header label[for="__drawer"]');
  if (!toggle || !label) return;
  const button = document.createElement("button");
  button.type = "button";
  button.className = `${label.className} ipt-menu-button`;
  button.setAttribute("aria-label", iptWords.menu);
  button.append(...label.childNodes);
  const showState = () => button.setAttribute("aria-expanded", String(toggle.checked));
  button.addEventListener("click", () => {
    toggle.checked = !toggle.checked;
    toggle.dispatchEvent(new Event("change"));
  });
  toggle.addEventListener("change", showState);
  showState();
  label.replaceWith(button);
})();
