// Role search box (Streamlit custom component v2): an ARIA combobox whose
// list comes from the server's role search, so a picker finds roles by alias,
// abbreviation and typo ("cheif operating") as the user types.
//
// The typed text goes to the server (state "query") a moment after the last
// key; the server answers with the hits for that text. Enter picks the active
// hit, or, when the hits shown are not yet those of the text typed, sends the
// text itself for the server to resolve, so a fast typist never gets the
// hit of an older query. A click or the arrow keys on a small catalogue's box
// list every role to browse. Text from the data goes in through textContent
// only.

const QUERY_DELAY_MS = 150;
let instances = 0;

function build(parent) {
  instances += 1;
  const id = `role-search-${instances}`;
  const root = document.createElement("div");
  root.className = "rs";
  const label = document.createElement("label");
  label.className = "rs-label";
  label.htmlFor = `${id}-input`;
  const input = document.createElement("input");
  input.id = `${id}-input`;
  input.className = "rs-input";
  input.type = "text";
  input.autocomplete = "off";
  input.spellcheck = false;
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", `${id}-list`);
  const popup = document.createElement("div");
  popup.className = "rs-popup";
  popup.hidden = true;
  const status = document.createElement("div");
  status.className = "rs-status";
  status.setAttribute("aria-live", "polite");
  const list = document.createElement("ul");
  list.id = `${id}-list`;
  list.className = "rs-list";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Matching roles");
  popup.append(status, list);
  root.append(label, input, popup);
  parent.appendChild(root);
  return { root, label, input, popup, list, status, id, typed: null, active: 0, hits: [] };
}

function showValue(box) {
  box.input.value = box.valueLabel ?? "";
}

function close(box) {
  box.popup.hidden = box.status.textContent === "";
  box.input.setAttribute("aria-expanded", "false");
  box.input.removeAttribute("aria-activedescendant");
}

// What the list offers: the hits of the text typed, or, focused with nothing
// typed yet, every role of a small catalogue to browse.
function offered(box) {
  if (box.typed !== null && box.typed.trim() !== "") return box.hits;
  return box.browsing ? box.browse : [];
}

function renderList(box) {
  const { list, input, status } = box;
  const items = offered(box);
  list.replaceChildren();
  items.forEach(([role, text], index) => {
    const option = document.createElement("li");
    option.id = `${box.id}-option-${index}`;
    option.className = "rs-option";
    option.setAttribute("role", "option");
    option.setAttribute("aria-selected", String(index === box.active));
    option.textContent = text;
    // pointerdown, not click: the input's blur would close the list first
    option.addEventListener("pointerdown", (event) => {
      event.preventDefault();
      pick(box, { id: role });
    });
    list.appendChild(option);
  });
  const typing = box.typed !== null && box.typed.trim() !== "";
  const fresh = typing && box.hitsFor === box.typed;
  if (fresh && items.length === 0) {
    status.textContent = "No role matches; try another word.";
  } else {
    status.textContent = fresh && box.suggested ? "No close match; did you mean:" : "";
  }
  if (items.length === 0) {
    close(box);
    return;
  }
  box.popup.hidden = false;
  input.setAttribute("aria-expanded", "true");
  input.setAttribute("aria-activedescendant", `${box.id}-option-${box.active}`);
  list.children[box.active]?.scrollIntoView({ block: "nearest" });
}

function pick(box, choice) {
  box.picks += 1;
  box.typed = null;
  box.browsing = false;
  box.hits = [];
  renderList(box);
  box.setTriggerValue("picked", { ...choice, n: box.picks });
}

function onKey(box, event) {
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    if (box.input.getAttribute("aria-expanded") !== "true") {
      box.browsing = true;
      box.active = 0;
      renderList(box);
      event.preventDefault();
      return;
    }
    event.preventDefault();
    const count = offered(box).length;
    const step = event.key === "ArrowDown" ? 1 : -1;
    box.active = (box.active + step + count) % count;
    renderList(box);
  } else if (event.key === "Enter") {
    const items = offered(box);
    if (box.typed === null) {
      if (box.input.getAttribute("aria-expanded") === "true" && items.length > 0) {
        event.preventDefault();
        pick(box, { id: items[box.active][0] });
      }
      return;
    }
    event.preventDefault();
    const text = box.typed.trim();
    if (text === "") {
      pick(box, { id: null });
    } else if (box.hitsFor === box.typed && items.length > 0) {
      pick(box, { id: items[box.active][0] });
    } else {
      pick(box, { query: text });
    }
  } else if (event.key === "Escape") {
    box.typed = null;
    box.browsing = false;
    renderList(box);
    showValue(box);
  }
}

export default function (component) {
  const { data, parentElement, setStateValue, setTriggerValue } = component;
  let box = parentElement.__roleSearch;
  if (!box) {
    box = build(parentElement);
    box.picks = 0;
    parentElement.__roleSearch = box;
    box.input.addEventListener("input", () => {
      box.typed = box.input.value;
      box.active = 0;
      clearTimeout(box.timer);
      box.timer = setTimeout(() => {
        box.queries = (box.queries ?? 0) + 1;
        box.setStateValue("query", { text: box.typed ?? "", n: box.queries });
      }, QUERY_DELAY_MS);
      renderList(box);
    });
    box.input.addEventListener("keydown", (event) => onKey(box, event));
    box.input.addEventListener("focus", () => box.input.select());
    box.input.addEventListener("pointerdown", () => {
      box.browsing = !box.browsing || box.typed !== null;
      box.active = 0;
      renderList(box);
    });
    box.input.addEventListener("blur", () => {
      box.typed = null;
      box.browsing = false;
      renderList(box);
      showValue(box);
    });
  }
  box.setStateValue = setStateValue;
  box.setTriggerValue = setTriggerValue;
  box.label.textContent = data.label;
  box.input.placeholder = data.placeholder ?? "";
  box.input.disabled = Boolean(data.disabled);
  box.valueLabel = data.value_label ?? "";
  box.hits = data.hits ?? [];
  box.browse = data.browse ?? [];
  box.hitsFor = data.query;
  box.suggested = Boolean(data.suggested);
  box.active = Math.min(box.active, Math.max(offered(box).length - 1, 0));
  if (box.typed === null) {
    showValue(box);
  } else {
    renderList(box);
  }
  return () => {
    clearTimeout(box.timer);
    box.root.remove();
    delete parentElement.__roleSearch;
  };
}
