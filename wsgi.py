"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""

import gc

from backend import create_app

app = create_app()

# Everything start-up made (the app, its catalogs and content, SQLAlchemy's mappers: ~166,000 objects) lives
# as long as the process. Moved out of the collector's reach, it is no longer walked by every full collection,
# which a request that builds many objects (a long dose log) triggers several times (bench/RESULTS.md §10d).
gc.collect()
gc.freeze()
