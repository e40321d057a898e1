/* Atelier des bilans: checks each change as it is typed and refreshes the preview; adds,
   removes and moves list rows; writes *italique*, **gras** and [lien](https://…).
   Everything also works without this script, through plain form posts. */
"use strict";
(function () {
  const form = document.getElementById("formulaire");
  if (!form || form.dataset.lecture) return;
  const csrf = form.querySelector("input[name=csrf]").value;
  const status = document.getElementById("etat-apercu");
  const pages = document.getElementById("pages");
  const unsaved = document.getElementById("non-enregistre");
  let timer = null, sequence = 0, dirty = false;

  function changed() {
    if (!dirty) {
      dirty = true;
      unsaved.textContent = "Modifications non enregistrées.";
    }
    schedule();
  }

  document.querySelectorAll(".outils-texte[hidden]").forEach((bar) => { bar.hidden = false; });

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(verify, 250);
  }

  async function verify() {
    const mine = ++sequence;
    const body = new FormData(form);
    body.delete("action");
    let answer;
    try {
      const response = await fetch(form.dataset.verifier, {
        method: "POST", body: body, headers: { "X-CSRF-Token": csrf }, credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      answer = await response.json();
    } catch (error) {
      if (mine === sequence) say("La vérification n’a pas pu se faire ; enregistrez pour vérifier.");
      return;
    }
    if (mine !== sequence) return;   /* a newer change is already on its way */
    showMessages(answer.messages || {});
    showPreview(answer.apercu);
    say(answer.resume);
  }

  function say(text) {
    if (status.textContent !== text) status.textContent = text;
  }

  function showMessages(messages) {
    document.querySelectorAll("[data-pour]").forEach((slot) => {
      const texts = messages[slot.dataset.pour] || [];
      slot.replaceChildren(...texts.map((text) => {
        const line = document.createElement(slot.tagName === "DIV" ? "p" : "span");
        line.textContent = text;
        return line;
      }));
      const field = form.querySelector(`[name="${CSS.escape(slot.dataset.pour)}"]`);
      if (field) {
        if (texts.length) field.setAttribute("aria-invalid", "true");
        else field.removeAttribute("aria-invalid");
      }
    });
  }

  function showPreview(preview) {
    if (!preview || preview.cle === pages.dataset.cle) return;
    const images = [];
    for (let n = 1; n <= preview.pages; n++) {
      const image = new Image(765, 990);
      image.src = `/apercu/${preview.cle}/${n}.jpg`;
      image.alt = `Aperçu du bilan, page ${n} sur ${preview.pages}` + (preview.brouillon ? " (brouillon)" : "");
      images.push(image);
    }
    Promise.all(images.map((image) => image.decode().catch(() => null))).then(() => {
      pages.replaceChildren(...images);
      pages.dataset.cle = preview.cle;
      document.getElementById("texte-apercu").replaceChildren(...preview.texte.map((text) => {
        const paragraph = document.createElement("p");
        paragraph.textContent = text;
        return paragraph;
      }));
    });
  }

  /* ---------------------------------------------------------------- list rows */
  function renumber(list) {
    const name = list.dataset.liste;
    const id = "f-" + name.replace(/[^a-z0-9_]+/g, "-").replace(/^-+|-+$/g, "");
    list.querySelectorAll(":scope > .lignes > .ligne").forEach((row, position) => {
      const before = row.dataset.index, after = String(position + 1);
      if (before === after) return;
      const oldName = `${name}[${before}]`, newName = `${name}[${after}]`;
      const oldId = new RegExp(`^${id}-${before}(?=-|$)`);
      row.querySelectorAll("*").forEach((element) => {
        for (const attribute of ["name", "data-pour", "value"]) {
          const value = element.getAttribute(attribute);
          if (value && value.includes(oldName) && (attribute !== "value" || element.tagName === "BUTTON")) {
            element.setAttribute(attribute, value.replace(oldName, newName));
          }
        }
        for (const attribute of ["id", "for", "data-pour-id"]) {
          const value = element.getAttribute(attribute);
          if (value) element.setAttribute(attribute, value.replace(oldId, `${id}-${after}`));
        }
        const described = element.getAttribute("aria-describedby");
        if (described) {
          element.setAttribute("aria-describedby", described.split(" ")
            .map((part) => part.replace(oldId, `${id}-${after}`)).join(" "));
        }
      });
      row.querySelectorAll(".numero").forEach((number) => { number.textContent = after; });
      row.dataset.index = after;
    });
  }

  function addRow(list) {
    const model = list.querySelector(":scope > template.modele");
    const row = model.content.firstElementChild.cloneNode(true);
    row.dataset.index = "0";
    list.querySelector(":scope > .lignes").appendChild(row);
    row.querySelectorAll(".outils-texte[hidden]").forEach((bar) => { bar.hidden = false; });
    renumber(list);
    row.querySelector("input, textarea").focus();
  }

  function rowAction(button) {
    const row = button.closest(".ligne"), list = row.closest("[data-liste]");
    const verb = button.dataset.ligne;
    if (verb === "retirer") {
      const next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      renumber(list);
      (next ? next.querySelector("input, textarea") : list.querySelector(".ajouter")).focus();
    } else if (verb === "monter" && row.previousElementSibling) {
      row.parentNode.insertBefore(row, row.previousElementSibling);
      renumber(list);
      row.querySelector(`[data-ligne=monter]`).focus();
    } else if (verb === "descendre" && row.nextElementSibling) {
      row.parentNode.insertBefore(row.nextElementSibling, row);
      renumber(list);
      row.querySelector(`[data-ligne=descendre]`).focus();
    } else {
      return;
    }
    status.textContent = "Liste modifiée.";
  }

  /* ---------------------------------------------------------------- rich text */
  function markup(button) {
    const field = document.getElementById(button.closest(".outils-texte").dataset.pourId);
    const start = field.selectionStart, end = field.selectionEnd;
    const chosen = field.value.slice(start, end) || "texte";
    let text;
    if (button.dataset.balise === "italique") text = `*${chosen}*`;
    else if (button.dataset.balise === "gras") text = `**${chosen}**`;
    else {
      const address = window.prompt("Adresse du lien (https://…)", "https://");
      if (!address) return;
      text = `[${chosen}](${address})`;
    }
    field.setRangeText(text, start, end, "select");
    field.focus();
    changed();
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", () => { dirty = false; });
  window.addEventListener("beforeunload", (event) => {
    if (dirty) event.preventDefault();   /* the browser asks before leaving unsaved changes */
  });
  form.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.classList.contains("ajouter")) {
      event.preventDefault();
      addRow(button.closest("[data-liste]"));
      changed();
    } else if (button.dataset.ligne) {
      event.preventDefault();
      rowAction(button);
      changed();
    } else if (button.dataset.balise) {
      event.preventDefault();
      markup(button);
    }
  });
})();
