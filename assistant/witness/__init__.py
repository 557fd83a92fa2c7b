"""A person closes an account by hand in a visible browser; the tool watches and keeps the proof.

Owns `closure-assistant witness`'s core: the toolbar the person talks to (`toolbar.js`), the session
that turns every page, click, dialog, new tab and download into evidence events once the page settles
(`session`), waiting for a page to settle and what to black out (`capture`), the request the final
click sent (`submit_watch`), the site being witnessed (`site`), how it ended (`outcome`), the case it
opens (`case`), the profile draft the walk becomes (`draft`), and one walk from start to finish (`run`).
The tool never clicks, types or navigates for the person (it opens the first page, nothing more) and
makes no request of its own.

May import: `assistant.recording`, `assistant.evidence`, `assistant.cases`, `assistant.driving`,
`assistant.profiles` and the foundation modules.
"""
