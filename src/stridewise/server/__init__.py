"""The multi-user server (issue 15): accounts, consent-based sharing, roles and audit around
the same pages and API as the local dashboard.

``accounts`` keeps people, links, sessions, tokens, grants and the audit in the database (so
several processes behave as one); ``policy`` is the one place that decides who may do what to
whose data; ``app`` puts a gate in front of :func:`stridewise.web.create_app` that signs the
person in, asks the policy, records the audit and hands the request on for the athlete chosen.
"""
