"""Regenerates the data of tabular_py and debug_py (synthetic churn table).

Usage: python3 make_data.py <task folder> <seed>
Writes starter/data/{train,valid_features,test_features}.csv and
hidden/{valid,test}_labels.csv.
"""
import os
import sys

import numpy as np
import pandas as pd
from sklearn.datasets import make_classification

COLUMNS = ["tenure_months", "monthly_charges", "support_calls", "contract_length",
           "data_usage_gb", "late_payments", "num_devices", "satisfaction_score"]


def main(folder, seed):
    X, y = make_classification(n_samples=1500, n_features=len(COLUMNS), n_informative=5,
                               n_redundant=2, n_clusters_per_class=3, class_sep=0.8,
                               flip_y=0.03, random_state=seed)
    df = pd.DataFrame(np.round(X, 4), columns=COLUMNS)
    df["churned"] = y
    train, valid, test = df.iloc[:900], df.iloc[900:1200], df.iloc[1200:]
    os.makedirs(os.path.join(folder, "starter", "data"), exist_ok=True)
    os.makedirs(os.path.join(folder, "hidden"), exist_ok=True)
    train.to_csv(os.path.join(folder, "starter", "data", "train.csv"), index=False)
    valid[COLUMNS].to_csv(os.path.join(folder, "starter", "data", "valid_features.csv"),
                          index=False)
    valid[["churned"]].to_csv(os.path.join(folder, "hidden", "valid_labels.csv"), index=False)
    test[COLUMNS].to_csv(os.path.join(folder, "starter", "data", "test_features.csv"), index=False)
    test[["churned"]].to_csv(os.path.join(folder, "hidden", "test_labels.csv"), index=False)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
