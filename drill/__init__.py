"""`make drill`: a database-outage drill against a throwaway PostgreSQL cluster
(see docs/operations.md).

Not part of the application and not part of `make test`: ``drill.run`` orchestrates the cluster,
the app processes and the load; ``drill.analysis`` holds its pure logic (error windows, the
report), which ``tests/test_drill.py`` covers; ``drill.verify`` checks the database afterwards.
"""
