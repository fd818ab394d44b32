"""NQ57 scenario simulator: the model core (no UI imports).

The public entry points are :func:`sim.engine.run` (one scenario) and :func:`sim.engine.project`
(many parameter draws at once), :func:`sim.scenario.load_scenario` and :func:`sim.profiles.load_profile`.
"""

__version__ = "0.1.0"
MODEL_NAME = "NQ57 simulator"
