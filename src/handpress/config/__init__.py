"""The project's configuration: ``handpress.toml`` read into a frozen, declared schema (:mod:`.project`),
the ``[audit]`` table's schema (:mod:`.audit`), the nav and Markdown options (:mod:`.pages`), and an MkDocs
project's ``mkdocs.yml`` read into the same schema (:mod:`.mkdocs`, :mod:`.mkdocs_keys`)."""

from handpress.config.pages import MarkdownOptions, NavEntry

from handpress.config.project import (
                                      CONFIG_NAME,
                                      RTL_LANGUAGES,
                                      HandbookConfig,
                                      HandbookText,
                                      Located,
                                      PdfConfig,
                                      SiteConfig,
                                      SiteText,
                                      TranslateConfig,
                                      check_language,
                                      describe,
                                      languages_only,
                                      load_config,
                                      parse_config,
                                      require_project,
)

__all__ = ["MarkdownOptions", "NavEntry", "CONFIG_NAME", "RTL_LANGUAGES", "HandbookConfig", "HandbookText", "Located", "PdfConfig", "SiteConfig",
           "SiteText", "TranslateConfig", "check_language", "describe", "languages_only", "load_config",
           "parse_config", "require_project"]
