"""Decision analysis on the vectorised engine (no UI imports).

- :mod:`.goalseek`: the smallest lever value that meets a target.
- :mod:`.optimize`: the cheapest budget mix that meets every 2030 target and the rules.
- :mod:`.montecarlo`: uncertainty of the assumptions, fan charts and target probabilities.
- :mod:`.sensitivity`: tornado chart and Sobol indices.
- :mod:`.attribution`: the Shapley waterfall between two scenarios.
- :mod:`.batch`: the shared machinery (one scenario's inputs repeated over draws, changed per draw).
- :mod:`.cli`: the ``seek``, ``mc``, ``tornado``, ``optimize`` and ``attribute`` sub-commands.
"""
