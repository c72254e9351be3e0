// The language switch takes effect on choosing a language: a file, not an inline handler, so
// the Content-Security-Policy needs no 'unsafe-inline'. Without scripts the form's button does it.
document.addEventListener("DOMContentLoaded", () => {
  const select = document.getElementById("language-select");
  if (select) {
    select.addEventListener("change", () => select.form.submit());
  }
});
