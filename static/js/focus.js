// Where the keyboard focus lands when a page opens (issue 17, item 3). Loaded with defer from
// base.html: a file, not an inline script, because the CSP allows scripts from 'self' only.
//
// A field the server marked with autofocus (the login's e-mail field, the first field with an
// error) keeps the browser's own autofocus. Otherwise the first message of what just happened
// (a save, an organisation switch: base.html's messages) takes the focus, so a screen reader
// reads it at once and the keyboard goes on from there instead of from the top of the page.
"use strict";
{
  if (!document.querySelector("[autofocus]")) {
    const message = document.querySelector("main .messages [role=status]");
    if (message) {
      message.tabIndex = -1;
      message.focus();
    }
  }
}
