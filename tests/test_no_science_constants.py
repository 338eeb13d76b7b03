"""No science constant outside ``stridewise.science`` (issue 9).

Banister coefficients, the WHO 2:1 rule, default RPEs, GRF tables, the Tanaka formula, assumed
resting heart rate, default cadence and speed, the ACWR flag: each lives once, in ``science/``,
with its source and evidence grade. This test walks the syntax tree of every other module and
fails on any module-level numeric constant (an int or float literal, arithmetic on literals, or
a tuple/list/set/dict holding one) that is not in ``ALLOWED``: limits and settings of the app
itself, each with the reason it is not science. A new science value belongs in ``science/``; a
new app limit is added here with its one-line reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

import stridewise

PACKAGE = Path(stridewise.__file__).parent

#: ``module path (relative to src/stridewise):NAME`` -> why this is an app limit, not science.
ALLOWED: dict[str, str] = {
    # Units and file formats: definitions, not findings.
    "cli/data_inputs.py:METRES_PER_MILE": "unit definition (international mile)",
    "ingest/csvlog.py:METRES_PER_MILE": "unit definition (international mile)",
    "plan/model.py:MILE_M": "unit definition (international mile)",
    "present/format.py:MI_M": "unit definition (international mile)",
    "present/trend_charts.py:PARTIAL_OPACITY": "display: how light the unfinished week's bar is",
    "server/accounts.py:MAX_FAILURES_PER_ACCOUNT": "server: failed sign-ins per account per window",
    "server/accounts.py:MAX_FAILURES_PER_ADDRESS": "server: failed sign-ins per address per window",
    "server/accounts.py:MIN_PASSWORD_LENGTH": "server: shortest password (NIST SP 800-63B: 8+)",
    "server/accounts.py:MAX_PASSWORD_LENGTH": "server: longest password hashed (bounds work)",
    "server/pages.py:TONE_RANK": "roster display order of the core's warning tones",
    "server/pages.py:NOTHING_RANK": "roster display order: rows with nothing to say last",
    "summary.py:EARTH_RADIUS_M": "geodesy constant (mean Earth radius) for GPS distances",
    "fit/encode.py:PROTOCOL_VERSION": "FIT file-format protocol number",
    "fit/encode.py:PROFILE_VERSION": "FIT file-format profile number",
    "fit/encode.py:DEVELOPMENT_MANUFACTURER": "FIT manufacturer id for development",
    "fit/encode.py:DEG_TO_SEMICIRCLE": "FIT coordinate unit conversion",
    "fit/profile.py:FIT_EPOCH_S": "FIT epoch (1989-12-31) in Unix seconds",
    "fit/profile.py:MIN_ABSOLUTE_DATE_TIME": "FIT format: smallest absolute timestamp",
    "fit/profile.py:FILE_TYPE": "FIT enum values",
    "fit/profile.py:EVENT": "FIT enum values",
    "fit/profile.py:EVENT_TYPE": "FIT enum values",
    "fit/profile.py:INTENSITY": "FIT enum values",
    "fit/profile.py:WKT_STEP_DURATION": "FIT enum values",
    "fit/profile.py:WKT_STEP_TARGET": "FIT enum values",
    "ingest/fit.py:SEMICIRCLE_DEG": "FIT coordinate unit conversion",
    "ingest/fit.py:TRANSITION": "FIT enum value (sport: transition)",
    "ingest/fit.py:ACTIVITY_FILE": "FIT enum value (file type: activity)",
    "ingest/fit.py:TIMER_EVENT": "FIT enum value (event: timer)",
    "importer_exports.py:_HASH_CHUNK_BYTES": "read size when hashing an export",
    "ingest/apple_health.py:HR_JOIN_S": "how near a heart-rate sample must be to join a workout",
    "ingest/apple_health.py:_PROGRESS_EVERY_BYTES": "how often the byte progress is reported",
    "ingest/apple_health.py:_CHUNK_BYTES": "read size of the streaming parser",
    "ingest/apple_health.py:_MAX_NAMED_UNKNOWN": "how many unknown record types the report names",
    "ingest/apple_health.py:_LENGTH_M": "unit conversions of HealthKit units to metres",
    "ingest/apple_health.py:_SPEED_MPS": "unit conversions of HealthKit units to m/s",
    "ingest/apple_health.py:_MASS_KG": "unit conversions of HealthKit units to kg",
    "ingest/apple_health.py:_DURATION_S": "unit conversions of HealthKit units to seconds",
    "ingest/exports.py:_PEEK_BYTES": "bytes read to recognise an export",
    "ingest/exports.py:MAX_ROUTE_BYTES": "app limit: one workout route file",
    "ingest/platform_exports.py:MAX_JSON_BYTES": "app limit: one JSON file of a platform export",
    "web/deps.py:MAX_DB_ID": "largest id the database can hold (signed 64-bit)",
    "web/security.py:MAX_BODY_BYTES": "app limit: request body size (docs/web.md)",
    "series/frames.py:CALENDAR_YEARS": "calendar window for rows stored before validation",
    "cohort/dataset.py:BIRTH_YEAR_BAND_Y": "de-identification: birth years leave as 5-year bands",
    "cohort/dataset.py:BAND_MIDDLE_Y": "de-identification: the band's middle year stands for it",
    "cohort/export.py:SHIFT_MAX_WEEKS": "de-identification: largest keyed date shift, weeks",
    "cohort/export.py:MIN_KEY_BYTES": "security: shortest pseudonymisation key accepted",
    "plan/goals.py:MIN_STRENGTH_S": "plan rule: shortest useful strength session (docs/plans.md)",
    "plan/goals.py:MIN_BALANCE_S": "plan rule: shortest useful balance session (docs/plans.md)",
    "plan/goals.py:MIN_WALK_S": "plan rule: shortest useful walk (docs/plans.md)",
    "plan/goals.py:MAX_WALK_S": "plan rule: longest planned walk (docs/plans.md)",
    "plan/goals.py:MIN_IMPACT_S": "plan rule: shortest useful impact session (docs/plans.md)",
    "plan/goals.py:BONE_STRENGTH_PER_WEEK": "plan rule: strength days a week (TFTF, docs/plans.md)",
    "plan/goals.py:BONE_STRENGTH_MIN": "plan rule: fewest strength days a week (docs/plans.md)",
    "plan/goals.py:MIN_WALKS": "plan rule: fewest walks a week in a bone plan",
    "plan/goals.py:MAX_WALKS": "plan rule: most walks a week in a bone plan",
    "plan/inputs.py:MIN_RECORDED_WALKS": "plan rule: recorded walks needed to trust them",
    "plan/inputs.py:DEFAULT_WALK_MIN": "plan rule: walk length when nothing is known",
    "plan/inputs.py:DEFAULT_WALKS_PER_WEEK": "plan rule: walks a week when nothing is known",
    "plan/inputs.py:MIN_DEVICE_DAYS": "plan rule: days a phone counted steps before they are "
                                      "trusted for the walking baseline",
    "plan/inputs.py:WALKING_DAY_MIN": "plan rule: a walking day's minutes (the IPAQ short "
                                      "form's 10-minute bout, as the screening asks)",
    "ingest/csvlog.py:MAX_ROWS": "app limit: rows in one session CSV (docs/design.md)",
    "ingest/csvlog.py:PROGRESS_EVERY": "how often the row progress is reported",
    "ingest/parallel.py:WATCHDOG_S": "how often a worker checks that its parent lives",
    "ingest/parallel.py:_PR_SET_PDEATHSIG": "Linux prctl option number",
    "sanitise.py:MAX_RECORDS": "app limit: records in one recording (48 h at 1 Hz, with room)",
    "sanitise.py:DISTANCE_BACK_TOLERANCE_M": "data cleaning: rounding of cumulative distance",
    "sanitise.py:DISTANCE_SLACK_M": "data cleaning: watches catch up 30-34 m in one second",
    "sanitise.py:DISTANCE_GLITCH_MAX": "data cleaning: few enough bad samples to drop",
    "fit/walk.py:END": "FIT header walk: a result code of the compiled walk",
    "fit/walk.py:DEFINITION": "FIT format: definition-message header bit",
    "fit/walk.py:UNDEFINED": "FIT header walk: a result code of the compiled walk",
    "fit/walk.py:TRUNCATED": "FIT header walk: a result code of the compiled walk",
    "fit/walk.py:_python_walk_s": "time spent in the Python walk (switch to the compiled one)",
    "fit/walk.py:COMPILE_AFTER_S": "when compiling the walk pays off (docs/design.md)",
    "series/daily.py:FUSED_MIN_SESSIONS": "speed: when the compiled daily pass pays off",
    "series/fused.py:MAX_SEQUENTIAL_SESSIONS": "exactness: NumPy sums 8+ terms pairwise",
    "core/derived_cache.py:MAX_BYTES": "memory bound of the per-process derived-data cache",
    "core/derived_cache.py:OTHER_BYTES": "size counted for a cached value that is not a frame",
    "ingest/xmlfast.py:_T_AT": "character offsets in an ISO 8601 time",
    "ingest/xmlfast.py:_TCX_GROUP_OF_FIELD": "regex groups of the TCX trackpoint pattern",
    "ingest/fit.py:TIMER_START": "FIT enum value (event type: start)",
    # Safety limits on input files and archives.
    "ingest/__init__.py:MAX_FILE_BYTES": "largest file read (memory safety)",
    "ingest/__init__.py:SNIFF_XML_BYTES": "bytes read to recognise a format",
    "ingest/csvlog.py:MAX_LISTED_ERRORS": "how many bad rows a message lists",
    "ingest/exportindex.py:CSV_FIELD_LIMIT": "CSV parser field limit (memory safety)",
    "ingest/sources.py:MAX_ZIP_DEPTH": "zip-bomb guard",
    "ingest/sources.py:MAX_ZIP_MEMBERS": "zip-bomb guard",
    "ingest/sources.py:MAX_ARCHIVE_TOTAL_BYTES": "zip-bomb guard",
    "ingest/sources.py:MAX_COMPRESSION_RATIO": "zip-bomb guard",
    "ingest/sources.py:_RATIO_CHECK_FROM_BYTES": "zip-bomb guard threshold",
    "ingest/sources.py:_SPOOL_CHUNK_BYTES": "I/O buffer size",
    "ingest/sources.py:_META_JSON_MAX_BYTES": "largest metadata file read",
    "ingest/sources.py:_CSV_PEEK_BYTES": "bytes read to recognise a CSV",
    "ingest/xmlsafe.py:_PROLOG_SCAN_BYTES": "bytes scanned for a DOCTYPE (XML safety)",
    "importer.py:POOL_MIN_FILES": "when parsing in worker processes pays off",
    "web/imports.py:UPLOAD_CHUNK_BYTES": "upload buffer size",
    # Data cleaning: plausibility of recorded samples (device glitches, not physiology).
    "sanitise.py:HEART_RATE_RANGE_BPM": "plausible sensor reading; outside is a glitch",
    "sanitise.py:MAX_GPS_JUMP_SPEED_MPS": "GPS glitch filter",
    "sanitise.py:STRAY_GAP_S": "clock-glitch filter",
    "sanitise.py:STRAY_MAX_RECORDS": "clock-glitch filter",
    "sanitise.py:STRAY_MIN_MAIN_RECORDS": "clock-glitch filter",
    "sanitise.py:MAX_RECORDING_GAP_S": "longest gap inside one recording",
    "summary.py:MAX_MOVING_GAP_S": "moving-time convention: longer gaps are pauses",
    "summary.py:SPARSE_GAP_FACTOR": "moving-time convention for sparse recordings",
    "summary.py:ASCENT_SMOOTHING_S": "altitude signal cleaning (docs/design.md ascent rule)",
    "summary.py:ASCENT_MIN_BAND_M": "altitude signal cleaning: smallest dead band",
    "summary.py:ASCENT_NOISE_FACTOR": "altitude signal cleaning: band from measured noise",
    "summary.py:ASCENT_NOISE_WINDOW_S": "altitude signal cleaning: noise window",
    "store/duplicates.py:DUPLICATE_START_WINDOW_S": "duplicate-file detection tolerance",
    "store/duplicates.py:DUPLICATE_ELAPSED_TOLERANCE": "duplicate-file detection tolerance",
    "store/duplicates.py:DUPLICATE_DISTANCE_TOLERANCE": "duplicate-file detection tolerance",
    "store/duplicates.py:FORMAT_RICHNESS": "which copy of a duplicate to keep",
    "store/engine.py:SQLITE_BUSY_TIMEOUT_MS": "database lock wait",
    "store/engine.py:PG_LOCK_NAMESPACE": "PostgreSQL advisory-lock key",
    "core/validation.py:NOTES_MAX_CHARS": "input limit: the longest typed note",
    # Plan design: the programme's own rules (docs/plans.md), not physiological values.
    "plan/adapt.py:REDUCE_FRACTION": "plan rule: how much a flagged week is cut",
    "plan/adapt.py:MISSED_FRACTION": "plan rule: share of a week that counts as done",
    "plan/adapt.py:CAP_DAYS": "plan rule: days a flag holds the plan",
    "plan/adapt.py:MAX_LISTED_CHANGES": "how many plan changes a message lists",
    "plan/engine.py:MIN_RUN_S": "plan rule: shortest run worth scheduling",
    "plan/engine.py:MIN_SESSION_S": "plan rule: shortest session worth scheduling",
    "plan/engine.py:MIN_RUN_DAY_S": "plan rule: time a run day keeps for its run when a "
    "strength or balance dose shares the day (docs/plans.md)",
    "plan/engine.py:LIGHTER_MARGIN": "plan rule: margin under the lighter-week cap",
    "plan/goals.py:DEFAULT_WEEKS": "plan rule: length of each programme",
    "plan/goals.py:BEGINNER_GROWTH_PER_RUN": "plan rule: progression step",
    "plan/goals.py:LONG_RUN_GROWTH_PER_WEEK": "plan rule: progression step",
    "plan/goals.py:WALK_GROWTH_PER_WEEK": "plan rule: progression step",
    "plan/goals.py:CONTINUOUS_FROM_S": "plan rule: when run/walk becomes a continuous run",
    "plan/goals.py:BOUT_GROWTH_PER_WEEK": "plan rule: progression step",
    "plan/goals.py:BOUT_GROWTH_BELOW_BASE": "plan rule: progression step",
    "plan/goals.py:LIGHTER_SCALE": "plan rule: size of a lighter week",
    "plan/goals.py:PLAIN_STRENGTH_AGE": "plan rule: age from which strength is offered plainly",
    "plan/goals.py:DAILY_25_RUNS": "plan rule: the daily-25 programme's runs per week",
    "plan/goals.py:DAILY_25_BLOCK_START_WEEK": "plan rule: the daily-25 programme's block start",
    "plan/inputs.py:DEFAULT_PACE_MPS": "plan rule: pace used to show distances of planned runs",
    "plan/model.py:SLOT_START_HOUR": "plan calendar: start time of the am/pm slots",
    "plan/model.py:CONTINUOUS_SHARE": "plan rule: share of running that makes one bout",
    "plan/persist.py:SLOT_NUMBER": "database encoding of the slots",
    "plan/service.py:MISSED_LOOKBACK_DAYS": "how far back missed sessions are looked for",
    "plan/templates.py:WARMUP_S": "session template: warm-up length",
    "plan/templates.py:COOLDOWN_S": "session template: cool-down length",
    "plan/templates.py:FIRST_BOUT_S": "session template: first running bout",
    "plan/templates.py:CONTINUOUS_TARGET_S": "session template: the continuous-run goal",
    "plan/templates.py:FIRST_RUN_S": "session template: a first session's running time",
    "plan/templates.py:MAX_WALK_BREAK_S": "session template: longest walk break",
    "plan/templates.py:MIN_LAST_BOUT_S": "session template: shortest final bout",
    # Display and forms.
    "monitor.py:RECENT_DAYS": "how far back a warning looks (the last week shown)",
    "monitor.py:MONOTONY_SHOWN_MAX": "display cap: shown as 'over 10'",
    "report/html.py:PLAN_WEEKS_SHOWN": "how many plan weeks the report prints",
    "web/activities.py:PAGE_SIZE": "list page length",
    "web/activities.py:MAX_PLOT_POINTS": "plot size limit",
    "web/log.py:RPE_WORDS": "answer codes of the CR-10 question (the scale's own labels)",
    "web/today_plan.py:DEFAULT_WEEKDAYS": "form default: suggested training days",
    "web/today_plan.py:DEFAULT_MINUTES": "form default: suggested minutes a day",
    "web/trends.py:RANGES": "chart windows offered",
    "web/render.py:_MAX_PATHS": "app limit: page paths kept per process",
    "store/engine.py:IDLE_PING_S": "app setting: seconds a pooled connection may idle unchecked",
    "server/mail.py:SMTP_TIMEOUT_S": "app setting: seconds to wait for the mail server",
    "server/mail.py:_SCHEMES": "protocol: the standard SMTP ports (25, 587 STARTTLS, 465 TLS)",
    # The demo's invented person.
    "demo.py:DEMO_BIRTH_YEAR": "demo data",
    "demo.py:DEMO_MASS_KG": "demo data",
    "demo.py:DEMO_RESTING_HR_BPM": "demo data",
    "demo.py:DEMO_MAX_HR_BPM": "demo data",
    "demo.py:HISTORY_WEEKS": "demo data",
    "demo.py:RUN_WEEKDAYS": "demo data",
    "demo.py:STRENGTH_WEEKDAYS": "demo data",
    "demo.py:HOME_LAT_DEG": "demo data",
    "demo.py:HOME_LON_DEG": "demo data",
}


def holds_number(node: ast.AST) -> bool:
    """A numeric literal, arithmetic on one, or a container holding one."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, int | float | complex) and not isinstance(node.value, bool)
    if isinstance(node, ast.UnaryOp):
        return holds_number(node.operand)
    if isinstance(node, ast.BinOp):
        return holds_number(node.left) or holds_number(node.right)
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return any(holds_number(e) for e in node.elts)
    if isinstance(node, ast.Dict):
        return any(holds_number(v) for v in node.values)
    return False


def _names(target: ast.AST) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Tuple | ast.List):
        return [n for e in target.elts for n in _names(e)]
    return []


def numeric_constants(source: str) -> list[str]:
    """Names bound at module level to a numeric constant."""
    found = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        if holds_number(value):
            found.extend(n for t in targets for n in _names(t))
    return found


def _outside_science() -> dict[str, list[str]]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.startswith("science/"):
            continue
        names = numeric_constants(path.read_text(encoding="utf-8"))
        if names:
            found[relative] = names
    return found


def test_no_science_constant_outside_science() -> None:
    unexplained = [
        f"{module}:{name}"
        for module, names in _outside_science().items()
        for name in names
        if f"{module}:{name}" not in ALLOWED
    ]
    assert unexplained == [], (
        "numeric constants outside stridewise/science: move science values to science/, or "
        f"allow-list an app limit with its reason: {unexplained}"
    )


def test_every_allowed_name_exists_and_has_a_reason() -> None:
    present = {f"{m}:{n}" for m, names in _outside_science().items() for n in names}
    assert sorted(set(ALLOWED) - present) == []  # a stale entry would hide a future constant
    assert all(reason.strip() for reason in ALLOWED.values())


def test_the_walker_sees_the_shapes_it_must() -> None:
    source = (
        "A = 1\nB: float = -2.5\nC = (0.64, 1.92)\nD = {'male': (0.64, 1.92)}\n"
        "E, F = 208.0, 0.7\nG = 2 ** 31 / 180.0\nH = 'text'\nI = True\nJ = f(3)\n"
    )
    assert numeric_constants(source) == ["A", "B", "C", "D", "E", "F", "G"]
