"""Cohort mode (issue 14): the kit for a study group or a bootcamp on one machine.

Standard pieces, each started, checked for readiness and stopped by the kit, on 127.0.0.1:

- a private PostgreSQL cluster (Debian's postgresql): the nbgrader gradebook, the hub's own
  database and the grading queue's ledger (`services.Postgres`);
- Redis (Debian's redis-server), the broker of the Celery workers that grade one learner x one
  module per job through the kit's own pipeline (`tasks.py`);
- JupyterHub with configurable-http-proxy, each learner a real OS user with their own server
  (`hub.py`);
- nbgrader's exchange with a course id; the kit's modules released as assignments
  (`exchange.py`).

State lives in one folder, `.cohort/state/` in the kit (KIT_COHORT_DIR moves it); the tools the
kit installs (the learners' Python environment, the proxy) live beside it in `.cohort/`.
`python -m autograder cohort up|down|status|release|collect|grade|feedback|export` drives it.
"""
