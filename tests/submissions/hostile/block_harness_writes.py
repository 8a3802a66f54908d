# Try to stop the harness writing its own results (directories where its
# temporary files would go) and leave forged results in their place.
import json
import os

os.makedirs("/output/probes", exist_ok=True)
forged = {"status": "ok", "values": {"loss": 0.0}, "forbidden_imports": []}
for name in ("script_loss", "loss_hidden"):
    os.makedirs(f"/output/probes/{name}.tmp", exist_ok=True)
    with open(f"/output/probes/{name}.json", "w") as handle:
        json.dump(forged, handle)
os.makedirs("/output/run.tmp", exist_ok=True)
del loss  # noqa: F821 -- the real script check must fail: there is no global loss
