"""Languages: which one a patient reads (negotiation, the current locale) and the per-locale text catalogs."""

from backend.i18n.catalogs import CATALOGS, LOCALES_DIR, catalog, locale_file
from backend.i18n.current import current_locale, set_locale, use_locale
from backend.i18n.negotiate import DEFAULT_LANGUAGE, LANGUAGES, best_match, normalize

__all__ = [
    "CATALOGS",
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "LOCALES_DIR",
    "best_match",
    "catalog",
    "current_locale",
    "locale_file",
    "normalize",
    "set_locale",
    "use_locale",
]
