// Django admin adds "Note: Enter times in the Europe/Amsterdam timezone (You are 1 hour
// behind)" below every date field when the browser's time zone differs from the server's,
// also below fields that hold a date only (an invoice date, a due date), where there is no
// time to enter. This leaves the note out there, and keeps it where a time is entered: a time
// field, or the date half of a date-and-time field (inside ``p.datetime``).
//
// Loaded with defer from templates/admin/base_site.html, so it runs after the form's media
// (DateTimeShortcuts.js) and before the page's load event, on which DateTimeShortcuts adds the
// calendars and the notes. A file, not an inline script: the CSP allows scripts from 'self'.
"use strict";
{
  const shortcuts = window.DateTimeShortcuts;
  if (shortcuts && typeof shortcuts.addTimezoneWarning === "function") {
    const addTimezoneWarning = shortcuts.addTimezoneWarning;
    shortcuts.addTimezoneWarning = function (input) {
      const dateOnly = input.classList.contains("vDateField") && !input.closest("p.datetime");
      if (!dateOnly) {
        addTimezoneWarning.call(this, input);
      }
    };
  }
}
