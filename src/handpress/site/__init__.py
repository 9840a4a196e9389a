"""The site stage: content read from ``content/``, parsed and linted Markdown, the site model (pages,
navigation, sections, handbooks), the checks over it, and the pages rendered per variant and language.

Everything here is pure: it reads the Documents it is given and returns values; writing is
:mod:`handpress.build.writer`'s."""
