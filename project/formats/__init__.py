"""How dates and times read in each language of the site: Django's format modules
(settings.FORMAT_MODULE_PATH), so that pages, e-mails and notices share one definition.

Each `<language>/formats.py` sets the names it changes; any name it leaves out comes from Django's
own locale (django/conf/locale/<language>/formats.py), the input formats among them. MOMENT_FORMAT
is ours: a moment on the organisation's clock, which incidents.clocks.display.local_moment follows
with its UTC offset. Every language in settings.LANGUAGES needs one (tests/test_clock_display.py).
"""
