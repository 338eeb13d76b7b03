"""The system of record: SQLAlchemy 2 models, Alembic migrations, a typed repository API, and
raw files kept content-addressed beside the database.

    store = open_store()                      # or open_store("postgresql+psycopg://...")
    athlete_id = store.default_athlete_id()
    with store.transaction() as tx:           # one all-or-nothing transaction
        tx.add_activity(athlete_id, activity, source_sha256=digest)
"""

from stridewise.store.core import DEFAULT_ATHLETE, Store, Tx, open_store
from stridewise.store.raw import RawFileStore, sha256_hex
from stridewise.store.repo_people import CheckInInput

__all__ = [
    "DEFAULT_ATHLETE",
    "CheckInInput",
    "RawFileStore",
    "Store",
    "Tx",
    "open_store",
    "sha256_hex",
]
