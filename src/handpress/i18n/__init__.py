"""Languages: the theme's gettext catalogs (:mod:`.catalogs`), the translation hook that drafts pages
(:mod:`.translate`, segmenting them with :mod:`.segments`) and pseudo-localisation (:mod:`.pseudo`)."""
