import json
print(json.dumps({"test_metric": 0.5 if open("predictions.csv").read() else 0}))
