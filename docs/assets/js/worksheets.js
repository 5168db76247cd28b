// Fillable worksheets: what a reader types is kept in this browser's localStorage, per
// page and field, and never sent anywhere (this script makes no network requests).
// The Print and Clear buttons stay hidden unless this script runs.
(() => {
  const fields = document.querySelectorAll(
    "[data-worksheet] input, [data-worksheet] textarea",
  );
  const tools = document.querySelector(".ipt-worksheet-tools");
  if (!fields.length || !tools) return;
  const status = tools.querySelector(".ipt-worksheet-status");
  const prefix = `ipt-worksheet:${location.pathname}:`;

  const say = (message) => {
    if (status) status.textContent = message;
  };
  const store = (() => {
    try {
      const probe = `${prefix}probe`;
      localStorage.setItem(probe, "1");
      localStorage.removeItem(probe);
      return localStorage;
    } catch {
      return null; // storage switched off: the page still works, it just forgets
    }
  })();

  for (const field of fields) {
    const key = prefix + field.id;
    if (store) field.value = store.getItem(key) ?? "";
    field.addEventListener("input", () => {
      if (!store) return;
      if (field.value) store.setItem(key, field.value);
      else store.removeItem(key);
      say("Saved in this browser.");
    });
  }

  tools.querySelector("[data-worksheet-action='print']").addEventListener("click", () => {
    window.print();
  });
  tools.querySelector("[data-worksheet-action='clear']").addEventListener("click", () => {
    if (!window.confirm("Clear everything you typed on this page?")) return;
    for (const field of fields) {
      field.value = "";
      if (store) store.removeItem(prefix + field.id);
    }
    say("Your answers are cleared.");
  });
  // Printing shows everything typed: each answer box grows to its text, then shrinks back.
  // (Browsers that know the CSS field-sizing property do this already; this covers the rest.)
  const grown = new Map();
  window.addEventListener("beforeprint", () => {
    for (const field of document.querySelectorAll("[data-worksheet] textarea")) {
      grown.set(field, field.style.height);
      field.style.height = `${field.scrollHeight + 4}px`;
    }
  });
  window.addEventListener("afterprint", () => {
    for (const [field, height] of grown) field.style.height = height;
    grown.clear();
  });
  if (!store) say("This browser is not saving your answers. Print them before you leave.");
  tools.hidden = false;
})();
