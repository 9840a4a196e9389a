"""The build: the stages wired together top to bottom (:mod:`.pipeline`), what needs doing again
(:mod:`.cache`, :mod:`.incremental`), the worker processes (:mod:`.parallel`), the handbooks' PDFs
(:mod:`.printing`) and the only writer of ``out/`` (:mod:`.writer`).

Nothing is imported here, so that the no-op check (:func:`handpress.build.cache.unchanged`) stays cheap."""
