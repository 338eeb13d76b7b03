"""The application core: the one place that decides.

Every face (CLI, pages, JSON API, report, server, cohort) parses its input, calls the core, and
renders what the core returns. Rules that decide something (what a valid value is, which
advice applies, what an athlete may see) live here or below, once.
"""
