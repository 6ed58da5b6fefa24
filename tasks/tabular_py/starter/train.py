"""Trains a churn classifier and reports its validation accuracy.

Reads the hyperparameters from params.json, trains on data/train.csv and
writes its predictions for data/valid_features.csv to valid_predictions.csv and
for data/test_features.csv to predictions.csv. The harness scores them (the
validation labels are not in the workspace).
"""
import json

import pandas as pd
from sklearn.ensemble import RandomForestClassifier

FEATURES = ["tenure_months", "monthly_charges", "support_calls", "contract_length",
            "data_usage_gb", "late_payments", "num_devices", "satisfaction_score"]
TARGET = "churned"


def main():
    with open("params.json") as f:
        params = json.load(f)
    train = pd.read_csv("data/train.csv")
    valid = pd.read_csv("data/valid_features.csv")
    test = pd.read_csv("data/test_features.csv")
    model = RandomForestClassifier(n_estimators=params["n_estimators"],
                                   max_depth=params["max_depth"],
                                   min_samples_leaf=params["min_samples_leaf"],
                                   random_state=0)
    model.fit(train[FEATURES], train[TARGET])
    pd.DataFrame({"prediction": model.predict(valid[FEATURES])}).to_csv("valid_predictions.csv",
                                                                          index=False)
    pd.DataFrame({"prediction": model.predict(test[FEATURES])}).to_csv("predictions.csv",
                                                                         index=False)


if __name__ == "__main__":
    main()
