"""The slice of the FIT profile that stridewise reads and writes.

Numbers and names follow the Garmin FIT SDK profile (21.x); the test suite checks every entry
here against ``garmin_fit_sdk.Profile`` so a typo cannot hide. Only messages and fields that
the importer or the encoders use are listed: the decoder skips everything else unread.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Seconds between the Unix epoch and the FIT epoch (1989-12-31T00:00:00Z).
FIT_EPOCH_S = 631_065_600
#: date_time values below this are seconds since the device powered on, not since the epoch.
MIN_ABSOLUTE_DATE_TIME = 0x10000000


@dataclass(frozen=True)
class BaseType:
    code: int
    name: str
    numpy_code: str  # NumPy dtype code without byte order; "S" for strings
    size: int
    invalid: int  # raw invalid sentinel (for floats: the all-ones bit pattern)


BASE_TYPES: dict[int, BaseType] = {
    bt.code & 0x1F: bt
    for bt in (
        BaseType(0x00, "enum", "u1", 1, 0xFF),
        BaseType(0x01, "sint8", "i1", 1, 0x7F),
        BaseType(0x02, "uint8", "u1", 1, 0xFF),
        BaseType(0x83, "sint16", "i2", 2, 0x7FFF),
        BaseType(0x84, "uint16", "u2", 2, 0xFFFF),
        BaseType(0x85, "sint32", "i4", 4, 0x7FFFFFFF),
        BaseType(0x86, "uint32", "u4", 4, 0xFFFFFFFF),
        BaseType(0x07, "string", "S", 1, 0x00),
        BaseType(0x88, "float32", "f4", 4, 0xFFFFFFFF),
        BaseType(0x89, "float64", "f8", 8, 0xFFFFFFFFFFFFFFFF),
        BaseType(0x0A, "uint8z", "u1", 1, 0x00),
        BaseType(0x8B, "uint16z", "u2", 2, 0x0000),
        BaseType(0x8C, "uint32z", "u4", 4, 0x00000000),
        BaseType(0x0D, "byte", "u1", 1, 0xFF),
        BaseType(0x8E, "sint64", "i8", 8, 0x7FFFFFFFFFFFFFFF),
        BaseType(0x8F, "uint64", "u8", 8, 0xFFFFFFFFFFFFFFFF),
        BaseType(0x90, "uint64z", "u8", 8, 0x0000000000000000),
    )
}
BASE_TYPE_BY_NAME: dict[str, BaseType] = {bt.name: bt for bt in BASE_TYPES.values()}


@dataclass(frozen=True)
class FieldSpec:
    """One profile field. Decoded value = raw / scale - offset (the FIT convention)."""

    number: int
    name: str
    base_type: str
    scale: float = 1.0
    offset: float = 0.0
    is_time: bool = False  # a date_time: seconds since FIT_EPOCH_S (or device-relative)


@dataclass(frozen=True)
class MessageSpec:
    number: int
    name: str
    fields: tuple[FieldSpec, ...]

    def field(self, name: str) -> FieldSpec:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no field {name!r}")


def _f(
    number: int, name: str, base_type: str, scale: float = 1.0, offset: float = 0.0
) -> FieldSpec:
    return FieldSpec(number, name, base_type, scale, offset)


def _t(number: int, name: str) -> FieldSpec:
    return FieldSpec(number, name, "uint32", is_time=True)


TIMESTAMP = _t(253, "timestamp")
MESSAGE_INDEX = _f(254, "message_index", "uint16")

MESSAGES: dict[int, MessageSpec] = {
    m.number: m
    for m in (
        MessageSpec(0, "file_id", (
            _f(0, "type", "enum"), _f(1, "manufacturer", "uint16"), _f(2, "product", "uint16"),
            _f(3, "serial_number", "uint32z"), _t(4, "time_created"),
            _f(8, "product_name", "string"),
        )),
        MessageSpec(12, "sport", (
            _f(0, "sport", "enum"), _f(1, "sub_sport", "enum"), _f(3, "name", "string"),
        )),
        MessageSpec(18, "session", (
            TIMESTAMP, MESSAGE_INDEX, _t(2, "start_time"),
            _f(5, "sport", "enum"), _f(6, "sub_sport", "enum"),
            _f(7, "total_elapsed_time", "uint32", 1000), _f(8, "total_timer_time", "uint32", 1000),
            _f(9, "total_distance", "uint32", 100),
            _f(16, "avg_heart_rate", "uint8"), _f(17, "max_heart_rate", "uint8"),
            _f(18, "avg_cadence", "uint8"), _f(20, "avg_power", "uint16"),
            _f(22, "total_ascent", "uint16"),
            _f(25, "first_lap_index", "uint16"), _f(26, "num_laps", "uint16"),
            _f(92, "avg_fractional_cadence", "uint8", 128),
        )),
        MessageSpec(19, "lap", (
            TIMESTAMP, MESSAGE_INDEX, _t(2, "start_time"),
            _f(7, "total_elapsed_time", "uint32", 1000), _f(8, "total_timer_time", "uint32", 1000),
            _f(9, "total_distance", "uint32", 100), _f(25, "sport", "enum"),
            _f(39, "sub_sport", "enum"),
        )),
        MessageSpec(20, "record", (
            TIMESTAMP,
            _f(0, "position_lat", "sint32"), _f(1, "position_long", "sint32"),
            _f(2, "altitude", "uint16", 5, 500), _f(3, "heart_rate", "uint8"),
            _f(4, "cadence", "uint8"), _f(5, "distance", "uint32", 100),
            _f(6, "speed", "uint16", 1000), _f(7, "power", "uint16"),
            _f(8, "compressed_speed_distance", "byte"),
            _f(53, "fractional_cadence", "uint8", 128),
            _f(73, "enhanced_speed", "uint32", 1000),
            _f(78, "enhanced_altitude", "uint32", 5, 500),
        )),
        MessageSpec(21, "event", (
            TIMESTAMP, _f(0, "event", "enum"), _f(1, "event_type", "enum"),
            _f(3, "data", "uint32"), _f(4, "event_group", "uint8"),
        )),
        MessageSpec(23, "device_info", (
            TIMESTAMP, _f(0, "device_index", "uint8"), _f(1, "device_type", "uint8"),
            _f(2, "manufacturer", "uint16"), _f(3, "serial_number", "uint32z"),
            _f(4, "product", "uint16"), _f(5, "software_version", "uint16", 100),
            _f(27, "product_name", "string"),
        )),
        MessageSpec(26, "workout", (
            _f(4, "sport", "enum"), _f(5, "capabilities", "uint32z"),
            _f(6, "num_valid_steps", "uint16"), _f(8, "wkt_name", "string"),
            _f(11, "sub_sport", "enum"),
        )),
        MessageSpec(27, "workout_step", (
            MESSAGE_INDEX, _f(0, "wkt_step_name", "string"), _f(1, "duration_type", "enum"),
            _f(2, "duration_value", "uint32"), _f(3, "target_type", "enum"),
            _f(4, "target_value", "uint32"), _f(5, "custom_target_value_low", "uint32"),
            _f(6, "custom_target_value_high", "uint32"), _f(7, "intensity", "enum"),
            _f(8, "notes", "string"),
        )),
        MessageSpec(34, "activity", (
            TIMESTAMP, _f(0, "total_timer_time", "uint32", 1000), _f(1, "num_sessions", "uint16"),
            _f(2, "type", "enum"), _f(3, "event", "enum"), _f(4, "event_type", "enum"),
            _t(5, "local_timestamp"),
        )),
        MessageSpec(78, "hrv", (_f(0, "time", "uint16", 1000),)),
        MessageSpec(162, "timestamp_correlation", (
            TIMESTAMP, _t(1, "system_timestamp"), _t(3, "local_timestamp"),
        )),
        MessageSpec(206, "field_description", (
            _f(0, "developer_data_index", "uint8"), _f(1, "field_definition_number", "uint8"),
            _f(2, "fit_base_type_id", "uint8"), _f(3, "field_name", "string"),
            _f(8, "units", "string"),
        )),
        MessageSpec(207, "developer_data_id", (
            _f(3, "developer_data_index", "uint8"), _f(4, "application_version", "uint32"),
        )),
    )
}
MESSAGE_BY_NAME: dict[str, MessageSpec] = {m.name: m for m in MESSAGES.values()}

SPORT: dict[int, str] = {
    0: "generic", 1: "running", 2: "cycling", 3: "transition", 4: "fitness_equipment",
    5: "swimming", 10: "training", 11: "walking", 12: "cross_country_skiing", 15: "rowing",
    16: "mountaineering", 17: "hiking", 18: "multisport", 19: "paddling", 21: "e_biking",
}
SUB_SPORT: dict[int, str] = {
    0: "generic", 1: "treadmill", 2: "street", 3: "trail", 4: "track", 5: "spin",
    6: "indoor_cycling", 7: "road", 8: "mountain", 11: "cyclocross", 13: "track_cycling",
    17: "lap_swimming", 18: "open_water", 20: "strength_training", 26: "cardio_training",
    27: "indoor_walking", 30: "casual_walking", 31: "speed_walking", 45: "indoor_running",
    46: "gravel_cycling", 58: "virtual_activity",
}
#: FIT sport name -> stridewise sport (activity.SPORTS); unknown ones become "other".
SPORT_TO_STRIDEWISE: dict[str, str] = {
    "running": "run", "walking": "walk", "hiking": "hike", "mountaineering": "hike",
    "cycling": "ride", "e_biking": "ride", "swimming": "swim",
}
SUB_SPORT_TO_STRIDEWISE: dict[str, str] = {"strength_training": "strength"}

MANUFACTURER: dict[int, str] = {
    1: "Garmin", 23: "Suunto", 32: "Wahoo", 70: "Sigma", 95: "Stryd", 255: "Development",
    260: "Zwift", 263: "Favero", 265: "Strava", 267: "Bryton", 289: "Hammerhead", 294: "COROS",
    339: "Zepp", 348: "Huawei",
}
GARMIN_MANUFACTURERS = frozenset({1, 15, 13})  # garmin, dynastream, dynastream_oem
GARMIN_PRODUCT: dict[int, str] = {
    1765: "Forerunner 920XT", 1903: "Forerunner 15", 1967: "fenix 2", 2067: "Edge 520",
    2148: "Forerunner 25", 2156: "Forerunner 630", 2158: "Forerunner 735XT",
    2431: "Forerunner 235", 2544: "fenix 5S", 2691: "Forerunner 935", 2697: "fenix 5",
    2700: "vivoactive 3", 2886: "Forerunner 645", 2888: "Forerunner 645 Music",
    3011: "Edge Explore", 3076: "Forerunner 245", 3113: "Forerunner 945", 3226: "Venu",
    3282: "Forerunner 45", 3290: "fenix 6", 3589: "Forerunner 745", 3638: "Enduro",
    3652: "Forerunner 945 LTE", 3703: "Venu 2", 3869: "Forerunner 55", 3905: "fenix 7S",
    3906: "fenix 7", 3907: "fenix 7X", 3990: "Forerunner 255 Music", 3992: "Forerunner 255",
    4024: "Forerunner 955", 4169: "Edge Explore 2", 4260: "Venu 3", 4315: "Forerunner 965",
    4341: "Enduro 2", 4426: "vivoactive 5", 4432: "Forerunner 165", 4536: "fenix 8",
    4565: "Forerunner 970",
}

FILE_TYPE: dict[str, int] = {"activity": 4, "workout": 5}
EVENT: dict[str, int] = {"timer": 0, "lap": 9, "session": 8, "activity": 26}
EVENT_TYPE: dict[str, int] = {"start": 0, "stop": 1, "stop_all": 4}
INTENSITY: dict[str, int] = {
    "active": 0, "rest": 1, "warmup": 2, "cooldown": 3, "recovery": 4, "interval": 5, "other": 6,
}
WKT_STEP_DURATION: dict[str, int] = {
    "time": 0, "distance": 1, "open": 5, "repeat_until_steps_cmplt": 6,
}
WKT_STEP_TARGET: dict[str, int] = {"speed": 0, "heart_rate": 1, "open": 2}
