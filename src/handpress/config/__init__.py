"""The project's configuration: ``handpress.toml`` read into a frozen, declared schema (:mod:`.project`),
the ``[audit]`` table's schema (:mod:`.audit`)."""

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

__all__ = ["CONFIG_NAME", "RTL_LANGUAGES", "HandbookConfig", "HandbookText", "Located", "PdfConfig", "SiteConfig",
           "SiteText", "TranslateConfig", "check_language", "describe", "languages_only", "load_config",
           "parse_config", "require_project"]
