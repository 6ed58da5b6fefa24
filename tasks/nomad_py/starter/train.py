"""Trains a band-gap regressor and reports its validation mean absolute error.

Reads the hyperparameters from params.json, trains on data/train.csv, writes
{"mae": ...} on data/valid.csv to metrics.json and the predictions for
data/test_features.csv to predictions.csv.
"""
import json

import pandas as pd
from sklearn.ensemble import GradientBoostingRegressor

TARGET = "bandgap_energy_ev"


def main():
    with open("params.json") as f:
        params = json.load(f)
    train = pd.read_csv("data/train.csv")
    valid = pd.read_csv("data/valid.csv")
    test = pd.read_csv("data/test_features.csv")
    features = [c for c in train.columns if c != TARGET]
    model = GradientBoostingRegressor(n_estimators=params["n_estimators"],
                                      learning_rate=params["learning_rate"],
                                      max_depth=params["max_depth"],
                                      min_samples_leaf=params["min_samples_leaf"],
                                      random_state=0)
    model.fit(train[features], train[TARGET])
    mae = float((model.predict(valid[features]) - valid[TARGET]).abs().mean())
    print(f"validation mae: {mae:.4f}")
    with open("metrics.json", "w") as f:
        json.dump({"mae": mae}, f)
    pd.DataFrame({"prediction": model.predict(test[features])}).to_csv("predictions.csv",
                                                                         index=False)


if __name__ == "__main__":
    main()
