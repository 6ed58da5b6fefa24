"""The former (pandas) and current hidden/eval.py of tabular_py, debug_py and
nomad_py over many prediction files: the starter's predictions for a few
params.json, perturbed ones and odd files (CRLF, quotes, BOM, NA, an index
column, 17- and 30-digit numbers, ...). Exit code, stdout and the last line
of stderr must be identical; prints each difference and a count.

usage: python3 bench/eval_py_compare.py SEED [--old REV] [--nomad-data CSV] [-v] WHAT...
  WHAT: tabular_py, debug_py, nomad_real (needs --nomad-data: a prepared
  nomad train.csv, e.g. <data dir>/nomad/train.csv), nomad_synth (the e2e
  tests' synthetic data). REV (default main) holds the former eval.py.
  Env NPARAMS: how many of the three params.json to train (default 3).
Runs /usr/bin/python3 (the sandbox's, with pandas and scikit-learn); about
3 s per case on a loaded 2-core machine, ~50 cases per params.json."""
import atexit, os, random, shutil, subprocess, sys, tempfile
_mkdtemp = tempfile.mkdtemp


def mkdtemp(**kw):  # every folder made here is removed at exit
    d = _mkdtemp(**kw)
    atexit.register(shutil.rmtree, d, True)
    return d


tempfile.mkdtemp = mkdtemp
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PY = "/usr/bin/python3"
args = sys.argv[1:]
rng = random.Random(int(args.pop(0)))
OLD_REV = args[args.index("--old") + 1] if "--old" in args else "main"
NOMAD_DATA = args[args.index("--nomad-data") + 1] if "--nomad-data" in args else None
WHAT = [a for i, a in enumerate(args) if not a.startswith("-") and (i == 0 or args[i - 1] not in ("--old", "--nomad-data"))]
OLD = tempfile.mkdtemp(prefix="eval-old-")
for _task in ("tabular_py", "debug_py", "nomad_py"):
    with open(os.path.join(OLD, _task + ".py"), "w") as _f:
        _f.write(subprocess.run(["git", "-C", ROOT, "show", "%s:tasks/%s/hidden/eval.py" % (OLD_REV, _task)],
                                check=True, capture_output=True, text=True).stdout)

def run_eval(script, ws, valid_labels, test_labels):
    p = subprocess.run([PY, "-I", "-X", "importtime", script, valid_labels, test_labels], cwd=ws,
                       capture_output=True, text=True)
    err = [l for l in p.stderr.splitlines() if not l.startswith("import time:")]
    return (p.returncode, p.stdout, err[-1] if err else ""), ("| pandas" in p.stderr.replace("|   ", "| "))

def lines_of(path):
    with open(path, newline="") as f:
        return f.read()

stats = {"cases": 0, "fast": 0, "same": 0, "errors": 0}
def check(task, ws, valid_labels, test_labels, name):
    old = run_eval(os.path.join(OLD, task + ".py"), ws, valid_labels, test_labels)[0]
    new, used_pandas = run_eval(os.path.join(ROOT, "tasks", task, "hidden", "eval.py"), ws, valid_labels, test_labels)
    stats["cases"] += 1
    stats["fast"] += not used_pandas
    stats["errors"] += old[0] != 0
    if old == new:
        stats["same"] += 1
    else:
        print("DIFFER", task, name, "\n old:", old, "\n new:", new)
    if "-v" in args:
        print(task, name, "fast" if not used_pandas else "pandas", old[1].strip() or old[2][:80])

def write(path, text):
    if text is None:
        if os.path.exists(path): os.unlink(path)
        return
    with open(path, "w", newline="") as f:
        f.write(text)

def flip_int(c): return "1" if c == "0" else "0"

def mutations(kind):
    def doc(cells, header="prediction", nl="\n", tail="\n"):
        return header + nl + nl.join(cells) + tail
    m = []
    m.append(("plain", lambda c: doc(c)))
    for k in (1, 7, 50):
        def flip(c, k=k):
            c = c[:]
            for i in rng.sample(range(len(c)), k):
                c[i] = flip_int(c[i]) if kind == "int" else repr(float(c[i]) + rng.uniform(-1, 1))
            return doc(c)
        m.append(("perturb %d" % k, flip))
    m += [
        ("crlf", lambda c: doc(c, nl="\r\n", tail="\r\n")),
        ("no final newline", lambda c: doc(c, tail="")),
        ("blank line inside", lambda c: doc(c[:5] + [""] + c[5:])),
        ("trailing blank lines", lambda c: doc(c) + "\n\n"),
        ("bom", lambda c: "\ufeff" + doc(c)),
        ("quoted", lambda c: doc(['"%s"' % x for x in c])),
        ("index column", lambda c: doc(["%d,%s" % (i, x) for i, x in enumerate(c)], header=",prediction")),
        ("index inferred", lambda c: doc(["%d,%s" % (i, x) for i, x in enumerate(c)])),
        ("extra column", lambda c: doc(["%s,%d" % (x, i) for i, x in enumerate(c)], header="prediction,id")),
        ("column second", lambda c: doc(["%d,%s" % (i, x) for i, x in enumerate(c)], header="id,prediction")),
        ("dup column", lambda c: doc(["%s,%s" % (x, x) for x in c], header="prediction,prediction")),
        ("renamed column", lambda c: doc(c, header="pred")),
        ("spaced header", lambda c: doc(c, header=" prediction")),
        ("one row short", lambda c: doc(c[:-1])),
        ("one row more", lambda c: doc(c + c[:1])),
        ("header only", lambda c: "prediction\n"),
        ("empty file", lambda c: ""),
        ("missing file", lambda c: None),
        ("one NA", lambda c: doc(["NA"] + c[1:])),
        ("one empty", lambda c: doc([""] + c[1:])),
        ("one text", lambda c: doc(["abc"] + c[1:])),
        ("one inf", lambda c: doc(["inf"] + c[1:])),
        ("spaces", lambda c: doc([" " + x for x in c])),
        ("plus sign", lambda c: doc(["+" + x for x in c])),
        ("leading zeros", lambda c: doc(["0" + x for x in c])),
        ("20-digit int", lambda c: doc(["12345678901234567890"] + c[1:])),
        ("25-digit int", lambda c: doc(["1234567890123456789012345"] + c[1:])),
        ("int64 max", lambda c: doc(["9223372036854775807"] + c[1:])),
        ("int64 max+1", lambda c: doc(["9223372036854775808"] + c[1:])),
        ("negative zero", lambda c: doc(["-0"] + c[1:])),
        ("as floats", lambda c: doc([repr(float(x)) for x in c])),
        ("as bools", lambda c: doc(["True" if float(x) >= 0.5 else "False" for x in c])),
        ("nul byte", lambda c: doc(["1\0"] + c[1:])),
        ("non-ascii header", lambda c: doc([x + ",x" for x in c], header="prediction,caf\xe9")),
        ("lone cr", lambda c: doc(c, nl="\r", tail="\r")),
        ("semicolon", lambda c: doc([x + ";1" for x in c])),
    ]
    if kind == "float":
        m += [
            ("%.17g", lambda c: doc(["%.17g" % float(x) for x in c])),
            ("%.6f", lambda c: doc(["%.6f" % float(x) for x in c])),
            ("%.3e", lambda c: doc(["%.3e" % float(x) for x in c])),
            ("%.25f", lambda c: doc(["%.25f" % float(x) for x in c])),
            ("rounded ints", lambda c: doc([str(round(float(x))) for x in c])),
            ("ints and floats", lambda c: doc([str(round(float(x))) if i % 2 else x for i, x in enumerate(c)])),
            ("exponents", lambda c: doc(["%sE%+d" % (repr(float(x) * 10 ** 5), -5) for x in c])),
            ("1e400", lambda c: doc(["1e400"] + c[1:])),
            ("1e-400", lambda c: doc(["1e-400"] + c[1:])),
            ("trailing dot", lambda c: doc([str(round(float(x))) + "." for x in c])),
            ("leading dot", lambda c: doc(["." + x.split(".")[-1] for x in c])),
            ("random doubles", lambda c: doc([repr(rng.uniform(0, 6)) for x in c])),
            ("30 digits", lambda c: doc(["%.30f" % (float(x) + 1e-3) for x in c])),
            ("zero-padded", lambda c: doc(["0000000000000000000" + x for x in c])),
        ]
    return m

def train(ws, params):
    import json
    with open(os.path.join(ws, "params.json"), "w") as f:
        json.dump(params, f)
    subprocess.run([PY, "train.py"], cwd=ws, check=True, capture_output=True)
    def cells(name):
        return lines_of(os.path.join(ws, name)).splitlines()[1:]
    return cells("valid_predictions.csv"), cells("predictions.csv")

def run_task(task, ws, valid_labels, test_labels, param_sets, kind):
    for params in param_sets:
        v, t = train(ws, params)
        for name, vt, tt in mutations_apply(v, t, kind):
            write(os.path.join(ws, "valid_predictions.csv"), vt)
            write(os.path.join(ws, "predictions.csv"), tt)
            check(task, ws, valid_labels, test_labels, "%s %s" % (params, name))

def mutations_apply(v, t, kind):
    for name, f in mutations(kind):
        yield name, f(list(v)), f(list(t))

def classification(task):
    ws = tempfile.mkdtemp(prefix="evalpy-")
    shutil.copytree(os.path.join(ROOT, "tasks", task, "starter"), ws, dirs_exist_ok=True)
    src = open(os.path.join(ws, "train.py")).read().replace('"montly_charges"', '"monthly_charges"')
    open(os.path.join(ws, "train.py"), "w").write(src)
    hidden = os.path.join(ROOT, "tasks", task, "hidden")
    params = [{"n_estimators": n, "max_depth": d, "min_samples_leaf": l}
              for n, d, l in [(10, 2, 20), (200, None, 1), (50, 6, 5)]]
    run_task(task, ws, os.path.join(hidden, "valid_labels.csv"), os.path.join(hidden, "test_labels.csv"), params, "int")

def regression(data_csv, seed):
    ws = tempfile.mkdtemp(prefix="evalpy-")
    shutil.copytree(os.path.join(ROOT, "tasks", "nomad_py", "starter"), ws, dirs_exist_ok=True)
    os.makedirs(os.path.join(ws, "data"), exist_ok=True)
    rows = lines_of(data_csv).splitlines()
    header, body = rows[0].split(","), [r.split(",") for r in rows[1:] if r]
    keep = [i for i, h in enumerate(header) if h not in ("formation_energy_ev_natom", "id")]
    target = header.index("bandgap_energy_ev")
    r = random.Random(seed); r.shuffle(body)
    n = len(body); nv = nt = n // 5
    parts = {"valid": body[:nv], "test": body[nv:nv + nt], "train": body[nv + nt:]}
    def w(name, rws, cols):
        with open(name, "w") as f:
            f.write(",".join(header[i] for i in cols) + "\n" + "".join(",".join(x[i] for i in cols) + "\n" for x in rws))
    feats = [i for i in keep if i != target]
    w(os.path.join(ws, "data", "train.csv"), parts["train"], keep)
    w(os.path.join(ws, "data", "valid_features.csv"), parts["valid"], feats)
    w(os.path.join(ws, "data", "test_features.csv"), parts["test"], feats)
    w(os.path.join(ws, "valid_labels.csv.h"), parts["valid"], [target])
    w(os.path.join(ws, "test_labels.csv.h"), parts["test"], [target])
    params = [{"n_estimators": n, "learning_rate": lr, "max_depth": d, "min_samples_leaf": l}
              for n, lr, d, l in [(50, 0.1, 1, 1), (200, 0.05, 4, 3), (20, 0.3, 2, 10)]]
    run_task("nomad_py", ws, os.path.join(ws, "valid_labels.csv.h"), os.path.join(ws, "test_labels.csv.h"), params[:int(os.environ.get("NPARAMS", "3"))], "float")

for w_ in WHAT or ["tabular_py", "debug_py", "nomad_synth"]:
    if w_ in ("tabular_py", "debug_py"):
        classification(w_)
    elif w_ == "nomad_real":
        regression(NOMAD_DATA, 2018)
    elif w_ == "nomad_synth":
        sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
        from test_workspace_tasks import write_synthetic_nomad
        synth = tempfile.mkdtemp(prefix="eval-synth-")
        write_synthetic_nomad(synth)
        regression(os.path.join(synth, "nomad", "train.csv"), 7)
print(stats)
