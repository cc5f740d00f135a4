"""A bare Django project of its own, the benchmark's ceiling and peers (bench/run.py): one trivial view, a minimal
DRF ListAPIView of 50 rows and a minimal template page of 50 rows over the portal's database, with Django's
default middleware only (as `startproject` writes it), served by the same gunicorn settings as the portal."""
