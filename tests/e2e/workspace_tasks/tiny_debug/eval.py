"""The harness's evaluation of tiny_debug: the score is a function of the
params the run used (recomputed here, not read from the agent's metrics.json);
the test score needs the run's predictions.csv."""
import json

with open("params.json") as f:
    params = json.load(f)
valid = min(0.99, 0.5 + 0.004 * params["width"] * params["depth"])
print(json.dumps({"valid_metric": valid,
                  "test_metric": 0.5 if open("predictions.csv").read() else 0}))
